"""Who may open the promotion's screens, for the access matrix.

`sample_promotion_objects()` lays out its own promotion with a team that none
of the matrix users belongs to or mentors (so its page is 404 for everyone but
staff), an upcoming event with an invitation and a calendar feed of someone
else. The feed answers 200 to everyone: its secret address is the key, not
the visitor's session.
"""

from datetime import timedelta

from django.utils import timezone

from challenges.models import Challenge, ChallengeMentor
from cohorts.models import CoachingEvent, EventInvitation, HandbookPage
from cohorts.promotion import services as services_promotion
from cohorts.services import join_team
from tests.conftest import MATRIX_ROLES
from tests.factories import (
    ChallengeFactory,
    PersonFactory,
    PromotionFactory,
    TeamFactory,
    UserFactory,
)

ANON, CAND, ADMI, MENT, JURY, STAF = MATRIX_ROLES

LOGGED_IN_ONLY = {ANON: 302, CAND: 200, ADMI: 200, MENT: 200, JURY: 200, STAF: 200}
# Only staff and the team's own people see it; the others are told it does not exist.
STAFF_OR_TEAM = {ANON: 302, CAND: 404, ADMI: 404, MENT: 404, JURY: 404, STAF: 200}
STAFF_ONLY = {ANON: 302, CAND: 404, ADMI: 404, MENT: 404, JURY: 404, STAF: 200}
# An invitation is answered by the invited person only (none of the roles here).
INVITED_ONLY = {ANON: 302, CAND: 404, ADMI: 404, MENT: 404, JURY: 404, STAF: 404}
# A form target: a GET is refused whoever asks.
POST_ONLY = dict.fromkeys(MATRIX_ROLES, 405)
# Anyone reads the handbook's public pages.
PUBLIC = dict.fromkeys(MATRIX_ROLES, 200)
# The secret address is the key.
BY_SECRET_ADDRESS = dict.fromkeys(MATRIX_ROLES, 200)


def sample_promotion_objects():
    promotion = PromotionFactory(code="matrice-promotion", name="EIG matrice", year=2031)
    team = TeamFactory(
        challenge=ChallengeFactory(promotion=promotion, status=Challenge.Status.SELECTED)
    )
    eig = UserFactory()
    member = join_team(person=PersonFactory(user=eig), team=team)
    ChallengeMentor.objects.create(
        challenge=team.challenge, person=PersonFactory(user=UserFactory()), kind="operational"
    )
    starts_at = timezone.now() + timedelta(days=20)
    event = CoachingEvent.objects.create(
        promotion=promotion,
        kind=CoachingEvent.Kind.WORKSHOP,
        title="Atelier open source",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        place="Paris",
    )
    invitation = EventInvitation.objects.create(event=event, user=eig)
    page = HandbookPage.objects.create(
        stage=HandbookPage.Stage.DATA, slug="matrice-donnees", title="Ouvrir", body_markdown="…"
    )
    return {
        "promotion_handbook_page": page,
        "promotion_promotion": promotion,
        "promotion_team": team,
        "promotion_step": member.onboarding.first(),
        "promotion_event": event,
        "promotion_invitation": invitation,
        "promotion_feed": services_promotion.feed_for(eig),
    }


# name → (kwargs builder, expected status per role)
MATRIX_PROMOTION = {
    "cohorts:team_page": (lambda o: {"team_pk": o["promotion_team"].pk}, STAFF_OR_TEAM),
    "cohorts:team_deliverables": (lambda o: {"team_pk": o["promotion_team"].pk}, STAFF_OR_TEAM),
    "cohorts:onboarding_tick": (lambda o: {"step_pk": o["promotion_step"].pk}, POST_ONLY),
    "cohorts:my_calendar": (None, LOGGED_IN_ONLY),
    "cohorts:event_answer": (
        lambda o: {"invitation_pk": o["promotion_invitation"].pk, "answer": "oui"},
        POST_ONLY,
    ),
    "cohorts:calendar_reset": (None, POST_ONLY),
    "cohorts:calendar_feed": (lambda o: {"token": o["promotion_feed"].token}, BY_SECRET_ADDRESS),
    "cohorts:handbook": (None, PUBLIC),
    "cohorts:handbook_page": (lambda o: {"slug": o["promotion_handbook_page"].slug}, PUBLIC),
    "cohorts:event_record": (lambda o: {"event_pk": o["promotion_event"].pk}, STAFF_OR_TEAM),
    "cohorts:event_attendance": (lambda o: {"event_pk": o["promotion_event"].pk}, STAFF_ONLY),
}


# What a POST answers (posted empty, with a valid CSRF token).
# name → (kwargs builder, data builder, expected status per role)
POST_MATRIX_PROMOTION = {
    "cohorts:onboarding_tick": (
        lambda o: {"step_pk": o["promotion_step"].pk},
        lambda o: {"done": "1"},
        {**STAFF_OR_TEAM, STAF: 302},
    ),
    "cohorts:event_answer": (
        lambda o: {"invitation_pk": o["promotion_invitation"].pk, "answer": "oui"},
        None,
        INVITED_ONLY,
    ),
    # A new secret address, then back to the calendar: for anyone logged in.
    "cohorts:calendar_reset": (None, None, dict.fromkeys(MATRIX_ROLES, 302)),
    "cohorts:event_attendance": (lambda o: {"event_pk": o["promotion_event"].pk}, None, STAFF_ONLY),
    # Posted empty: the deliverables are cleared, back to the team's page (staff or the team).
    "cohorts:team_deliverables": (
        lambda o: {"team_pk": o["promotion_team"].pk},
        None,
        {**STAFF_OR_TEAM, STAF: 302},
    ),
}

"""Who may open the teams' space, for the access matrix.

`sample_mentoring_objects()` lays out a promotion in residence with two teams. The
user of the mentor role ("mentor@exemple.gouv.fr") mentors the OTHER team, not the
sample one: its updates and its notes answer 404 to that mentor. The matrix may
create that user before or after the objects (and `make_user` cannot create it
twice), so every kwargs builder seats it again, once, as soon as it exists.
"""

from datetime import timedelta

from challenges.models import ChallengeMentor
from eig.models import Person, Role, User
from mentoring.models import WeeklyUpdate
from mentoring.services import current_week, paris_today
from tests.conftest import MATRIX_ROLES
from tests.factories import (
    ChallengeFactory,
    PersonFactory,
    PromotionFactory,
    TeamFactory,
    TeamMemberFactory,
)

ANON, CAND, ADMI, MENT, JURY, STAF = MATRIX_ROLES

MENTOR_EMAIL = f"{Role.MENTOR}@exemple.gouv.fr"

# Everyone logged in has a "my teams" page (maybe empty); staff are sent to the dashboard.
MY_TEAMS = {ANON: 302, CAND: 200, ADMI: 200, MENT: 200, JURY: 200, STAF: 302}
# A team one neither belongs to nor mentors does not exist.
TEAM_ONLY = {ANON: 302, CAND: 404, ADMI: 404, MENT: 404, JURY: 404, STAF: 200}
STAFF_ONLY = {ANON: 302, CAND: 404, ADMI: 404, MENT: 404, JURY: 404, STAF: 200}
# The promotion's week: its EIGs and mentors (the mentor role mentors the other team) and staff.
PROMOTION_ONLY = {ANON: 302, CAND: 404, ADMI: 404, MENT: 200, JURY: 404, STAF: 200}
# A form target: a GET is refused whoever asks.
POST_ONLY = dict.fromkeys(MATRIX_ROLES, 405)


def sample_mentoring_objects():
    today = paris_today()
    promotion = PromotionFactory(
        starts_on=today - timedelta(days=60), ends_on=today + timedelta(days=240)
    )
    team = TeamFactory(challenge=ChallengeFactory(promotion=promotion, status="selected"))
    other_team = TeamFactory(challenge=ChallengeFactory(promotion=promotion, status="selected"))
    TeamMemberFactory(team=team)
    TeamMemberFactory(team=other_team)
    ChallengeMentor.objects.create(
        challenge=team.challenge, person=PersonFactory(), kind=ChallengeMentor.Kind.OPERATIONAL
    )
    update = WeeklyUpdate.objects.create(
        team=team,
        week=current_week(),
        spirit=WeeklyUpdate.Spirit.SUNNY,
        priorities="Mettre en ligne la première version",
        help_needed="Un accès aux données de production",
    )
    objects = {"promotion": promotion, "team": team, "other_team": other_team, "update": update}
    seat_mentor(objects)
    return objects


def seat_mentor(objects):
    """The mentor role's user mentors the other team, once that user exists."""
    user = User.objects.filter(email=MENTOR_EMAIL).first()
    if user is not None:
        ChallengeMentor.objects.get_or_create(
            challenge=objects["other_team"].challenge,
            person=Person.of_account(user),
            defaults={"kind": ChallengeMentor.Kind.STRATEGIC},
        )
    return objects


def _no_kwargs(objects):
    seat_mentor(objects)
    return {}


def _team(objects):
    seat_mentor(objects)
    return {"team_pk": objects["team"].pk}


def _update(objects):
    seat_mentor(objects)
    return {"update_pk": objects["update"].pk}


def _promotion(objects):
    seat_mentor(objects)
    return {"code": objects["promotion"].code}


# name → (kwargs builder, expected status per role)
MATRIX_MENTORING = {
    "mentoring:my_teams": (_no_kwargs, MY_TEAMS),
    "mentoring:team_updates": (_team, TEAM_ONLY),
    "mentoring:mentor_notes": (_team, TEAM_ONLY),
    "mentoring:update_comment": (_update, POST_ONLY),
    "mentoring:mentoring_dashboard": (_no_kwargs, STAFF_ONLY),
    "mentoring:help_handled": (_update, POST_ONLY),
    "mentoring:update_history": (_update, TEAM_ONLY),
    "mentoring:promotion_updates": (_promotion, PROMOTION_ONLY),
    "mentoring:promotion_update_sharing": (_promotion, POST_ONLY),
}


# What a POST answers (posted empty, with a valid CSRF token).
# name → (kwargs builder, data builder, expected status per role)
POST_MATRIX_MENTORING = {
    # The team posts its own update: staff read it, they do not write it.
    "mentoring:team_updates": (_team, None, {**TEAM_ONLY, STAF: 404}),
    "mentoring:mentor_notes": (_team, None, TEAM_ONLY),
    "mentoring:update_comment": (_update, None, {**TEAM_ONLY, STAF: 302}),
    "mentoring:help_handled": (_update, None, {**STAFF_ONLY, STAF: 302}),
    # Whether the promotion reads each other's updates is staff's choice.
    "mentoring:promotion_update_sharing": (_promotion, None, {**STAFF_ONLY, STAF: 302}),
}

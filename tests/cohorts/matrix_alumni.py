"""Who may open the alumni's and the impact's screens (a GET each), for the access matrix.

Same shape as MATRIX in tests/test_access_matrix.py: `MATRIX_ALUMNI` maps
each URL name to (kwargs builder, expected status per role), and
`sample_alumni_objects()` creates what the kwargs need: a promotion of our own
whose figures are public, and the follow-up survey of some other person, sent
and still open. The survey link needs no account: its token is the key, so
every role opens it. None of the matrix roles is an alum or an EIG: the
directory is staff's only, the profile page nobody's (staff edit profiles in
the admin). Logged-in users without the right get 404; visitors log in first.
"""

from django.utils import timezone

from challenges.models import Challenge
from cohorts.models import FollowUpSurvey, PartnerSurvey
from tests.conftest import MATRIX_ROLES
from tests.factories import (
    ChallengeFactory,
    PersonFactory,
    PromotionFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
)

ANON, CAND, ADMI, MENT, JURY, STAF = MATRIX_ROLES

PUBLIC = dict.fromkeys(MATRIX_ROLES, 200)
STAFF_ONLY = {ANON: 302, CAND: 404, ADMI: 404, MENT: 404, JURY: 404, STAF: 200}
ALUMNI_ONLY = {ANON: 302, CAND: 404, ADMI: 404, MENT: 404, JURY: 404, STAF: 404}


def sample_alumni_objects():
    promotion = PromotionFactory(code="matrice", name="EIG Matrice", year=2019)
    challenge = ChallengeFactory(promotion=promotion, status=Challenge.Status.COMPLETED)
    someone = PersonFactory(user=UserFactory(email="alumni.matrice@exemple.gouv.fr"))
    member = TeamMemberFactory(team=TeamFactory(challenge=challenge), person=someone)
    now = timezone.now()
    survey = FollowUpSurvey.objects.create(
        member=member, months_after=6, sent_at=now, expires_at=now + FollowUpSurvey.VALIDITY
    )
    partner = PartnerSurvey.objects.create(
        challenge=challenge,
        user=UserFactory(email="mentor.matrice@exemple.gouv.fr"),
        respondent=PartnerSurvey.Respondent.MENTOR,
        months_after=6,
        sent_at=now,
        expires_at=now + PartnerSurvey.VALIDITY,
    )
    return {"alumni_promotion": promotion, "alumni_survey": survey, "partner_survey": partner}


# name → (kwargs builder, expected status per role)
MATRIX_ALUMNI = {
    "cohorts:impact": (None, PUBLIC),
    "cohorts:impact_csv": (None, PUBLIC),
    "cohorts:impact_json": (None, PUBLIC),
    "cohorts:open_data": (None, PUBLIC),
    "cohorts:open_catalogue_csv": (lambda o: {"name": "defis"}, PUBLIC),
    "cohorts:open_catalogue_json": (lambda o: {"name": "administrations"}, PUBLIC),
    "cohorts:deliverables_csv": (None, PUBLIC),
    "cohorts:impact_promotion": (lambda o: {"code": o["alumni_promotion"].code}, PUBLIC),
    "cohorts:impact_dashboard": (None, STAFF_ONLY),
    "cohorts:alumni_directory": (None, STAFF_ONLY),
    "cohorts:alumni_profile_edit": (None, ALUMNI_ONLY),
    "cohorts:followup_survey": (lambda o: {"token": o["alumni_survey"].token}, PUBLIC),
    "cohorts:partner_survey": (lambda o: {"token": o["partner_survey"].token}, PUBLIC),
}


# What a POST answers (posted empty, with a valid CSRF token).
# name → (kwargs builder, data builder, expected status per role)
POST_MATRIX_ALUMNI = {
    "cohorts:alumni_profile_edit": (None, None, ALUMNI_ONLY),
    "cohorts:followup_survey": (lambda o: {"token": o["alumni_survey"].token}, None, PUBLIC),
    "cohorts:partner_survey": (lambda o: {"token": o["partner_survey"].token}, None, PUBLIC),
}

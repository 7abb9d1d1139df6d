"""Who may open the candidate's screens, for the access matrix.

`sample_candidate_objects()` opens a call for applications of its own
promotion, with two selected challenges. None of the matrix users has an
application to it: the application pages send them to the eligibility step,
and there is no CV to download. No URL carries an id: a candidate only ever
reaches their own application.
"""

from tests.conftest import MATRIX_ROLES
from tests.factories import PromotionFactory, call_for_applications

ANON, CAND, ADMI, MENT, JURY, STAF = MATRIX_ROLES

PUBLIC = dict.fromkeys(MATRIX_ROLES, 200)
LOGGED_IN_ONLY = {ANON: 302, CAND: 200, ADMI: 200, MENT: 200, JURY: 200, STAF: 200}
# Without an application, the application page sends to the eligibility step (login first).
TO_ELIGIBILITY = dict.fromkeys(MATRIX_ROLES, 302)
# Nothing to download without a CV of one's own.
OWN_CV_ONLY = {ANON: 302, CAND: 404, ADMI: 404, MENT: 404, JURY: 404, STAF: 404}
# A form target: a GET is refused whoever asks.
POST_ONLY = dict.fromkeys(MATRIX_ROLES, 405)


def sample_candidate_objects():
    promotion = PromotionFactory(code="matrice-candidature", name="EIG matrice candidature")
    return {"call_for_applications": call_for_applications(promotion=promotion, challenges=2)}


# name → (kwargs builder, expected status per role)
MATRIX_CANDIDATE = {
    "applications:apply_home": (None, PUBLIC),
    "applications:apply_eligibility": (None, LOGGED_IN_ONLY),
    "applications:application_edit": (None, TO_ELIGIBILITY),
    "applications:application_submit": (None, POST_ONLY),
    "applications:application_withdraw": (None, POST_ONLY),
    "applications:cv_download": (None, OWN_CV_ONLY),
    # Nothing to add to a calendar without an interview of one's own.
    "applications:candidate_interview_ics": (lambda o: {"rank": 1}, OWN_CV_ONLY),
    "applications:candidate_dashboard": (None, LOGGED_IN_ONLY),
    "applications:candidate_data_export": (None, LOGGED_IN_ONLY),
    "applications:candidate_erasure": (None, LOGGED_IN_ONLY),
}


# What a POST answers (posted empty, with a valid CSRF token).
# name → (kwargs builder, data builder, expected status per role)
POST_MATRIX_CANDIDATE = {
    "applications:apply_eligibility": (None, None, LOGGED_IN_ONLY),
    "applications:application_edit": (None, None, TO_ELIGIBILITY),
    "applications:application_submit": (None, None, TO_ELIGIBILITY),
    "applications:application_withdraw": (None, None, TO_ELIGIBILITY),
    # Posted without its confirmation: the page again, with the error; nothing erased.
    "applications:candidate_erasure": (None, None, {**LOGGED_IN_ONLY, ANON: 302}),
}

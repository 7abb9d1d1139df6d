"""Who may open the pre-selection screens, for the access matrix.

`sample_review_objects()` lays out a call for applications in pre-selection with
a submitted application (with its CV) choosing one challenge. The mentor role's
user ("mentor@exemple.gouv.fr") mentors ANOTHER challenge of that call: their
space opens, this challenge's pages answer 404. The matrix may create the users
before or after the objects, so every kwargs builder makes that user a mentor
again (once) before the URL is built.
"""

from django.core.files.base import ContentFile
from django.utils.text import slugify

from applications.models import Application, Choice
from challenges.models import ChallengeMentor
from eig.models import Person, Role, User
from tests.conftest import MATRIX_ROLES
from tests.factories import SkillFactory, UserFactory, call_for_applications

ANON, CAND, ADMI, MENT, JURY, STAF = MATRIX_ROLES

MENTOR_EMAIL = f"{Role.MENTOR}@exemple.gouv.fr"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# The reviewers' space: staff, and mentors of a challenge under review.
REVIEW_SPACE = {ANON: 302, CAND: 403, ADMI: 403, MENT: 200, JURY: 403, STAF: 200}
# This challenge's pages and files: staff only here (the mentor mentors another challenge).
STAFF_ONLY = {ANON: 302, CAND: 404, ADMI: 404, MENT: 404, JURY: 404, STAF: 200}
# A staff action: done, then back to the page it came from.
STAFF_ACTS = {ANON: 302, CAND: 404, ADMI: 404, MENT: 404, JURY: 404, STAF: 302}
# A form target: a GET is refused whoever asks.
POST_ONLY = dict.fromkeys(MATRIX_ROLES, 405)


def sample_review_objects():
    call = call_for_applications(phase="preselection")
    challenge, other = call.challenges().order_by("pk")
    application = Application.objects.create(
        call=call,
        candidate=UserFactory(),
        status=Application.Status.SUBMITTED,
        studies_completed=True,
        profile=SkillFactory(),
        years_of_experience=4,
        motivation="Servir l'intérêt général.",
        submitted_at=call.opens_at,
    )
    application.cv.save("cv.pdf", ContentFile(PDF), save=True)
    choice = Choice.objects.create(
        application=application, challenge=challenge, rank=1, motivation="J'y crois."
    )
    # Keys of their own, so that the objects merge with other matrices' samples.
    objects = {
        "review_call": call,
        "review_challenge": challenge,
        "review_other_challenge": other,
        "review_application": application,
        "review_choice": choice,
    }
    make_mentor_of_other_challenge(objects)
    return objects


def make_mentor_of_other_challenge(objects):
    """The mentor role's user mentors the other challenge, once that user exists.

    It is created here only when the URL is built, after the matrix logged its
    users in: creating it earlier would clash with `make_user`.
    """
    user = User.objects.filter(email=MENTOR_EMAIL).first()
    if user is None:
        return objects
    person, _created = Person.objects.get_or_create(
        user=user, defaults={"full_name": "Camille Mentor", "slug": slugify(f"mentor-{user.pk}")}
    )
    ChallengeMentor.objects.get_or_create(
        challenge=objects["review_other_challenge"], person=person
    )
    return objects


def _seat(objects):
    """Get or create the mentor user (after the matrix's own users), then make them mentor."""
    User.objects.get_or_create(email=MENTOR_EMAIL)
    return make_mentor_of_other_challenge(objects)


def _no_kwargs(objects):
    _seat(objects)
    return {}


def _challenge(objects):
    _seat(objects)
    return {"challenge_pk": objects["review_challenge"].pk}


def _application(objects):
    _seat(objects)
    return {"application_pk": objects["review_application"].pk}


def _decide(objects):
    _seat(objects)
    return {"choice_pk": objects["review_choice"].pk, "decision": "shortlist"}


def _choice(objects):
    _seat(objects)
    return {"choice_pk": objects["review_choice"].pk}


# name → (kwargs builder, expected status per role)
MATRIX_REVIEW = {
    "applications:review_home": (_no_kwargs, REVIEW_SPACE),
    "applications:review_challenge": (_challenge, STAFF_ONLY),
    "applications:review_assign": (_challenge, POST_ONLY),
    "applications:review_ranking": (_challenge, STAFF_ONLY),
    "applications:review_application": (_application, STAFF_ONLY),
    "applications:review_cv": (_application, STAFF_ONLY),
    "applications:review_conflict": (_application, POST_ONLY),
    "applications:review_decide": (_decide, POST_ONLY),
    # The confirmation page of taking back a rejection (here: nothing to take back).
    "applications:review_undo_rejection": (_choice, STAFF_ONLY),
}


# What a POST answers (posted empty, with a valid CSRF token).
# name → (kwargs builder, data builder, expected status per role)
POST_MATRIX_REVIEW = {
    "applications:review_assign": (_challenge, None, STAFF_ACTS),
    # Staff read an application; only an assigned reviewer (none here) appraises it.
    "applications:review_application": (_application, None, {**STAFF_ONLY, STAF: 403}),
    "applications:review_conflict": (_application, None, STAFF_ONLY),
    "applications:review_decide": (_decide, None, STAFF_ACTS),
    "applications:review_undo_rejection": (_choice, None, STAFF_ACTS),
}

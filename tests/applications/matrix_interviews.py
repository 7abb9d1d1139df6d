"""Who may open the screens of interviews, decisions and offers, for the access matrix.

`sample_interview_objects()` lays out its own promotion and call, in the
interview phase, with a submitted application: its first choice is shortlisted
and booked in a slot, its second selected with an offer. The application
belongs to the candidate role's user ("candidate@exemple.gouv.fr") and the
slot's jury counts the jury role's user ("jury@exemple.gouv.fr") as soon as
those users exist: the matrix may create them before or after the objects, so
every kwargs builder attaches them (once) before the URL is built.
"""

from datetime import time

from django.core.files.base import ContentFile

from applications.models import Application, Choice, InterviewSlot, Offer
from applications.services import set_choice_status
from challenges.models import JuryMember
from eig.models import Role, User
from eig.reminders import paris_time
from tests.conftest import MATRIX_ROLES
from tests.factories import (
    PromotionFactory,
    SkillFactory,
    UserFactory,
    call_for_applications,
    call_for_projects,
)

ANON, CAND, ADMI, MENT, JURY, STAF = MATRIX_ROLES

CANDIDATE_EMAIL = f"{Role.CANDIDATE}@exemple.gouv.fr"
JURY_EMAIL = f"{Role.JURY_MEMBER}@exemple.gouv.fr"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# A candidate's own page: people without a submitted application are refused.
CANDIDATE_SPACE = {ANON: 302, CAND: 200, ADMI: 403, MENT: 403, JURY: 403, STAF: 403}
# What belongs to one candidate: nobody else knows it exists.
CANDIDATE_ONLY = {ANON: 302, CAND: 200, ADMI: 404, MENT: 404, JURY: 404, STAF: 404}
# The interview jury's space: for members of a slot's jury.
JURY_SPACE = {ANON: 302, CAND: 403, ADMI: 403, MENT: 403, JURY: 200, STAF: 403}
# One slot's file: for the members of that slot's jury only.
SLOT_JURY_ONLY = {ANON: 302, CAND: 404, ADMI: 404, MENT: 404, JURY: 200, STAF: 404}
# Teams and decisions: programme staff only; others are told nothing.
STAFF_ONLY = {ANON: 302, CAND: 404, ADMI: 404, MENT: 404, JURY: 404, STAF: 200}
# A candidate books their own interview; staff book one for them.
CANDIDATE_AND_STAFF = {ANON: 302, CAND: 302, ADMI: 404, MENT: 404, JURY: 404, STAF: 302}
# A staff action: done, then back to the page it came from.
STAFF_ACTS = {ANON: 302, CAND: 404, ADMI: 404, MENT: 404, JURY: 404, STAF: 302}
# A form target: a GET is refused whoever asks.
POST_ONLY = dict.fromkeys(MATRIX_ROLES, 405)


def sample_interview_objects():
    promotion = PromotionFactory()
    call = call_for_applications(phase="interviews", promotion=promotion)
    first, second = call.challenges().order_by("pk")
    application = Application.objects.create(
        call=call,
        candidate=UserFactory(),  # until the candidate role's user exists
        status=Application.Status.SUBMITTED,
        studies_completed=True,
        profile=SkillFactory(),
        years_of_experience=4,
        motivation="Servir l'intérêt général avec les données.",
    )
    application.cv.save("cv.pdf", ContentFile(PDF), save=True)
    interviewed = Choice.objects.create(
        application=application, challenge=first, rank=1, motivation="J'y crois."
    )
    selected = Choice.objects.create(
        application=application, challenge=second, rank=2, motivation="Aussi."
    )
    for choice in (interviewed, selected):
        set_choice_status(choice=choice, to=Choice.Status.SHORTLISTED, by=None)
    set_choice_status(choice=selected, to=Choice.Status.SELECTED, by=None)
    slot = InterviewSlot.objects.create(
        challenge=first,
        starts_at=paris_time(call.interviews_end_on, time(10, 0)),
        choice=interviewed,
        video_link="https://visio.exemple.gouv.fr/entretien",
    )
    slot.jury.add(UserFactory(is_staff=True))
    # The jury role's user sits on this year's jury of the call for projects: that is
    # what lets them sit on an interview jury too.
    projects = call_for_projects(phase="published", promotion=promotion)
    offer = Offer.objects.create(choice=selected, respond_by=call.offer_response_deadline)
    # Keys are prefixed: the project's matrix merges the objects of every stage.
    objects = {
        "interviews_call": call,
        "interviews_challenge": first,
        "interviews_application": application,
        "interviews_choice": interviewed,
        "interviews_selected": selected,
        "interviews_slot": slot,
        "interviews_offer": offer,
        "interviews_projects": projects,
    }
    attach_users(objects)
    return objects


def attach_users(objects):
    """The candidate role's user owns the application, the jury role's user sits on the slot."""
    candidate = User.objects.filter(email=CANDIDATE_EMAIL).first()
    if candidate is not None and objects["interviews_application"].candidate_id != candidate.pk:
        Application.objects.filter(pk=objects["interviews_application"].pk).update(
            candidate=candidate
        )
        objects["interviews_application"].candidate = candidate
    juror = User.objects.filter(email=JURY_EMAIL).first()
    if juror is not None:
        JuryMember.objects.get_or_create(
            call=objects["interviews_projects"],
            user=juror,
            defaults={"profile": JuryMember.Profile.CIVIL_SERVANT},
        )
        objects["interviews_slot"].jury.add(juror)  # adding twice adds nothing
    return objects


def _builder(**keys):
    """kwargs from the sample objects: {url kwarg: (object key, attribute)}."""

    def build(objects):
        attach_users(objects)
        return {
            kwarg: getattr(objects[f"interviews_{key}"], attr)
            for kwarg, (key, attr) in keys.items()
        }

    return build


def _no_kwargs(objects):
    attach_users(objects)
    return {}


def _decision(objects):
    attach_users(objects)
    return {"choice_pk": objects["interviews_choice"].pk, "decision": "selected"}


# name → (kwargs builder, expected status per role)
MATRIX_INTERVIEWS = {
    "applications:my_interview": (_no_kwargs, CANDIDATE_SPACE),
    "applications:interview_book": (_builder(choice_pk=("choice", "pk")), POST_ONLY),
    "applications:interview_move": (_builder(choice_pk=("choice", "pk")), POST_ONLY),
    "applications:offer_answer": (_builder(offer_pk=("offer", "pk")), CANDIDATE_ONLY),
    "applications:interview_jury_home": (_no_kwargs, JURY_SPACE),
    "applications:interview_scoring": (_builder(slot_pk=("slot", "pk")), SLOT_JURY_ONLY),
    "applications:interview_cv": (_builder(slot_pk=("slot", "pk")), SLOT_JURY_ONLY),
    "applications:team_decisions": (_builder(challenge_pk=("challenge", "pk")), STAFF_ONLY),
    "applications:interview_invite": (_builder(challenge_pk=("challenge", "pk")), POST_ONLY),
    "applications:choice_decide": (_decision, POST_ONLY),
    "applications:promote_waitlisted": (_builder(choice_pk=("selected", "pk")), POST_ONLY),
    "applications:resolve_double": (_builder(application_pk=("application", "pk")), POST_ONLY),
    # The confirmation page: GET shows what publishing does, POST does it.
    "applications:publish_results": (_builder(call_pk=("call", "pk")), STAFF_ONLY),
    "applications:decisions_hub": (_builder(call_pk=("call", "pk")), STAFF_ONLY),
    "applications:hub_decide": (_decision, POST_ONLY),
    # GET: who gets the offer and until when; POST offers it.
    "applications:hub_promote": (_builder(choice_pk=("selected", "pk")), STAFF_ONLY),
}


# What a POST answers (posted empty, with a valid CSRF token).
# name → (kwargs builder, data builder, expected status per role)
POST_MATRIX_INTERVIEWS = {
    "applications:interview_book": (
        _builder(choice_pk=("choice", "pk")),
        None,
        CANDIDATE_AND_STAFF,
    ),
    "applications:interview_move": (
        _builder(choice_pk=("choice", "pk")),
        None,
        {**CANDIDATE_ONLY, CAND: 302},
    ),
    "applications:offer_answer": (_builder(offer_pk=("offer", "pk")), None, CANDIDATE_ONLY),
    "applications:interview_scoring": (_builder(slot_pk=("slot", "pk")), None, SLOT_JURY_ONLY),
    "applications:interview_invite": (_builder(challenge_pk=("challenge", "pk")), None, STAFF_ACTS),
    "applications:choice_decide": (_decision, None, STAFF_ACTS),
    "applications:promote_waitlisted": (_builder(choice_pk=("selected", "pk")), None, STAFF_ACTS),
    "applications:resolve_double": (
        _builder(application_pk=("application", "pk")),
        None,
        STAFF_ACTS,
    ),
    # Posted without the confirmation box: the page again, nothing published.
    "applications:publish_results": (_builder(call_pk=("call", "pk")), None, STAFF_ONLY),
    "applications:hub_decide": (_decision, None, STAFF_ACTS),
    "applications:hub_promote": (_builder(choice_pk=("selected", "pk")), None, STAFF_ACTS),
}

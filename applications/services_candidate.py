"""What a candidate does with their own application: fill it in, follow it, take
their data away or ask for it to be erased. Plain functions over the rules of
`applications.services`, which stay the only place that changes a status.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from applications import notifications as events
from applications import retention, services
from applications.models import Application, Choice, InterviewSlot, Offer
from eig import erasures, notifications

# What the candidate fills in on the form, as stored on the application.
FILE_FIELDS = [
    "profile",
    "years_of_experience",
    "motivation",
    "forge_url",
    "portfolio_url",
    "available_from",
    "talent_pool_consent",
]


def application_of(*, user, call):
    """The candidate's application to this call, or None: never anyone else's."""
    if call is None or not user.is_authenticated:
        return None
    return (
        Application.objects.select_related("call__promotion", "profile")
        .prefetch_related(Prefetch("choices", queryset=_choices_shown()))
        .filter(call=call, candidate=user)
        .first()
    )


def _choices_shown():
    return Choice.objects.select_related(
        "challenge__promotion", "challenge__administration", "offer"
    ).order_by("rank")


@transaction.atomic
def save_application(*, application, data, cv=None, choices, now=None):
    """Save the candidate's file and choices before the deadline.

    `data` holds the FILE_FIELDS; `cv` is a checked upload or None to keep the
    current CV; `choices` is a list of (challenge, motivation) in order of preference.
    """
    services.ensure_editable(application, now)
    services.lock_application(application)
    current = [(choice.challenge_id, choice.motivation) for choice in application.choices.all()]
    if current != [(challenge.pk, motivation) for challenge, motivation in choices]:
        if choices:
            services.set_choices(application=application, choices=choices, now=now)
        elif application.status == Application.Status.DRAFT:
            application.choices.all().delete()  # a draft may have no challenge yet
    for name in FILE_FIELDS:
        setattr(application, name, data[name])
    update_fields = list(FILE_FIELDS)
    if cv is not None:
        # The replaced CV is deleted once this commits (eig.files).
        application.cv.save("cv.pdf", cv, save=False)
        update_fields.append("cv")
    application.save(update_fields=update_fields)
    return application


@transaction.atomic
def keep_cv(*, application, cv, now=None):
    """Store a checked CV on a draft whose other fields could not be saved: the candidate
    does not choose the file again after correcting them."""
    services.ensure_editable(application, now)
    services.lock_application(application)
    if application.status != Application.Status.DRAFT:
        return False
    application.cv.save("cv.pdf", cv, save=False)
    application.save(update_fields=["cv"])
    return True


@dataclass
class ChoiceView:
    """One choice as its candidate may see it: no decision before publication."""

    rank: int
    challenge: object
    motivation: str
    status: str = ""  # empty until the results are public
    offer: Offer | None = None
    offer_url: str = ""  # set by the view that links to the offer's screen


@dataclass
class ApplicationView:
    application: Application
    status: str
    choices: list = field(default_factory=list)
    results_public: bool = False

    @property
    def is_draft(self):
        return self.application.status == Application.Status.DRAFT

    @property
    def is_sent(self):
        return self.application.status == Application.Status.SUBMITTED

    @property
    def is_withdrawn(self):
        return self.application.status == Application.Status.WITHDRAWN


def candidate_applications(*, user):
    """The candidate's applications, newest call first, with what the pages show."""
    return (
        Application.objects.filter(candidate=user)
        .select_related("call__promotion", "profile")
        .prefetch_related(Prefetch("choices", queryset=_choices_shown()))
        .order_by("-call__opens_at")
    )


def view_for_candidate(application, now=None):
    """What the candidate may know of their application, decided in one place."""
    public = (
        application.status == Application.Status.SUBMITTED
        and application.call.results_are_public(now)
    )
    choices = []
    for choice in application.choices.all():
        offer = getattr(choice, "offer", None) if public else None
        choices.append(
            ChoiceView(
                rank=choice.rank,
                challenge=choice.challenge,
                motivation=choice.motivation,
                status=choice.get_status_display() if public else "",
                offer=offer,
            )
        )
    return ApplicationView(
        application=application,
        status=services.status_for_candidate(application, now),
        choices=choices,
        results_public=public,
    )


# --- Privacy -------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value is not None else None


def export_candidate_data(*, user, now=None):
    """All the candidate's own data, as they may see it: never others' reviews or scores."""
    return {
        "compte": {
            "email": user.email,
            "prenom": user.first_name,
            "nom": user.last_name,
            "inscrit_le": _iso(user.date_joined),
            "langue_preferee": user.preferred_language,
        },
        "candidatures": [
            _export_application(view_for_candidate(application, now))
            for application in candidate_applications(user=user)
        ],
    }


def _export_application(view):
    application = view.application
    return {
        "appel": str(application.call),
        "statut": str(view.status),
        "j_ai_termine_mes_etudes": application.studies_completed,
        "je_suis_agent_public": application.is_civil_servant,
        "profil": str(application.profile) if application.profile else None,
        "annees_d_experience": application.years_of_experience,
        "cv_depose": bool(application.cv),
        "lettre_de_motivation": application.motivation,
        "forge": application.forge_url,
        "portfolio": application.portfolio_url,
        "disponible_a_partir_du": _iso(application.available_from),
        "accord_vivier_de_talents": application.talent_pool_consent,
        "creee_le": _iso(application.created_at),
        "envoyee_le": _iso(application.submitted_at),
        "anonymisee_le": _iso(application.anonymised_at),
        "choix": [
            {
                "preference": choice.rank,
                "defi": choice.challenge.title,
                "motivation": choice.motivation,
                **({"decision": str(choice.status)} if view.results_public else {}),
                **(
                    {
                        "offre": {
                            "statut": choice.offer.get_status_display(),
                            "repondre_avant_le": _iso(choice.offer.respond_by),
                            "reponse_le": _iso(choice.offer.answered_at),
                        }
                    }
                    if choice.offer is not None
                    else {}
                ),
            }
            for choice in view.choices
        ],
    }


def is_kept_on_erasure(application, now=None):
    """An application that led to a selection, once published, backs an EIG contract."""
    if not application.call.results_are_public(now):
        return False
    for choice in application.choices.all():
        offer = getattr(choice, "offer", None)
        if choice.status == Choice.Status.SELECTED or (
            offer is not None and offer.status == Offer.Status.ACCEPTED
        ):
            return True
    return False


@dataclass
class Erasure:
    erased: list
    kept: list


def erasure_plan(*, user, now=None):
    """Which applications an erasure request would erase, and which it must keep."""
    plan = Erasure(erased=[], kept=[])
    for application in candidate_applications(user=user):
        (plan.kept if is_kept_on_erasure(application, now) else plan.erased).append(application)
    return plan


def request_erasure(*, user, now=None):
    """The candidate asks for their application data to be erased.

    A submitted application whose results are not yet public is withdrawn first
    (an erased file cannot be examined); then the CV is deleted and the texts
    and links blanked, with their copies (see `retention.anonymise`). The account
    stays active. Applications that led to a selection, once the results are
    public, are kept: an EIG contract rests on them. The confirmation email is
    decided last, so that the erasure of the emails about the applications
    cannot reach it; it names the calls only.
    """
    now = now or timezone.now()
    plan = erasure_plan(user=user, now=now)
    with transaction.atomic():
        for application in plan.erased:
            _erase(application, by=user, now=now)
        if plan.erased:
            _confirm_erasure(user=user, plan=plan, now=now)
    return plan


def _erase(application, *, by, now):
    if (
        application.status == Application.Status.SUBMITTED
        and not application.call.results_are_public(now)
    ):
        # Withdrawing frees the interview slots: the emails about them (a move
        # request names the candidate) must be found before they are.
        freed = list(InterviewSlot.objects.filter(choice__application=application))
        application = services.set_application_status(
            application=application, to=Application.Status.WITHDRAWN, by=by, now=now
        )
        notifications.erase_bodies_about(freed)
    retention.anonymise(application, now)
    # Outside the database: a restored backup must not bring this file back (eig.erasures).
    erasures.record("applications.application", application.pk, now)
    if application.talent_pool_consent:
        application.talent_pool_consent = False
        application.save(update_fields=["talent_pool_consent"])


def _confirm_erasure(*, user, plan, now):
    notifications.queue_email(
        event=events.ERASURE_DONE,
        to_email=user.email,
        recipient=user,
        obj=user,
        # One confirmation per request; a double click the same second sends one.
        occasion=now.isoformat(timespec="seconds"),
        context={
            "erased_at": now,
            "erased": [str(application.call) for application in plan.erased],
            "kept": [str(application.call) for application in plan.kept],
        },
    )

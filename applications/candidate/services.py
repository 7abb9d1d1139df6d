"""What a candidate does with their own application: fill it in, follow it, take
their data away or ask for it to be erased. Plain functions over the rules of
`applications.services`, which stay the only place that changes a status.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from applications import notifications as events
from applications import retention, services
from applications.interviews import services as interviews
from applications.models import (
    Application,
    CallForApplications,
    Choice,
    InterviewSlot,
    Offer,
    Phase,
)
from challenges.models import Administration, Challenge
from eig import calendars, erasures, notifications, sql
from eig.models import Promotion

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
        "challenge__promotion", "challenge__administration", "offer", "interview"
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
    sentence: str = ""  # the decision, as a sentence, once public
    invited: bool = False  # heard in interview (seen as such before publication)
    interview: InterviewSlot | None = None  # the booked interview, until publication
    pk: int = 0
    status_code: str = ""  # the decision's code, once public

    @property
    def answers_pending(self):
        return self.offer is not None and self.offer.status == Offer.Status.PENDING


@dataclass
class Step:
    """A step of the call as the candidate goes through it."""

    title: str
    when: str
    state: str = "upcoming"  # "done", "current" or "upcoming"


@dataclass
class ApplicationView:
    application: Application
    status: str
    choices: list = field(default_factory=list)
    results_public: bool = False
    sentence: str = ""
    steps: list = field(default_factory=list)
    show_choice_sentences: bool = True

    @property
    def current_number(self):
        """The number of the step in progress, counted from 1; the last one once every step
        is done (the results ended the call for this application); 0 if none."""
        states = [step.state for step in self.steps]
        if "current" in states:
            return states.index("current") + 1
        return len(states) if states and set(states) == {"done"} else 0

    @property
    def current_step(self):
        number = self.current_number
        return self.steps[number - 1] if number else None

    @property
    def next_step(self):
        number = self.current_number
        return self.steps[number] if 0 < number < len(self.steps) else None

    @property
    def interviews(self):
        return [choice for choice in self.choices if choice.invited]

    @property
    def is_draft(self):
        return self.application.status == Application.Status.DRAFT

    @property
    def is_sent(self):
        return self.application.status == Application.Status.SUBMITTED

    @property
    def is_withdrawn(self):
        return self.application.status == Application.Status.WITHDRAWN


# The dashboard is the page candidates come back to most: its two statements are
# written in SQL (`eig.sql`), which the ORM took several times longer to compile
# (four joins, deferred fields) than the database to answer.
_FOLLOWED = (
    sql.Part(Application, "application"),
    sql.Part(CallForApplications, "call_for_applications"),
    sql.Part(Promotion, "promotion"),
)
_FOLLOWED_SQL = f"""
    SELECT {sql.columns(*_FOLLOWED)}
    FROM applications_application application
    JOIN applications_callforapplications call_for_applications
        ON call_for_applications.id = application.call_id
    JOIN eig_promotion promotion ON promotion.id = call_for_applications.promotion_id
    WHERE application.candidate_id = %s
    ORDER BY call_for_applications.opens_at DESC, application.id
"""
_FOLLOWED_CHOICES = (
    sql.Part(Choice, "choice"),
    # Not the challenges' texts: their title and host only.
    sql.Part(Challenge, "challenge", only=("title", "slug", "promotion_id", "administration_id")),
    sql.Part(Administration, "administration", only=("name",)),
    sql.Part(Offer, "offer", only=("status", "respond_by", "choice_id")),
    sql.Part(
        InterviewSlot,
        "interview",
        only=("starts_at", "video_link", "move_requested", "choice_id"),
    ),
)
_FOLLOWED_CHOICES_SQL = f"""
    SELECT {sql.columns(*_FOLLOWED_CHOICES)}
    FROM applications_choice choice
    JOIN applications_application application ON application.id = choice.application_id
    JOIN challenges_challenge challenge ON challenge.id = choice.challenge_id
    JOIN challenges_administration administration
        ON administration.id = challenge.administration_id
    LEFT JOIN applications_offer offer ON offer.choice_id = choice.id
    LEFT JOIN applications_interviewslot interview ON interview.choice_id = choice.id
    WHERE application.candidate_id = %s
    ORDER BY choice.rank, choice.id
"""


def followed_applications(*, user):
    """The candidate's applications as their dashboard follows them, newest call first:
    the calls' dates, each choice with its challenge's title and host, its offer and
    its interview, not the challenges' texts."""
    applications = {}
    for application, call, promotion in sql.read(_FOLLOWED_SQL, [user.pk], *_FOLLOWED):
        sql.joined(call, "promotion", promotion)
        sql.joined(application, "call", call)
        applications[application.pk] = application
    choices = {pk: [] for pk in applications}
    rows = sql.read(_FOLLOWED_CHOICES_SQL, [user.pk], *_FOLLOWED_CHOICES)
    for choice, challenge, administration, offer, interview in rows:
        application = applications[choice.application_id]
        sql.joined(challenge, "administration", administration)
        if challenge.promotion_id == application.call.promotion_id:
            # A call's challenges are its promotion's, already read with the call.
            sql.joined(challenge, "promotion", application.call.promotion)
        sql.joined(choice, "challenge", challenge)
        sql.joined(choice, "application", application)
        sql.joined(choice, "offer", offer)
        sql.joined(choice, "interview", interview)
        choices[application.pk].append(choice)
    for application in applications.values():
        sql.prefetched(application, "choices", choices[application.pk])
    return list(applications.values())


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
    choices = [_choice_view(choice, public=public, now=now) for choice in application.choices.all()]
    view = ApplicationView(
        application=application,
        status=services.status_for_candidate(application, now),
        choices=choices,
        results_public=public,
    )
    view.sentence = _sentence(view)
    view.steps = _steps(view, now)
    # A decision shared by every choice is said once, in the application's sentence.
    view.show_choice_sentences = public and (
        len({choice.sentence for choice in choices}) > 1
        or any(choice.status_code in SAID_PER_CHOICE for choice in choices)
    )
    return view


# Decisions that say more for each challenge than the application's sentence does.
SAID_PER_CHOICE = (Choice.Status.SELECTED, Choice.Status.WAITLISTED)


def _choice_view(choice, *, public, now):
    sent = choice.application.status == Application.Status.SUBMITTED
    invited = sent and not public and interviews.at_interview_stage_for_candidate(choice, now)
    view = ChoiceView(
        rank=choice.rank,
        challenge=choice.challenge,
        motivation=choice.motivation,
        status=choice.get_status_display() if public else "",
        offer=getattr(choice, "offer", None) if public else None,
        invited=invited,
        interview=getattr(choice, "interview", None) if invited else None,
        pk=choice.pk,
        status_code=choice.status if public else "",
    )
    if public:
        view.sentence = _choice_sentence(choice, view.offer)
    return view


def _choice_sentence(choice, offer):
    Status = Choice.Status
    if choice.status == Status.SELECTED:
        if offer is None:
            return _("Vous êtes sélectionné·e pour ce défi.")
        return {
            Offer.Status.PENDING: _(
                "Vous êtes sélectionné·e pour ce défi : répondez à l’offre avant le "
                "%(deadline)s (heure de Paris)."
            )
            % {"deadline": date_format(calendars.local(offer.respond_by), "DATETIME_FORMAT")},
            Offer.Status.ACCEPTED: _("Vous avez accepté cette place : vous rejoignez l’équipe."),
            Offer.Status.DECLINED: _("Vous avez décliné cette place."),
            Offer.Status.EXPIRED: _("L’offre a expiré sans réponse de votre part."),
        }[offer.status]
    if choice.status == Status.WAITLISTED:
        if choice.waitlist_position:
            return _("Vous êtes sur la liste d’attente de ce défi, au rang %(position)s.") % {
                "position": choice.waitlist_position
            }
        return _("Vous êtes sur la liste d’attente de ce défi.")
    if choice.status == Status.NOT_SELECTED:
        return _("Après l’entretien, le jury ne vous a pas retenu·e pour ce défi.")
    if choice.status == Status.NOT_SHORTLISTED:
        return _("Votre candidature n’a pas été retenue à la présélection pour ce défi.")
    return capfirst(choice.get_status_display()) + "."


def _sentence(view):
    """Where the application stands, in one sentence."""
    application = view.application
    if view.is_draft:
        return _("Votre candidature est un brouillon : elle n’est pas encore envoyée.")
    if view.is_withdrawn:
        return _("Vous avez retiré votre candidature : elle ne sera pas examinée.")
    if not view.results_public:
        if view.interviews:
            return _("Votre dossier est retenu pour un entretien avec le jury.")
        return _("Votre candidature est en cours d’examen.")
    offers = [choice.offer for choice in view.choices if choice.offer is not None]
    if any(offer.status == Offer.Status.ACCEPTED for offer in offers):
        return _("Vous rejoignez la promotion %(promotion)s : bienvenue !") % {
            "promotion": application.call.promotion
        }
    if any(offer.status == Offer.Status.PENDING for offer in offers):
        return _("Vous êtes sélectionné·e : il vous reste à répondre à l’offre.")
    statuses = {choice.status_code for choice in view.choices}
    if Choice.Status.WAITLISTED in statuses:
        return _("Vous êtes sur liste d’attente : si une place se libère, nous vous écrirons.")
    if offers:
        return _("Vous n’avez pas donné suite à l’offre qui vous était faite.")
    if statuses == {Choice.Status.NOT_SHORTLISTED}:
        return _("Votre candidature n’a pas été retenue à la présélection.")
    return _("Votre candidature n’a pas été retenue cette année.")


def _day(moment):
    return date_format(calendars.local(moment), "l j F Y")


def _steps(view, now):
    """The call's steps, from the file to the promotion's first day, with the current one."""
    if view.is_withdrawn:
        return []
    application, call = view.application, view.application.call
    interview = next((c.interview for c in view.interviews if c.interview is not None), None)
    steps = [
        Step(
            _("Envoi du dossier"),
            _("envoyé le %(day)s") % {"day": _day(application.submitted_at)}
            if application.submitted_at
            else _("avant le %(day)s à %(time)s (heure de Paris)")
            % {"day": _day(call.deadline), "time": calendars.hhmm(call.deadline)},
        ),
        Step(
            _("Présélection des dossiers"),
            _("jusqu’au %(day)s") % {"day": _day(call.preselection_ends_at)},
        ),
        Step(
            _("Entretiens avec le jury"),
            _("votre entretien : le %(day)s à %(time)s (heure de Paris)")
            % {"day": _day(interview.starts_at), "time": calendars.hhmm(interview.starts_at)}
            if interview is not None
            else _("du %(start)s au %(end)s")
            % {
                "start": date_format(call.interviews_start_on, "j F Y"),
                "end": date_format(call.interviews_end_on, "j F Y"),
            },
        ),
        Step(
            _("Publication des résultats"),
            _day(call.published_at or call.publication_at),
        ),
        Step(
            _("Réponse à l’offre"),
            _("avant le %(day)s") % {"day": _day(call.offer_response_deadline)},
        ),
        Step(
            _("Début de la promotion"),
            date_format(call.promotion_starts_on, "l j F Y"),
        ),
    ]
    current = _current_step(view, now)
    if view.results_public and current < 4:
        # No offer: the call ends for this application with its results, every step done.
        steps, current = steps[:4], 4
    for number, step in enumerate(steps):
        step.state = "done" if number < current else "current" if number == current else "upcoming"
    return steps


def _current_step(view, now):
    """The step in progress (counted from 0); never reveals a decision before publication."""
    if view.is_draft:
        return 0
    if view.results_public:
        offers = [choice.offer for choice in view.choices if choice.offer is not None]
        if any(offer.status == Offer.Status.ACCEPTED for offer in offers):
            return 5
        if any(offer.status == Offer.Status.PENDING for offer in offers):
            return 4
        return 3
    if view.interviews:
        return 2
    phase = view.application.call.phase(now)
    return 1 if phase in (Phase.OPEN, Phase.PRESELECTION) else 3


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

"""The rules of the call for applications, as plain functions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from applications import notifications as events
from applications.models import (
    Application,
    ApplicationTransition,
    CallForApplications,
    Choice,
    ChoiceTransition,
    InterviewSlot,
)
from challenges.models import JuryMember
from eig import calls, notifications, transitions
from eig.models import Role, RoleGrant

DEFAULT_REVIEW_CRITERIA = [
    ("Compétences techniques", "Maîtrise du profil demandé, réalisations vérifiables.", 3),
    ("Sens de l'intérêt général", "Motivation pour l'action publique et ses usagers.", 2),
    ("Adéquation au défi", "Ce que la personne apporterait à ce défi précis.", 2),
    ("Autonomie et expérience", "Capacité à mener un projet dans une administration.", 2),
    ("Travail en équipe", "Complémentarité, écoute, partage.", 1),
]
# The default grid's criteria about the challenge: they count only in the ranking of
# the challenge the file is reviewed for.
DEFAULT_CHALLENGE_CRITERIA = ["Adéquation au défi"]


class DeadlinePassed(PermissionDenied):
    """After the deadline an application is read-only for its candidate."""


def open_call(*, promotion, **dates):
    """A call for applications with the programme's default review grid."""
    call = calls.open_call(
        model=CallForApplications, grid=DEFAULT_REVIEW_CRITERIA, promotion=promotion, **dates
    )
    call.criteria.filter(name__in=DEFAULT_CHALLENGE_CRITERIA).update(about_challenge=True)
    return call


def current_call(now=None):
    """The call candidates apply to: the open one, else the latest."""
    return CallForApplications.objects.current(now)


def current_call_pk(now=None):
    return CallForApplications.objects.current_pk(now)


# --- Eligibility ---------------------------------------------------------------------


def ineligibility_reasons(*, call, user, studies_completed, is_civil_servant):
    """Why a person may not apply, in words they can act on. Empty when eligible."""
    reasons = []
    if not studies_completed:
        reasons.append(_("Le programme est ouvert aux personnes qui ont terminé leurs études."))
    if is_civil_servant:
        reasons.append(
            _(
                "Les agents publics en fonction ne peuvent pas candidater : le contrat EIG est un recrutement externe."
            )
        )
    if sits_on_a_jury_this_year(call=call, user=user):
        reasons.append(_("Les membres des jurys de cette année ne peuvent pas candidater."))
    return reasons


def sits_on_a_jury_this_year(*, call, user):
    return bool(
        user.is_authenticated
        and (
            JuryMember.objects.filter(call__promotion_id=call.promotion_id, user=user).exists()
            or user.interview_slots.filter(challenge__promotion_id=call.promotion_id).exists()
        )
    )


@transaction.atomic
def start_application(*, call, candidate, studies_completed, is_civil_servant, now=None):
    """The candidate's draft for this call: the same one however often they start."""
    if not call.accepts_applications(now):
        raise DeadlinePassed(_("L'appel à candidatures n'est pas ouvert en ce moment."))
    reasons = ineligibility_reasons(
        call=call,
        user=candidate,
        studies_completed=studies_completed,
        is_civil_servant=is_civil_servant,
    )
    if reasons:
        raise ValidationError(reasons)
    try:
        with transaction.atomic():
            application, _created = Application.objects.get_or_create(
                call=call,
                candidate=candidate,
                defaults={
                    "studies_completed": studies_completed,
                    "is_civil_servant": is_civil_servant,
                },
            )
    except IntegrityError:  # the same person started twice at the same instant
        application = Application.objects.get(call=call, candidate=candidate)
    RoleGrant.objects.get_or_create(user=candidate, role=Role.CANDIDATE, promotion=call.promotion)
    return application


def is_editable_now(application, now=None):
    """Until the deadline, unless withdrawn: what `applications.edit_application` asks."""
    return bool(
        application.call.accepts_applications(now)
        and application.status != Application.Status.WITHDRAWN
    )


def ensure_editable(application, now=None):
    """Refuses, with the reason the candidate is told, a change `is_editable_now` forbids."""
    if not application.call.accepts_applications(now):
        raise DeadlinePassed(
            _("La date limite est passée : la candidature ne peut plus être modifiée.")
        )
    if application.status == Application.Status.WITHDRAWN:
        raise PermissionDenied(_("Cette candidature a été retirée."))


@transaction.atomic
def lock_application(application):
    """Wait for any other save of this application to finish (a double submit):
    deleting then inserting its choices must not interleave with another's."""
    Application.objects.select_for_update().filter(pk=application.pk).values_list("pk").first()


@transaction.atomic
def set_choices(*, application, choices, now=None):
    """One or two challenges of the call, ranked, each with a short motivation.

    `choices` is a list of (challenge, motivation) in order of preference.
    """
    ensure_editable(application, now)
    lock_application(application)
    if not 1 <= len(choices) <= 2:
        raise ValidationError(_("Choisissez un ou deux défis."))
    challenges = [challenge for challenge, _motivation in choices]
    if len(set(challenges)) != len(challenges):
        raise ValidationError(_("Les deux choix doivent porter sur deux défis différents."))
    open_to = set(application.call.challenges().values_list("pk", flat=True))
    if any(challenge.pk not in open_to for challenge in challenges):
        raise ValidationError(_("Ce défi ne fait pas partie de l'appel à candidatures."))
    application.choices.all().delete()
    Choice.objects.bulk_create(
        Choice(application=application, challenge=challenge, rank=rank, motivation=motivation)
        for rank, (challenge, motivation) in enumerate(choices, start=1)
    )


def missing_for_submission(application):
    missing = [
        label
        for present, label in [
            (application.profile_id, _("votre profil")),
            (application.years_of_experience is not None, _("vos années d'expérience")),
            (application.cv, _("votre CV")),
            (application.motivation.strip(), _("votre lettre de motivation")),
        ]
        if not present
    ]
    choices = list(application.choices.all())
    if not 1 <= len(choices) <= 2:
        missing.append(_("un ou deux défis choisis"))
    if any(not choice.motivation.strip() for choice in choices):
        missing.append(_("une motivation pour chaque défi choisi"))
    return missing


def set_application_status(*, application, to, by, reason="", now=None):
    """Submit or withdraw: checks, saves, logs, emails. Submitting twice is submitting once."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status == to:
            return application
        if to == Application.Status.SUBMITTED:
            ensure_editable(application, now)
            missing = missing_for_submission(application)
            if missing:
                raise ValidationError(
                    _("Il manque encore : %(missing)s.") % {"missing": ", ".join(missing)}
                )
        transitions.move(
            application,
            to=to,
            by=by,
            log=ApplicationTransition,
            reason=reason,
            fields=["submitted_at"],
            refusal=_("Cette candidature ne peut pas changer ainsi."),
        )
        event = (
            events.APPLICATION_SUBMITTED
            if to == Application.Status.SUBMITTED
            else events.APPLICATION_WITHDRAWN
        )
        if to == Application.Status.WITHDRAWN:
            notifications.cancel_pending_for(application, reason="candidature retirée")
            # A withdrawn candidate's interview slots go back to the others.
            # What was written about this candidate's interview leaves with them.
            InterviewSlot.objects.filter(choice__application=application).update(
                choice=None, move_requested="", recommendation="", recommendation_comment=""
            )
        notifications.queue_email(
            event=event,
            recipient=application.candidate,
            obj=application,
            occasion=to,
            context={"application": application},
        )
    return application


def status_for_candidate(application, now=None):
    """What the candidate sees: "under review" until the results are public."""
    if application.status != Application.Status.SUBMITTED:
        return Application.Status(application.status).label
    if not application.call.results_are_public(now):
        return _("en cours d'examen")
    decisions = [choice.get_status_display() for choice in application.choices.all()]
    return ", ".join(dict.fromkeys(decisions))  # "not retained" once for two choices


# --- The fate of a choice: one function for every move --------------------------------

CHOICE_MOVES = transitions.moves(Choice)


def set_choice_status(*, choice, to, by, reason="", waitlist_position=None):
    """Move a candidate's choice: checks the move, saves, logs who and when.

    Decisions are told to candidates only at publication, never here. Moving a
    waitlisted choice along its waiting list is not a move of status: nothing is logged.
    """
    with transaction.atomic():
        choice = Choice.objects.select_for_update().select_related("application").get(pk=choice.pk)
        source = choice.status
        if source == to and waitlist_position is None:
            return choice
        allowed = to == source or to in CHOICE_MOVES.get(source, ())
        if allowed and choice.application.status != Application.Status.SUBMITTED:
            raise ValidationError(_("Seule une candidature envoyée peut être examinée."))
        choice.waitlist_position = waitlist_position if to == Choice.Status.WAITLISTED else None
        if to == source:
            choice.save(update_fields=["waitlist_position"])
            return choice
        transitions.move(
            choice,
            to=to,
            by=by,
            log=ChoiceTransition,
            reason=reason,
            fields=["waitlist_position"],
            refusal=_("Un choix « %(source)s » ne peut pas passer à « %(target)s »."),
        )
    return choice

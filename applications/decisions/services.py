"""Decisions, teams and offers of the call for applications, as plain functions.

Staff decide each interviewed choice (selected, waiting list, not selected)
before publication; a team has 2 or 3 EIGs with complementary profiles, and a
person joins at most one challenge: a candidate selected by two challenges is
resolved by their preference before results can be published. Publication
makes an offer for each selected choice and tells every candidate; decisions
are never emailed before. A declined offer frees a place that staff offer to
the next person on the waiting list.

Every status change of a choice goes through `services.set_choice_status`, of an
offer through `set_offer_status` (both with `eig.transitions.move`).
"""

import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.interviews import notifications as events
from applications.interviews.services import (
    cancel_interviews_that_no_longer_matter,
    interview_held,
)
from applications.models import (
    Application,
    CallForApplications,
    Choice,
    InterviewSlot,
    Offer,
    OfferTransition,
)
from applications.services import set_choice_status
from applications.signals import offer_accepted
from challenges.models import Challenge
from eig import notifications, reminders, transitions
from eig.permissions import may
from eig.roles import programme_staff

logger = logging.getLogger(__name__)

MIN_TEAM, MAX_TEAM = 2, 3
# An offer made from the waiting list after the common deadline leaves a week to answer.
LATE_OFFER_DELAY = timedelta(days=7)
OFFER_REMINDER_BEFORE = timedelta(days=2)
UNDECIDED_TO_CLOSED = {
    Choice.Status.PENDING: Choice.Status.NOT_SHORTLISTED,
    Choice.Status.SHORTLISTED: Choice.Status.NOT_SELECTED,
}


def _ensure_staff(user):
    if user is None or not may(user, "applications.decide_teams"):
        raise PermissionDenied(_("Seule l'équipe du programme décide."))


def _lock_challenge(challenge_id):
    """Decisions on one challenge are taken one at a time: its team size holds."""
    list(Challenge.objects.select_for_update().filter(pk=challenge_id).values_list("pk"))


def team_target(challenge):
    """The team size the administration asked for (2 or 3): the team's target and its limit.

    A challenge that did not say (the imported history, an old record) aims at 3.
    """
    return challenge.team_size if challenge.team_size in (MIN_TEAM, MAX_TEAM) else MAX_TEAM


def team(challenge):
    """The choices selected for a challenge whose place is still held (not declined or expired)."""
    return Choice.objects.holding_a_place().filter(challenge=challenge)


def holds_a_place_elsewhere(candidate_id, call_id, *, but=None):
    """Whether a candidate is selected for a challenge of the call, with a place still held."""
    places = Choice.objects.holding_a_place().filter(
        application__candidate_id=candidate_id, application__call_id=call_id
    )
    if but is not None:
        places = places.exclude(pk=but.pk)
    return places.exists()


# --- Decisions -----------------------------------------------------------------------


def decide(*, choice, to, by, waitlist_position=None, reason=""):
    """Staff select, waitlist (at a position) or do not select a candidate for a challenge.

    A team holds the number of people its administration asked for (2 or 3).
    Nothing is told to the candidate here: the decision is emailed at publication.
    """
    _ensure_staff(by)
    if to not in Choice.DECISIONS:
        raise ValidationError(_("Décision inconnue."))
    with transaction.atomic():
        _lock_challenge(choice.challenge_id)
        choice = Choice.objects.select_related("application__call", "challenge").get(pk=choice.pk)
        if choice.application.call.published_at is not None:
            raise ValidationError(
                _(
                    "Les résultats sont publiés : les décisions ne changent plus. Une place "
                    "libérée se propose depuis la liste d'attente."
                )
            )
        if (
            to == Choice.Status.SELECTED
            and choice.status != Choice.Status.SELECTED
            and team(choice.challenge).count() >= team_target(choice.challenge)
        ):
            raise ValidationError(
                _(
                    "L'équipe du défi « %(title)s » compte déjà %(max)s personnes sélectionnées : "
                    "l'administration a demandé une équipe de %(max)s."
                )
                % {"title": choice.challenge.title, "max": team_target(choice.challenge)}
            )
        position = None
        if to == Choice.Status.WAITLISTED:
            position = _waitlist_place(choice, waitlist_position)
        return set_choice_status(
            choice=choice, to=to, by=by, waitlist_position=position, reason=reason
        )


SELECTED_BEFORE_INTERVIEW = "sélection sans entretien passé (dérogation de l'équipe)"


def decide_after_interview(*, choice, to, by, override=False, waitlist_position=None, now=None):
    """A decision from the hub: selecting someone whose interview has not taken place
    needs staff's explicit override, written in the choice's log."""
    reason = ""
    if to == Choice.Status.SELECTED and not interview_held(choice, now):
        if not override:
            raise ValidationError(
                _(
                    "%(candidate)s n'a pas encore passé son entretien pour ce défi : cochez "
                    "« Sélectionner sans entretien passé » pour le décider quand même."
                )
                % {"candidate": choice.application.candidate}
            )
        reason = SELECTED_BEFORE_INTERVIEW
    return decide(choice=choice, to=to, by=by, waitlist_position=waitlist_position, reason=reason)


def _waitlist_place(choice, wanted):
    """The position on the waiting list: the end of it, or `wanted`, moving the others down."""
    waiting = Choice.objects.filter(
        challenge_id=choice.challenge_id, status=Choice.Status.WAITLISTED
    ).exclude(pk=choice.pk)
    if wanted is None:
        if choice.status == Choice.Status.WAITLISTED and choice.waitlist_position:
            return choice.waitlist_position
        last = max(waiting.values_list("waitlist_position", flat=True), default=None, key=_pos)
        return (last or 0) + 1
    wanted = int(wanted)
    if wanted < 1:
        raise ValidationError(_("Le rang sur la liste d'attente commence à 1."))
    if waiting.filter(waitlist_position=wanted).exists():
        waiting.filter(waitlist_position__gte=wanted).update(
            waitlist_position=F("waitlist_position") + 1
        )
    return wanted


def _pos(position):
    return position or 0


def team_problems(challenge):
    """What staff should look at before publishing a challenge's team, in French."""
    selected = list(team(challenge).select_related("application__profile"))
    count, target = len(selected), team_target(challenge)
    problems = []
    if count < target:
        problems.append(
            _(
                "Équipe incomplète : %(count)s sélectionné·e(s), l'administration a demandé "
                "une équipe de %(target)s EIG."
            )
            % {"count": count, "target": target}
        )
    if count > target:
        problems.append(
            _(
                "Équipe trop nombreuse : %(count)s sélectionné·e(s), l'administration a demandé "
                "une équipe de %(target)s EIG au plus."
            )
            % {"count": count, "target": target}
        )
    profiles = {choice.application.profile_id for choice in selected}
    if count >= MIN_TEAM and len(profiles) == 1:
        profile = selected[0].application.profile
        problems.append(
            _(
                "Profils non complémentaires : les %(count)s personnes sélectionnées ont toutes "
                "le profil « %(profile)s »."
            )
            % {"count": count, "profile": profile or _("non renseigné")}
        )
    return problems


# --- Double selections ---------------------------------------------------------------


def double_selections(*, call):
    """Applications selected by two challenges of the call, with their choices in order of preference."""
    return (
        Application.objects.submitted()
        .filter(call=call)
        .annotate(selected_count=Count("choices", filter=Q(choices__status=Choice.Status.SELECTED)))
        .filter(selected_count__gte=2)
        .select_related("candidate")
        .prefetch_related(
            Prefetch(
                "choices", queryset=Choice.objects.select_related("challenge").order_by("rank")
            )
        )
        .order_by("candidate__last_name", "candidate__first_name", "pk")
    )


@transaction.atomic
def resolve_double_selection(*, application, by):
    """Staff confirm: the candidate joins the challenge they prefer; the other choice is not selected."""
    _ensure_staff(by)
    application = Application.objects.select_for_update().get(pk=application.pk)
    selected = list(application.choices.filter(status=Choice.Status.SELECTED).order_by("rank"))
    if len(selected) < 2:
        raise ValidationError(_("Cette personne n'est sélectionnée que par un défi."))
    kept, others = selected[0], selected[1:]
    for other in others:
        set_choice_status(choice=other, to=Choice.Status.NOT_SELECTED, by=by)
    return kept


# --- Publication ---------------------------------------------------------------------


def last_interview_end(call):
    """When the call's last booked interview ends (None when none is booked)."""
    last = (
        InterviewSlot.objects.filter(
            choice__application__call=call, challenge__promotion_id=call.promotion_id
        )
        .order_by("-starts_at")
        .first()
    )
    return last.ends_at if last is not None else None


def interviews_remain(end, now=None):
    """Whether the last interview (its end, from `last_interview_end`) is still to come:
    publishing would decide before it."""
    return end is not None and (now or timezone.now()) < end


PUBLISHED_BEFORE_LAST_INTERVIEW = "publication avant la fin du dernier entretien (dérogation)"


def publish_results(*, call, by=None, now=None, override=False):
    """Publish the call's results: an offer for each selected choice, an email to every candidate.

    Refuses while a candidate is selected by two challenges, and before the
    call's last interview has ended unless staff override it (the override is
    written in the call's history). A choice still without decision is closed
    (not retained). Safe to run twice: nothing is made or sent again. Without
    `by` (the scheduled job), waits for the publication date; staff may
    publish earlier.
    """
    now = now or timezone.now()
    if by is not None:
        _ensure_staff(by)
    elif now < call.publication_at:
        raise ValidationError(_("La date de publication des résultats n'est pas arrivée."))
    with transaction.atomic():
        call = CallForApplications.objects.select_for_update().get(pk=call.pk)
        doubles = list(double_selections(call=call))
        if doubles:
            raise ValidationError(
                ngettext(
                    "Une personne est sélectionnée par deux défis : %(names)s. Départagez-la "
                    "avant de publier.",
                    "%(count)s personnes sont sélectionnées par deux défis : %(names)s. "
                    "Départagez-les avant de publier.",
                    len(doubles),
                )
                % {
                    "count": len(doubles),
                    "names": ", ".join(str(a.candidate) for a in doubles),
                }
            )
        end = last_interview_end(call)
        early = call.published_at is None and interviews_remain(end, now)
        if early and not (override and by is not None):
            raise ValidationError(
                _(
                    "Le dernier entretien de l'appel se termine le %(end)s (heure de Paris) : "
                    "publier avant demande de cocher la dérogation."
                )
                % {"end": date_format(timezone.localtime(end), "DATETIME_FORMAT")}
            )
        _close_undecided(call, by)
        if call.published_at is None:
            call.published_at = now
            call._change_reason = PUBLISHED_BEFORE_LAST_INTERVIEW if early else "publication"
            call.save(update_fields=["published_at"])
            if early:
                logger.warning("results of %s published before the last interview by %s", call, by)
        _make_offers(call)
        for application in _published_applications(call):
            _tell_decision(application, call)
        cancel_interviews_that_no_longer_matter(call, now)
    return call


def publication_preview(call):
    """What publishing will do, for the confirmation page: who hears what, at which address."""
    applications = list(_published_applications(call))
    groups = {"selected": [], "waitlisted": [], "not_selected": []}
    for application in applications:
        statuses = {c.status for c in application.choices.all()}
        if Choice.Status.SELECTED in statuses:
            groups["selected"].append(application)
        elif Choice.Status.WAITLISTED in statuses:
            groups["waitlisted"].append(application)
        else:
            groups["not_selected"].append(application)
    undecided = sum(
        1
        for application in applications
        for choice in application.choices.all()
        if choice.status in UNDECIDED_TO_CLOSED
    )
    end = last_interview_end(call)
    return {
        "groups": groups,
        "count": len(applications),
        "undecided": undecided,
        "doubles": list(double_selections(call=call)),
        "last_interview_end": end,
        "interviews_remain": interviews_remain(end),
    }


def _close_undecided(call, by):
    undecided = (
        Choice.objects.of_submitted()
        .filter(application__call=call, status__in=list(UNDECIDED_TO_CLOSED))
        .order_by("pk")
    )
    for choice in undecided:
        set_choice_status(choice=choice, to=UNDECIDED_TO_CLOSED[choice.status], by=by)


def _make_offers(call):
    without_offer = Choice.objects.of_submitted().filter(
        application__call=call, status=Choice.Status.SELECTED, offer__isnull=True
    )
    Offer.objects.bulk_create(
        [Offer(choice=choice, respond_by=call.offer_response_deadline) for choice in without_offer],
        ignore_conflicts=True,
    )


def _published_applications(call):
    return (
        Application.objects.submitted()
        .filter(call=call)
        .select_related("candidate")
        .prefetch_related(
            Prefetch(
                "choices",
                queryset=Choice.objects.select_related("challenge", "offer").order_by("rank"),
            )
        )
        .order_by("pk")
    )


def _tell_decision(application, call):
    """One email per application; its text follows the best outcome of its choices."""
    choices = list(application.choices.all())
    selected = next((c for c in choices if c.status == Choice.Status.SELECTED), None)
    waitlisted = [c for c in choices if c.status == Choice.Status.WAITLISTED]
    offer = getattr(selected, "offer", None) if selected else None
    outcome = "selected" if selected else "waitlisted" if waitlisted else "not_selected"
    candidate = application.candidate
    return notifications.queue_email(
        event=events.DECISION_PUBLISHED,
        recipient=candidate,
        obj=application,
        occasion="decision",
        context={
            "application": application,
            "call": call,
            "outcome": outcome,
            "selected": selected,
            "offer": offer,
            "waitlisted": waitlisted,
            "not_selected": [
                c
                for c in choices
                if c.status not in (Choice.Status.SELECTED, Choice.Status.WAITLISTED)
            ],
            "offer_path": reverse("applications:offer_answer", args=[offer.pk]) if offer else "",
        },
    )


def publish_due_calls(now=None):
    """The scheduled job: publish every call whose publication date has come. Returns them."""
    now = now or timezone.now()
    published = []
    due = CallForApplications.objects.filter(published_at__isnull=True, publication_at__lte=now)
    for call in due.order_by("publication_at", "pk"):
        try:
            published.append(publish_results(call=call, now=now))
        except ValidationError as error:
            logger.warning("results of %s not published: %s", call, "; ".join(error.messages))
    return published


# --- Offers --------------------------------------------------------------------------


class OfferExpired(ValidationError):
    """The answer came after the offer's deadline."""


def answer_offer(*, offer, accept: bool, by, now=None):
    """The candidate accepts or declines their offer, before its deadline.

    Accepting sends `offer_accepted` (the cohorts app makes the person an EIG
    of the team) and takes them off the other waiting lists; declining frees
    the place, which staff then offer to the next on the waiting list.
    """
    now = now or timezone.now()
    with transaction.atomic():
        offer = (
            Offer.objects.select_for_update(of=("self",))
            .select_related("choice__application__candidate", "choice__challenge")
            .get(pk=offer.pk)
        )
        application = offer.choice.application
        if by is None or by.pk != application.candidate_id:
            raise PermissionDenied(_("Seule la personne à qui la place est offerte y répond."))
        if offer.status != Offer.Status.PENDING:
            raise ValidationError(
                _("Vous avez déjà répondu à cette offre : %(status)s.")
                % {"status": offer.get_status_display()}
            )
        if now >= offer.respond_by:
            raise OfferExpired(
                _(
                    "Le délai de réponse est passé depuis le %(deadline)s : l'offre ne peut plus "
                    "être acceptée ni déclinée. Écrivez à l'équipe du programme."
                )
                % {"deadline": date_format(timezone.localtime(offer.respond_by), "DATETIME_FORMAT")}
            )
        to = Offer.Status.ACCEPTED if accept else Offer.Status.DECLINED
        return set_offer_status(offer=offer, to=to, by=by, now=now)


def set_offer_status(*, offer, to, by, reason="", now=None, respond_by=None):
    """Move an offer (accepted, declined, offered again until `respond_by`): saves, logs,
    and what follows.

    Accepting sends `offer_accepted` and takes the person off the other waiting
    lists; declining tells staff the place is free. `answer_offer` and
    `promote_from_waitlist` check who may do it first.
    """
    with transaction.atomic():
        offer = (
            Offer.objects.select_for_update(of=("self",))
            .select_related("choice__application__candidate", "choice__challenge")
            .get(pk=offer.pk)
        )
        if to == Offer.Status.PENDING:
            offer.respond_by, offer.answered_at, offer.confirmed_by = respond_by, None, by
        elif to != Offer.Status.EXPIRED:
            offer.answered_at = now or timezone.now()
        transitions.move(
            offer,
            to=to,
            by=by,
            log=OfferTransition,
            reason=reason,
            fields=["answered_at", "respond_by", "confirmed_by"],
        )
        if to == Offer.Status.ACCEPTED:
            _leave_waiting_lists(offer.choice.application, offer.choice, by)
            offer_accepted.send(sender=Offer, offer=offer)
            _confirm_answer(offer)
            _tell_staff_of_acceptance(offer)
        elif to == Offer.Status.DECLINED:
            _confirm_answer(offer)
            _tell_staff_of_decline(offer)
    return offer


def _leave_waiting_lists(application, kept, by):
    """A person joins one challenge: their places on other waiting lists go to others."""
    others = application.choices.filter(status=Choice.Status.WAITLISTED).exclude(pk=kept.pk)
    for other in others:
        set_choice_status(choice=other, to=Choice.Status.NOT_SELECTED, by=by)


def _confirm_answer(offer):
    """The person gets their answer in writing: what they accepted (and what comes next), or
    that their decline is recorded."""
    candidate = offer.choice.application.candidate
    accepted = offer.status == Offer.Status.ACCEPTED
    return notifications.queue_email(
        event=events.OFFER_ANSWER_CONFIRMED,
        recipient=candidate,
        obj=offer,
        occasion=f"{offer.status}-{int(offer.answered_at.timestamp())}",
        context={
            "offer": offer,
            "accepted": accepted,
            "challenge": offer.choice.challenge,
            "call": offer.choice.application.call,
            "path": reverse("applications:offer_answer", args=[offer.pk]),
        },
    )


def _tell_staff_of_acceptance(offer):
    challenge = offer.choice.challenge
    context = {
        "offer": offer,
        "challenge": challenge,
        "candidate": offer.choice.application.candidate,
        "accepted": Offer.objects.filter(
            choice__challenge=challenge, status=Offer.Status.ACCEPTED
        ).count(),
        "target": team_target(challenge),
        "path": reverse("applications:decisions_hub", args=[offer.choice.application.call_id])
        + f"#defi-{challenge.pk}",
    }
    for member in programme_staff():
        notifications.queue_email(
            event=events.OFFER_ACCEPTED,
            recipient=member,
            obj=offer,
            occasion=f"accepted-{int(offer.answered_at.timestamp())}",
            context=context,
        )


def _tell_staff_of_decline(offer):
    """Staff hear of a freed place with the whole waiting list: the next eligible person,
    and who holds a place elsewhere; they choose whom to offer it to on the hub."""
    challenge = offer.choice.challenge
    waiting = list(waiting_list(challenge))
    proposal = next((choice for choice in waiting if not choice.place_elsewhere), None)
    path = reverse("applications:decisions_hub", args=[offer.choice.application.call_id])
    for member in programme_staff():
        notifications.queue_email(
            event=events.OFFER_DECLINED,
            recipient=member,
            obj=offer,
            occasion="declined",
            context={
                "offer": offer,
                "challenge": challenge,
                "candidate": offer.choice.application.candidate,
                "next_choice": proposal,
                "waiting": waiting,
                "path": f"{path}#defi-{challenge.pk}",
            },
        )


def _elsewhere():
    """A place held by the same person in another challenge of the same call."""
    return (
        Choice.objects.holding_a_place()
        .filter(
            application__candidate=OuterRef("application__candidate"),
            application__call=OuterRef("application__call"),
        )
        .exclude(pk=OuterRef("pk"))
    )


def waiting_list(challenge):
    """The challenge's waiting list in order, each marked `place_elsewhere` when the person
    holds a place in another challenge (they cannot be offered this one meanwhile)."""
    return (
        Choice.objects.waitlisted()
        .filter(challenge=challenge)
        .annotate(place_elsewhere=Exists(_elsewhere()))
        .select_related("application__candidate", "application__profile")
        .order_by(F("waitlist_position").asc(nulls_last=True), "pk")
    )


def next_on_waitlist(challenge):
    """Whom staff may offer a freed place: the first on the waiting list not holding a place elsewhere."""
    return waiting_list(challenge).filter(place_elsewhere=False).first()


def promote_from_waitlist(*, choice, by, now=None):
    """Staff confirm: a waitlisted candidate is selected after all, with an offer and an email."""
    _ensure_staff(by)
    now = now or timezone.now()
    with transaction.atomic():
        _lock_challenge(choice.challenge_id)
        choice = Choice.objects.select_related(
            "application__call", "application__candidate", "challenge"
        ).get(pk=choice.pk)
        call = choice.application.call
        if call.published_at is None:
            raise ValidationError(
                _("Avant la publication, sélectionnez directement depuis l'écran de l'équipe.")
            )
        if choice.status != Choice.Status.WAITLISTED:
            raise ValidationError(_("Cette personne n'est pas sur la liste d'attente."))
        if team(choice.challenge).count() >= team_target(choice.challenge):
            raise ValidationError(_("L'équipe est complète : aucune place n'est libre."))
        if holds_a_place_elsewhere(choice.application.candidate_id, call.pk, but=choice):
            raise ValidationError(_("Cette personne a déjà une place dans un autre défi."))
        choice = set_choice_status(choice=choice, to=Choice.Status.SELECTED, by=by)
        offer = _offer_place(
            choice, by=by, respond_by=max(call.offer_response_deadline, now + LATE_OFFER_DELAY)
        )
        candidate = choice.application.candidate
        notifications.queue_email(
            event=events.OFFER_MADE,
            recipient=candidate,
            obj=offer,
            occasion=f"offer-{int(now.timestamp())}",
            context={
                "offer": offer,
                "challenge": choice.challenge,
                "path": reverse("applications:offer_answer", args=[offer.pk]),
            },
        )
    return offer


def expire_overdue_offers(*, offers, by, now=None):
    """Staff record that unanswered offers are past their deadline: their places are free."""
    now = now or timezone.now()
    overdue = offers.filter(status=Offer.Status.PENDING, respond_by__lte=now).order_by("pk")
    return [
        set_offer_status(offer=offer, to=Offer.Status.EXPIRED, by=by, reason="délai dépassé")
        for offer in overdue
    ]


def _offer_place(choice, *, by, respond_by):
    """A new offer for the choice, or its earlier one (declined, expired) offered again."""
    offer, created = Offer.objects.select_for_update().get_or_create(
        choice=choice, defaults={"respond_by": respond_by, "confirmed_by": by}
    )
    if created:
        return offer
    if offer.status != Offer.Status.PENDING:
        return set_offer_status(
            offer=offer,
            to=Offer.Status.PENDING,
            by=by,
            reason="liste d'attente",
            respond_by=respond_by,
        )
    offer.respond_by, offer.answered_at, offer.confirmed_by = respond_by, None, by
    offer.save(update_fields=["respond_by", "answered_at", "confirmed_by"])
    return offer


# --- Reminders -----------------------------------------------------------------------


def offers_to_remind(now):
    """Offers still unanswered two days before their deadline: the candidate is reminded."""
    offers = Offer.objects.filter(
        status=Offer.Status.PENDING,
        respond_by__gt=now,
        respond_by__lte=now + OFFER_REMINDER_BEFORE,
    ).select_related("choice__challenge", "choice__application__candidate")
    for offer in offers:
        if not reminders.is_due(
            offer.respond_by - OFFER_REMINDER_BEFORE, now, within=OFFER_REMINDER_BEFORE
        ):
            continue
        candidate = offer.choice.application.candidate
        yield reminders.Due(
            recipient=candidate,
            obj=offer,
            occasion="j-2",
            context={
                "offer": offer,
                "challenge": offer.choice.challenge,
                "path": reverse("applications:offer_answer", args=[offer.pk]),
            },
        )


REMINDERS = (reminders.Rule(event=events.OFFER_REMINDER, find=offers_to_remind),)

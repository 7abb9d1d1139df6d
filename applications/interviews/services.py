"""Interviews of the call for applications, as plain functions.

Staff open slots for each challenge's jury on the call's interview days;
shortlisted candidates are invited to pick one (or staff give them one); the
jury scores the interview on the call's grid and records its recommendation.

A slot lasts 45 minutes and holds one candidate (the OneToOne `choice` makes
it so in the database too); nobody sits in two overlapping interviews: no
candidate, and no jury member across challenges. Times are Europe/Paris
wall-clock times stored as aware datetimes. None of these functions takes a
request.
"""

import hashlib
from collections.abc import Iterable
from datetime import date, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.interviews import notifications as events
from applications.models import (
    Application,
    CallForApplications,
    Choice,
    InterviewScore,
    InterviewSlot,
    ReviewConflict,
    ReviewCriterion,
)
from eig import calendars, limits, notifications, reminders
from eig.grids import checked_scores
from eig.models import Role, RoleGrant, User
from eig.permissions import may
from eig.roles import programme_staff

REMINDER_AT = time(9, 0)
RECOMMENDATIONS = dict(InterviewSlot._meta.get_field("recommendation").choices)


class SlotTaken(ValidationError):
    """Someone else booked the slot first: nothing was booked."""


def call_of(challenge):
    """The call for applications of a challenge's promotion."""
    call = CallForApplications.objects.filter(promotion_id=challenge.promotion_id).first()
    if call is None:
        raise ValidationError(_("Ce défi n'a pas d'appel à candidatures."))
    return call


def overlapping(starts_at):
    """Slots of 45 minutes that overlap one starting at `starts_at`."""
    length = InterviewSlot.LENGTH
    return Q(starts_at__gt=starts_at - length, starts_at__lt=starts_at + length)


# --- Slots ---------------------------------------------------------------------------


def eligible_jurors(*, challenge=None, call=None, choice=None):
    """Who may sit on the interviews of `challenge`: the one jury rule, read by the
    services, the admin's form and the admin's picker alike.

    The jury is made of staff, alumni, members of this year's juries (civil
    servants, data specialists…) and the mentors of the challenge itself; a
    candidate of the call never sits on it, nor someone who declared a link with
    the slot's candidate. Having sat on an interview jury before (a jury member
    grant) is no reason to sit on another one. Without a challenge: the people who
    may sit on some challenge's jury (the admin's picker before a challenge is chosen).
    """
    jurors = User.objects.filter(is_active=True)
    if challenge is None:
        return jurors.filter(
            Q(pk__in=programme_staff().values("pk"))
            | Q(role_grants__role__in=[Role.STAFF, Role.ALUMNI])
            | Q(jury_memberships__isnull=False)
            | Q(person__mentorships__isnull=False)
        ).distinct()
    call = call or call_of(challenge)
    jurors = jurors.filter(
        Q(pk__in=programme_staff().values("pk"))
        | Q(role_grants__role__in=[Role.STAFF, Role.ALUMNI])
        | Q(jury_memberships__call__promotion_id=call.promotion_id)
        | Q(person__mentorships__challenge=challenge)
    ).exclude(pk__in=Application.objects.submitted().filter(call=call).values("candidate_id"))
    if choice is not None:
        jurors = jurors.exclude(
            pk__in=ReviewConflict.objects.filter(application_id=choice.application_id).values(
                "reviewer_id"
            )
        )
    return jurors.distinct()


def jury_problems(*, challenge, call, jury, choice=None):
    """Why these users may not sit on the interviews of this challenge (`eligible_jurors`)."""
    ids = {user.pk for user in jury}
    eligible = set(
        eligible_jurors(challenge=challenge, call=call, choice=choice)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    candidates = set(
        Application.objects.submitted()
        .filter(call=call, candidate__in=ids)
        .values_list("candidate_id", flat=True)
    )
    problems = []
    for user in sorted(jury, key=lambda u: u.pk):
        if user.pk in eligible:
            continue
        if user.pk in candidates:
            problems.append(
                _("%(user)s est candidat·e à cet appel : iel ne peut pas siéger au jury.")
                % {"user": user}
            )
        elif (
            choice is not None
            and ReviewConflict.objects.filter(
                application_id=choice.application_id, reviewer=user
            ).exists()
        ):
            problems.append(
                _(
                    "%(user)s a déclaré un lien avec le candidat ou la candidate de ce créneau : "
                    "iel ne peut pas siéger à cet entretien."
                )
                % {"user": user}
            )
        else:
            problems.append(
                _(
                    "%(user)s ne peut pas siéger au jury des entretiens de ce défi : le jury "
                    "réunit l'équipe du programme, des alumni, des membres des jurys de l'année "
                    "(agents publics, spécialistes des données…) et les mentors du défi."
                )
                % {"user": user}
            )
    return problems


def refuse_ineligible_jurors(sender, instance, action, reverse, pk_set, **kwargs):
    """Whatever seats someone on a slot's jury (the admin, a script, an import) meets
    the same rule as `create_slots`: an ineligible juror is refused."""
    if action != "pre_add" or not pk_set:
        return
    if reverse:
        pairs = [(slot, [instance]) for slot in InterviewSlot.objects.filter(pk__in=pk_set)]
    else:
        pairs = [(instance, list(User.objects.filter(pk__in=pk_set)))]
    for slot, jury in pairs:
        problems = jury_problems(
            challenge=slot.challenge, call=call_of(slot.challenge), jury=jury, choice=slot.choice
        )
        if problems:
            raise ValidationError(problems)


def jury_clashes(*, challenge, starts, jury, exclude_slot=None):
    """Messages for each jury member who already sits in an overlapping slot of another challenge."""
    if not starts or not jury:
        return []
    window = Q()
    for starts_at in starts:
        window |= overlapping(starts_at)
    others = InterviewSlot.objects.filter(window).exclude(challenge=challenge)
    if exclude_slot is not None and exclude_slot.pk:
        others = others.exclude(pk=exclude_slot.pk)
    taken = (
        InterviewSlot.jury.through.objects.filter(
            user_id__in=[u.pk for u in jury], interviewslot__in=others
        )
        .values_list("user_id", "interviewslot__starts_at", "interviewslot__challenge__title")
        .order_by("interviewslot__starts_at", "user_id")
    )
    names = {user.pk: user for user in jury}
    problems = []
    for user_id, other_start, title in taken:
        for starts_at in starts:
            if abs(other_start - starts_at) < InterviewSlot.LENGTH:
                problems.append(
                    _(
                        "%(user)s siège déjà de %(start)s à %(end)s le %(day)s pour le défi "
                        "« %(title)s » : il ou elle ne peut pas être dans deux jurys à la fois."
                    )
                    % {
                        "user": names[user_id],
                        "start": calendars.hhmm(other_start),
                        "end": calendars.hhmm(other_start + InterviewSlot.LENGTH),
                        "day": calendars.day(other_start),
                        "title": title,
                    }
                )
                break
    return problems


@transaction.atomic
def create_slots(*, challenge, day: date, times: Iterable[time], jury, video_link=""):
    """Open interview slots for a challenge on one of the call's interview days.

    `times` are Paris wall-clock times (`time(9, 30)` or "09:30"); every slot
    gets the same jury. Refuses (in French) a day outside the
    interview days, a jury member who may not sit, one who would sit in two
    overlapping slots of different challenges, and a time already opened.
    """
    call = call_of(challenge)
    if not call.challenges().filter(pk=challenge.pk).exists():
        raise ValidationError(_("Ce défi ne fait pas partie de l'appel à candidatures."))
    if not call.interviews_start_on <= day <= call.interviews_end_on:
        raise ValidationError(
            _("Les entretiens ont lieu du %(start)s au %(end)s uniquement.")
            % {
                "start": call.interviews_start_on.strftime("%d/%m/%Y"),
                "end": call.interviews_end_on.strftime("%d/%m/%Y"),
            }
        )
    starts = sorted(
        {
            reminders.paris_time(day, time.fromisoformat(at) if isinstance(at, str) else at)
            for at in times
        }
    )
    if not starts:
        raise ValidationError(_("Indiquez au moins un horaire."))
    jury = list(jury)
    if not jury:
        raise ValidationError(_("Un entretien a besoin d'au moins un membre du jury."))
    # Two staff members opening slots at once for the same people: the second waits.
    list(User.objects.select_for_update().filter(pk__in=[u.pk for u in jury]).order_by("pk"))
    problems = jury_problems(challenge=challenge, call=call, jury=jury)
    problems += jury_clashes(challenge=challenge, starts=starts, jury=jury)
    opened = challenge.interview_slots.filter(starts_at__in=starts).values_list(
        "starts_at", flat=True
    )
    problems += [
        _("Un créneau de ce défi commence déjà à %(time)s.") % {"time": calendars.hhmm(starts_at)}
        for starts_at in opened
    ]
    if problems:
        raise ValidationError(problems)
    slots = InterviewSlot.objects.bulk_create(
        InterviewSlot(challenge=challenge, starts_at=starts_at, video_link=video_link)
        for starts_at in starts
    )
    InterviewSlot.jury.through.objects.bulk_create(
        InterviewSlot.jury.through(interviewslot_id=slot.pk, user_id=user.pk)
        for slot in slots
        for user in jury
    )
    # Sitting on a jury is a role of the promotion: it opens the jury's space and
    # asks for two-factor authentication (the jury reads candidates' files).
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(user=user, role=Role.JURY_MEMBER, promotion_id=call.promotion_id)
            for user in jury
        ],
        ignore_conflicts=True,
    )
    return slots


def interview_days(call):
    """The call's interview days, first to last."""
    days, day = [], call.interviews_start_on
    while day <= call.interviews_end_on:
        days.append(day)
        day += timedelta(days=1)
    return days


@transaction.atomic
def create_slots_in_bulk(*, challenge, days: Iterable[date], times, jury, video_link=""):
    """Days × times for one jury, in one go: every slot opens, or none (the problems of
    every day are said together, each day named)."""
    days = sorted(set(days))
    if not days:
        raise ValidationError(_("Cochez au moins un jour d'entretiens."))
    jury, times = list(jury), list(times)
    slots, problems = [], []
    for day in days:
        try:
            with transaction.atomic():
                slots += create_slots(
                    challenge=challenge, day=day, times=times, jury=jury, video_link=video_link
                )
        except ValidationError as error:
            label = day.strftime("%d/%m/%Y")
            problems += [f"{label} : {message}" for message in error.messages]
    if problems:
        # Keep the messages unique: a jury problem is the same on every day.
        raise ValidationError(list(dict.fromkeys(problems)))
    return slots


def free_slots(challenge, now=None):
    """Slots of a challenge nobody booked yet, still to come."""
    return challenge.interview_slots.filter(
        choice__isnull=True, starts_at__gt=now or timezone.now()
    ).order_by("starts_at", "pk")


# --- Invitations and bookings --------------------------------------------------------


def at_interview_stage_for_candidate(choice, now=None):
    """Whether the candidate sees this choice as awaiting its interview.

    Before the results are public a decision (selected, waitlisted, not selected)
    looks like "shortlisted" to the candidate: booking must answer the same, or the
    answer would tell them a decision exists.
    """
    if choice.status == Choice.Status.SHORTLISTED:
        return True
    return choice.status in Choice.DECISIONS and not choice.application.call.results_are_public(now)


def _ensure_shortlisted(choice):
    if (
        not at_interview_stage_for_candidate(choice)
        or choice.application.status != Application.Status.SUBMITTED
    ):
        raise ValidationError(
            _("Seule une candidature retenue pour un entretien peut avoir un créneau.")
        )


def has_a_slot(choice):
    return InterviewSlot.objects.filter(choice_id=choice.pk).exists()


def invite(*, choice):
    """Email a shortlisted candidate the link to pick an interview slot. Sent once, and
    never to someone who already has a slot (None then: nothing to pick)."""
    choice = Choice.objects.select_related(
        "application__candidate", "application__call", "challenge"
    ).get(pk=choice.pk)
    _ensure_shortlisted(choice)
    if has_a_slot(choice):
        return None
    candidate = choice.application.candidate
    return notifications.queue_email(
        event=events.INTERVIEW_INVITATION,
        recipient=candidate,
        obj=choice,
        occasion="invitation",
        context={
            "choice": choice,
            "challenge": choice.challenge,
            "call": choice.application.call,
            "path": reverse("applications:my_interview"),
        },
    )


def invite_shortlisted(*, challenge):
    """Invite the shortlisted candidates of a challenge who have no slot yet (those
    already invited are not again)."""
    choices = (
        Choice.objects.shortlisted()
        .filter(challenge=challenge, interview__isnull=True)
        .order_by("pk")
    )
    return [row for row in (invite(choice=choice) for choice in choices) if row is not None]


def interview_held(choice, now=None):
    """Whether the person was heard for this choice: a slot booked that is over, or that
    the jury already scored or recommended on. A selection before that asks staff for
    an explicit override."""
    # A list loads `choice.interview` and its scores once (select/prefetch); one choice alone
    # is read afresh.
    if Choice.interview.is_cached(choice):
        slot = getattr(choice, "interview", None)
    else:
        slot = InterviewSlot.objects.filter(choice_id=choice.pk).first()
    if slot is None:
        return False
    if slot.ends_at <= (now or timezone.now()):
        return True
    return bool(slot.recommendation) or bool(slot.scores.all())


def interview_ics(slot, *, attendee, cancel=False):
    """The calendar file of an interview: to add it, or (`cancel`) to remove it."""
    lines = [
        _("Entretien de 45 minutes avec le jury du défi « %(title)s ».")
        % {"title": slot.challenge.title}
    ]
    if slot.video_link:
        lines.append(_("Visioconférence : %(link)s") % {"link": slot.video_link})
    meeting = calendars.Meeting(
        uid=f"interview-{slot.pk}",
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        summary=_("Entretien EIG pour le défi « %(title)s »") % {"title": slot.challenge.title},
        description="\n".join(lines),
        location=slot.video_link,
    )
    return calendars.invitation(
        meeting, name="Entretiens de l'appel à candidatures", attendee=attendee, cancel=cancel
    )


def book(*, choice, slot, by, now=None):
    """The candidate picks a free slot of their challenge, or staff give (or move to) one.

    A candidate who already has a slot asks staff to move it (`request_move`);
    staff move them with this same function, which frees the old slot. Raises
    `SlotTaken` when someone else got the slot first: nothing is booked then.
    """
    now = now or timezone.now()
    staff = by is not None and may(by, "applications.give_interview_slot")
    with transaction.atomic():
        # One booking at a time per candidate, then one per slot.
        application = Application.objects.select_for_update().get(pk=choice.application_id)
        if not staff and (by is None or by.pk != application.candidate_id):
            raise PermissionDenied(_("Seul·e le ou la candidate ou l'équipe réserve ce créneau."))
        choice = Choice.objects.select_related(
            "challenge", "application__candidate", "application__call"
        ).get(pk=choice.pk)
        _ensure_shortlisted(choice)
        slot = (
            InterviewSlot.objects.select_for_update(of=("self",))
            .select_related("challenge")
            .get(pk=slot.pk)
        )
        if slot.challenge_id != choice.challenge_id:
            raise ValidationError(_("Ce créneau est celui d'un autre défi."))
        if slot.choice_id == choice.pk:
            return slot
        if slot.choice_id is not None:
            raise SlotTaken(
                _(
                    "Ce créneau vient d'être réservé par une autre personne : choisissez-en un autre."
                )
            )
        if slot.starts_at <= now:
            raise ValidationError(_("Ce créneau est déjà passé."))
        current = InterviewSlot.objects.select_for_update().filter(choice=choice).first()
        if current is not None:
            _ensure_movable(current, staff=staff)
        _ensure_candidate_is_free(choice, slot)
        if current is not None:
            current.choice, current.move_requested = None, ""
            current.save(update_fields=["choice", "move_requested"])
        slot.choice, slot.move_requested = choice, ""
        try:
            with transaction.atomic():
                slot.save(update_fields=["choice", "move_requested"])
        except IntegrityError as error:  # the choice got another slot at the same instant
            raise SlotTaken(_("Un créneau vient déjà d'être réservé pour ce défi.")) from error
        _confirm(choice, slot, previous=current, now=now)
    return slot


def _ensure_movable(current, *, staff):
    if not staff:
        raise ValidationError(
            _(
                "Vous avez déjà un entretien pour ce défi : pour en changer, demandez à "
                "l'équipe de le déplacer."
            )
        )
    if current.recommendation or current.scores.exists():
        raise ValidationError(_("Cet entretien a déjà eu lieu : il ne peut plus être déplacé."))


def _ensure_candidate_is_free(choice, slot):
    """A candidate with two shortlisted choices never has two interviews at once."""
    clash = (
        InterviewSlot.objects.filter(
            choice__application__candidate_id=choice.application.candidate_id
        )
        .exclude(choice=choice)
        .filter(overlapping(slot.starts_at))
        .select_related("challenge")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _(
                "Vous avez déjà un entretien de %(start)s à %(end)s pour le défi « %(title)s » : "
                "choisissez un autre créneau."
            )
            % {
                "start": calendars.hhmm(clash.starts_at),
                "end": calendars.hhmm(clash.ends_at),
                "title": clash.challenge.title,
            }
        )


def _confirm(choice, slot, *, previous, now):
    candidate = choice.application.candidate
    attachments = [
        {
            "filename": "entretien-eig.ics",
            "content": interview_ics(slot, attendee=candidate),
            "mimetype": "text/calendar",
        }
    ]
    if previous is not None:
        attachments.append(
            {
                "filename": "entretien-eig-annule.ics",
                "content": interview_ics(previous, attendee=candidate, cancel=True),
                "mimetype": "text/calendar",
            }
        )
    return notifications.queue_email(
        event=events.INTERVIEW_BOOKED,
        recipient=candidate,
        obj=slot,
        # A candidate moved away and back gets a new confirmation each time.
        occasion=f"booked-{choice.pk}-{int(now.timestamp())}",
        context={
            "choice": choice,
            "challenge": choice.challenge,
            "slot": slot,
            "previous": previous,
            "path": reverse("applications:my_interview"),
        },
        attachments=attachments,
    )


def cancel_interviews_that_no_longer_matter(call, now=None):
    """Once the results are public, an interview still to come decides nothing: free its
    slot and send the candidate the calendar's cancellation (METHOD:CANCEL, same UID).

    Interviews already held stay on record (scores, the jury's recommendation). Safe to run
    twice: a freed slot has no candidate left to tell. Returns the slots freed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        slots = list(
            InterviewSlot.objects.select_for_update(of=("self",))
            .filter(choice__application__call=call, starts_at__gt=now, recommendation="")
            .exclude(scores__isnull=False)
            .select_related("challenge", "choice__application__candidate")
            .order_by("starts_at", "pk")
        )
        for slot in slots:
            _cancel(slot, call=call)
    return slots


def _cancel(slot, *, call):
    choice = slot.choice
    candidate = choice.application.candidate
    cancellation = interview_ics(slot, attendee=candidate, cancel=True)
    slot.choice, slot.move_requested = None, ""
    slot.save(update_fields=["choice", "move_requested"])
    notifications.queue_email(
        event=events.INTERVIEW_CANCELLED,
        recipient=candidate,
        obj=slot,
        occasion=f"cancelled-{choice.pk}",
        context={
            "challenge": slot.challenge,
            "slot": slot,
            "call": call,
            "path": reverse("applications:candidate_dashboard"),
        },
        attachments=[
            {
                "filename": "entretien-eig-annule.ics",
                "content": cancellation,
                "mimetype": "text/calendar",
            }
        ],
    )


# A candidate's move requests that reach staff in a day (a request already pending
# reaches them once, however often it is posted).
MOVE_REQUESTS_PER_DAY = 3


@transaction.atomic
def request_move(*, choice, reason, now=None):
    """The candidate asks to move their interview: recorded on the slot, staff are told
    once while it is pending (they read the latest reason on the decisions page)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Expliquez pourquoi vous demandez un autre créneau."))
    slot = (
        InterviewSlot.objects.select_for_update(of=("self",))
        .select_related("challenge", "choice__application__candidate")
        .filter(choice=choice)
        .first()
    )
    if slot is None:
        raise ValidationError(_("Vous n'avez pas encore de créneau : choisissez-en un."))
    if slot.starts_at <= now:
        raise ValidationError(_("L'entretien a commencé : il ne peut plus être déplacé."))
    already_pending = bool(slot.move_requested)
    slot.move_requested = reason
    slot.save(update_fields=["move_requested"])
    if already_pending:
        return slot
    limits.count_email_request(
        user=slot.choice.application.candidate,
        action="interview_move",
        per_day=MOVE_REQUESTS_PER_DAY,
        message=_(
            "Vous avez demandé %(limit)s déplacements aujourd’hui, le maximum par jour : "
            "l’équipe vous répondra, ou écrivez-lui demain."
        )
        % {"limit": MOVE_REQUESTS_PER_DAY},
        now=now,
    )
    digest = hashlib.sha1(reason.encode(), usedforsecurity=False).hexdigest()[:12]
    for member in programme_staff():
        notifications.queue_email(
            event=events.INTERVIEW_MOVE_REQUESTED,
            recipient=member,
            obj=slot,
            occasion=f"move-{slot.choice_id}-{digest}",
            context={
                "slot": slot,
                "challenge": slot.challenge,
                "candidate": slot.choice.application.candidate,
                "reason": reason,
                "path": reverse("applications:team_decisions", args=[slot.challenge_id]),
            },
        )
    return slot


# --- The jury's work -----------------------------------------------------------------


def _ensure_sits(slot, member):
    if member is None or not slot.jury.filter(pk=member.pk).exists():
        raise PermissionDenied(_("Seuls les membres du jury de cet entretien le notent."))
    if slot.choice is None:
        raise ValidationError(_("Personne n'est inscrit à ce créneau."))
    if ReviewConflict.objects.filter(
        application_id=slot.choice.application_id, reviewer=member
    ).exists():
        raise PermissionDenied(_("Vous avez déclaré un lien avec cette personne."))
    if slot.choice.application.call.published_at is not None:
        raise ValidationError(_("Les résultats sont publiés : l'entretien ne se note plus."))


@transaction.atomic
def score_interview(*, slot, member, scores):
    """A member of the slot's jury scores the interview, 1 to 5 on each criterion of the grid."""
    slot = InterviewSlot.objects.select_related("choice__application__call").get(pk=slot.pk)
    _ensure_sits(slot, member)
    criteria = list(ReviewCriterion.objects.filter(call_id=slot.choice.application.call_id))
    scores = checked_scores(criteria, scores)
    for criterion in criteria:
        InterviewScore.objects.update_or_create(
            slot=slot, member=member, criterion=criterion, defaults={"score": scores[criterion.pk]}
        )
    return slot


@transaction.atomic
def record_recommendation(*, slot, recommendation, comment="", by):
    """A member of the jury records what the jury recommends for the candidate."""
    slot = (
        InterviewSlot.objects.select_for_update(of=("self",))
        .select_related("choice__application__call")
        .get(pk=slot.pk)
    )
    _ensure_sits(slot, by)
    if recommendation not in RECOMMENDATIONS:
        raise ValidationError(_("Choisissez la recommandation du jury."))
    slot.recommendation = recommendation
    slot.recommendation_comment = (comment or "").strip()
    slot.save(update_fields=["recommendation", "recommendation_comment"])
    return slot


# --- Reminders -----------------------------------------------------------------------


def interviews_of_tomorrow(now):
    """The day before an interview, from 9:00 Paris until it starts, the candidate is reminded."""
    slots = InterviewSlot.objects.filter(
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=2),
        choice__status=Choice.Status.SHORTLISTED,
        choice__application__status=Application.Status.SUBMITTED,
    ).select_related("challenge", "choice__application__candidate")
    for slot in slots:
        eve = calendars.local(slot.starts_at).date() - timedelta(days=1)
        send_at = reminders.paris_time(eve, REMINDER_AT)
        if not reminders.is_due(send_at, now, within=slot.starts_at - send_at):
            continue
        candidate = slot.choice.application.candidate
        yield reminders.Due(
            recipient=candidate,
            obj=slot,
            occasion="eve",
            context={
                "slot": slot,
                "challenge": slot.challenge,
                "path": reverse("applications:my_interview"),
            },
        )


REMINDERS = (reminders.Rule(event=events.INTERVIEW_REMINDER, find=interviews_of_tomorrow),)

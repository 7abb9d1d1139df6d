"""The promotion in residence, as plain functions: teams, onboarding, coaching calendar.

Staff form the teams from the selected challenges and adjust them; an EIG,
the team's mentors and staff tick the onboarding checklist; staff invite the
promotion to coaching events (bootcamp, workshops, offsites…), each invitee
answers, staff record who came. Every person has a private iCal feed whose
secret address is the only key to it.

Times are stored aware and shown in Europe/Paris; calendar files carry UTC.
None of these functions takes a request.
"""

import calendar
import secrets
from datetime import date, timedelta

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from challenges.models import Challenge, ChallengeMentor
from cohorts.models import (
    CalendarFeed,
    CoachingEvent,
    EventInvitation,
    OnboardingStep,
    Team,
    TeamMember,
)
from cohorts.promotion import notifications as events
from cohorts.services import join_team, team_of_challenge
from eig import calendars, notifications, reminders
from eig.models import Role, RoleGrant, User
from eig.rules import is_programme_staff

PROMOTION_MONTHS = 10
PROMOTION_STARTS = (9, 1)  # 1 September
TEAM_SIZES = (2, 3)
# Reminders of an event: (occasion, how long before it, same Paris wall-clock time).
EVENT_REMINDERS = (("j-7", timedelta(days=7)), ("j-1", timedelta(days=1)))


def _ensure_staff(user):
    if user is None or not is_programme_staff(user):
        raise PermissionDenied(_("Seule l'équipe du programme peut faire cela."))


def _path(name, fallback, **kwargs):
    """A path of the promotion's screens, even where they are not mounted (a command, a test)."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return fallback


# --- The promotion and its teams --------------------------------------------------------


def _add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def promotion_dates(*, year, starts_on=None, months=PROMOTION_MONTHS):
    """First and last day of a promotion: 10 months from 1 September by default
    (1 September `year` → 30 June `year + 1`)."""
    starts_on = starts_on or date(year, *PROMOTION_STARTS)
    return starts_on, _add_months(starts_on, months) - timedelta(days=1)


@transaction.atomic
def form_teams(*, promotion):
    """One team per challenge selected for the promotion (or already completed). Safe to rerun."""
    challenges = Challenge.objects.filter(
        promotion=promotion, status__in=Challenge.PUBLIC_STATUSES
    ).order_by("title", "pk")
    return [team_of_challenge(challenge) for challenge in challenges]


def team_size_warnings(team):
    """A team has 2 or 3 EIGs: anything else is worth a word, not a refusal."""
    size = team.members.count()
    if size in TEAM_SIZES:
        return []
    return [
        ngettext(
            "L'équipe « %(team)s » compte %(count)s EIG : une équipe en compte 2 ou 3.",
            "L'équipe « %(team)s » compte %(count)s EIG : une équipe en compte 2 ou 3.",
            size,
        )
        % {"team": team, "count": size}
    ]


@transaction.atomic
def adjust_team(*, team, add=(), remove=(), by):
    """Staff add people to a team and take others out. Returns French warnings
    (a team of 1 or 4 EIGs is allowed, and said); a person stays in one team
    of a promotion at most, which is refused."""
    _ensure_staff(by)
    add, remove = list(add), list(remove)
    promotion_id = team.challenge.promotion_id
    if {p.pk for p in add} & {p.pk for p in remove}:
        raise ValidationError(_("Une même personne ne peut être ajoutée et retirée à la fois."))
    for person in remove:
        TeamMember.objects.filter(team=team, person=person).delete()
        _drop_eig_grant(person, team.challenge.promotion)
    for person in add:
        elsewhere = (
            TeamMember.objects.filter(person=person, team__challenge__promotion_id=promotion_id)
            .exclude(team=team)
            .select_related("team__challenge")
            .first()
        )
        if elsewhere is not None:
            raise ValidationError(
                _("%(person)s fait déjà partie de l'équipe « %(team)s » de cette promotion.")
                % {"person": person, "team": elsewhere.team}
            )
        join_team(person=person, team=team)
    _renumber(team)
    return team_size_warnings(team)


def _drop_eig_grant(person, promotion):
    """Out of every team of the promotion, a person is no longer one of its EIGs."""
    still_in = TeamMember.objects.filter(person=person, team__challenge__promotion=promotion)
    if person.user_id and not still_in.exists():
        RoleGrant.objects.filter(
            user_id=person.user_id, role=Role.EIG, promotion=promotion
        ).delete()


def _renumber(team):
    for position, member in enumerate(team.members.order_by("position", "pk")):
        if member.position != position:
            member.position = position
            member.save(update_fields=["position"])


# --- Onboarding -------------------------------------------------------------------------


def tick(*, step, by, done=True):
    """An EIG of the team, its mentors or staff tick (or untick) a step of an
    EIG's arrival; who ticked it and when are kept. Ticking twice changes nothing."""
    team = Team.objects.get(members__onboarding=step)
    if by is None or not rules.has_perm("cohorts.tick_onboarding", by, team):
        raise PermissionDenied(_("Seuls l'équipe, ses mentors et l'équipe du programme cochent."))
    if done == (step.done_at is not None):
        return step
    step.done_at = timezone.now() if done else None
    step.done_by = by if done else None
    step.save(update_fields=["done_at", "done_by"])
    return step


def checklist(member_steps):
    """The steps of one EIG in the order of their arrival (not alphabetical)."""
    order = {item: index for index, item in enumerate(OnboardingStep.Item.values)}
    return sorted(member_steps, key=lambda step: order.get(step.item, len(order)))


# --- Coaching events --------------------------------------------------------------------


def event_problems(*, promotion, starts_at, ends_at, audience, teams=()):
    """What is wrong with an event's settings, in French (empty when all is well)."""
    problems = []
    if starts_at and ends_at and ends_at <= starts_at:
        problems.append(_("L'événement doit finir après son début."))
    teams = list(teams)
    if audience == CoachingEvent.Audience.TEAMS and not teams:
        problems.append(_("Choisissez les équipes invitées."))
    if promotion is not None:
        strangers = [t for t in teams if t.challenge.promotion_id != promotion.pk]
        if strangers:
            problems.append(
                _("Ces équipes ne sont pas de la promotion %(promotion)s : %(teams)s.")
                % {"promotion": promotion, "teams": ", ".join(str(t) for t in strangers)}
            )
    return problems


@transaction.atomic
def create_event(
    *,
    promotion,
    kind,
    title,
    starts_at,
    ends_at,
    by,
    description="",
    place="",
    video_link="",
    audience=CoachingEvent.Audience.EIGS,
    teams=(),
):
    """Staff plan a moment of the coaching programme. Invitations go separately."""
    _ensure_staff(by)
    teams = list(Team.objects.select_related("challenge").filter(pk__in=[t.pk for t in teams]))
    problems = event_problems(
        promotion=promotion, starts_at=starts_at, ends_at=ends_at, audience=audience, teams=teams
    )
    if problems:
        raise ValidationError(problems)
    event = CoachingEvent(
        promotion=promotion,
        kind=kind,
        title=title,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        video_link=video_link,
        audience=audience,
    )
    event.full_clean()
    event.save()
    event.teams.set(teams)
    return event


def invited_teams(event):
    if event.audience == CoachingEvent.Audience.TEAMS:
        return event.teams.all()
    return Team.objects.filter(challenge__promotion_id=event.promotion_id)


def invitees(event):
    """Who an event is for: the promotion's EIGs, the mentors of its teams, both,
    or the EIGs and mentors of the listed teams. Active accounts only."""
    teams = invited_teams(event)
    eigs = TeamMember.objects.filter(team__in=teams).values("person__user")
    mentors = ChallengeMentor.objects.filter(challenge__team__in=teams).values("person__user")
    Audience = CoachingEvent.Audience
    if event.audience == Audience.EIGS:
        wanted = User.objects.filter(pk__in=eigs)
    elif event.audience == Audience.MENTORS:
        wanted = User.objects.filter(pk__in=mentors)
    else:
        wanted = User.objects.filter(pk__in=eigs) | User.objects.filter(pk__in=mentors)
    return wanted.filter(is_active=True).order_by("pk")


def _agenda_path():
    return _path("cohorts:my_calendar", "/promotion/agenda/")


def _agenda_url():
    return settings.SITE_URL.rstrip("/") + _agenda_path()


def event_location(event):
    return event.place or event.video_link


def _meeting(event):
    lines = [event.description.strip()] if event.description.strip() else []
    if event.place and event.video_link:
        lines.append(_("Visioconférence : %(link)s") % {"link": event.video_link})
    lines.append(_("Votre agenda EIG : %(url)s") % {"url": _agenda_url()})
    return calendars.Meeting(
        uid=f"event-{event.pk}",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=event.title,
        description="\n\n".join(lines),
        location=event_location(event),
        sequence=event.sequence,
    )


def event_ics(event, *, attendee):
    """The invitation file of one event for one invitee: METHOD:REQUEST (a change keeps
    the UID and raises SEQUENCE), or METHOD:CANCEL once cancelled. Answers go to the
    platform (the email's link), not to the organiser's mailbox: no RSVP asked."""
    return calendars.invitation(
        _meeting(event),
        name="Accompagnement de la promotion",
        attendee=attendee,
        cancel=bool(event.cancelled_at),
    )


@transaction.atomic
def send_invitations(*, event):
    """Invite each invitee by email, with the event's .ics file. Safe to run twice:
    each person gets one invitation; people who joined since get theirs."""
    if event.starts_at <= timezone.now():
        raise ValidationError(_("L'événement a déjà commencé : il est trop tard pour inviter."))
    people = list(invitees(event))
    EventInvitation.objects.bulk_create(
        [EventInvitation(event=event, user=user) for user in people], ignore_conflicts=True
    )
    rows = [
        notifications.queue_email(
            event=events.EVENT_INVITATION,
            recipient=user,
            obj=event,
            occasion="invitation",
            context={"event": event, "agenda_path": _agenda_path()},
            attachments=[_ics_attachment(event, user)],
        )
        for user in people
    ]
    if event.invitations_sent_at is None:
        event.invitations_sent_at = timezone.now()
        event.save(update_fields=["invitations_sent_at"])
    return rows


def _ics_attachment(event, user):
    return {
        "filename": "evenement-eig.ics",
        "content": event_ics(event, attendee=user),
        "mimetype": "text/calendar",
    }


def _tell_invitees(event, notification, occasion):
    """Everyone invited gets the event's new state, with its .ics file."""
    invited = event.invitations.filter(user__is_active=True).select_related("user").order_by("pk")
    return [
        notifications.queue_email(
            event=notification,
            recipient=invitation.user,
            obj=event,
            occasion=occasion,
            context={"event": event, "agenda_path": _agenda_path()},
            attachments=[_ics_attachment(event, invitation.user)],
        )
        for invitation in invited
    ]


@transaction.atomic
def send_event_update(*, event, by):
    """Staff moved an event already announced: each invitee gets the new time or place,
    under the same UID with the next SEQUENCE, so calendars move it rather than add one."""
    _ensure_staff(by)
    if event.invitations_sent_at is None or event.cancelled_at is not None:
        return []
    event.sequence += 1
    event.save(update_fields=["sequence"])
    return _tell_invitees(event, events.EVENT_UPDATE, f"version-{event.sequence}")


@transaction.atomic
def cancel_event(*, event, by, now=None):
    """Staff cancel an event: its pending reminders are dropped and each invitee gets
    a METHOD:CANCEL file that takes it out of their calendar. Cancelling twice does nothing."""
    _ensure_staff(by)
    if event.cancelled_at is not None:
        return []
    notifications.cancel_pending_for(event, reason="événement annulé")
    # The CANCEL goes out one version above the last one sent: eig.calendars adds it.
    event.cancelled_at = now or timezone.now()
    event.save(update_fields=["cancelled_at"])
    if event.invitations_sent_at is None:
        return []
    return _tell_invitees(event, events.EVENT_CANCELLED, "annulation")


def answer(*, invitation, attending: bool, by, now=None):
    """The invitee says whether they come, until the event starts."""
    now = now or timezone.now()
    if by is None or by.pk != invitation.user_id:
        raise PermissionDenied(_("Seule la personne invitée répond à son invitation."))
    if invitation.event.starts_at <= now:
        raise ValidationError(_("L'événement a commencé : il n'est plus possible de répondre."))
    invitation.answer = EventInvitation.Answer.YES if attending else EventInvitation.Answer.NO
    invitation.answered_at = now
    invitation.save(update_fields=["answer", "answered_at"])
    return invitation


@transaction.atomic
def record_attendance(*, event, present_user_ids, by, now=None):
    """Staff note who came, once the event has started: the others are marked absent."""
    _ensure_staff(by)
    if event.starts_at > (now or timezone.now()):
        raise ValidationError(_("Les présences se notent une fois l'événement commencé."))
    present = {int(user_id) for user_id in present_user_ids}
    invited = set(event.invitations.values_list("user_id", flat=True))
    if present - invited:
        raise ValidationError(_("Seules les personnes invitées peuvent être notées présentes."))
    event.invitations.filter(user_id__in=present).update(attended=True)
    event.invitations.exclude(user_id__in=present).update(attended=False)


# --- Calendars --------------------------------------------------------------------------


def calendar_events(user):
    """The events a person is invited to, in order."""
    return (
        CoachingEvent.objects.filter(invitations__user=user)
        .select_related("promotion")
        .order_by("starts_at", "pk")
    )


def feed_for(user):
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def reset_feed(*, user):
    """A new secret address: the old one stops working at once."""
    feed = feed_for(user)
    feed.token = secrets.token_urlsafe()
    feed.save(update_fields=["token"])
    return feed


def feed_owner(token):
    """The account whose feed this secret address is, or None."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    return feed.user if feed else None


def feed_events(user):
    """The events of a person's feed: those they did not decline."""
    return (
        CoachingEvent.objects.filter(
            invitations__in=EventInvitation.objects.filter(user=user).exclude(
                answer=EventInvitation.Answer.NO
            )
        )
        .select_related("promotion")
        .order_by("starts_at", "pk")
    )


def ics_feed(user):
    """The person's own events, as a calendar to subscribe to (a cancelled one says so)."""
    cal = calendars.calendar("Agenda de la promotion")
    cal.add("x-wr-calname", _("Agenda EIG"))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for event in feed_events(user):
        meeting = _meeting(event)
        cal.add_component(
            calendars.vevent(meeting, stamp=stamp, cancelled=bool(event.cancelled_at))
        )
    return cal.to_ical()


# --- Reminders --------------------------------------------------------------------------


def reminder_send_at(event, before):
    """The same Paris wall-clock time as the event, `before` earlier."""
    local = calendars.local(event.starts_at)
    return reminders.paris_time(local.date() - before, local.time().replace(tzinfo=None))


def _occasion_due(event, now):
    """Which reminder of the event is due now, if any: each lasts until the next one
    (or the start). A reminder is skipped when the invitation itself came later."""
    moments = [(occasion, reminder_send_at(event, before)) for occasion, before in EVENT_REMINDERS]
    ends = [send_at for _occasion, send_at in moments[1:]] + [event.starts_at]
    for (occasion, send_at), until in zip(moments, ends, strict=True):
        if reminders.is_due(send_at, now, within=until - send_at):
            return occasion if event.invitations_sent_at <= send_at else None
    return None


def events_to_remind(now):
    """The invitees of the coming events who did not decline, 7 days and 1 day before."""
    longest = max(before for _occasion, before in EVENT_REMINDERS) + timedelta(days=1)
    coming = (
        CoachingEvent.objects.filter(
            starts_at__gt=now,
            starts_at__lte=now + longest,
            invitations_sent_at__isnull=False,
            cancelled_at__isnull=True,
        )
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=EventInvitation.objects.exclude(answer=EventInvitation.Answer.NO)
                .filter(user__is_active=True)
                .select_related("user")
                .order_by("pk"),
                to_attr="remindable",
            )
        )
        .order_by("starts_at", "pk")
    )
    for event in coming:
        occasion = _occasion_due(event, now)
        if occasion is None:
            continue
        for invitation in event.remindable:
            yield reminders.Due(
                recipient=invitation.user,
                obj=event,
                occasion=occasion,
                context={
                    "event": event,
                    "invitation": invitation,
                    "occasion": occasion,
                    # Said as the reader will read it: a reminder sent on the day says "today".
                    "days_left": _days_until(event, now),
                    "agenda_path": _agenda_path(),
                },
            )


def _days_until(event, now):
    """Whole days from `now` to the event, counted on Paris calendar dates."""
    return (calendars.local(event.starts_at).date() - calendars.local(now).date()).days


REMINDERS = (reminders.Rule(event=events.EVENT_REMINDER, find=events_to_remind),)

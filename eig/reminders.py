"""Reminders are found in the database, never scheduled on the broker.

Each stage registers rules. A rule looks at the dates stored in the database
and says which reminders are due at a given instant; the sweep, run by Celery
beat every minute, turns them into outbox rows. The idempotency key of a row
makes the same reminder exist only once, so two sweeps at once, a missed beat
or a flushed Redis only delay an email: they never lose or double it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from eig import notifications
from eig.models import OutboxMessage


@dataclass(frozen=True)
class Due:
    """One reminder that should exist: to whom, about what, on which occasion.

    To `recipient` (an account), or to `to_email` for someone without one."""

    obj: object
    occasion: str
    context: dict = field(default_factory=dict)
    recipient: object = None
    to_email: str = ""
    attachments: tuple = ()

    def __post_init__(self):
        if not self.to_email:
            object.__setattr__(self, "to_email", self.recipient.email)  # a frozen dataclass


@dataclass(frozen=True)
class Rule:
    """When an event is due: `find(now)` yields what should have been sent by now."""

    event: notifications.Event
    find: Callable[[datetime], Iterable[Due]]


RULES: list[Rule] = []


def register(*rules: Rule) -> None:
    """The one way a stage adds its rules: each app, from its `ready()`, with the
    `REMINDERS` its modules declare. An event has one rule; registering twice adds nothing."""
    for rule in rules:
        if not any(known.event == rule.event for known in RULES):
            RULES.append(rule)


def paris_time(day: date, at: time) -> datetime:
    """The aware instant of a wall-clock time in the programme's time zone.

    09:00 is 09:00 in Paris in winter and in summer: the UTC instant moves with
    daylight saving, the wall clock does not.
    """
    return datetime.combine(day, at, tzinfo=ZoneInfo(settings.TIME_ZONE))


def is_due(send_at: datetime, now: datetime, *, within: timedelta) -> bool:
    """Due from `send_at` on, and no longer once it would make no sense (`within`)."""
    return send_at <= now < send_at + within


def pending_reminders(now=None):
    """What the next sweep would create: the dry run staff can read."""
    now = now or timezone.now()
    for rule in RULES:
        dues = list(rule.find(now))
        keys = {
            notifications.idempotency_key(rule.event, due.obj, due.to_email, due.occasion): due
            for due in dues
        }
        existing = set(
            OutboxMessage.objects.filter(idempotency_key__in=keys).values_list(
                "idempotency_key", flat=True
            )
        )
        for key, due in keys.items():
            if key not in existing:
                yield rule.event, due


def sweep(now=None):
    """Create the outbox rows of every due reminder, then hand due rows to the workers.

    Returns (reminders created, rows handed over).
    """
    now = now or timezone.now()
    rows = [
        notifications.build_row(
            event=event,
            to_email=due.to_email,
            recipient=due.recipient,
            obj=due.obj,
            occasion=due.occasion,
            context=due.context,
            attachments=due.attachments,
            due_at=now,
        )
        for event, due in pending_reminders(now)
    ]
    # A sweep running at the same time may insert some of the same rows first:
    # the unique idempotency key keeps one, the other insert is ignored.
    created = OutboxMessage.objects.bulk_create(
        [row for row in rows if row is not None], batch_size=500, ignore_conflicts=True
    )
    notifications.hold_interrupted_sends(now)
    handed = notifications.due_for_sending(now)
    notifications.enqueue_many(handed)
    return len(created), len(handed)

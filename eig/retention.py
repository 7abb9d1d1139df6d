"""Traces the platform keeps about everyone for a bounded time, purged by the
daily retention job: the texts of sent emails, connection logs, expired
sessions. The inventory of personal data is docs/personal-data.md."""

from dataclasses import dataclass
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.utils import timezone

from eig import notifications

# Connection logs serve security investigations: six months, as the CNIL recommends
# for access logs at the least.
LOGIN_TRACES_RETENTION = timedelta(days=182)


@dataclass
class Traces:
    outbox_bodies: int
    login_records: int
    sessions: int


def purge_old_traces(now=None):
    now = now or timezone.now()
    cutoff = now - LOGIN_TRACES_RETENTION
    login_records = sum(
        model.objects.filter(attempt_time__lt=cutoff).delete()[1].get(model._meta.label, 0)
        for model in (AccessLog, AccessAttempt, AccessFailureLog)
    )
    return Traces(
        outbox_bodies=notifications.purge_old_bodies(now),
        login_records=login_records,
        sessions=Session.objects.filter(expire_date__lt=now).delete()[0],
    )

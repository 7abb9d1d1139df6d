"""How many emails a person's own actions may send in a day.

Every process counts in the database they share (the cache may be each process's own),
and a person's requests are counted one at a time (their row is locked), so that two
requests at once cannot both take the last place.
"""

from datetime import time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from eig.models import EmailRequest, User
from eig.reminders import paris_time


def start_of_day(now):
    """Midnight in Paris: a day's quota starts again at the programme's midnight."""
    return paris_time(now.astimezone(ZoneInfo(settings.TIME_ZONE)).date(), time(0, 0))


@transaction.atomic
def count_email_request(*, user, action, per_day, message, now=None):
    """Count one more `action` by `user` today, or refuse it with `message` (a
    ValidationError) once `per_day` of them were sent since midnight."""
    now = now or timezone.now()
    today = start_of_day(now)
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    # Only today counts: what is older has no use left.
    EmailRequest.objects.filter(user=user, at__lt=today).delete()
    if EmailRequest.objects.filter(user=user, action=action, at__gte=today).count() >= per_day:
        raise ValidationError(message, code="daily_limit")
    EmailRequest.objects.create(user=user, action=action, at=now)

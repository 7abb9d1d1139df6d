"""The call's dates, as staff change them after it opened.

Extending the deadline is one action: the new date is checked against the others
(a sentence names the one out of order), the call reopens if staff had closed it,
the history keeps who did it, and every candidate with a draft is told by email.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applications import notifications_call as events
from applications.models import Application, CallForApplications
from eig import notifications
from eig.permissions import may


def drafts(call):
    """The applications still in draft: their candidates hear of a new deadline."""
    return (
        Application.objects.filter(call=call, status=Application.Status.DRAFT)
        .select_related("candidate", "call__promotion")
        .order_by("pk")
    )


def _paris(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def check_new_deadline(*, call, new_deadline, now=None):
    """Why this new deadline may not be set, in sentences naming the dates."""
    now = now or timezone.now()
    if call.published_at is not None:
        raise ValidationError(_("Les résultats sont publiés : la date limite ne bouge plus."))
    if new_deadline <= call.deadline:
        raise ValidationError(
            _("La nouvelle date limite (%(new)s) doit venir après l'actuelle (%(old)s).")
            % {"new": _paris(new_deadline), "old": _paris(call.deadline)}
        )
    if new_deadline <= now:
        raise ValidationError(
            _("La nouvelle date limite (%(new)s) est déjà passée.") % {"new": _paris(new_deadline)}
        )
    previous = call.deadline
    call.deadline = new_deadline
    try:
        problems = call.date_problems()
    finally:
        call.deadline = previous
    if problems:
        raise ValidationError(list(problems.values()))


def extend_deadline(*, call, new_deadline, by, now=None):
    """Staff push the deadline back: checked, saved with its history, drafts told."""
    if not may(by, "applications.extend_call_deadline"):
        raise PermissionDenied(_("Seule l'équipe du programme prolonge un appel."))
    with transaction.atomic():
        call = CallForApplications.objects.select_for_update().get(pk=call.pk)
        check_new_deadline(call=call, new_deadline=new_deadline, now=now)
        previous = call.deadline
        call.deadline = new_deadline
        call.closed_at = None  # an extension reopens a call closed early
        call._change_reason = _("Date limite prolongée du %(old)s au %(new)s") % {
            "old": _paris(previous),
            "new": _paris(new_deadline),
        }
        call._history_user = by
        call.save(update_fields=["deadline", "closed_at"])
        sent = [
            notifications.queue_email(
                event=events.DEADLINE_EXTENDED,
                recipient=application.candidate,
                obj=application,
                # One email per new deadline: a second extension is told again.
                occasion=f"deadline-{new_deadline.isoformat()}",
                context={"application": application, "call": call, "previous": previous},
            )
            for application in drafts(call)
        ]
    return call, [row for row in sent if row is not None]

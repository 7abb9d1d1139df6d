"""When the call for applications reminds candidates: drafts not yet sent,
7 days and 1 day before the deadline."""

from datetime import timedelta

from applications import notifications as events
from applications.models import Application, CallForApplications
from eig.reminders import Due, Rule, is_due

DRAFT_REMINDERS = {"j-7": timedelta(days=7), "j-1": timedelta(days=1)}


def drafts_before_deadline(now):
    for call in CallForApplications.objects.open_now(now):
        for occasion, before in DRAFT_REMINDERS.items():
            closer = min((b for b in DRAFT_REMINDERS.values() if b < before), default=timedelta(0))
            if not is_due(call.deadline - before, now, within=before - closer):
                continue
            drafts = Application.objects.filter(
                call=call, status=Application.Status.DRAFT
            ).select_related("candidate", "call")
            for application in drafts:
                yield Due(
                    recipient=application.candidate,
                    obj=application,
                    occasion=occasion,
                    context={"application": application},
                )


REMINDERS = (Rule(event=events.DRAFT_REMINDER, find=drafts_before_deadline),)

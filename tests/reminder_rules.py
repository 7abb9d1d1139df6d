"""A reminder rule for the tests of the machinery: every user gets a reminder
at 09:00 Paris time on a given day, the way a deadline reminder would."""

from datetime import time, timedelta

from eig import notifications, reminders
from eig.models import User

TEST_EVENT = notifications.Event("test.reminder", "Rappel de test", essential=False)


def daily_reminder(day):
    send_at = reminders.paris_time(day, time(9, 0))

    def find(now):
        if not reminders.is_due(send_at, now, within=timedelta(days=1)):
            return
        for user in User.objects.order_by("pk"):
            yield reminders.Due(
                to_email=user.email,
                recipient=user,
                obj=user,
                occasion=f"{day.isoformat()}-09h",
                context={"label": f"échéance du {day:%d/%m/%Y} <b>"},
            )

    return reminders.Rule(event=TEST_EVENT, find=find)

"""When the call for projects reminds administrations: drafts not yet submitted,
7 days and 1 day before the deadline."""

from datetime import timedelta

from django.db.models import Prefetch

from challenges import notifications as events
from challenges.models import CallForProjects, Challenge
from eig.models import User
from eig.reminders import Due, Rule, is_due

DRAFT_REMINDERS = {"j-7": timedelta(days=7), "j-1": timedelta(days=1)}


def drafts_before_deadline(now):
    calls = CallForProjects.objects.open_now(now).prefetch_related(
        Prefetch(
            "challenges",
            queryset=Challenge.objects.filter(status=Challenge.Status.DRAFT)
            .select_related("call")
            .prefetch_related(Prefetch("editors", queryset=User.objects.order_by("pk"))),
            to_attr="drafts",
        )
    )
    for call in calls:
        for occasion, before in DRAFT_REMINDERS.items():
            # Due from `before` the deadline until the next, closer reminder.
            window = before - min(
                (b for b in DRAFT_REMINDERS.values() if b < before), default=timedelta(0)
            )
            if not is_due(call.submission_deadline - before, now, within=window):
                continue
            for challenge in call.drafts:
                for editor in challenge.editors.all():
                    yield Due(
                        recipient=editor,
                        obj=challenge,
                        occasion=occasion,
                        context={"challenge": challenge},
                    )


REMINDERS = (Rule(event=events.DEADLINE_REMINDER, find=drafts_before_deadline),)

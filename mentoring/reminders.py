"""When the weekly updates call for an email, at Paris wall-clock time.

- Monday 12:00: each EIG (with an account) of a team in residence that has not
  written this week's update is reminded; a missed sweep still reminds them
  until Sunday night, and never twice the same week.
- Friday 15:00: staff get the digest of the week's updates, help requests first,
  and the teams that wrote nothing.
"""

from datetime import UTC, time, timedelta

from cohorts.models import Team, TeamMember
from eig.models import Promotion
from eig.reminders import Due, Rule, is_due, paris_time
from eig.roles import programme_staff
from mentoring import notifications as events
from mentoring.models import WeeklyUpdate, monday_of
from mentoring.services import in_residence, iso_week, paris_today

REMINDER_AT = time(12, 0)  # Monday
DIGEST_AT = time(15, 0)  # Friday
FRIDAY = timedelta(days=4)


def _within_week(start, week, now):
    """Due from `start` until the end of Sunday of `week`, in Paris."""
    start = start.astimezone(UTC)  # durations in UTC: a DST change is not an hour lost
    end = paris_time(week + timedelta(weeks=1), time(0, 0)).astimezone(UTC)
    return is_due(start, now, within=end - start)


def _teams_in_residence(day):
    return Team.objects.filter(challenge__promotion__in=Promotion.objects.filter(in_residence(day)))


def teams_without_update(now):
    """The reminder to write this week's update, from Monday noon on."""
    week = monday_of(paris_today(now))
    if not _within_week(paris_time(week, REMINDER_AT), week, now):
        return
    silent = _teams_in_residence(week).exclude(weekly_updates__week=week)
    members = (
        TeamMember.objects.filter(team__in=silent, person__user__is_active=True)
        .select_related("person__user", "team__challenge")
        .order_by("team_id", "position", "pk")
    )
    for member in members:
        user = member.person.user
        yield Due(
            to_email=user.email,
            recipient=user,
            obj=member.team,
            occasion=iso_week(week),
            context={"team": member.team, "week": week},
        )


def weekly_digest(now):
    """The staff's Friday digest of the week."""
    week = monday_of(paris_today(now))
    if not _within_week(paris_time(week + FRIDAY, DIGEST_AT), week, now):
        return
    context = digest_context(week)
    if context is None:
        return
    for user in programme_staff():
        yield Due(
            to_email=user.email, recipient=user, obj=None, occasion=iso_week(week), context=context
        )


def digest_context(week):
    """The week's updates, help requests first, and the teams without one (None: no team in residence)."""
    teams = _teams_in_residence(week).select_related("challenge__promotion")
    missing = list(teams.exclude(weekly_updates__week=week).order_by("challenge__title", "pk"))
    updates = list(
        WeeklyUpdate.objects.filter(team__in=teams, week=week)
        .select_related("team__challenge__promotion", "author")
        .order_by("team__challenge__title", "pk")
    )
    if not updates and not missing:
        return None
    updates.sort(key=lambda update: not update.help_needed)  # stable: help first, then by title
    return {
        "week": week,
        "updates": updates,
        "help_count": sum(1 for update in updates if update.help_needed),
        "missing_teams": missing,
    }


REMINDERS = (
    Rule(event=events.UPDATE_REMINDER, find=teams_without_update),
    Rule(event=events.WEEKLY_DIGEST, find=weekly_digest),
)

"""When the weekly updates call for an email, at Paris wall-clock time.

- Monday 12:00: each EIG (with an account) of a team in residence that has not
  written this week's update is reminded; a missed sweep still reminds them
  until the week closes (Friday 15:00), and never twice the same week.
- Friday 15:00: the week closes and its recap goes out, per promotion, to staff
  and, when the promotion shares its updates, to its EIGs and mentors: help
  requests still open first (older ones stay until handled), then the week's
  updates, then the teams that wrote nothing and for how long.
"""

from datetime import UTC, time, timedelta

from django.db.models import Max, Q

from cohorts.models import Team, TeamMember
from eig.models import Promotion
from eig.reminders import Due, Rule, is_due, paris_time
from eig.roles import programme_staff
from mentoring import notifications as events
from mentoring.models import WeeklyUpdate, monday_of
from mentoring.services import (
    current_week,
    in_residence,
    iso_week,
    open_help_requests,
    promotion_members,
    updates_shared,
    week_closes_at,
)

REMINDER_AT = time(12, 0)  # Monday


def _teams_in_residence(day):
    return Team.objects.filter(challenge__promotion__in=Promotion.objects.filter(in_residence(day)))


def teams_without_update(now):
    """The reminder to write this week's update, from Monday noon until the week closes."""
    week = current_week(now)
    start = paris_time(week, REMINDER_AT).astimezone(UTC)
    if not is_due(start, now, within=week_closes_at(week).astimezone(UTC) - start):
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
            recipient=user,
            obj=member.team,
            occasion=iso_week(week),
            context={"team": member.team, "week": week},
        )


def weekly_digest(now):
    """The recap of the week that closed last, per promotion in residence, until Sunday night."""
    week = current_week(now) - timedelta(weeks=1)
    closed = week_closes_at(week).astimezone(UTC)
    end = paris_time(week + timedelta(weeks=1), time(0, 0)).astimezone(UTC)
    if not is_due(closed, now, within=end - closed):
        return
    for promotion in Promotion.objects.filter(in_residence(week)):
        context = digest_context(promotion, week)
        if context is None:
            continue
        readers = list(programme_staff())
        if updates_shared(promotion):
            readers += promotion_members(promotion)
        for user in {user.pk: user for user in readers}.values():
            yield Due(
                recipient=user,
                obj=promotion,
                occasion=iso_week(week),
                context=context,
            )


def digest_context(promotion, week):
    """What the recap of `week` tells of `promotion` (None when it has no team).

    Open help requests of every week come first, until handled; a handled request
    is never listed as pending; a silent team is told how many weeks it has been.
    """
    teams = Team.objects.filter(challenge__promotion=promotion)
    if not teams.exists():
        return None
    updates = list(
        WeeklyUpdate.objects.filter(team__in=teams, week=week)
        .select_related("team__challenge__promotion", "author", "help_handled_by")
        .order_by("team__challenge__title", "pk")
    )
    help_requests = list(open_help_requests(promotion=promotion).filter(week__lte=week))
    missing = list(
        teams.exclude(weekly_updates__week=week)
        .annotate(last_week=Max("weekly_updates__week", filter=Q(weekly_updates__week__lt=week)))
        .select_related("challenge")
        .order_by("challenge__title", "pk")
    )
    for team in missing:
        team.silent_weeks = _silent_weeks(team.last_week, promotion, week)
    return {
        "week": week,
        "promotion": promotion,
        "updates": updates,
        "help_requests": help_requests,
        "help_count": len(help_requests),
        "missing_teams": missing,
    }


def _silent_weeks(last_week, promotion, week):
    """Whole weeks without an update up to `week` included (since the start if never)."""
    if last_week is None:
        since = monday_of(promotion.starts_on) if promotion.starts_on else week
        return (week - since).days // 7 + 1
    return (week - last_week).days // 7


REMINDERS = (
    Rule(event=events.UPDATE_REMINDER, find=teams_without_update),
    Rule(event=events.WEEKLY_DIGEST, find=weekly_digest),
)

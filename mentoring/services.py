"""The weekly life of a team in residence: its update, the mentors' comments and
notes, the help it asks for, and what staff see of the whole promotion.

Weeks are ISO weeks named by their Monday, in the programme's time zone
(Europe/Paris). A week closes on Friday at 15:00 in Paris, when the recap goes out:
what is written after that goes into the next week's update, and so into the next
recap, never nowhere.

Permissions are asked of the rules themselves: a superuser gets no shortcut (an
EIG never reads the mentors' notes, staff never write a team's update).
"""

import hashlib
from dataclasses import dataclass
from datetime import date, time, timedelta

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from challenges.models import ChallengeMentor
from cohorts.models import Team, TeamMember
from eig import calendars
from eig.models import Promotion
from eig.notifications import queue_email
from eig.reminders import paris_time
from eig.roles import programme_staff
from mentoring import notifications as events
from mentoring.models import MentorNote, UpdateComment, UpdateSharing, WeeklyUpdate, monday_of
from mentoring.rules import shares_updates

# The dashboard shows 12 weeks unless asked otherwise, never more than 40 (a whole promotion).
DEFAULT_GRID_WEEKS = 12
MAX_GRID_WEEKS = 40
# A team is silent when it wrote nothing for this long (whole weeks, the current one aside).
SILENCE = timedelta(weeks=2)
# A promotion whose end date is not recorded is taken to last its 10 months, and a little more.
RESIDENCE_WITHOUT_END = timedelta(days=320)
# The week closes on Friday at 15:00, Paris time: the recap goes out then.
CLOSING_DAY = timedelta(days=4)
CLOSING_TIME = time(15, 0)


def paris_today(now=None):
    """The date in the programme's time zone, whatever the server's."""
    return calendars.local(now or timezone.now()).date()


def week_closes_at(monday: date):
    """The instant the week of `monday` closes and its recap goes out."""
    return paris_time(monday + CLOSING_DAY, CLOSING_TIME)


def current_week(now=None):
    """The Monday of the week an update written at `now` belongs to.

    From Friday 15:00 (Paris) on, that is the next week: the recap has gone, and a
    help request posted on Friday afternoon must reach the next one.
    """
    now = now or timezone.now()
    monday = monday_of(paris_today(now))
    return monday + timedelta(weeks=1) if now >= week_closes_at(monday) else monday


def iso_week(monday: date) -> str:
    """The name of a week, as the outbox occasion: "2026-W19"."""
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def in_residence(day):
    """The promotions whose teams are in residence on `day`, as a filter."""
    return Q(starts_on__lte=day) & (
        Q(ends_on__gte=day) | Q(ends_on__isnull=True, starts_on__gt=day - RESIDENCE_WITHOUT_END)
    )


def is_in_residence(promotion, day):
    """The same rule as `in_residence`, for a promotion already read."""
    if promotion.starts_on is None or promotion.starts_on > day:
        return False
    if promotion.ends_on is None:
        return promotion.starts_on > day - RESIDENCE_WITHOUT_END
    return promotion.ends_on >= day


def running_promotion(today=None, promotions=None):
    """The promotion in residence (the latest to start), else the latest that started.

    Pass the promotions already read to pick among them without another query.
    """
    today = today or paris_today()
    promotions = list(Promotion.objects.all() if promotions is None else promotions)
    started = sorted(
        (p for p in promotions if p.starts_on is not None and p.starts_on <= today),
        key=lambda p: (p.starts_on, p.year),
        reverse=True,
    )
    in_residence_now = [p for p in started if is_in_residence(p, today)]
    return next(iter(in_residence_now or started or promotions), None)


# --- The weekly update ------------------------------------------------------------


def post_update(*, team, by, spirit, priorities, victories="", help_needed="", now=None, week=None):
    """Write, or rewrite, the team's update of the current week.

    Any EIG of the team may edit it until the week closes (Friday 15:00, Paris);
    `week` is the week the author meant (the form's), so that a form opened before
    the close and sent after it is refused rather than filed under the wrong week.
    The database keeps one update per team and week: two members posting at once
    edit the same one. A new request for help alerts staff and the team's mentors.
    """
    if not rules.has_perm("mentoring.post_update", by, team):
        raise PermissionDenied(_("Seuls les EIG de l’équipe écrivent son bulletin."))
    current = current_week(now)
    if week is not None and week > current:
        raise ValidationError(
            _("Seul le bulletin de la semaine en cours peut être écrit."), code="future_week"
        )
    if week is not None and week < current:
        raise ValidationError(
            _(
                "Le bulletin de la semaine du %(week)s est clos : seul celui de la semaine "
                "en cours (du %(current)s) peut encore être écrit ou modifié."
            )
            % {"week": formats.date_format(week), "current": formats.date_format(current)},
            code="past_week",
        )
    fields = {
        "spirit": spirit,
        "priorities": (priorities or "").strip(),
        "victories": (victories or "").strip(),
        "help_needed": (help_needed or "").strip(),
    }
    WeeklyUpdate(team=team, week=current, author=by, **fields).full_clean(
        exclude=["team", "author"], validate_unique=False, validate_constraints=False
    )
    with transaction.atomic():
        update = _write(team=team, week=current, by=by, fields=fields)
        if update.help_needed and update.help_handled_at is None:
            _alert_help_requested(update)
    return update


def _write(*, team, week, by, fields):
    """The team's update of `week`, created or rewritten by `by`, each version kept."""
    update = WeeklyUpdate.objects.select_for_update().filter(team=team, week=week).first()
    if update is None:
        update = WeeklyUpdate(team=team, week=week, author=by, **fields)
        update._history_user = by
        try:
            # The race's loser hits the unique constraint and edits the winner's row instead.
            with transaction.atomic():
                update.save(force_insert=True)
            return update
        except IntegrityError:
            update = WeeklyUpdate.objects.select_for_update().get(team=team, week=week)
    _rewrite(update, fields, by)
    return update


def _rewrite(update, fields, by):
    """A second EIG's edit is signed by her, the first author's version kept in the history."""
    if all(getattr(update, name) == value for name, value in fields.items()):
        return
    update_fields = [*fields, "updated_at", "edited_by"]
    if fields["help_needed"] != update.help_needed:
        # A new request for help is a new request: staff must see it again.
        update.help_handled_at = update.help_handled_by = None
        update_fields += ["help_handled_at", "help_handled_by"]
    for name, value in fields.items():
        setattr(update, name, value)
    update.edited_by = by
    update._history_user = by
    update.save(update_fields=update_fields)


def update_versions(update):
    """Every version of an update, the latest first, with who wrote it."""
    return update.history.select_related("history_user").order_by("-history_date", "-history_id")


# The same text from the same person on the same update within this delay is
# the same comment posted twice (a double or triple click), kept once.
SAME_COMMENT_WITHIN = timedelta(minutes=2)


@transaction.atomic
def comment(*, update, by, text):
    """A mentor of the team, or staff, comments on an update; the team reads it."""
    if not rules.has_perm("mentoring.comment_team_updates", by, update.team):
        raise PermissionDenied(
            _("Seuls les mentors de l’équipe et l’équipe du programme commentent.")
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Le commentaire est vide."), code="empty")
    # One comment at a time per update: the second of two identical posts sees the first.
    WeeklyUpdate.objects.select_for_update().filter(pk=update.pk).values_list("pk").first()
    same = UpdateComment.objects.filter(
        update=update,
        author=by,
        text=text,
        created_at__gte=timezone.now() - SAME_COMMENT_WITHIN,
    ).first()
    if same is not None:
        return same  # told once already
    posted = UpdateComment.objects.create(update=update, author=by, text=text)
    for user in _team_accounts(update.team):
        if user != by:
            queue_email(
                event=events.COMMENT_POSTED,
                recipient=user,
                obj=posted,
                context={"update": update, "comment": posted},
            )
    return posted


def mark_help_handled(*, update, by):
    """Staff took care of the help the team asked for: it leaves the open requests."""
    if not rules.has_perm("mentoring.handle_help_requests", by):
        raise PermissionDenied(_("Seule l’équipe du programme traite les demandes d’aide."))
    if not update.help_needed:
        raise ValidationError(_("Ce bulletin ne demande pas d’aide."), code="no_help")
    if update.help_handled_at is None:
        update.help_handled_at = timezone.now()
        update.help_handled_by = by
        update.save(update_fields=["help_handled_at", "help_handled_by"])
        for user in _team_accounts(update.team):
            queue_email(
                event=events.HELP_PICKED_UP,
                recipient=user,
                obj=update,
                occasion=_help_occasion(update),
                context={"update": update, "handled_by": by},
            )
    return update


def _help_occasion(update):
    """One alert per request: the same text posted again is the same request."""
    return "aide-" + hashlib.sha256(update.help_needed.encode()).hexdigest()[:16]


def _alert_help_requested(update):
    """Staff and the team's mentors learn of a request for help at once, not on Friday."""
    for user in _helpers_of(update.team):
        queue_email(
            event=events.HELP_REQUESTED,
            recipient=user,
            obj=update,
            occasion=_help_occasion(update),
            context={"update": update},
        )


def _active(users):
    """Each active account once, in a stable order."""
    seen = {}
    for user in users:
        if user is not None and user.is_active and user.email:
            seen.setdefault(user.pk, user)
    return sorted(seen.values(), key=lambda user: user.email)


def _team_accounts(team):
    """The team's EIGs who have an account."""
    members = TeamMember.objects.filter(team=team).select_related("person__user")
    return _active(member.person.user for member in members)


def _mentor_accounts(challenges):
    mentorships = ChallengeMentor.objects.filter(challenge__in=challenges).select_related(
        "person__user"
    )
    return [mentorship.person.user for mentorship in mentorships]


def _helpers_of(team):
    """Staff and the team's mentors (operational and strategic)."""
    return _active([*programme_staff(), *_mentor_accounts([team.challenge_id])])


def promotion_members(promotion):
    """The EIGs and mentors of the promotion's teams who have an account."""
    members = TeamMember.objects.filter(team__challenge__promotion=promotion).select_related(
        "person__user"
    )
    mentors = _mentor_accounts(
        Team.objects.filter(challenge__promotion=promotion).values("challenge")
    )
    return _active([*(member.person.user for member in members), *mentors])


def open_help_requests(*, promotion):
    """The help asked for and not yet handled, oldest first: it stays until staff handle it."""
    return (
        WeeklyUpdate.objects.open_help_requests()
        .filter(team__challenge__promotion=promotion)
        .select_related("team__challenge", "author")
        .order_by("week", "team__challenge__title")
    )


# --- The mentors' private notes -----------------------------------------------------


def add_note(*, team, by, text):
    """A mentor of the team (or staff) writes a note the team never reads."""
    if not rules.has_perm("mentoring.add_mentor_note", by, team):
        raise PermissionDenied(_("Seuls les mentors de l’équipe et l’équipe du programme notent."))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("La note est vide."), code="empty")
    return MentorNote.objects.create(team=team, author=by, text=text)


def visible_notes(*, team, user):
    """The team's notes for its mentors and staff; nothing for anyone else, never for its EIGs."""
    if not rules.has_perm("mentoring.view_mentor_notes", user, team):
        return MentorNote.objects.none()
    return MentorNote.objects.filter(team=team).select_related("author")


# --- What staff see ----------------------------------------------------------------


MISSING = "missing"


@dataclass(frozen=True)
class GridRow:
    """A team and, for each week of the grid, its update (None when missing)."""

    team: Team
    cells: list

    @property
    def spirits(self):
        """Each week's spirit, or MISSING."""
        return [update.spirit if update else MISSING for update in self.cells]


def recent_weeks(*, today, count=DEFAULT_GRID_WEEKS):
    """The Mondays of the last `count` weeks, the current one last."""
    current = monday_of(today)
    return [current - timedelta(weeks=n) for n in reversed(range(count))]


def grid_weeks(*, promotion, until, count=DEFAULT_GRID_WEEKS):
    """The staff grid's weeks, the current one first (it opens on it, even on a phone),
    and none from before the promotion started."""
    first = monday_of(promotion.starts_on) if promotion.starts_on else None
    weeks = reversed(recent_weeks(today=until, count=count))
    return [week for week in weeks if first is None or week >= first]


def week_grid(*, promotion, weeks):
    """Teams × weeks, in the order given, with each week's update: two queries, whatever the size."""
    weeks = list(weeks)
    teams = (
        Team.objects.filter(challenge__promotion=promotion)
        .select_related("challenge")
        .order_by("challenge__title", "pk")
    )
    updates = WeeklyUpdate.objects.filter(
        team__challenge__promotion=promotion, week__in=weeks
    ).only("pk", "team_id", "week", "spirit", "help_needed", "help_handled_at")
    by_cell = {(update.team_id, update.week): update for update in updates}
    return [GridRow(team, [by_cell.get((team.pk, week)) for week in weeks]) for team in teams]


def silent_teams(*, promotion, today):
    """Teams without an update for two whole weeks or more (the current week aside).

    A team that posted this week is not silent; a team that never posted is, once
    its promotion has been in residence for those two whole weeks.
    """
    since = monday_of(today) - SILENCE
    silent = Q(last_week__lt=since)
    if promotion.starts_on is None or promotion.starts_on <= since:
        silent |= Q(last_week__isnull=True)
    return (
        Team.objects.filter(challenge__promotion=promotion)
        .annotate(last_week=Max("weekly_updates__week"))
        .filter(silent)
        .select_related("challenge")
        .order_by("challenge__title", "pk")
    )


# --- The promotion reads each other's updates --------------------------------------


def updates_shared(promotion):
    """Shared unless staff said otherwise for this promotion."""
    return shares_updates(None, promotion)


def share_updates(*, promotion, shared, by):
    """Staff choose whether the promotion's teams read each other's updates."""
    if not rules.has_perm("mentoring.manage_update_sharing", by):
        raise PermissionDenied(_("Seule l’équipe du programme règle le partage des bulletins."))
    UpdateSharing.objects.update_or_create(promotion=promotion, defaults={"shared": shared})


def promotion_week(*, promotion, week):
    """Every team of the promotion with its update of `week` (None when missing): two queries."""
    teams = list(
        Team.objects.filter(challenge__promotion=promotion)
        .select_related("challenge__administration")
        .order_by("challenge__title", "pk")
    )
    updates = WeeklyUpdate.objects.filter(
        team__in=[team.pk for team in teams], week=week
    ).select_related("author", "help_handled_by")
    by_team = {update.team_id: update for update in updates}
    return [(team, by_team.get(team.pk)) for team in teams]

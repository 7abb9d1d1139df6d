"""What the jury desk shows staff of one call, read in a fixed number of queries
whatever the number of panels, members and challenges: the panels, the timetable of
the jury days as a grid, where each convocation stands and what blocks sending."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from challenges.jury import services as jury
from challenges.models import Audition, Challenge, JuryMember, JuryPanel
from eig import calendars


@dataclass
class Cell:
    panel: JuryPanel
    auditions: list


@dataclass
class HalfDay:
    opens_at: object
    closes_at: object
    cells: list = field(default_factory=list)

    @property
    def is_morning(self):
        return calendars.local(self.opens_at).hour < 12


def _panels(call):
    members = JuryMember.objects.select_related("user", "administration").order_by(
        "user__last_name", "user__first_name", "pk"
    )
    auditions = (
        Audition.objects.filter(cancelled_at__isnull=True)
        .select_related("challenge__administration")
        .order_by("starts_at", "pk")
    )
    return list(
        call.panels.select_related("lead__user", "organiser")
        .prefetch_related(
            Prefetch("members", queryset=members), Prefetch("auditions", queryset=auditions)
        )
        .order_by("pk")
    )


def timetable_grid(call, panels):
    """Half-days of the jury days in order, each with the panels sitting then; and the
    panels whose auditions fall outside every half-day."""
    half_days = [HalfDay(opens, closes) for opens, closes in jury.half_days(jury.jury_days(call))]
    outside = []
    for panel in panels:
        heard = list(panel.auditions.all())
        if not heard:
            continue
        first, last = heard[0].starts_at, max(a.ends_at for a in heard)
        slot = next((h for h in half_days if h.opens_at <= first and last <= h.closes_at), None)
        (slot.cells if slot else outside).append(Cell(panel, heard))
    return half_days, outside


def read(*, call, now=None):
    now = now or timezone.now()
    panels = _panels(call)
    for panel in panels:
        for audition in panel.auditions.all():
            audition.convocation = jury.convocation_state(audition)
    half_days, outside = timetable_grid(call, panels)
    cancelled = list(
        Audition.objects.filter(panel__call=call, cancelled_at__isnull=False)
        .select_related("panel", "challenge")
        .order_by("starts_at")
    )
    for audition in cancelled:
        audition.convocation = jury.convocation_state(audition)
    states = Counter(a.convocation for p in panels for a in p.auditions.all()) + Counter(
        a.convocation for a in cancelled
    )
    waiting = list(
        call.jury_members.filter(panel__isnull=True)
        .select_related("user")
        .order_by("user__last_name", "pk")
    )
    shortlisted = call.challenges.filter(status=Challenge.Status.SHORTLISTED).count()
    to_tell = jury.members_to_tell(call=call)
    return {
        "panels": [_panel_row(panel) for panel in panels],
        "half_days": half_days,
        "outside": outside,
        "parallel": range(jury.PANELS_IN_PARALLEL),
        "cancelled": cancelled,
        "waiting": waiting,
        "member_count": sum(len(p.members.all()) for p in panels) + len(waiting),
        "shortlisted": shortlisted,
        "capacity": jury.panel_capacity(call),
        "states": [
            (states[key], label) for key, label in jury.Convocation.LABELS.items() if states[key]
        ],
        "to_send": sum(
            states.get(key, 0)
            for key in (jury.Convocation.DRAFT, jury.Convocation.CHANGED, jury.Convocation.CANCEL)
        ),
        "members_to_tell": len(to_tell),
        "problems": jury.readiness_problems(call=call, now=now),
    }


@dataclass
class PanelRow:
    panel: JuryPanel
    members: list
    auditions: list
    profiles: list

    @property
    def size_is_right(self):
        return JuryPanel.MIN_MEMBERS <= len(self.members) <= JuryPanel.MAX_MEMBERS


def _panel_row(panel):
    members = list(panel.members.all())
    counted = Counter(member.get_profile_display() for member in members)
    profiles = sorted(counted.items())
    return PanelRow(panel, members, list(panel.auditions.all()), profiles)

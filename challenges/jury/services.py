"""The jury of the call for projects, as plain functions.

Staff compose the panels, give each shortlisted challenge a panel, lay the
timetable out and send the convocations (the admin actions of the call call
these); members read their kits, leave remarks and declare their conflicts of
interest; the panel lead records the panel's grid during deliberation.

Times are Europe/Paris wall-clock times (9:00 is 9:00 in winter and in summer),
stored as aware datetimes. None of these functions takes a request.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from challenges import notifications as events
from challenges.models import (
    Administration,
    AdministrationContact,
    Audition,
    CallForProjects,
    Challenge,
    ChallengeMentor,
    ConflictOfInterest,
    JuryMember,
    JuryPanel,
    JuryRemark,
    KitReading,
    PanelEvaluation,
    PanelScore,
    SelectionCriterion,
)
from eig import calendars, notifications, reminders, sql
from eig.grids import checked_scores
from eig.models import OutboxMessage, User
from eig.roles import programme_staff

# A half-day of jury: 9:00–12:30 or 14:00–17:30.
HALF_DAY = timedelta(hours=3, minutes=30)
# Nobody sits more than 40 minutes without a 10-minute break.
SITTING_BEFORE_BREAK = timedelta(minutes=40)
BREAK = timedelta(minutes=10)
# Two panels at once, each with its staff organiser, plus the waiting room.
PANELS_IN_PARALLEL = 2
MORNING, AFTERNOON = time(9, 0), time(14, 0)

KIT_REMINDER_BEFORE = timedelta(days=2)
CONVOCATION_REMINDER_AT = time(9, 0)


# --- Panels --------------------------------------------------------------------------


def _profile_rank(member):
    return list(JuryMember.Profile.values).index(member.profile)


def panel_capacity(call):
    """How many panels the jury days hold: two at a time, one per half-day each."""
    return PANELS_IN_PARALLEL * 2 * len(list(jury_days(call)))


def _check_capacity(call, panel_count):
    capacity = panel_capacity(call)
    if panel_count > capacity:
        raise ValidationError(
            _(
                "%(panels)s panels ne tiennent pas dans les %(days)s jours de jury : chaque "
                "panel siège une demi-journée, deux panels au plus en même temps, soit "
                "%(capacity)s panels au plus. Composez moins de panels ou ajoutez un jour de jury."
            )
            % {"panels": panel_count, "days": len(list(jury_days(call))), "capacity": capacity}
        )


@transaction.atomic
def compose_panels(*, call, panel_count, start_over=False):
    """Share the members without a panel among `panel_count` panels, profile by profile.

    Each profile is dealt round the panels in turn (to the panel with fewest of
    that profile, then the smallest), so every panel gets its share of staff,
    alumni, civil servants… and sizes stay even. Members already seated stay,
    unless `start_over`: then every member is dealt again (leads are chosen again
    too) and panels beyond `panel_count` that hear nothing are removed.
    A member never joins a panel that already hears a challenge of their
    administration or one they declared a conflict on.

    Refuses, saying why, more panels than the jury days hold, and a composition
    that would change nothing.
    """
    if panel_count < 1:
        raise ValidationError(_("Il faut au moins un panel."))
    _check_capacity(call, panel_count)
    if start_over:
        _unseat_everyone(call, panel_count)
    elif not call.jury_members.filter(panel__isnull=True).exists():
        existing = call.panels.count()
        raise ValidationError(
            _(
                "Rien à changer : les %(members)s membres du jury siègent déjà dans les "
                "%(existing)s panels. Pour répartir tout le monde à nouveau en %(panels)s "
                "panels, cochez « tout recomposer »."
            )
            % {"members": call.jury_members.count(), "existing": existing, "panels": panel_count}
        )
    panels = [
        JuryPanel.objects.get_or_create(call=call, name=f"Panel {n}")[0]
        for n in range(1, panel_count + 1)
    ]
    seated = list(JuryMember.objects.filter(panel__in=panels).values_list("panel_id", "profile"))
    waiting = sorted(
        call.jury_members.filter(panel__isnull=True).select_related("user"),
        key=lambda m: (_profile_rank(m), m.user.last_name, m.user.first_name, m.pk),
    )
    total = len(seated) + len(waiting)
    low, high = JuryPanel.MIN_MEMBERS * panel_count, JuryPanel.MAX_MEMBERS * panel_count
    if not low <= total <= high:
        raise ValidationError(
            _(
                "Impossible de former %(panels)s panels de %(min)s à %(max)s membres avec "
                "%(members)s membres du jury : il en faut entre %(low)s et %(high)s."
            )
            % {
                "panels": panel_count,
                "min": JuryPanel.MIN_MEMBERS,
                "max": JuryPanel.MAX_MEMBERS,
                "members": total,
                "low": low,
                "high": high,
            }
        )
    size = Counter(panel_id for panel_id, _profile in seated)
    profiles = Counter(seated)
    forbidden = _panels_forbidden_to(waiting, panels)
    cursor = 0
    for member in waiting:
        open_panels = [
            (index, panel)
            for index, panel in enumerate(panels)
            if size[panel.pk] < JuryPanel.MAX_MEMBERS and panel.pk not in forbidden[member.pk]
        ]
        if not open_panels:
            raise ValidationError(
                _(
                    "Aucun panel ne peut accueillir %(member)s : tous sont complets ou "
                    "auditionnent un défi de son administration."
                )
                % {"member": member}
            )
        index, panel = min(
            open_panels,
            key=lambda item: (
                profiles[(item[1].pk, member.profile)],
                size[item[1].pk],
                (item[0] - cursor) % panel_count,
            ),
        )
        member.panel = panel
        size[panel.pk] += 1
        profiles[(panel.pk, member.profile)] += 1
        cursor = index + 1
    JuryMember.objects.bulk_update(waiting, ["panel"])
    short = [panel.name for panel in panels if size[panel.pk] < JuryPanel.MIN_MEMBERS]
    if short:
        raise ValidationError(
            _("Ces panels auraient moins de %(min)s membres : %(panels)s.")
            % {"min": JuryPanel.MIN_MEMBERS, "panels": ", ".join(short)}
        )
    return panels


def _unseat_everyone(call, panel_count):
    """Before a new composition: nobody seated, no lead, extra panels gone if they hear nothing."""
    extra = call.panels.exclude(name__in=[f"Panel {n}" for n in range(1, panel_count + 1)])
    hearing = list(extra.filter(auditions__isnull=False).distinct().values_list("name", flat=True))
    if hearing:
        raise ValidationError(
            _(
                "Impossible de passer à %(panels)s panels : %(names)s auditionne(nt) encore des "
                "défis. Déplacez ou annulez d'abord leurs auditions."
            )
            % {"panels": panel_count, "names": ", ".join(hearing)}
        )
    call.jury_members.update(panel=None)
    call.panels.update(lead=None)
    extra.delete()


def _panels_forbidden_to(members, panels):
    """member pk → panels hearing a challenge of their administration or one they declared a conflict on."""
    heard = list(
        Audition.objects.filter(panel__in=panels).values_list(
            "panel_id", "challenge_id", "challenge__administration_id"
        )
    )
    conflicts = defaultdict(set)
    for member_id, challenge_id in ConflictOfInterest.objects.filter(
        member__in=[m.pk for m in members]
    ).values_list("member_id", "challenge_id"):
        conflicts[member_id].add(challenge_id)
    forbidden = defaultdict(set)
    for member in members:
        for panel_id, challenge_id, administration_id in heard:
            if (
                member.administration_id is not None
                and administration_id == member.administration_id
            ) or challenge_id in conflicts[member.pk]:
                forbidden[member.pk].add(panel_id)
    return forbidden


# --- Challenges to panels ------------------------------------------------------------


@transaction.atomic
def assign_challenges(*, call):
    """Give each shortlisted challenge a panel: 2 or 3 per panel, and never a panel
    where a member belongs to its administration or declared a conflict on it.

    Challenges keep their panel when it still fits. New auditions start at a
    provisional time; `lay_out_timetable` then places them.
    """
    challenges = list(
        call.challenges.filter(status=Challenge.Status.SHORTLISTED)
        .select_related("audition")
        .order_by("pk")
    )
    panels = list(
        call.panels.order_by("pk").prefetch_related(
            Prefetch(
                "members",
                queryset=JuryMember.objects.prefetch_related("conflicts"),
            )
        )
    )
    _check_panel_count(len(challenges), len(panels))
    choices = {challenge: _panels_for(challenge, panels) for challenge in challenges}
    homeless = [challenge.title for challenge, allowed in choices.items() if not allowed]
    if homeless:
        raise ValidationError(
            _(
                "Aucun panel ne peut auditionner %(challenges)s : chaque panel compte un membre "
                "de son administration ou ayant déclaré un conflit d'intérêts."
            )
            % {"challenges": ", ".join(f"« {title} »" for title in homeless)}
        )
    assignment = match_with_bounds(
        choices, low=JuryPanel.MIN_CHALLENGES, high=JuryPanel.MAX_CHALLENGES, bins=panels
    )
    if assignment is None:
        raise ValidationError(
            _(
                "Impossible de donner 2 ou 3 défis à chaque panel sans qu'un membre siège pour "
                "un défi de son administration ou en conflit d'intérêts : recomposez les panels."
            )
        )
    return _save_assignment(call, assignment)


def _check_panel_count(challenge_count, panel_count):
    if panel_count == 0:
        raise ValidationError(_("Composez d'abord les panels du jury."))
    low, high = JuryPanel.MIN_CHALLENGES, JuryPanel.MAX_CHALLENGES
    if not low * panel_count <= challenge_count <= high * panel_count:
        raise ValidationError(
            _(
                "%(challenges)s défis présélectionnés pour %(panels)s panels : chaque panel "
                "auditionne 2 ou 3 défis, il faut donc entre %(fewest)s et %(most)s panels."
            )
            % {
                "challenges": challenge_count,
                "panels": panel_count,
                "fewest": math.ceil(challenge_count / high),
                "most": challenge_count // low,
            }
        )


def _panels_for(challenge, panels):
    """The panels that may hear a challenge, its current panel first."""
    allowed = [
        panel
        for panel in panels
        if not any(
            member.administration_id == challenge.administration_id
            or any(conflict.challenge_id == challenge.pk for conflict in member.conflicts.all())
            for member in panel.members.all()
        )
    ]
    current_panel_id = challenge.audition.panel_id if _has_audition(challenge) else None
    return sorted(allowed, key=lambda panel: panel.pk != current_panel_id)


def _has_audition(challenge):
    try:
        challenge.audition  # noqa: B018 — loaded by select_related
    except Audition.DoesNotExist:
        return False
    return True


def match_with_bounds(choices, *, low, high, bins):
    """Place every item in one of its allowed bins, each bin holding `low` to `high` items.

    `choices` maps an item to its allowed bins, in order of preference. Returns
    {item: bin}, or None when no placement exists. First every bin is filled up
    to `low` (a maximum matching: if it does not reach low × bins, no placement
    does), then the rest placed up to `high`; augmenting paths never empty a
    bin, so the lower bound holds.
    """
    placed: dict[Hashable, Hashable] = {}
    holders: dict[Hashable, list] = defaultdict(list)

    def augment(item, capacity, seen):
        """Find `item` a bin, moving others to another of their bins if need be."""
        for target in choices[item]:
            if target in seen:
                continue
            seen.add(target)
            if len(holders[target]) < capacity or any(
                augment(other, capacity, seen) for other in list(holders[target])
            ):
                if item in placed:
                    holders[placed[item]].remove(item)
                placed[item] = target
                holders[target].append(item)
                return True
        return False

    for item in choices:
        augment(item, low, set())
    if sum(len(holders[b]) for b in bins) < low * len(bins):
        return None
    for item in choices:
        if item not in placed and not augment(item, high, set()):
            return None
    return placed


def _save_assignment(call, assignment):
    provisional = defaultdict(lambda: reminders.paris_time(call.jury_starts_on, MORNING))
    auditions = []
    for challenge, panel in assignment.items():
        if _has_audition(challenge):
            audition = challenge.audition
            if audition.cancelled_at is not None:
                # Heard again after all: a convocation already sent goes out anew.
                audition.cancelled_at = None
                audition.sent_starts_at = None
                audition.save(update_fields=["cancelled_at", "sent_starts_at"])
            if audition.panel_id != panel.pk:
                audition.panel = panel
                audition.save(update_fields=["panel"])
        else:
            starts_at = provisional[panel.pk]
            audition = Audition.objects.create(
                challenge=challenge, panel=panel, starts_at=starts_at
            )
            provisional[panel.pk] = starts_at + Audition.LENGTH + BREAK
        auditions.append(audition)
    return auditions


# --- The timetable -------------------------------------------------------------------


def audition_starts(opens_at, count):
    """When each of `count` auditions starts, back to back from `opens_at`,
    with a break after every 40 minutes of sitting."""
    starts, at, sitting = [], opens_at, timedelta(0)
    for _n in range(count):
        if sitting >= SITTING_BEFORE_BREAK:
            at, sitting = at + BREAK, timedelta(0)
        starts.append(at)
        at, sitting = at + Audition.LENGTH, sitting + Audition.LENGTH
    return starts


def half_days(days, *, day_starts=MORNING, afternoon_starts=AFTERNOON):
    """(opens, closes) of each half-day of the jury, morning then afternoon, in Paris time."""
    for day in days:
        for at in (day_starts, afternoon_starts):
            opens_at = reminders.paris_time(day, at)
            yield opens_at, opens_at + HALF_DAY


def plan_timetable(*, panels, days, day_starts=MORNING, afternoon_starts=AFTERNOON):
    """The pure computation: `panels` is [(panel, [audition key, …]), …] in order.

    Each panel sits one half-day, at most two panels per half-day, half-days
    filled in order. Returns {audition key: aware start}; raises ValidationError
    when the jury days are too few or a panel has too much for a half-day.
    """
    if datetime.combine(date.min, day_starts) + HALF_DAY > datetime.combine(
        date.min, afternoon_starts
    ):
        raise ValidationError(_("La matinée déborderait sur l'après-midi."))
    sittings = [(panel, items) for panel, items in panels if items]
    slots = list(half_days(days, day_starts=day_starts, afternoon_starts=afternoon_starts))
    if len(sittings) > PANELS_IN_PARALLEL * len(slots):
        raise ValidationError(
            _(
                "%(panels)s panels ne tiennent pas en %(half_days)s demi-journées de jury, à "
                "deux panels au plus en même temps : ajoutez un jour de jury."
            )
            % {"panels": len(sittings), "half_days": len(slots)}
        )
    plan = {}
    for index, (panel, items) in enumerate(sittings):
        opens_at, closes_at = slots[index // PANELS_IN_PARALLEL]
        starts = audition_starts(opens_at, len(items))
        if starts[-1] + Audition.LENGTH > closes_at:
            raise ValidationError(
                _("Les %(count)s auditions du panel %(panel)s ne tiennent pas en une demi-journée.")
                % {"count": len(items), "panel": panel}
            )
        plan.update(zip(items, starts, strict=True))
    return plan


def save_timetable(*, plan):
    """Write a plan of {audition: start} in one query."""
    auditions = []
    for audition, starts_at in plan.items():
        audition.starts_at = starts_at
        auditions.append(audition)
    Audition.objects.bulk_update(auditions, ["starts_at"])
    return auditions


def jury_days(call):
    day = call.jury_starts_on
    while day <= call.jury_ends_on:
        yield day
        day += timedelta(days=1)


@transaction.atomic
def lay_out_timetable(*, call, day_starts=MORNING, afternoon_starts=AFTERNOON):
    """Place every audition of the call (staff may then move them in the admin).

    A panel's auditions keep their order (by their current start)."""
    panels = call.panels.order_by("pk").prefetch_related(
        Prefetch(
            "auditions",
            queryset=Audition.objects.filter(cancelled_at__isnull=True).order_by("starts_at", "pk"),
        )
    )
    plan = plan_timetable(
        panels=[(panel, list(panel.auditions.all())) for panel in panels],
        days=list(jury_days(call)),
        day_starts=day_starts,
        afternoon_starts=afternoon_starts,
    )
    return save_timetable(plan=plan)


def timetable_conflicts(*, call, day_starts=MORNING, afternoon_starts=AFTERNOON):
    """What is wrong with the timetable, in words staff can act on (empty when all is well)."""
    auditions = list(
        Audition.objects.filter(panel__call=call, cancelled_at__isnull=True)
        .select_related("panel__organiser", "challenge")
        .order_by("starts_at", "pk")
    )
    by_panel = defaultdict(list)
    for audition in auditions:
        by_panel[audition.panel].append(audition)
    windows = list(
        half_days(jury_days(call), day_starts=day_starts, afternoon_starts=afternoon_starts)
    )
    problems = []
    for panel, heard in by_panel.items():
        problems += _panel_problems(panel, heard, windows)
    problems += _parallel_problems(by_panel)
    problems += _people_problems(call, by_panel)
    return problems


def _panel_problems(panel, heard, windows):
    problems = []
    block_starts_at = heard[0].starts_at
    for before, after in zip(heard, heard[1:], strict=False):
        if after.starts_at < before.ends_at:
            problems.append(
                _(
                    "%(panel)s : « %(first)s » et « %(second)s » se chevauchent le %(day)s "
                    "(%(first_at)s et %(second_at)s) ; ses membres ne peuvent siéger aux deux."
                )
                % {
                    "panel": panel,
                    "first": before.challenge,
                    "second": after.challenge,
                    "day": calendars.day(after.starts_at),
                    "first_at": calendars.hhmm(before.starts_at),
                    "second_at": calendars.hhmm(after.starts_at),
                }
            )
            continue
        if after.starts_at - before.ends_at >= BREAK:
            block_starts_at = after.starts_at
        elif after.ends_at - block_starts_at > SITTING_BEFORE_BREAK:
            problems.append(
                _(
                    "%(panel)s : pas de pause de 10 minutes avant « %(challenge)s » "
                    "le %(day)s à %(at)s (40 minutes de séance au plus sans pause)."
                )
                % {
                    "panel": panel,
                    "challenge": after.challenge,
                    "day": calendars.day(after.starts_at),
                    "at": calendars.hhmm(after.starts_at),
                }
            )
    opens_at, closes_at = heard[0].starts_at, max(a.ends_at for a in heard)
    if not any(start <= opens_at and closes_at <= end for start, end in windows):
        problems.append(
            _(
                "%(panel)s siège du %(from_day)s %(from_at)s au %(to_day)s %(to_at)s : au-delà "
                "d'une demi-journée de jury (9 h – 12 h 30 ou 14 h – 17 h 30, pendant les jours "
                "de jury)."
            )
            % {
                "panel": panel,
                "from_day": calendars.day(opens_at),
                "from_at": calendars.hhmm(opens_at),
                "to_day": calendars.day(closes_at),
                "to_at": calendars.hhmm(closes_at),
            }
        )
    return problems


def _parallel_problems(by_panel):
    """More than two panels sitting at the same instant (from a panel's first
    audition to the end of its last)."""
    edges = []
    for panel, heard in by_panel.items():
        edges.append((heard[0].starts_at, 1, panel))
        edges.append((max(a.ends_at for a in heard), -1, panel))
    problems, sitting, reported = [], [], set()
    for moment, change, panel in sorted(edges, key=lambda e: (e[0], e[1], e[2].pk)):
        if change < 0:
            sitting.remove(panel)
            continue
        sitting.append(panel)
        together = frozenset(p.pk for p in sitting)
        if len(sitting) > PANELS_IN_PARALLEL and together not in reported:
            reported.add(together)
            problems.append(
                _("Plus de deux panels siègent en même temps le %(day)s à %(at)s : %(panels)s.")
                % {
                    "day": calendars.day(moment),
                    "at": calendars.hhmm(moment),
                    "panels": ", ".join(p.name for p in sorted(sitting, key=lambda p: p.pk)),
                }
            )
    return problems


def _people_problems(call, by_panel):
    """A person who sits in two panels whose auditions overlap (a member of one
    panel who organises another, for instance)."""
    seats, people = defaultdict(set), {}
    for member in JuryMember.objects.filter(call=call, panel__isnull=False).select_related("user"):
        seats[member.user_id].add(member.panel_id)
        people[member.user_id] = member.user
    for panel in by_panel:
        if panel.organiser_id:
            seats[panel.organiser_id].add(panel.pk)
            people[panel.organiser_id] = panel.organiser
    heard_by = {panel.pk: heard for panel, heard in by_panel.items()}
    problems = []
    for user_id, panel_ids in seats.items():
        busy = sorted(
            (a for panel_id in panel_ids for a in heard_by.get(panel_id, ())),
            key=lambda a: a.starts_at,
        )
        for before, after in zip(busy, busy[1:], strict=False):
            if before.panel_id != after.panel_id and after.starts_at < before.ends_at:
                problems.append(
                    _(
                        "%(person)s siège en même temps dans %(first)s et %(second)s le %(day)s "
                        "à %(at)s."
                    )
                    % {
                        "person": people[user_id],
                        "first": before.panel,
                        "second": after.panel,
                        "day": calendars.day(after.starts_at),
                        "at": calendars.hhmm(after.starts_at),
                    }
                )
    return problems


# --- Readiness ----------------------------------------------------------------------


def readiness_problems(*, call, now=None):
    """What must be solved before convocations go out, one sentence per problem
    (empty when all is ready). The desk shows them; `send_convocations` refuses
    while there are any."""
    now = now or timezone.now()
    panels = list(
        call.panels.select_related("lead__user")
        .prefetch_related(
            Prefetch(
                "auditions",
                queryset=Audition.objects.filter(cancelled_at__isnull=True).select_related(
                    "challenge"
                ),
            )
        )
        .order_by("pk")
    )
    hearing = [panel for panel in panels if panel.auditions.all()]
    problems = []
    for panel in hearing:
        if panel.lead_id is None:
            problems.append(_("%(panel)s n'a pas de président·e.") % {"panel": panel})
        if not panel.place and not panel.video_link:
            problems.append(
                _("%(panel)s n'a ni lieu ni lien de visioconférence.") % {"panel": panel}
            )
    capacity = panel_capacity(call)
    if len(hearing) > capacity:
        problems.append(
            _(
                "%(panels)s panels auditionnent, mais les jours de jury n'en tiennent que "
                "%(capacity)s : regroupez des panels ou ajoutez un jour de jury."
            )
            % {"panels": len(hearing), "capacity": capacity}
        )
    # An audition already sent and held is done; one still to send must lie ahead.
    past = [
        a
        for panel in hearing
        for a in panel.auditions.all()
        if a.starts_at <= now and convocation_state(a) != Convocation.SENT
    ]
    if past:
        problems.append(
            _("Auditions déjà passées : %(auditions)s. Déplacez-les ou annulez-les.")
            % {"auditions": ", ".join(f"« {a.challenge} » ({a.panel})" for a in past)}
        )
    problems += _lead_conflicts(hearing)
    problems += _unheard(call)
    if len(hearing) <= capacity:  # otherwise the timetable would only repeat it
        problems += timetable_conflicts(call=call)
    return problems


def _lead_conflicts(panels):
    leads = {panel.lead_id: panel for panel in panels if panel.lead_id}
    declared = set(
        ConflictOfInterest.objects.filter(member_id__in=list(leads)).values_list(
            "member_id", "challenge_id"
        )
    )
    problems = []
    for lead_id, panel in leads.items():
        for audition in panel.auditions.all():
            challenge = audition.challenge
            own = panel.lead.administration_id == challenge.administration_id
            if own or (lead_id, challenge.pk) in declared:
                problems.append(
                    _(
                        "%(lead)s préside %(panel)s mais est en conflit d'intérêts avec "
                        "« %(challenge)s » : choisissez un autre président ou une autre présidente."
                    )
                    % {"lead": panel.lead.user, "panel": panel, "challenge": challenge}
                )
    return problems


def _unheard(call):
    """Shortlisted challenges without an audition, or whose panel has nobody."""
    challenges = call.challenges.filter(status=Challenge.Status.SHORTLISTED).filter(
        ~Exists(
            Audition.objects.filter(
                challenge=OuterRef("pk"),
                cancelled_at__isnull=True,
                panel__members__isnull=False,
            )
        )
    )
    titles = list(challenges.order_by("title").values_list("title", flat=True))
    if not titles:
        return []
    return [
        _("Défis présélectionnés qu'aucun panel n'auditionne : %(titles)s.")
        % {"titles": ", ".join(f"« {title} »" for title in titles)}
    ]


# --- Convocations --------------------------------------------------------------------


def _location(panel):
    return panel.place or panel.video_link


def _audition_lines(audition):
    panel = audition.panel
    lines = []
    if panel.video_link:
        lines.append(_("Visioconférence : %(link)s") % {"link": panel.video_link})
    if panel.place:
        lines.append(_("Lieu : %(place)s") % {"place": panel.place})
    return lines


def audition_ics(audition, *, attendee=None):
    """The calendar invitation of an administration's passage before the jury:
    from when it joins (after the reading) to when it leaves (before deliberation).
    A moved audition keeps its UID with the next SEQUENCE; a cancelled one is a CANCEL."""
    panel, challenge = audition.panel, audition.challenge
    lines = [
        _("Présentation du défi « %(title)s » devant le %(panel)s du jury.")
        % {"title": challenge, "panel": panel},
        _("5 minutes de présentation, puis 15 minutes de questions."),
        *_audition_lines(audition),
    ]
    meeting = calendars.Meeting(
        uid=f"audition-{audition.pk}",
        starts_at=audition.administration_joins_at,
        ends_at=audition.administration_leaves_at,
        summary=_("Audition du défi « %(title)s » devant le jury EIG") % {"title": challenge},
        description="\n".join(lines),
        location=_location(panel),
        sequence=audition.sequence,
    )
    return calendars.invitation(
        meeting,
        name="Jury de l'appel à projets",
        attendee=attendee,
        cancel=audition.cancelled_at is not None,
    )


def _panel_meeting(audition):
    """The whole audition as its panel sits it (reading and deliberation included)."""
    return calendars.Meeting(
        uid=f"audition-{audition.pk}-panel",
        starts_at=audition.starts_at,
        ends_at=audition.ends_at,
        summary=_("Jury EIG, %(panel)s : « %(title)s »")
        % {"panel": audition.panel, "title": audition.challenge},
        description="\n".join(
            [
                _(
                    "10 minutes de lecture, 5 minutes de présentation, 15 minutes de questions, "
                    "10 minutes de délibération."
                ),
                *_audition_lines(audition),
            ]
        ),
        location=_location(audition.panel),
        sequence=audition.sequence,
    )


def panel_audition_ics(audition, *, attendee=None):
    """One audition in a member's calendar: an update or a CANCEL of the same entry."""
    return calendars.invitation(
        _panel_meeting(audition),
        name="Jury de l'appel à projets",
        attendee=attendee,
        cancel=audition.cancelled_at is not None,
    )


def sessions_ics(auditions):
    """Every audition a member sits, in one file to import (no invitation method)."""
    cal = calendars.calendar("Jury de l'appel à projets")
    for audition in auditions:
        cal.add_component(calendars.vevent(_panel_meeting(audition)))
    return cal.to_ical().decode()


def _attachment(filename, content):
    return {"filename": filename, "content": content, "mimetype": "text/calendar"}


class Convocation:
    """Where an audition's convocation stands."""

    DRAFT = "draft"  # never sent
    SENT = "sent"  # sent as it is now
    CHANGED = "changed"  # sent, then moved or its place changed: to send again
    CANCEL = "cancel"  # cancelled after it was sent: the cancellation is to send
    CANCELLED = "cancelled"  # cancelled, nothing more to send

    LABELS = {
        DRAFT: gettext_lazy("brouillon, pas encore envoyée"),
        SENT: gettext_lazy("envoyée"),
        CHANGED: gettext_lazy("modifiée depuis l'envoi : à renvoyer"),
        CANCEL: gettext_lazy("annulée : annulation à envoyer"),
        CANCELLED: gettext_lazy("annulée"),
    }


def convocation_state(audition):
    if audition.cancelled_at is not None:
        if audition.sent_at is not None and audition.sent_at < audition.cancelled_at:
            return Convocation.CANCEL
        return Convocation.CANCELLED
    if audition.sent_at is None:
        return Convocation.DRAFT
    if (
        audition.sent_starts_at != audition.starts_at
        or audition.sent_panel_id != audition.panel_id
        or audition.sent_location != _location(audition.panel)
    ):
        return Convocation.CHANGED
    return Convocation.SENT


def _convocations(call):
    contacts = AdministrationContact.objects.filter(
        status=AdministrationContact.Status.ACTIVE
    ).select_related("user")
    return (
        Audition.objects.filter(panel__call=call)
        .filter(Q(challenge__status=Challenge.Status.SHORTLISTED) | Q(cancelled_at__isnull=False))
        .select_related("panel__organiser", "challenge__administration", "sent_panel")
        .prefetch_related(
            Prefetch("challenge__editors", queryset=User.objects.order_by("pk")),
            Prefetch("challenge__administration__contacts", queryset=contacts),
            Prefetch("panel__members", queryset=JuryMember.objects.select_related("user")),
            Prefetch("sent_panel__members", queryset=JuryMember.objects.select_related("user")),
        )
        .order_by("starts_at", "pk")
    )


def administration_people(challenge):
    """Who hears from the jury for a challenge: its editors and its administration's
    active contacts, each once (from prefetched rows when there are)."""
    people = {user.pk: user for user in challenge.editors.all()}
    for contact in challenge.administration.contacts.all():
        if contact.status == AdministrationContact.Status.ACTIVE:
            people.setdefault(contact.user_id, contact.user)
    return [people[pk] for pk in sorted(people)]


def _panel_people(panel):
    if panel is None:
        return []
    people = {member.user_id: member.user for member in panel.members.all()}
    if panel.organiser_id:
        people.setdefault(panel.organiser_id, panel.organiser)
    return [people[pk] for pk in sorted(people)]


def convocation_plan(*, call):
    """[(audition, state)] for every audition of the call, and the members still to
    be told of their panel: what `send_convocations` would send now."""
    auditions = [(a, convocation_state(a)) for a in _convocations(call)]
    return auditions, members_to_tell(call=call)


def members_to_tell(*, call):
    """Seated members who have not been told of the panel they sit on now."""
    members = list(
        call.jury_members.filter(panel__isnull=False).select_related("user", "panel").order_by("pk")
    )
    keys = {
        notifications.idempotency_key(
            events.JURY_PANEL_ASSIGNED, member, member.user.email, f"panel-{member.panel_id}"
        ): member
        for member in members
    }
    told = set(
        OutboxMessage.objects.filter(idempotency_key__in=list(keys)).values_list(
            "idempotency_key", flat=True
        )
    )
    return [member for key, member in keys.items() if key not in told]


@transaction.atomic
def send_convocations(*, call, now=None):
    """Send what is due, once: first convocations, updates of moved auditions (same
    UID, next SEQUENCE) and cancellations, to the administration's people and to the
    panel; and tell each member not yet told which panel they sit on, with their
    sessions. Refuses while `readiness_problems` finds any. Safe to run twice."""
    problems = readiness_problems(call=call, now=now)
    if problems:
        raise ValidationError(
            [_("Réglez d'abord ces points avant d'envoyer les convocations :")] + problems
        )
    auditions, to_tell = convocation_plan(call=call)
    told_now = {member.user_id for member in to_tell}
    rows = []
    for audition, state in auditions:
        if state in (Convocation.DRAFT, Convocation.CHANGED, Convocation.CANCEL):
            rows += _send_audition(audition, state, call=call, skip_members=told_now, now=now)
    rows += [tell_member_of_panel(member=member) for member in to_tell]
    return [row for row in rows if row is not None]


def _send_audition(audition, state, *, call, skip_members, now=None):
    if state == Convocation.CHANGED:
        audition.sequence += 1
    occasion = {
        Convocation.DRAFT: "convocation",
        Convocation.CHANGED: f"version-{audition.sequence}",
        Convocation.CANCEL: "annulation",
    }[state]
    event = {
        Convocation.DRAFT: events.CONVOCATION,
        Convocation.CHANGED: events.CONVOCATION_UPDATE,
        Convocation.CANCEL: events.CONVOCATION_CANCELLED,
    }[state]
    context = {
        "challenge": audition.challenge,
        "audition": audition,
        "call": call,
        "path": reverse("challenges:challenge_edit", kwargs={"pk": audition.challenge_id}),
    }
    rows = [
        notifications.queue_email(
            event=event,
            recipient=person,
            obj=audition,
            occasion=occasion,
            context=context,
            attachments=[
                _attachment("audition-jury-eig.ics", audition_ics(audition, attendee=person))
            ],
        )
        for person in administration_people(audition.challenge)
    ]
    if state != Convocation.DRAFT:
        rows += _tell_panel_of_change(audition, occasion, skip_members)
    audition.sent_at = now or timezone.now()
    audition.sent_starts_at = audition.starts_at
    audition.sent_panel_id = audition.panel_id
    audition.sent_location = _location(audition.panel)
    audition.save(
        update_fields=["sequence", "sent_at", "sent_starts_at", "sent_panel", "sent_location"]
    )
    return rows


def _tell_panel_of_change(audition, occasion, skip_members):
    """The panel sitting it gets the new version; a panel it left gets a cancellation."""
    rows = []
    sitting = list(_panel_people(audition.panel))
    current = {p.pk for p in sitting}
    cancelled = audition.cancelled_at is not None
    for person in sitting:
        if person.pk in skip_members and not cancelled:
            continue  # their panel's email, sent now, carries the new time
        rows.append(_member_session_email(audition, person, occasion))
    if audition.sent_panel_id not in (None, audition.panel_id):
        for person in _panel_people(audition.sent_panel):
            if person.pk not in current:
                rows.append(_member_session_email(audition, person, occasion, left=True))
    return rows


def _member_session_email(audition, person, occasion, *, left=False):
    content = calendars.invitation(
        _panel_meeting(audition),
        name="Jury de l'appel à projets",
        attendee=person,
        cancel=left or audition.cancelled_at is not None,
    )
    return notifications.queue_email(
        event=events.JURY_SESSION_CHANGED,
        recipient=person,
        obj=audition,
        occasion=f"jury-{occasion}",
        context={
            "audition": audition,
            "challenge": audition.challenge,
            "cancelled": left or audition.cancelled_at is not None,
            "path": reverse("challenges:jury_home"),
        },
        attachments=[_attachment("jury-eig.ics", content)],
    )


def convoked_audition(challenge):
    """The audition an administration was convoked to (for its challenge's page): None
    before the first convocation went out and once it is cancelled. Its time, panel,
    place and link are those sent last, or newer ones about to be sent again."""
    return (
        Audition.objects.filter(
            challenge=challenge, cancelled_at__isnull=True, sent_at__isnull=False
        )
        .select_related("panel")
        .first()
    )


def member_auditions(member):
    """The auditions a member sits (their panel's, not cancelled), in order."""
    if member.panel_id is None:
        return []
    return list(
        Audition.objects.filter(panel_id=member.panel_id, cancelled_at__isnull=True)
        .select_related("panel", "challenge")
        .order_by("starts_at", "pk")
    )


def tell_member_of_panel(*, member):
    """A member is told which panel they sit on, with whom, and their sessions (.ics)."""
    auditions = member_auditions(member)
    return notifications.queue_email(
        event=events.JURY_PANEL_ASSIGNED,
        recipient=member.user,
        obj=member,
        occasion=f"panel-{member.panel_id}",
        context={"member": member, "panel": member.panel, "auditions": auditions},
        attachments=[_attachment("sessions-jury-eig.ics", sessions_ics(auditions))]
        if auditions
        else [],
    )


def tell_members_kits_are_open(*, call):
    """When kits open, each seated member hears it, with their sessions (.ics)."""
    members = (
        call.jury_members.filter(panel__isnull=False).select_related("user", "panel").order_by("pk")
    )
    auditions = defaultdict(list)
    for audition in (
        Audition.objects.filter(panel__call=call, cancelled_at__isnull=True)
        .select_related("panel", "challenge")
        .order_by("starts_at", "pk")
    ):
        auditions[audition.panel_id].append(audition)
    rows = []
    for member in members:
        heard = auditions[member.panel_id]
        rows.append(
            notifications.queue_email(
                event=events.JURY_KITS_OPENED,
                recipient=member.user,
                obj=member,
                occasion="kits",
                context={"member": member, "panel": member.panel, "auditions": heard},
                attachments=[_attachment("sessions-jury-eig.ics", sessions_ics(heard))]
                if heard
                else [],
            )
        )
    return rows


@transaction.atomic
def cancel_audition(*, audition, now=None):
    """Staff cancel an audition (its challenge is no longer heard). If its convocation
    went out, the next sending carries a CANCEL to everyone who got it."""
    if audition.cancelled_at is None:
        audition.cancelled_at = now or timezone.now()
        audition.save(update_fields=["cancelled_at"])
        notifications.cancel_pending_for(audition, reason="audition annulée")
    return audition


# --- What members do ------------------------------------------------------------------


# A kit and the membership that opens it are read in SQL (`eig.sql`): members open
# the kits of their panel again and again, and the ORM took several times longer to
# compile these statements than the database to answer them.
_KIT_CHALLENGE = (
    sql.Part(Challenge, "challenge"),
    sql.Part(CallForProjects, "call_for_projects"),
    sql.Part(Audition, "audition"),
    sql.Part(Administration, "administration"),
)
_KIT_CHALLENGE_SQL = f"""
    SELECT {sql.columns(*_KIT_CHALLENGE)}
    FROM challenges_challenge challenge
    JOIN challenges_administration administration
        ON administration.id = challenge.administration_id
    LEFT JOIN challenges_callforprojects call_for_projects
        ON call_for_projects.id = challenge.call_id
    LEFT JOIN challenges_audition audition ON audition.challenge_id = challenge.id
    WHERE challenge.id = %s
"""


def kit_challenge(pk):
    """The challenge of a kit with its call, its audition and its administration, as
    `select_related` would give them; None if there is no such challenge."""
    for challenge, call, audition, administration in sql.read(
        _KIT_CHALLENGE_SQL, [pk], *_KIT_CHALLENGE
    ):
        sql.joined(challenge, "call", call)
        sql.joined(challenge, "audition", audition)
        sql.joined(challenge, "administration", administration)
        return challenge
    return None


# The file's lists and the call's grid, in SQL: every member opens the kit of each
# challenge of their panel, often more than once, and the ORM spent longer compiling
# these five small statements than the database answering them.
_FILE_LISTS_SQL = {
    "partners": """
        SELECT partner.name FROM challenges_administration_partners link
        JOIN challenges_administration partner ON partner.id = link.to_administration_id
        WHERE link.from_administration_id = %s ORDER BY partner.name""",
    "skills": """
        SELECT skill.label FROM challenges_challenge_skills link
        JOIN eig_skill skill ON skill.id = link.skill_id
        WHERE link.challenge_id = %s ORDER BY skill.label""",
    "mentors": """
        SELECT person.full_name, mentor.kind, mentor.job_title
        FROM challenges_challengementor mentor
        JOIN eig_person person ON person.id = mentor.person_id
        WHERE mentor.challenge_id = %s ORDER BY mentor.position, mentor.id""",
    "figures": """
        SELECT amount, description FROM challenges_keyfigure
        WHERE challenge_id = %s ORDER BY position, id""",
    "criteria": """
        SELECT name, weight, description FROM challenges_selectioncriterion
        WHERE call_id = %s ORDER BY position, id""",
}


def _rows(cursor, name, key):
    cursor.execute(_FILE_LISTS_SQL[name], [key])
    return cursor.fetchall()


def file_lists(challenge):
    """The lists a kit's file shows beside the challenge's own fields, and the call's
    grid, each read as the plain values it prints."""
    mentor_kinds = dict(ChallengeMentor.Kind.choices)
    with connection.cursor() as cursor:
        partners = _rows(cursor, "partners", challenge.administration_id)
        skills = _rows(cursor, "skills", challenge.pk)
        mentors = _rows(cursor, "mentors", challenge.pk)
        figures = _rows(cursor, "figures", challenge.pk)
        criteria = _rows(cursor, "criteria", challenge.call_id)
    return {
        "partners": [name for (name,) in partners],
        "skills": [label for (label,) in skills],
        "mentors": [
            {"name": name, "kind": mentor_kinds.get(kind, kind), "job_title": job_title}
            for name, kind, job_title in mentors
        ],
        "figures": [
            {"amount": amount, "description": description} for amount, description in figures
        ],
        "criteria": [
            {"name": name, "weight": weight, "description": description}
            for name, weight, description in criteria
        ],
    }


_HEARING_MEMBER = (sql.Part(JuryMember, "member"), sql.Part(JuryPanel, "panel"))
_HEARING_MEMBER_SQL = f"""
    SELECT {sql.columns(*_HEARING_MEMBER)},
        EXISTS (
            SELECT 1 FROM challenges_kitreading reading
            WHERE reading.member_id = member.id AND reading.challenge_id = %(challenge)s
        ) AS kit_read,
        (
            SELECT remark.text FROM challenges_juryremark remark
            WHERE remark.member_id = member.id AND remark.challenge_id = %(challenge)s
        ) AS kit_remark
    FROM challenges_jurymember member
    JOIN challenges_jurypanel panel ON panel.id = member.panel_id
    JOIN challenges_audition audition ON audition.panel_id = panel.id
    WHERE audition.challenge_id = %(challenge)s
        AND member.call_id = %(call)s
        AND member.user_id = %(user)s
        AND NOT EXISTS (
            SELECT 1 FROM challenges_conflictofinterest conflict
            WHERE conflict.member_id = member.id AND conflict.challenge_id = %(challenge)s
        )
"""


def hearing_member(challenge, user_id):
    """The user's jury membership in the panel that hears this challenge, if they
    declared no conflict on it; None otherwise.

    Read once per challenge object and user, so that the permission rule, the view
    and the services of one request share one query; declaring a conflict, reading
    the kit or writing a remark forgets it. It comes with its panel, and with whether
    the member has read the kit and their remark on it (`kit_read`, `kit_remark`),
    which opening it shows.
    """
    if challenge is None or challenge.call_id is None or user_id is None:
        return None
    members = challenge.__dict__.setdefault("_hearing_members", {})
    if user_id not in members:
        params = {"challenge": challenge.pk, "call": challenge.call_id, "user": user_id}
        member = None
        # One membership per call and user, one audition per challenge: one row at most.
        for member, panel, kit_read, kit_remark in sql.read(
            _HEARING_MEMBER_SQL, params, *_HEARING_MEMBER
        ):
            sql.joined(member, "panel", panel)
            member.kit_read = bool(kit_read)  # SQLite answers 0 or 1
            member.kit_remark = kit_remark
            member.call = challenge.call  # the same call, often already read with the challenge
        members[user_id] = member
    return members[user_id]


def _ensure_hears(member, challenge):
    """A member acts on a challenge their panel hears, once kits are open, unless in conflict."""
    hearing = hearing_member(challenge, member.user_id)
    if hearing is None or hearing.pk != member.pk or not member.call.kits_are_open:
        raise PermissionDenied(_("Ce dossier n'est pas ouvert à ce membre du jury."))


@transaction.atomic
def declare_conflict(*, member, challenge, reason):
    """From now on the member sees nothing of that challenge and does not score
    it; a remark they had left is withdrawn so that it weighs nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Précisez la nature de votre lien avec ce défi."))
    if challenge.call_id != member.call_id:
        raise ValidationError(_("Ce défi n'appartient pas à l'appel à projets de ce jury."))
    conflict, created = ConflictOfInterest.objects.get_or_create(
        member=member, challenge=challenge, defaults={"reason": reason}
    )
    JuryRemark.objects.filter(member=member, challenge=challenge).delete()
    challenge.__dict__.pop("_hearing_members", None)
    if created:
        _tell_staff_of_conflict(conflict)
    return conflict


def _tell_staff_of_conflict(conflict):
    """Every staff member hears of it: the panel may need another lead, and staff may
    withdraw a conflict declared by mistake."""
    member = conflict.member
    panel = JuryPanel.objects.filter(pk=member.panel_id).first()
    context = {
        "conflict": conflict,
        "member": member,
        "challenge": conflict.challenge,
        "panel_name": panel.name if panel else _("sans panel"),
        "is_lead": panel is not None and panel.lead_id == member.pk,
        "admin_path": reverse("admin:challenges_conflictofinterest_changelist"),
    }
    return [
        notifications.queue_email(
            event=events.CONFLICT_DECLARED,
            recipient=person,
            obj=conflict,
            occasion="declared",
            context=context,
        )
        for person in programme_staff()
    ]


@transaction.atomic
def withdraw_conflict(*, conflict):
    """Staff withdraw a conflict declared by mistake: the member sees the kit again."""
    notifications.cancel_pending_for(conflict, reason="conflit retiré")
    conflict.challenge.__dict__.pop("_hearing_members", None)
    conflict.delete()


def record_reading(*, member, challenge, now=None):
    """The first time a member opens a kit (later openings change nothing)."""
    _ensure_hears(member, challenge)
    reading, _created = KitReading.objects.get_or_create(
        member=member, challenge=challenge, defaults={"first_read_at": now or timezone.now()}
    )
    challenge.__dict__.pop("_hearing_members", None)
    return reading


def open_kit(*, member, challenge, now=None):
    """A member opens a kit: the first opening is recorded as their reading.

    Returns their remarks on it ("" if none), read with their membership: members
    open a kit many times, and a later opening costs no query of its own.
    """
    _ensure_hears(member, challenge)
    hearing = hearing_member(challenge, member.user_id)
    if not hearing.kit_read:
        record_reading(member=member, challenge=challenge, now=now)
    return hearing.kit_remark or ""


def save_remark(*, member, challenge, text):
    """Leave or edit one's remarks on a challenge; empty text withdraws them."""
    _ensure_hears(member, challenge)
    challenge.__dict__.pop("_hearing_members", None)  # read again with the new remark
    text = (text or "").strip()
    if not text:
        JuryRemark.objects.filter(member=member, challenge=challenge).delete()
        return None
    remark, _created = JuryRemark.objects.update_or_create(
        member=member, challenge=challenge, defaults={"text": text}
    )
    return remark


@transaction.atomic
def record_panel_evaluation(*, member, challenge, scores, recommendation, comment=""):
    """The panel lead fills in the grid: a score from 1 to 5 for each criterion
    of the call, and the panel's recommendation."""
    audition = Audition.objects.select_related("panel").filter(challenge=challenge).first()
    if (
        audition is None
        or audition.panel.lead_id is None
        or audition.panel.lead_id != member.pk
        or not member.call.kits_are_open
        or ConflictOfInterest.objects.filter(member=member, challenge=challenge).exists()
    ):
        raise PermissionDenied(
            _("Seul·e le ou la président·e du panel qui auditionne ce défi remplit sa grille.")
        )
    criteria = list(SelectionCriterion.objects.filter(call_id=challenge.call_id))
    scores = checked_scores(criteria, scores)
    if recommendation not in PanelEvaluation.Recommendation.values:
        raise ValidationError(_("Choisissez la recommandation du panel."))
    evaluation, _created = PanelEvaluation.objects.update_or_create(
        audition=audition,
        defaults={
            "recommendation": recommendation,
            "comment": comment or "",
            "recorded_by": member,
        },
    )
    for criterion in criteria:
        PanelScore.objects.update_or_create(
            evaluation=evaluation, criterion=criterion, defaults={"score": scores[criterion.pk]}
        )
    return evaluation


def weighted_total(criteria, scores):
    """The grid's weighted total {criterion id: score}: (points, out of, average on 5)."""
    points = sum(c.weight * scores[c.pk] for c in criteria if c.pk in scores)
    weights = sum(c.weight for c in criteria if c.pk in scores)
    out_of = 5 * sum(c.weight for c in criteria)
    return {
        "points": points,
        "out_of": out_of,
        "average": round(points / weights, 2) if weights else None,
        "complete": weights == sum(c.weight for c in criteria),
    }


# --- Reminders ------------------------------------------------------------------------


def sessions(auditions: Iterable[Audition]):
    """(panel, Paris date) → the panel's auditions that day, in order."""
    grouped = defaultdict(list)
    for audition in sorted(auditions, key=lambda a: (a.starts_at, a.pk)):
        grouped[(audition.panel, calendars.local(audition.starts_at).date())].append(audition)
    return grouped


def kits_left_behind(now):
    """Two days before their session, members of a panel who have not read
    every kit of it or not left a remark on each (conflicts aside)."""
    auditions = list(
        Audition.objects.filter(
            cancelled_at__isnull=True,
            starts_at__gt=now - timedelta(days=2),
            starts_at__lte=now + KIT_REMINDER_BEFORE + timedelta(days=1),
            panel__call__kits_opened_at__isnull=False,
        ).select_related("panel", "challenge")
    )
    due = {
        key: heard for key, heard in sessions(auditions).items() if _kit_reminder_due(heard[0], now)
    }
    if not due:
        return
    members = list(
        JuryMember.objects.filter(panel__in={panel for panel, _day in due})
        .select_related("user", "panel")
        .order_by("pk")
    )
    read = _pairs(KitReading.objects.filter(member__in=members))
    remarked = _pairs(JuryRemark.objects.filter(member__in=members).exclude(text=""))
    conflicted = _pairs(ConflictOfInterest.objects.filter(member__in=members))
    for (panel, day), heard in due.items():
        for member in (m for m in members if m.panel_id == panel.pk):
            left = [
                audition.challenge
                for audition in heard
                if (member.pk, audition.challenge_id) not in conflicted
                and (member.pk, audition.challenge_id) not in read & remarked
            ]
            if left:
                yield reminders.Due(
                    recipient=member.user,
                    obj=member,
                    occasion=f"kit-{day.isoformat()}",
                    context={"member": member, "challenges": left},
                )


def _kit_reminder_due(first, now):
    """From two days before the session, same Paris wall-clock time, until it starts."""
    send_at = calendars.local(first.starts_at) - KIT_REMINDER_BEFORE
    return reminders.is_due(send_at, now, within=first.starts_at - send_at)


def _pairs(queryset):
    return set(queryset.values_list("member_id", "challenge_id"))


def convocations_of_tomorrow(now):
    """The day before an audition, from 9:00 Paris until it starts, each editor is reminded."""
    auditions = (
        Audition.objects.filter(
            cancelled_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=2),
            challenge__status=Challenge.Status.SHORTLISTED,
        )
        .select_related("panel", "challenge")
        .prefetch_related(Prefetch("challenge__editors", queryset=User.objects.order_by("pk")))
    )
    for audition in auditions:
        eve = calendars.local(audition.starts_at).date() - timedelta(days=1)
        send_at = reminders.paris_time(eve, CONVOCATION_REMINDER_AT)
        if not reminders.is_due(send_at, now, within=audition.starts_at - send_at):
            continue
        for editor in audition.challenge.editors.all():
            yield reminders.Due(
                recipient=editor,
                obj=audition,
                occasion="eve",
                context={"challenge": audition.challenge, "audition": audition},
            )


REMINDERS = (
    reminders.Rule(event=events.JURY_KIT_REMINDER, find=kits_left_behind),
    reminders.Rule(event=events.CONVOCATION_REMINDER, find=convocations_of_tomorrow),
)


__all__ = [
    "assign_challenges",
    "compose_panels",
    "declare_conflict",
    "lay_out_timetable",
    "open_kit",
    "plan_timetable",
    "record_panel_evaluation",
    "record_reading",
    "save_remark",
    "save_timetable",
    "send_convocations",
    "timetable_conflicts",
]

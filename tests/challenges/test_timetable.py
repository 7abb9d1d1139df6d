"""The jury's timetable: 40-minute auditions, a break every 40 minutes, one
half-day per panel, two panels at most at once, in Paris time."""

from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from challenges.jury import services as jury
from challenges.models import Audition, JuryPanel
from tests.challenges.test_jury import jury_call, member_of, panel_hearing, shortlisted

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")
MONDAY = date(2026, 5, 4)


def local(moment):
    return moment.astimezone(PARIS)


def panels_of(count, auditions=3):
    return [(f"P{p}", [f"P{p}-{a}" for a in range(auditions)]) for p in range(1, count + 1)]


def sittings(plan):
    """(panel, first start, last end) in Paris time."""
    by_panel = {}
    for key, starts_at in plan.items():
        by_panel.setdefault(key.split("-")[0], []).append(starts_at)
    return {
        panel: (local(min(starts)), local(max(starts) + Audition.LENGTH))
        for panel, starts in by_panel.items()
    }


def test_auditions_take_forty_minutes_with_a_break_every_forty_minutes():
    assert Audition.LENGTH == timedelta(minutes=40)
    assert [Audition.READING, Audition.PRESENTATION, Audition.QUESTIONS, Audition.DELIBERATION] == [
        timedelta(minutes=m) for m in (10, 5, 15, 10)
    ]

    plan = jury.plan_timetable(panels=panels_of(1), days=[MONDAY])

    starts = [local(plan[f"P1-{a}"]).time() for a in range(3)]
    assert starts == [time(9, 0), time(9, 50), time(10, 40)]
    for before, after in zip(sorted(plan.values()), sorted(plan.values())[1:], strict=False):
        assert after - (before + Audition.LENGTH) == timedelta(minutes=10)


def test_the_administration_is_heard_between_the_reading_and_the_deliberation():
    audition = Audition(starts_at=datetime(2026, 5, 4, 9, 0, tzinfo=PARIS))
    assert local(audition.administration_joins_at).time() == time(9, 10)
    assert local(audition.administration_leaves_at).time() == time(9, 30)
    assert local(audition.ends_at).time() == time(9, 40)


def test_no_member_sits_beyond_a_half_day():
    plan = jury.plan_timetable(panels=panels_of(4), days=[MONDAY])
    for opens, closes in sittings(plan).values():
        assert opens.date() == closes.date() == MONDAY
        assert (time(9) <= opens.time() and closes.time() <= time(12, 30)) or (
            time(14) <= opens.time() and closes.time() <= time(17, 30)
        )
    # Five auditions would take 4 hours: more than a half-day.
    with pytest.raises(ValidationError, match="ne tiennent pas en une demi-journée"):
        jury.plan_timetable(panels=panels_of(1, auditions=5), days=[MONDAY])


@pytest.mark.django_db
def test_a_panel_moved_beyond_its_half_day_is_flagged():
    call = jury_call()
    panel = panel_hearing(call, challenges=3)
    jury.lay_out_timetable(call=call)
    assert jury.timetable_conflicts(call=call) == []

    last = panel.auditions.order_by("starts_at").last()
    last.starts_at = jury.reminders.paris_time(call.jury_starts_on, time(12, 0))
    last.save()

    [problem] = jury.timetable_conflicts(call=call)
    assert "au-delà d'une demi-journée" in problem and "Panel 1" in problem


def test_at_most_two_panels_sit_in_parallel():
    plan = jury.plan_timetable(panels=panels_of(6), days=[MONDAY, MONDAY + timedelta(days=1)])

    per_half_day = Counter((opens.date(), opens.time()) for opens, _end in sittings(plan).values())
    assert per_half_day == {
        (MONDAY, time(9)): 2,
        (MONDAY, time(14)): 2,
        (MONDAY + timedelta(days=1), time(9)): 2,
    }
    with pytest.raises(ValidationError, match="deux panels au plus"):
        jury.plan_timetable(panels=panels_of(5), days=[MONDAY])


@pytest.mark.django_db
def test_a_third_panel_moved_alongside_two_others_is_flagged():
    call = jury_call()
    panels = [panel_hearing(call, name=f"Panel {n}", challenges=2) for n in (1, 2, 3)]
    jury.lay_out_timetable(call=call)
    assert jury.timetable_conflicts(call=call) == []

    # Staff move the afternoon panel to the morning.
    for audition in panels[2].auditions.all():
        audition.starts_at -= timedelta(hours=5)
        audition.save()

    problems = jury.timetable_conflicts(call=call)
    assert any(
        "Plus de deux panels siègent en même temps" in p and "Panel 1, Panel 2, Panel 3" in p
        for p in problems
    ), problems


def test_timetable_is_in_paris_time_across_daylight_saving():
    # Summer time starts in the night of Saturday 28 to Sunday 29 March 2026.
    days = [date(2026, 3, 27) + timedelta(days=n) for n in range(4)]
    plan = jury.plan_timetable(panels=panels_of(16), days=days)

    for panel, (opens, _closes) in sittings(plan).items():
        number = int(panel[1:])
        day = days[(number - 1) // 4]
        morning = (number - 1) % 4 < 2
        assert opens.date() == day
        assert opens.time() == (time(9) if morning else time(14))
        summer = day >= date(2026, 3, 29)
        assert opens.astimezone(UTC).hour == (9 if morning else 14) - (2 if summer else 1)


@pytest.mark.django_db
def test_the_timetable_is_written_over_the_jury_days_of_the_call():
    call = jury_call()
    call.jury_starts_on, call.jury_ends_on = date(2026, 3, 27), date(2026, 3, 30)
    call.save()
    panels = [panel_hearing(call, name=f"Panel {n:02}", members=1, challenges=2) for n in range(9)]

    auditions = jury.lay_out_timetable(call=call)

    assert len(auditions) == 18
    sunday_panel = panels[8]  # the ninth panel sits on the morning of the 29th
    first = sunday_panel.auditions.order_by("starts_at").first()
    assert local(first.starts_at) == datetime(2026, 3, 29, 9, 0, tzinfo=PARIS)
    assert first.starts_at.astimezone(UTC).hour == 7
    friday = panels[0].auditions.order_by("starts_at").first()
    assert friday.starts_at.astimezone(UTC) == datetime(2026, 3, 27, 8, 0, tzinfo=UTC)
    assert jury.timetable_conflicts(call=call) == []


@pytest.mark.django_db
def test_a_timetable_that_does_not_fit_the_jury_days_is_refused():
    call = jury_call()  # two jury days: eight panels at most
    for n in range(9):
        panel_hearing(call, name=f"Panel {n}", members=1, challenges=2)
    before = list(Audition.objects.values_list("pk", "starts_at").order_by("pk"))
    with pytest.raises(ValidationError, match="ajoutez un jour de jury"):
        jury.lay_out_timetable(call=call)
    assert list(Audition.objects.values_list("pk", "starts_at").order_by("pk")) == before


@pytest.mark.django_db
def test_overlapping_auditions_of_a_panel_and_missing_breaks_are_flagged():
    call = jury_call()
    panel = panel_hearing(call, challenges=3)
    jury.lay_out_timetable(call=call)
    first, second, third = panel.auditions.order_by("starts_at")
    second.starts_at = first.starts_at + timedelta(minutes=30)
    second.save()
    third.starts_at = second.ends_at + timedelta(minutes=5)
    third.save()

    problems = jury.timetable_conflicts(call=call)

    assert any("se chevauchent" in p and first.challenge.title in p for p in problems), problems
    assert any("pas de pause de 10 minutes" in p for p in problems), problems


@pytest.mark.django_db
def test_a_person_cannot_sit_in_two_overlapping_auditions():
    call = jury_call()
    first = panel_hearing(call, name="Panel 1", challenges=2)
    second = panel_hearing(call, name="Panel 2", challenges=2)
    jury.lay_out_timetable(call=call)  # both sit on the first morning
    both = first.members.first()
    second.organiser = both.user
    second.save()

    problems = jury.timetable_conflicts(call=call)

    assert any(str(both.user) in p and "Panel 1" in p and "Panel 2" in p for p in problems)


@pytest.mark.django_db
def test_assigned_challenges_are_laid_out_in_their_panels_order():
    call = jury_call()
    for n in (1, 2):
        panel = JuryPanel.objects.create(call=call, name=f"Panel {n}")
        for _m in range(5):
            member_of(call, panel=panel)
    for _n in range(5):
        shortlisted(call)
    jury.assign_challenges(call=call)
    jury.lay_out_timetable(call=call)

    assert jury.timetable_conflicts(call=call) == []
    for panel in JuryPanel.objects.all():
        starts = [local(a.starts_at).time() for a in panel.auditions.order_by("starts_at")]
        assert starts[:2] == [time(9), time(9, 50)]

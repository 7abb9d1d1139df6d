"""eig/calendars.py: one invitation builder for the jury, the interviews and the promotion's
events; one local time, Europe/Paris."""

from datetime import UTC, datetime

import icalendar
import pytest

from applications.interviews import services as services_interviews
from challenges.jury import services as jury
from cohorts.promotion import services as services_promotion
from eig import calendars
from tests.factories import UserFactory

WINTER = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)  # 10:00 in Paris
SUMMER = datetime(2026, 7, 7, 9, 0, tzinfo=UTC)  # 11:00 in Paris


def meeting(**changes):
    return calendars.Meeting(
        **{
            "uid": "interview-12",
            "starts_at": WINTER,
            "ends_at": WINTER.replace(hour=10),
            "summary": "Entretien EIG",
            "description": "Visioconférence : https://visio.example/eig",
            "location": "https://visio.example/eig",
            **changes,
        }
    )


def parsed(ics):
    calendar = icalendar.Calendar.from_ical(ics)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_the_local_time_is_paris_time_in_winter_and_in_summer():
    assert calendars.local(WINTER).hour == 10
    assert calendars.local(SUMMER).hour == 11


@pytest.mark.django_db
def test_an_invitation_names_its_organiser_and_its_attendee():
    person = UserFactory(first_name="Camille", last_name="Leroy")

    calendar, event = parsed(calendars.invitation(meeting(), name="Entretiens", attendee=person))

    assert calendar["method"] == "REQUEST"
    assert str(event["uid"]) == "interview-12@eig"
    assert event.decoded("dtstart") == WINTER
    assert str(event["attendee"]) == f"mailto:{person.email}"
    assert event["attendee"].params["cn"] == str(person)
    assert str(event["organizer"]).startswith("mailto:")
    assert "sequence" not in event


@pytest.mark.django_db
def test_a_cancellation_keeps_the_uid_and_raises_the_sequence():
    person = UserFactory()
    moved = meeting(sequence=2)

    calendar, event = parsed(
        calendars.invitation(moved, name="Entretiens", attendee=person, cancel=True)
    )

    assert calendar["method"] == "CANCEL"
    assert str(event["uid"]) == "interview-12@eig"
    assert event["status"] == "CANCELLED"
    assert event["sequence"] == 3


def test_every_stage_writes_its_invitations_with_the_one_builder():
    """No stage keeps its own iCal code: the three invitations go through eig.calendars."""
    for module in (jury, services_interviews, services_promotion):
        assert not hasattr(module, "icalendar"), module.__name__
        assert module.calendars is calendars

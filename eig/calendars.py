"""Calendar invitations and the programme's local time, once for every stage.

The jury's auditions, the candidates' interviews and the promotion's events are
all meetings: one builder writes their .ics files. An invitation is sent with
METHOD:REQUEST; a moved meeting keeps its UID with a higher SEQUENCE, and a
cancelled one goes out with METHOD:CANCEL, so calendars update the entry they
hold instead of adding another. Times are stored aware and written in UTC; what
people read is in Europe/Paris.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone


def local(moment: datetime) -> datetime:
    """The moment on a Paris wall clock, whatever time zone a request activated."""
    return timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE))


def hhmm(moment: datetime) -> str:
    """The Paris time of day people read in messages: 14:05."""
    return local(moment).strftime("%H:%M")


def day(moment: datetime) -> str:
    """The Paris date people read in messages: 07/12/2026."""
    return local(moment).strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Meeting:
    """What a calendar needs to know of a meeting. `uid` is stable for its whole life."""

    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str = ""
    location: str = ""
    sequence: int = 0


def calendar(name, *, method=None):
    """An empty calendar of the programme; `name` tells which stage made it."""
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//Programme EIG//{name}//FR")
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    return cal


def vevent(meeting, *, stamp=None, cancelled=False):
    """The meeting as a calendar entry, organised by the programme's address."""
    event = icalendar.Event()
    event.add("uid", f"{meeting.uid}@eig")
    event.add("dtstamp", stamp or timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", meeting.summary)
    if meeting.location:
        event.add("location", meeting.location)
    if meeting.description:
        event.add("description", meeting.description)
    sequence = meeting.sequence + 1 if cancelled else meeting.sequence
    if cancelled:
        event.add("status", "CANCELLED")
    if sequence:
        event.add("sequence", sequence)
    event.add("organizer", _organizer())
    return event


def invitation(meeting, *, name, attendee=None, cancel=False, rsvp=False):
    """The .ics file sent to one person: METHOD:REQUEST, or METHOD:CANCEL to take it back."""
    cal = calendar(name, method="CANCEL" if cancel else "REQUEST")
    event = vevent(meeting, cancelled=cancel)
    if attendee is not None:
        event.add("attendee", _attendee(attendee, rsvp=rsvp))
    cal.add_component(event)
    return cal.to_ical().decode()


def _organizer():
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = icalendar.vCalAddress(f"mailto:{email}")
    organizer.params["cn"] = name or email
    return organizer


def _attendee(person, *, rsvp):
    guest = icalendar.vCalAddress(f"mailto:{person.email}")
    guest.params["cn"] = person.display_name
    guest.params["role"] = "REQ-PARTICIPANT"
    # Said either way: without it some clients offer to answer the organiser's mailbox.
    guest.params["rsvp"] = "TRUE" if rsvp else "FALSE"
    return guest

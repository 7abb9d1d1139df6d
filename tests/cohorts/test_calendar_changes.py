"""A moved or cancelled event reaches everyone invited (same UID, next SEQUENCE, or
CANCEL); answers go to the platform; the feed drops declined events; a reminder sent on
the day says "today"; the event admin offers the event's promotion's teams."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import CoachingEvent, EventInvitation
from cohorts.promotion import admin as admin_promotion  # noqa: F401 — registers the promotion's admin
from cohorts.promotion import notifications as events
from cohorts.promotion import services as promotion
from cohorts.promotion.forms import CoachingEventForm
from eig.models import OutboxMessage, Role
from tests.cohorts.test_calendar import eigs_of, event_of, login, staff, team_of
from tests.conftest import make_user
from tests.factories import PromotionFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def vevent_of(row):
    [attachment] = row.attachments
    calendar = icalendar.Calendar.from_ical(attachment["content"])
    [vevent] = calendar.walk("VEVENT")
    return calendar, vevent


def test_a_moved_event_is_sent_again_to_everyone_invited_with_the_next_sequence():
    eig5 = PromotionFactory()
    team = team_of(eig5, eigs=3, mentors=0)
    event = event_of(eig5)
    promotion.send_invitations(event=event)
    declined = sorted(eigs_of(team), key=lambda user: user.pk)[0]
    EventInvitation.objects.filter(event=event, user=declined).update(answer="no")

    event.starts_at += timedelta(days=1)
    event.ends_at += timedelta(days=1)
    event.save()
    told = promotion.send_event_update(event=event, by=staff())

    assert {row.to_email for row in told} == {user.email for user in eigs_of(team)}
    calendar, vevent = vevent_of(told[0])
    assert str(calendar["method"]) == "REQUEST"
    assert str(vevent["uid"]) == f"event-{event.pk}@eig"
    assert int(vevent["sequence"]) == 1
    assert vevent.decoded("dtstart") == event.starts_at
    assert told[0].subject.startswith("Changement : Atelier design des services publics")
    # A second move is a new version, a new email.
    assert len(promotion.send_event_update(event=event, by=staff())) == 3
    assert OutboxMessage.objects.filter(event=events.EVENT_UPDATE.code).count() == 6


def test_answers_go_to_the_platform_not_to_the_organisers_mailbox():
    eig5 = PromotionFactory()
    team_of(eig5, eigs=1, mentors=0)
    [row] = promotion.send_invitations(event=event_of(eig5))
    _calendar, vevent = vevent_of(row)
    assert "RSVP=TRUE" not in row.attachments[0]["content"]
    assert vevent["attendee"].params["rsvp"] == "FALSE"
    assert "/promotion/agenda/" in row.body_text


def test_a_cancelled_event_sends_a_cancel_and_no_more_reminders():
    eig5 = PromotionFactory()
    team = team_of(eig5, eigs=2, mentors=1)
    event = event_of(eig5, in_days=3, audience=CoachingEvent.Audience.BOTH)
    promotion.send_invitations(event=event)
    told = promotion.cancel_event(event=event, by=staff())
    invited = eigs_of(team) | {m.person.user for m in team.challenge.mentorships.all()}
    assert {row.to_email for row in told} == {user.email for user in invited}
    calendar, vevent = vevent_of(told[0])
    assert str(calendar["method"]) == "CANCEL"
    assert str(vevent["status"]) == "CANCELLED" and int(vevent["sequence"]) == 1
    assert promotion.cancel_event(event=event, by=staff()) == []  # once
    reminder_time = event.starts_at - timedelta(days=1)
    assert list(promotion.events_to_remind(reminder_time)) == []


def test_the_admin_sends_a_moved_event_and_confirms_a_cancellation(client):
    eig5 = PromotionFactory()
    team_of(eig5, eigs=2, mentors=0)
    event = event_of(eig5)
    promotion.send_invitations(event=event)
    login(client, make_user(Role.STAFF))
    url = reverse("admin:cohorts_coachingevent_change", args=[event.pk])
    moved = (event.starts_at + timedelta(hours=2)).astimezone(PARIS)
    ends = (event.ends_at + timedelta(hours=2)).astimezone(PARIS)
    response = client.post(
        url,
        {
            "promotion": eig5.pk,
            "kind": event.kind,
            "title": event.title,
            "description": "",
            "starts_at_0": moved.strftime("%d/%m/%Y"),
            "starts_at_1": moved.strftime("%H:%M:%S"),
            "ends_at_0": ends.strftime("%d/%m/%Y"),
            "ends_at_1": ends.strftime("%H:%M:%S"),
            "place": "Paris",
            "video_link": "",
            "audience": event.audience,
            "invitations-TOTAL_FORMS": "0",
            "invitations-INITIAL_FORMS": "2",
            "invitations-MIN_NUM_FORMS": "0",
            "invitations-MAX_NUM_FORMS": "1000",
        },
        follow=True,
    )
    assert "2 personnes invitées reçoivent le changement" in response.content.decode()
    assert OutboxMessage.objects.filter(event=events.EVENT_UPDATE.code).count() == 2

    changelist = reverse("admin:cohorts_coachingevent_changelist")
    ask = client.post(changelist, {"action": "cancel_events", "_selected_action": [event.pk]})
    assert "Annuler ces événements ?" in ask.content.decode()
    event.refresh_from_db()
    assert event.cancelled_at is None  # asked, not done
    client.post(
        changelist,
        {"action": "cancel_events", "_selected_action": [event.pk], "confirmer": "oui"},
    )
    event.refresh_from_db()
    assert event.cancelled_at is not None
    assert OutboxMessage.objects.filter(event=events.EVENT_CANCELLED.code).count() == 2


def test_the_personal_feed_drops_declined_events(client):
    eig5 = PromotionFactory()
    (eig,) = eigs_of(team_of(eig5, eigs=1, mentors=0))
    kept = event_of(eig5, title="Atelier gardé")
    declined = event_of(eig5, title="Atelier décliné", in_days=12)
    for event in (kept, declined):
        promotion.send_invitations(event=event)
    invitation = EventInvitation.objects.get(event=declined, user=eig)
    promotion.answer(invitation=invitation, attending=False, by=eig)
    feed = client.get(
        reverse("cohorts:calendar_feed", kwargs={"token": promotion.feed_for(eig).token})
    )
    body = feed.content.decode()
    assert "Atelier gardé" in body and "Atelier décliné" not in body


def test_a_reminder_sent_on_the_day_says_today():
    eig5 = PromotionFactory()
    (eig,) = eigs_of(team_of(eig5, eigs=1, mentors=0))
    starts_at = datetime(2027, 5, 10, 18, 0, tzinfo=PARIS)
    event = CoachingEvent.objects.create(
        promotion=eig5,
        kind=CoachingEvent.Kind.WORKSHOP,
        title="Atelier du soir",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        invitations_sent_at=starts_at - timedelta(days=3),
    )
    EventInvitation.objects.create(event=event, user=eig)
    [due] = promotion.events_to_remind(datetime(2027, 5, 10, 9, 0, tzinfo=PARIS))
    assert due.context["days_left"] == 0
    from eig.notifications import render_email

    subject, _text, _html = render_email(events.EVENT_REMINDER, due.context, "fr")
    assert subject == "Aujourd’hui : Atelier du soir"


def test_the_event_form_offers_the_current_promotions_teams_labelled_with_it():
    today = timezone.localdate()
    old = PromotionFactory(name="EIG 4", starts_on=today - timedelta(days=900))
    current = PromotionFactory(name="EIG 7", starts_on=today - timedelta(days=30))
    old_team, current_team = team_of(old), team_of(current)
    form = CoachingEventForm()
    teams = form.fields["teams"]
    assert list(teams.queryset) == [current_team]
    assert teams.label_from_instance(current_team) == f"{current_team.challenge.title} (EIG 7)"
    assert form.fields["promotion"].initial == current.pk
    # An event of another promotion offers that promotion's teams.
    bound = CoachingEventForm(data={"promotion": str(old.pk)})
    assert list(bound.fields["teams"].queryset) == [old_team]


def test_an_events_record_is_read_by_its_promotion_afterwards(client):
    eig5 = PromotionFactory()
    team = team_of(eig5, eigs=1, mentors=1)
    (eig,) = eigs_of(team)
    (mentor,) = {m.person.user for m in team.challenge.mentorships.all()}
    event = event_of(eig5, title="Atelier open source")  # for the EIGs: the mentor was not invited
    promotion.send_invitations(event=event)
    event.record_markdown = "[Les supports](https://example.org/supports.pdf) <script>x</script>"
    event.save()
    url = reverse("cohorts:event_record", kwargs={"event_pk": event.pk})
    for reader in (eig, mentor, make_user(Role.STAFF)):
        html = login(client, reader).get(url).content.decode()
        assert 'href="https://example.org/supports.pdf"' in html and "<script>x" not in html
    outsider = eigs_of(team_of(PromotionFactory(), eigs=1, mentors=0)).pop()
    assert login(client, outsider).get(url).status_code == 404

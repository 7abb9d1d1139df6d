"""The promotion's coaching calendar: invitations with an .ics file, answers,
attendance, each person's private iCal feed, and the reminders before an event."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from challenges.models import Challenge, ChallengeMentor
from cohorts.models import CalendarFeed, CoachingEvent, EventInvitation

# cohorts/admin.py will import admin_promotion in the project; importing it here
# registers the promotion's admin before the admin's URLs are first built.
from cohorts.promotion import admin as admin_promotion
from cohorts.promotion import notifications as events
from cohorts.promotion import services as promotion
from cohorts.services import join_team
from eig import reminders
from eig.models import OutboxMessage, Role
from tests.conftest import make_user
from tests.factories import (
    ChallengeFactory,
    PersonFactory,
    PromotionFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def staff():
    return UserFactory(is_staff=True)


def team_of(eig5, *, eigs=2, mentors=1):
    team = TeamFactory(challenge=ChallengeFactory(promotion=eig5, status=Challenge.Status.SELECTED))
    for _n in range(eigs):
        join_team(person=PersonFactory(user=UserFactory()), team=team)
    for position in range(mentors):
        ChallengeMentor.objects.create(
            challenge=team.challenge,
            person=PersonFactory(user=UserFactory()),
            kind="operational" if position == 0 else "strategic",
            position=position,
        )
    return team


def eigs_of(team):
    return {m.person.user for m in team.members.select_related("person__user")}


def mentors_of(team):
    return {m.person.user for m in team.challenge.mentorships.select_related("person__user")}


def event_of(eig5, *, in_days=10, hours=3, by=None, **fields):
    starts_at = (timezone.now() + timedelta(days=in_days)).replace(microsecond=0)
    fields.setdefault("kind", CoachingEvent.Kind.WORKSHOP)
    fields.setdefault("title", "Atelier design des services publics")
    return promotion.create_event(
        promotion=eig5,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        by=by or staff(),
        **fields,
    )


def past_event(eig5, invited=(), **fields):
    """An event that took place, with its invitations (sent before it, of course)."""
    starts_at = timezone.now() - timedelta(days=2)
    event = CoachingEvent.objects.create(
        promotion=eig5,
        kind=fields.pop("kind", CoachingEvent.Kind.OFFSITE),
        title=fields.pop("title", "Séminaire de rentrée"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=6),
        invitations_sent_at=starts_at - timedelta(days=20),
        **fields,
    )
    for user in invited:
        EventInvitation.objects.create(event=event, user=user)
    return event


def ics_of(message):
    (attachment,) = message.attachments
    return attachment, icalendar.Calendar.from_ical(attachment["content"])


# --- Events and invitations ----------------------------------------------------------


def test_only_staff_create_events_and_their_settings_hold_together():
    eig5 = PromotionFactory()
    team = team_of(eig5)
    with pytest.raises(PermissionDenied):
        event_of(eig5, by=next(iter(eigs_of(team))))
    with pytest.raises(ValidationError, match="finir après son début"):
        event_of(eig5, hours=-1)
    with pytest.raises(ValidationError, match="Choisissez les équipes"):
        event_of(eig5, audience=CoachingEvent.Audience.TEAMS)
    stranger = team_of(PromotionFactory())
    with pytest.raises(ValidationError, match="pas de la promotion"):
        event_of(eig5, audience=CoachingEvent.Audience.TEAMS, teams=[stranger])
    assert not CoachingEvent.objects.exists()


def test_invitees_follow_the_audience():
    eig5 = PromotionFactory()
    first, second = team_of(eig5), team_of(eig5, mentors=2)
    team_of(PromotionFactory())  # another promotion's people are never invited
    Audience = CoachingEvent.Audience
    eigs, mentors = eigs_of(first) | eigs_of(second), mentors_of(first) | mentors_of(second)
    assert len(eigs) == 4 and len(mentors) == 3

    assert set(promotion.invitees(event_of(eig5))) == eigs
    assert set(promotion.invitees(event_of(eig5, audience=Audience.MENTORS))) == mentors
    assert set(promotion.invitees(event_of(eig5, audience=Audience.BOTH))) == eigs | mentors
    only_second = event_of(eig5, audience=Audience.TEAMS, teams=[second])
    assert set(promotion.invitees(only_second)) == eigs_of(second) | mentors_of(second)


def test_invitations_carry_an_ics_file_and_go_once():
    eig5 = PromotionFactory()
    teams = [team_of(eig5), team_of(eig5)]
    event = event_of(
        eig5,
        title="Bootcamp de rentrée",
        kind=CoachingEvent.Kind.BOOTCAMP,
        place="Ségur, Paris",
        description="Trois jours pour se rencontrer.",
    )

    promotion.send_invitations(event=event)

    messages = OutboxMessage.objects.filter(event=events.EVENT_INVITATION.code)
    invited = eigs_of(teams[0]) | eigs_of(teams[1])
    assert {m.recipient for m in messages} == invited
    assert {i.user for i in event.invitations.all()} == invited
    assert all(m.idempotency_key.endswith("|invitation") for m in messages)
    message = messages.get(recipient=next(iter(invited)))
    assert "Bootcamp de rentrée" in message.subject
    assert "/promotion/agenda/" in message.body_text
    attachment, calendar = ics_of(message)
    assert attachment["mimetype"] == "text/calendar"
    assert attachment["filename"].endswith(".ics")
    assert str(calendar["METHOD"]) == "REQUEST"
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == f"event-{event.pk}@eig"
    assert vevent.decoded("DTSTART") == event.starts_at
    assert vevent.decoded("DTSTART").utcoffset() == timedelta(0)
    assert vevent.decoded("DTEND") == event.ends_at
    assert str(vevent["SUMMARY"]) == "Bootcamp de rentrée"
    assert str(vevent["LOCATION"]) == "Ségur, Paris"
    assert "Trois jours pour se rencontrer." in str(vevent["DESCRIPTION"])
    assert message.recipient.email in str(vevent["ATTENDEE"])
    event.refresh_from_db()
    sent_at = event.invitations_sent_at
    assert sent_at is not None

    # Sent once, however often staff click; a newcomer gets theirs.
    promotion.send_invitations(event=event)
    assert messages.all().count() == 4
    join_team(person=PersonFactory(user=UserFactory()), team=teams[0])
    promotion.send_invitations(event=event)
    assert messages.all().count() == 5 and event.invitations.count() == 5
    event.refresh_from_db()
    assert event.invitations_sent_at == sent_at


def test_a_video_event_has_its_link_as_location():
    eig5 = PromotionFactory()
    team_of(eig5, eigs=1)
    event = event_of(eig5, video_link="https://webinaire.numerique.gouv.fr/eig")
    promotion.send_invitations(event=event)
    _attachment, calendar = ics_of(OutboxMessage.objects.get())
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["LOCATION"]) == "https://webinaire.numerique.gouv.fr/eig"


def test_no_invitations_once_the_event_has_started():
    eig5 = PromotionFactory()
    event = past_event(eig5)
    with pytest.raises(ValidationError):
        promotion.send_invitations(event=event)


def test_the_admin_action_sends_the_invitations(client_as):
    assert isinstance(admin.site._registry[CoachingEvent], admin_promotion.CoachingEventAdmin)
    assert CalendarFeed not in admin.site._registry  # secrets stay out of the admin
    eig5 = PromotionFactory()
    team_of(eig5)
    event = event_of(eig5)
    client = client_as(Role.STAFF)
    response = client.post(
        reverse("admin:cohorts_coachingevent_changelist"),
        {"action": "send_invitations", "_selected_action": [event.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert OutboxMessage.objects.filter(event=events.EVENT_INVITATION.code).count() == 2
    assert (
        client.get(reverse("admin:cohorts_coachingevent_change", args=[event.pk])).status_code
        == 200
    )


@pytest.mark.parametrize(
    "changelist",
    ["admin:cohorts_coachingevent_changelist", "admin:cohorts_onboardingstep_changelist"],
)
def test_promotion_changelists_run_the_same_queries_for_few_and_many_rows(client_as, changelist):
    client = client_as(Role.STAFF)
    url = reverse(changelist)
    counts = []
    for teams in (1, 5):
        eig5 = PromotionFactory()
        for _n in range(teams):
            team_of(eig5, eigs=1, mentors=0)
            past_event(eig5)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Answers and attendance --------------------------------------------------------------


def test_only_the_invitee_answers(client):
    eig5 = PromotionFactory()
    team = team_of(eig5)
    invitee, teammate = sorted(eigs_of(team), key=lambda u: u.pk)
    event = event_of(eig5)
    promotion.send_invitations(event=event)
    invitation = EventInvitation.objects.get(event=event, user=invitee)

    for someone_else in (teammate, staff()):
        with pytest.raises(PermissionDenied):
            promotion.answer(invitation=invitation, attending=True, by=someone_else)
    promotion.answer(invitation=invitation, attending=True, by=invitee)
    invitation.refresh_from_db()
    assert invitation.answer == EventInvitation.Answer.YES and invitation.answered_at

    # Through the agenda: the teammate finds nothing; the invitee changes their mind.
    url = reverse("cohorts:event_answer", kwargs={"invitation_pk": invitation.pk, "answer": "non"})
    assert login(client, teammate).post(url).status_code == 404
    assert login(client, make_user(Role.STAFF)).post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.answer == EventInvitation.Answer.YES
    assert login(client, invitee).post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.answer == EventInvitation.Answer.NO
    maybe = reverse(
        "cohorts:event_answer", kwargs={"invitation_pk": invitation.pk, "answer": "peut-etre"}
    )
    assert client.post(maybe).status_code == 404

    # Once the event has started, answering makes no sense.
    with pytest.raises(ValidationError):
        promotion.answer(invitation=invitation, attending=True, by=invitee, now=event.starts_at)


def test_staff_record_attendance(client):
    eig5 = PromotionFactory()
    team = team_of(eig5, eigs=3)
    came, also_came, stayed_home = sorted(eigs_of(team), key=lambda u: u.pk)
    event = past_event(eig5, invited=[came, also_came, stayed_home])

    with pytest.raises(PermissionDenied):
        promotion.record_attendance(event=event, present_user_ids=[came.pk], by=came)
    with pytest.raises(ValidationError):
        promotion.record_attendance(event=event, present_user_ids=[UserFactory().pk], by=staff())
    promotion.record_attendance(event=event, present_user_ids=[came.pk], by=staff())
    assert dict(event.invitations.values_list("user_id", "attended")) == {
        came.pk: True,
        also_came.pk: False,
        stayed_home.pk: False,
    }

    # The attendance sheet: staff only, others are told it does not exist.
    url = reverse("cohorts:event_attendance", kwargs={"event_pk": event.pk})
    assert login(client, came).get(url).status_code == 404
    login(client, make_user(Role.STAFF))
    page = client.get(url)
    assert page.status_code == 200
    assert stayed_home.email in page.content.decode()
    # Ids are values, not numbers to read: no thousands separator in the form.
    late = UserFactory(id=123456)
    EventInvitation.objects.create(event=event, user=late)
    assert 'value="123456"' in client.get(url).content.decode()
    EventInvitation.objects.filter(user=late).delete()
    response = client.post(url, {"present": [came.pk, also_came.pk]})
    assert response.status_code == 302
    assert dict(event.invitations.values_list("user_id", "attended")) == {
        came.pk: True,
        also_came.pk: True,
        stayed_home.pk: False,
    }
    # Attendance of an event to come is refused.
    coming = event_of(eig5)
    with pytest.raises(ValidationError):
        promotion.record_attendance(event=coming, present_user_ids=[], by=staff())


# --- The agenda and its iCal feed ------------------------------------------------------


def test_the_agenda_lists_upcoming_and_past_events_with_the_answer_buttons(client):
    eig5 = PromotionFactory()
    team = team_of(eig5, eigs=1)
    (eig,) = eigs_of(team)
    coming = event_of(eig5, title="Atelier données ouvertes")
    promotion.send_invitations(event=coming)
    past_event(eig5, invited=[eig], title="Séminaire de rentrée")
    page = login(client, eig).get(reverse("cohorts:my_calendar"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("Atelier données ouvertes") < html.index("Séminaire de rentrée")
    invitation = EventInvitation.objects.get(event=coming)
    assert reverse("cohorts:event_answer", args=[invitation.pk, "oui"]) in html
    assert reverse("cohorts:event_answer", args=[invitation.pk, "non"]) in html
    assert CalendarFeed.objects.get(user=eig).token in html
    assert reverse("cohorts:calendar_reset") in html


def test_the_ical_feed_shows_only_its_owners_events(client):
    eig5 = PromotionFactory()
    first_team, second_team = team_of(eig5, eigs=1), team_of(eig5, eigs=1)
    (owner,), (other,) = eigs_of(first_team), eigs_of(second_team)
    for_everyone = event_of(eig5, title="Atelier pour toute la promotion")
    for_the_other = event_of(
        eig5,
        title="Point d'équipe de l'autre défi",
        audience=CoachingEvent.Audience.TEAMS,
        teams=[second_team],
    )
    for event in (for_everyone, for_the_other):
        promotion.send_invitations(event=event)

    url = reverse("cohorts:calendar_feed", kwargs={"token": promotion.feed_for(owner).token})
    for visitor in (None, other):  # no login needed, and another session changes nothing
        if visitor is not None:
            login(client, visitor)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        assert "private" in response["Cache-Control"]
        calendar = icalendar.Calendar.from_ical(response.content)
        assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [f"event-{for_everyone.pk}@eig"]
        assert "Point d" not in response.content.decode()

    assert promotion.calendar_events(other).count() == 2
    unknown = reverse("cohorts:calendar_feed", kwargs={"token": "pas-le-bon-jeton"})
    assert client.get(unknown).status_code == 404


def test_resetting_the_feed_kills_the_old_address(client):
    eig5 = PromotionFactory()
    (owner,) = eigs_of(team_of(eig5, eigs=1))
    promotion.send_invitations(event=event_of(eig5))
    old_token = promotion.feed_for(owner).token
    old_url = reverse("cohorts:calendar_feed", kwargs={"token": old_token})
    assert client.get(old_url).status_code == 200

    response = login(client, owner).post(reverse("cohorts:calendar_reset"))
    assert response.status_code == 302
    new_token = CalendarFeed.objects.get(user=owner).token
    assert new_token != old_token
    client.logout()
    assert client.get(old_url).status_code == 404
    assert (
        client.get(reverse("cohorts:calendar_feed", kwargs={"token": new_token})).status_code == 200
    )


def test_a_deactivated_account_has_no_feed(client):
    user = UserFactory()
    url = reverse("cohorts:calendar_feed", kwargs={"token": promotion.feed_for(user).token})
    user.is_active = False
    user.save()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("events_count", [2, 20])
def test_my_calendar_runs_the_same_queries_for_few_and_many_events(
    client, django_assert_num_queries, events_count
):
    eig5 = PromotionFactory()
    (eig,) = eigs_of(team_of(eig5, eigs=1))
    for n in range(events_count):
        if n % 2:
            past_event(eig5, invited=[eig], title=f"Séminaire {n}")
        else:
            event = event_of(eig5, in_days=n + 1, title=f"Atelier {n}")
            promotion.send_invitations(event=event)
    promotion.feed_for(eig)
    login(client, eig)
    client.get(reverse("cohorts:my_calendar"))  # warm up the session
    # session, user, their roles (two-factor check), invitations with their events, feed
    with django_assert_num_queries(5):
        assert client.get(reverse("cohorts:my_calendar")).status_code == 200


# --- Reminders ---------------------------------------------------------------------------


@pytest.fixture
def promotion_rules(monkeypatch):
    monkeypatch.setattr(reminders, "RULES", [])
    reminders.register(*promotion.REMINDERS)
    reminders.register(*promotion.REMINDERS)  # twice changes nothing
    assert len(reminders.RULES) == 1


def test_events_are_reminded_seven_days_and_one_day_before(promotion_rules):
    eig5 = PromotionFactory()
    team = team_of(eig5, eigs=4, mentors=0)
    coming, undecided, declined, opted_out = sorted(eigs_of(team), key=lambda u: u.pk)
    opted_out.receives_optional_reminders = False
    opted_out.save()
    # Monday after the change to summer time: the reminders keep the wall-clock time.
    starts_at = datetime(2027, 3, 29, 14, 0, tzinfo=PARIS)
    event = CoachingEvent.objects.create(
        promotion=eig5,
        kind=CoachingEvent.Kind.WORKSHOP,
        title="Atelier open source",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        invitations_sent_at=starts_at - timedelta(days=30),
    )
    for user, answer in (
        (coming, "yes"),
        (undecided, ""),
        (declined, "no"),
        (opted_out, ""),
    ):
        EventInvitation.objects.create(event=event, user=user, answer=answer)
    seven_days_before = datetime(2027, 3, 22, 14, 0, tzinfo=PARIS)
    the_day_before = datetime(2027, 3, 28, 14, 0, tzinfo=PARIS)
    utc = ZoneInfo("UTC")
    assert the_day_before.astimezone(utc) - seven_days_before.astimezone(utc) == timedelta(
        days=6, hours=-1
    )

    assert reminders.sweep(now=seven_days_before - timedelta(minutes=1))[0] == 0
    assert reminders.sweep(now=seven_days_before)[0] == 2
    assert reminders.sweep(now=seven_days_before + timedelta(days=2))[0] == 0
    assert reminders.sweep(now=the_day_before - timedelta(minutes=1))[0] == 0
    assert reminders.sweep(now=the_day_before)[0] == 2
    assert reminders.sweep(now=starts_at + timedelta(minutes=1))[0] == 0

    sent = OutboxMessage.objects.filter(event=events.EVENT_REMINDER.code)
    assert {m.recipient for m in sent} == {coming, undecided}
    assert sorted(m.idempotency_key.rsplit("|", 1)[1] for m in sent) == [
        "j-1",
        "j-1",
        "j-7",
        "j-7",
    ]
    assert not any(m.essential for m in sent)
    tomorrow = sent.get(recipient=undecided, idempotency_key__endswith="|j-1")
    assert tomorrow.subject == "Demain : Atelier open source"
    assert "/promotion/agenda/" in tomorrow.body_text


def test_no_week_reminder_for_an_event_announced_within_the_week(promotion_rules):
    eig5 = PromotionFactory()
    (eig,) = eigs_of(team_of(eig5, eigs=1, mentors=0))
    starts_at = datetime(2027, 5, 10, 9, 30, tzinfo=PARIS)
    event = CoachingEvent.objects.create(
        promotion=eig5,
        kind=CoachingEvent.Kind.PEER_LEARNING,
        title="Apprentissage entre pairs",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        invitations_sent_at=starts_at - timedelta(days=4),
    )
    EventInvitation.objects.create(event=event, user=eig)
    assert list(promotion.events_to_remind(starts_at - timedelta(days=3))) == []
    due = list(promotion.events_to_remind(starts_at - timedelta(hours=20)))
    assert [d.occasion for d in due] == ["j-1"]


def test_the_reminder_rule_runs_a_constant_number_of_queries(django_assert_max_num_queries):
    eig5 = PromotionFactory()
    team = team_of(eig5, eigs=3, mentors=0)
    starts_at = datetime(2027, 5, 10, 9, 30, tzinfo=PARIS)
    for n in range(5):
        event = CoachingEvent.objects.create(
            promotion=eig5,
            kind=CoachingEvent.Kind.WORKSHOP,
            title=f"Atelier {n}",
            starts_at=starts_at + timedelta(minutes=n),
            ends_at=starts_at + timedelta(hours=2),
            invitations_sent_at=starts_at - timedelta(days=30),
        )
        for user in eigs_of(team):
            EventInvitation.objects.create(event=event, user=user)
    with django_assert_max_num_queries(2):
        assert len(list(promotion.events_to_remind(starts_at - timedelta(hours=23)))) == 15


# --- Escaping ----------------------------------------------------------------------------


def test_html_in_an_event_description_is_escaped_in_pages_and_emails(client, promotion_rules):
    eig5 = PromotionFactory()
    (eig,) = eigs_of(team_of(eig5, eigs=1))
    script = "<script>alert('eig')</script>"
    event = event_of(
        eig5, in_days=7, title="Atelier <b>gras</b>", description=f"Venez {script} nombreux"
    )
    promotion.send_invitations(event=event)

    invitation = OutboxMessage.objects.get(event=events.EVENT_INVITATION.code)
    assert script not in invitation.body_html and "<b>gras</b>" not in invitation.body_html
    assert "&lt;script&gt;" in invitation.body_html
    assert script in invitation.body_text  # plain text is not HTML: no entities there

    reminders.sweep(now=event.starts_at - timedelta(days=1))
    reminder = OutboxMessage.objects.get(event=events.EVENT_REMINDER.code)
    assert "<b>gras</b>" not in reminder.body_html and "&lt;b&gt;gras" in reminder.body_html

    for url, who in (
        (reverse("cohorts:my_calendar"), eig),
        (reverse("cohorts:event_attendance", args=[event.pk]), make_user(Role.STAFF)),
    ):
        html = login(client, who).get(url).content.decode()
        assert script not in html and "<b>gras</b>" not in html
        assert "&lt;b&gt;gras&lt;/b&gt;" in html
    html = login(client, eig).get(reverse("cohorts:my_calendar")).content.decode()
    assert "&lt;script&gt;" in html

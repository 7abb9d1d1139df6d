"""Reminders come from the dates in the database, once each, at Paris wall-clock time."""

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from eig import notifications, reminders
from eig.models import OutboxMessage
from tests.conftest import postgresql_only
from tests.factories import UserFactory
from tests.reminder_rules import daily_reminder

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")


@pytest.fixture
def rule_for(monkeypatch):
    def register(day):
        rule = daily_reminder(day)
        monkeypatch.setattr(reminders, "RULES", [rule])
        return rule

    return register


def at(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(
    "day, utc_hour",
    [
        (date(2026, 3, 28), 8),  # winter time, the day before the change
        (date(2026, 3, 29), 7),  # summer time starts at 02:00 that night
        (date(2026, 10, 25), 8),  # winter time is back at 03:00 that night
    ],
)
def test_nine_o_clock_is_nine_o_clock_in_paris_across_daylight_saving(day, utc_hour):
    assert (
        reminders.paris_time(day, datetime.min.time().replace(hour=9)).astimezone(UTC).hour
        == utc_hour
    )


@pytest.mark.django_db
@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 10, 25)])
def test_a_reminder_due_at_nine_goes_once_at_nine_on_a_daylight_saving_day(rule_for, day):
    rule_for(day)
    UserFactory()
    assert reminders.sweep(now=at(day, 8, 59))[0] == 0
    assert reminders.sweep(now=at(day, 9, 0))[0] == 1
    assert reminders.sweep(now=at(day, 9, 1))[0] == 0
    assert reminders.sweep(now=at(day, 23, 0))[0] == 0
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_a_missed_beat_only_delays_the_reminder(rule_for):
    day = date(2026, 5, 4)
    rule_for(day)
    UserFactory()
    # No sweep ran between 09:00 and 15:00: the reminder is created at the next one.
    assert reminders.sweep(now=at(day, 15, 0))[0] == 1


@pytest.mark.django_db
def test_a_reminder_long_past_its_occasion_is_not_sent(rule_for):
    day = date(2026, 5, 4)
    rule_for(day)
    UserFactory()
    assert reminders.sweep(now=at(date(2026, 5, 6), 9, 0))[0] == 0


@pytest.mark.django_db
def test_the_dry_run_lists_what_the_sweep_would_create_and_creates_nothing(rule_for):
    day = date(2026, 5, 4)
    rule_for(day)
    users = UserFactory.create_batch(3)
    preview = list(reminders.pending_reminders(at(day, 10)))
    assert sorted(due.to_email for _, due in preview) == sorted(u.email for u in users)
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_a_user_who_opted_out_gets_no_optional_reminder(rule_for):
    day = date(2026, 5, 4)
    rule_for(day)
    UserFactory(receives_optional_reminders=False)
    keen = UserFactory()
    reminders.sweep(now=at(day, 9))
    assert list(OutboxMessage.objects.values_list("to_email", flat=True)) == [keen.email]


@pytest.mark.django_db
def test_reminder_text_is_escaped_in_html_and_rendered_in_the_users_language(rule_for):
    day = date(2026, 5, 4)
    rule_for(day)
    UserFactory(preferred_language="en")
    reminders.sweep(now=at(day, 9))
    row = OutboxMessage.objects.get()
    assert "&lt;b&gt;" in row.body_html
    assert row.language == "en"
    assert row.subject == "Reminder: échéance du 04/05/2026 <b>"


@pytest.mark.django_db
def test_pending_reminders_are_cancelled_when_their_object_is_deleted(rule_for, monkeypatch):
    monkeypatch.setattr(notifications, "enqueue_many", lambda message_ids: 0)  # no worker yet
    day = date(2026, 5, 4)
    rule_for(day)
    user = UserFactory()
    reminders.sweep(now=at(day, 9))
    user.delete()
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.CANCELLED


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_create_each_reminder_once(rule_for):
    day = date(2026, 5, 4)
    rule_for(day)
    UserFactory.create_batch(50)
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            reminders.sweep(now=at(day, 9))
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert OutboxMessage.objects.count() == 50
    assert OutboxMessage.objects.values("idempotency_key").distinct().count() == 50


@pytest.mark.django_db
def test_staff_preview_the_next_sweep_and_resend_a_failed_email(client_as, rule_for):
    day = date(2026, 5, 4)
    rule_for(day)
    client = client_as("staff")
    response = client.get(reverse("admin:eig_outboxmessage_preview"))
    assert response.status_code == 200
    assert notifications.ACCOUNT_EMAIL in response.context["catalogue"]
    failed = OutboxMessage.objects.create(
        event="test.reminder",
        idempotency_key="k",
        to_email="a@exemple.gouv.fr",
        subject="s",
        body_text="t",
        status=OutboxMessage.Status.FAILED,
        last_error="550",
    )
    response = client.post(
        reverse("admin:eig_outboxmessage_changelist"),
        {"action": "resend_selected", "_selected_action": [failed.pk]},
    )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status in (OutboxMessage.Status.PENDING, OutboxMessage.Status.SENT)
    assert failed.last_error == ""


def test_the_catalogue_marks_which_events_are_essential():
    assert notifications.ACCOUNT_EMAIL.essential is True
    assert all(event.code and event.label for event in notifications.catalogue())


@pytest.mark.django_db
def test_a_send_interrupted_past_its_grace_is_held_uncertain_and_staff_mark_it_received(
    client_as,
):
    attempted = timezone.now() - notifications.sending_grace()
    interrupted, recent = (
        OutboxMessage.objects.create(
            event="test.reminder",
            idempotency_key=key,
            to_email="a@exemple.gouv.fr",
            subject="s",
            body_text="t",
            status=OutboxMessage.Status.SENDING,
            attempted_at=when,
        )
        for key, when in [("ancien", attempted - timedelta(seconds=1)), ("recent", timezone.now())]
    )
    assert notifications.hold_interrupted_sends() == 1
    interrupted.refresh_from_db(), recent.refresh_from_db()
    assert interrupted.status == OutboxMessage.Status.UNCERTAIN
    assert recent.status == OutboxMessage.Status.SENDING  # its worker may still be at it
    assert notifications.due_for_sending() == []  # neither is sent again by the sweep

    client = client_as("staff")
    response = client.post(
        reverse("admin:eig_outboxmessage_changelist"),
        {"action": "mark_received_selected", "_selected_action": [interrupted.pk, recent.pk]},
    )
    assert response.status_code == 302
    interrupted.refresh_from_db(), recent.refresh_from_db()
    assert interrupted.status == OutboxMessage.Status.SENT
    assert recent.status == OutboxMessage.Status.SENDING

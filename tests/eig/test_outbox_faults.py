"""Emails are never lost and never doubled: real Redis, real workers, real faults."""

import shutil
import subprocess
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from eig import notifications, reminders
from eig.celery import app
from eig.models import OutboxMessage, User
from tests.fake_smtp import FakeSmtpServer, free_port
from tests.reminder_rules import daily_reminder
from tests.workers import (
    kill_now,
    needs_real_services,
    wait_until,
    worker_in_this_process,
    worker_process,
)

pytestmark = [needs_real_services(), pytest.mark.django_db(transaction=True)]

DAY = date(2026, 5, 4)
NINE = datetime(2026, 5, 4, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


def statuses():
    return list(OutboxMessage.objects.values_list("status", flat=True))


def decide_one_email(subject="Convocation"):
    user = User.objects.create_user("convoque@exemple.gouv.fr", "mot-de-passe-solide-2026")
    return notifications.queue_email(
        event=notifications.ACCOUNT_EMAIL,
        to_email=user.email,
        recipient=user,
        context={},
        occasion="faute",
        rendered=(subject, "Texte", ""),
    )


def sent(message):
    message.refresh_from_db()
    return message.status == OutboxMessage.Status.SENT


class PrivateRedis:
    """A Redis of this test's own, which it can stop and start again."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        import redis

        assert wait_until(lambda: _pings(redis.Redis(port=self.port)), timeout=10)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def _pings(client):
    try:
        return client.ping()
    except Exception:  # noqa: BLE001 — not up yet
        return False


@pytest.fixture
def private_redis():
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = PrivateRedis()
    server.start()
    original = app.conf.broker_url
    _point_celery_at(server.url)
    yield server
    _point_celery_at(original)
    if server.process.poll() is None:
        server.stop()


def _point_celery_at(url):
    # New connections go to `url`; the old pool is dropped, not closed: it may be in use.
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


def test_redis_down_while_a_user_signs_up_the_email_waits_then_goes(
    client, private_redis, settings
):
    private_redis.stop()
    started = time.monotonic()
    response = client.post(
        reverse("account_signup"),
        {
            "email": "nouvelle@exemple.gouv.fr",
            "password1": "un-mot-de-passe-long",
            "password2": "un-mot-de-passe-long",
        },
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 3, f"the sign-up waited {elapsed:.1f} s for Redis"
    assert statuses() == [OutboxMessage.Status.PENDING]

    private_redis.start()
    with worker_in_this_process():
        reminders.sweep()
        assert wait_until(lambda: statuses() == [OutboxMessage.Status.SENT])
    assert [m.to for m in mail.outbox] == [["nouvelle@exemple.gouv.fr"]]


def test_a_worker_killed_in_the_middle_of_a_send_still_sends_once(tmp_path):
    message = decide_one_email()
    with worker_process(
        EMAIL_BACKEND="tests.eig.mail_backends.SlowFileBackend", EMAIL_FILE_PATH=tmp_path
    ) as first:
        # the email was handed to the broker when it was decided
        assert wait_until(lambda: (tmp_path / "sending.marker").exists())
        kill_now(first)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING  # the half-done send left it untouched

    outbox = tmp_path / "sent"
    outbox.mkdir()
    with worker_process(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=outbox,
        CELERY_VISIBILITY_TIMEOUT=1,  # the killed worker's task comes back too
    ):
        reminders.sweep()
        assert wait_until(lambda: sent(message))
        time.sleep(3)  # let the redelivered task run: it must find the email sent
    assert len(list(outbox.iterdir())) == 1
    assert "Convocation" in next(outbox.iterdir()).read_text()


def test_a_hanging_mail_server_is_cut_by_the_soft_time_limit_and_retried_with_backoff(settings):
    settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT = 2, 20
    message = decide_one_email()
    with FakeSmtpServer(mode="hang") as smtp:
        with worker_process(
            pool="prefork",
            EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_TIMEOUT=60,
        ):
            assert wait_until(lambda: OutboxMessage.objects.get().attempts == 1, timeout=30)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert "SoftTimeLimitExceeded" in message.last_error
    assert message.next_attempt_at > timezone.now()  # not hammered again at once
    assert reminders.sweep()[1] == 0  # the backoff holds it back

    with FakeSmtpServer(mode="accept") as smtp:
        with worker_process(
            EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        ):
            # The backoff has run its course: as if the minute had passed.
            OutboxMessage.objects.update(next_attempt_at=timezone.now())
            assert reminders.sweep()[1] == 1
            assert wait_until(lambda: sent(message))
        assert len(smtp.messages) == 1


def test_a_permanent_refusal_marks_the_email_failed_with_the_reason(settings):
    with FakeSmtpServer(mode="refuse") as smtp:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        with worker_in_this_process():
            message = decide_one_email()
            assert wait_until(
                lambda: OutboxMessage.objects.get().status == OutboxMessage.Status.FAILED
            )
    message.refresh_from_db()
    assert message.attempts == 1
    assert "destinataire refusé" in message.last_error


def test_a_thousand_reminders_due_at_once_make_a_thousand_emails_none_twice(monkeypatch):
    monkeypatch.setattr(reminders, "RULES", [daily_reminder(DAY)])
    User.objects.bulk_create(User(email=f"eig{n}@exemple.gouv.fr") for n in range(1000))
    with worker_in_this_process():
        created, handed = reminders.sweep(now=NINE)
        assert (created, handed) == (1000, 1000)
        reminders.sweep(now=NINE)  # a second beat while the first is being sent
        assert wait_until(
            lambda: not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists(),
            timeout=120,
        )
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == 1000
    assert len(set(recipients)) == 1000


def test_two_workers_given_the_same_email_send_it_once(tmp_path):
    message = decide_one_email()
    with worker_process(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=tmp_path
    ):
        with worker_process(
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=tmp_path,
        ):
            for _ in range(5):
                notifications.enqueue(message.pk)
            assert wait_until(lambda: sent(message))
            time.sleep(2)
    assert len([p for p in Path(tmp_path).iterdir()]) == 1

"""The outbox with a real Celery worker on the real Redis broker."""

import pytest
from django.conf import settings
from django.core import mail

from eig import notifications
from eig.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.skipif(
    not settings.CELERY_BROKER_URL,
    reason="no broker configured (set REDIS_URL): the worker test needs a real Redis",
)


@pytest.fixture
def celery_worker():
    from celery.contrib.testing.worker import start_worker

    from eig.celery import app

    app.conf.task_always_eager = False
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


@pytest.mark.django_db(transaction=True)
def test_a_committed_email_is_sent_by_the_worker(celery_worker):
    import time

    user = UserFactory()
    message = notifications.queue_email(
        event=notifications.ACCOUNT_EMAIL,
        to_email=user.email,
        recipient=user,
        context={},
        occasion="worker",
        rendered=("Objet", "Texte", ""),
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.status == OutboxMessage.Status.SENT:
            break
        time.sleep(0.1)
    assert message.status == OutboxMessage.Status.SENT
    assert [m.subject for m in mail.outbox] == ["Objet"]

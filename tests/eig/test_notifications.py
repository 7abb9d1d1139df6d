"""Every email is an outbox row first, decided once, sent after commit."""

import pytest
from django.core import mail

from eig import notifications
from eig.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EVENT = notifications.ACCOUNT_EMAIL


def decide(user, occasion="bienvenue"):
    return notifications.queue_email(
        event=EVENT,
        to_email=user.email,
        recipient=user,
        context={},
        obj=user,
        occasion=occasion,
        rendered=("Bienvenue <b>", "Texte <script>", "<p>HTML</p>"),
    )


def test_the_same_email_is_decided_only_once(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks():
        first = decide(user)
        second = decide(user)
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1


def test_a_new_occasion_is_a_new_email():
    user = UserFactory()
    decide(user, "j-7")
    decide(user, "j-1")
    assert OutboxMessage.objects.count() == 2


def test_the_email_is_sent_only_after_the_transaction_commits(
    django_capture_on_commit_callbacks, eager_celery
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = decide(user)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_a_sent_email_is_never_sent_again():
    user = UserFactory()
    message = decide(user)
    assert notifications.send_message(message.pk) is True
    assert notifications.send_message(message.pk) is False
    assert len(mail.outbox) == 1


def test_a_failed_send_keeps_the_row_pending_with_the_reason(settings):
    settings.EMAIL_BACKEND = "tests.eig.mail_backends.RefusingBackend"
    message = decide(UserFactory())
    assert notifications.send_message(message.pk) is False
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert "refusé" in message.last_error


def test_optional_reminders_respect_the_opt_out():
    user = UserFactory(receives_optional_reminders=False)
    optional = notifications.Event("test.optional", "Rappel facultatif", essential=False)
    assert (
        notifications.queue_email(
            event=optional, to_email=user.email, recipient=user, context={}, rendered=("s", "t", "")
        )
        is None
    )

"""Mail backends that misbehave on purpose, for the fault tests."""

import time
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("serveur de messagerie : envoi refusé")


class SlowFileBackend(FileBackend):
    """Says it started, then takes 60 s: time enough to kill the worker mid-send."""

    def send_messages(self, email_messages):
        Path(settings.EMAIL_FILE_PATH, "sending.marker").touch()
        time.sleep(60)
        return super().send_messages(email_messages)


class AcceptedThenStalledBackend(SmtpBackend):
    """The mail server accepts, then the worker stalls before recording it: the
    window between the server's "250 OK" and the commit, held open to kill it in."""

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        Path(settings.EMAIL_FILE_PATH, "accepted.marker").touch()
        time.sleep(60)
        return sent

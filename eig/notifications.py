"""The outbox: every email is a row before it is a message.

A stage decides an email with `queue_email`; the row is rendered from the
event's templates in the recipient's language and stored under an idempotency
key, and the send is queued only once the surrounding transaction commits.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from eig.models import OutboxMessage


@dataclass(frozen=True)
class Event:
    """An entry of the catalogue: its templates live in notifications/<code>/."""

    code: str
    label: str
    essential: bool = True


CATALOGUE: dict[str, Event] = {}


def register(event: Event) -> Event:
    CATALOGUE[event.code] = event
    return event


ACCOUNT_EMAIL = register(Event("account.email", "Email de compte (vérification, mot de passe)"))


def idempotency_key(event, obj, recipient_email, occasion=""):
    obj_part = f"{obj._meta.label_lower}:{obj.pk}" if obj is not None else "-"
    return f"{event.code}|{obj_part}|{recipient_email.lower()}|{occasion}"[:255]


def render_email(event, context, language):
    """Subject, text and HTML of an event, rendered in the given language."""
    with translation.override(language):
        base = f"notifications/{event.code}"
        subject = render_to_string(f"{base}/subject.txt", context).strip()
        text = render_to_string(f"{base}/body.txt", context)
        html = render_to_string(f"{base}/body.html", context)
    return " ".join(subject.splitlines()), text, html


def queue_email(*, event, to_email, context, obj=None, occasion="", recipient=None, rendered=None):
    """Store the email once under its idempotency key and send it after commit.

    Returns the outbox row, the existing one when this email was already decided.
    """
    key = idempotency_key(event, obj, to_email, occasion)
    existing = OutboxMessage.objects.filter(idempotency_key=key).first()
    if existing:
        return existing
    if recipient is not None and not event.essential and not recipient.receives_optional_reminders:
        return None
    language = recipient.preferred_language if recipient is not None else settings.LANGUAGE_CODE
    subject, text, html = rendered or render_email(event, context, language)
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                event=event.code,
                idempotency_key=key,
                recipient=recipient,
                to_email=to_email,
                language=language,
                subject=subject[:255],
                body_text=text,
                body_html=html,
            )
    except IntegrityError:
        # Another request decided the same email at the same instant: keep theirs.
        return OutboxMessage.objects.get(idempotency_key=key)
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(message_id):
    from eig.tasks import send_outbox_message

    try:
        send_outbox_message.delay(message_id)
    except Exception:  # noqa: BLE001 — broker down: the row waits, the sweep sends it later.
        pass


def send_message(message_id):
    """Send one pending row, claimed so that no other worker sends it too."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxMessage.Status.PENDING)
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_email],
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        for attachment in message.attachments:
            email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
        try:
            email.send()
        except Exception as error:  # noqa: BLE001 — kept on the row; the next sweep retries.
            message.last_error = f"{type(error).__name__}: {error}"
            message.save(update_fields=["attempts", "last_error"])
            return False
        message.status = OutboxMessage.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    return True


def pending_ids(limit=500):
    return list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )

"""The outbox: every email is a row before it is a message.

A stage decides an email with `queue_email`; the row is rendered from the
event's templates in the recipient's language and stored under an idempotency
key (event, object, recipient, occasion) that the database keeps unique, and
the send is queued only once the surrounding transaction commits.

Sending claims the row under a lock (`skip_locked`) and commits "sending"
before the mail server is called: two workers, two sweeps or a task delivered
twice still send it once, and a worker that dies between the mail server's
acceptance and the final commit leaves a visible "sending" row, which the sweep
holds as "uncertain" for staff instead of sending it again (docs/operations.md).
Transient failures are retried by the sweep with a backoff stored on the row,
never with a long ETA on Redis.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from eig.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# 1, 2, 4, 8… minutes between tries, never more than an hour.
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=1)


@dataclass(frozen=True)
class Event:
    """An entry of the catalogue. Its templates live in notifications/<code>/:
    subject.txt, body.txt and body.html, translated like any template."""

    code: str
    label: str
    audience: str = ""
    when: str = ""
    essential: bool = True


CATALOGUE: dict[str, Event] = {}


def register(event: Event) -> Event:
    CATALOGUE[event.code] = event
    return event


def catalogue():
    return sorted(CATALOGUE.values(), key=lambda event: event.code)


ACCOUNT_EMAIL = register(
    Event(
        "account.email",
        "Email de compte (vérification de l'adresse, mot de passe oublié)",
        audience="la personne qui crée son compte ou a oublié son mot de passe",
        when="aussitôt demandé",
    )
)


def idempotency_key(event, obj, recipient_email, occasion=""):
    obj_part = f"{obj._meta.label_lower}:{obj.pk}" if obj is not None else "-"
    return f"{event.code}|{obj_part}|{recipient_email.lower()}|{occasion}"[:255]


def render_email(event, context, language):
    """Subject, text and HTML of an event, rendered in the given language."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        base = f"notifications/{event.code}"
        subject = _render_text(f"{base}/subject.txt", context).strip()
        text = _render_text(f"{base}/body.txt", context)
        html = render_to_string(f"{base}/body.html", context)
    return " ".join(subject.splitlines()), text, html


def _render_text(name, context):
    """Plain text is not HTML: no escaping, or "&lt;" would reach the reader."""
    return get_template(name).template.render(Context(context, autoescape=False))


def build_row(
    *,
    event,
    to_email,
    context,
    obj=None,
    occasion="",
    recipient=None,
    rendered=None,
    attachments=(),
    due_at=None,
):
    """The unsaved outbox row of an email, or None when the recipient opted out."""
    if recipient is not None and not event.essential and not recipient.receives_optional_reminders:
        return None
    language = recipient.preferred_language if recipient is not None else settings.LANGUAGE_CODE
    subject, text, html = rendered or render_email(
        event, {**context, "recipient": recipient}, language
    )
    return OutboxMessage(
        event=event.code,
        idempotency_key=idempotency_key(event, obj, to_email, occasion),
        essential=event.essential,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        recipient=recipient,
        to_email=to_email,
        language=language,
        subject=subject[:255],
        body_text=text,
        body_html=html,
        attachments=list(attachments),
        next_attempt_at=due_at or timezone.now(),
    )


def queue_email(*, event, context, recipient=None, to_email=None, obj=None, occasion="", **options):
    """Store the email once under its idempotency key and send it after commit.

    It goes to `recipient` (an account: their address, language and preferences), or
    to `to_email` for someone without an account or at another address.
    Returns the outbox row (the existing one when this email was already
    decided), or None when the recipient opted out of this non-essential event.
    """
    to_email = to_email or recipient.email
    key = idempotency_key(event, obj, to_email, occasion)
    existing = OutboxMessage.objects.filter(idempotency_key=key).first()
    if existing:
        return existing
    row = build_row(
        event=event,
        to_email=to_email,
        context=context,
        obj=obj,
        occasion=occasion,
        recipient=recipient,
        **options,
    )
    if row is None:
        return None
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        # Another request or sweep decided the same email at the same instant: keep theirs.
        return OutboxMessage.objects.get(idempotency_key=key)
    transaction.on_commit(lambda: enqueue(row.pk))
    return row


# A request hands a row over in at most about this long, whether Redis refuses,
# hangs (SIGSTOP) or is slow; the worker's own connection keeps the longer timeouts.
HAND_OVER_TIMEOUT = 0.2


def enqueue(message_id):
    """Hand a row to Celery; with the broker down the row waits for the sweep."""
    return enqueue_many([message_id])


def enqueue_many(message_ids):
    """Hand rows to Celery on one short-timeout connection; returns how many went.

    The first failure stops the hand-over: with the broker down, trying every row
    would hold the caller once per row. The sweep hands the rest over later.
    """
    from eig.celery import app
    from eig.tasks import send_outbox_message

    handed = 0
    try:
        with app.connection_for_write(
            connect_timeout=HAND_OVER_TIMEOUT,
            transport_options={
                "socket_connect_timeout": HAND_OVER_TIMEOUT,
                "socket_timeout": HAND_OVER_TIMEOUT,
                "max_retries": 0,
            },
        ) as connection:
            for message_id in message_ids:
                # The limits travel with the message: read them from the settings now.
                send_outbox_message.apply_async(
                    (message_id,),
                    connection=connection,
                    retry=False,
                    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
                    time_limit=settings.CELERY_TASK_TIME_LIMIT,
                )
                handed += 1
    except Exception:  # noqa: BLE001 — any broker failure: the sweep sends it later.
        logger.warning(
            "broker unavailable: %d outbox message(s) wait for the sweep",
            len(message_ids) - handed,
        )
    return handed


# --- Sending ---------------------------------------------------------------------


class PermanentFailure(Exception):
    """The mail server refused for good: retrying would not help."""


def _classify(error):
    """Whether a sending error is worth another try later."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return PermanentFailure(f"destinataire refusé : {error.recipients}")
    if isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600:
        return PermanentFailure(f"refus du serveur ({error.smtp_code}) : {error.smtp_error!r}")
    return None


def build_email(message):
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        # A stable Message-ID lets mail servers recognise a retried message.
        headers={"Message-ID": f"<outbox-{message.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return email


def send_message(message_id):
    """Send one due row, claimed so that no other worker sends it too.

    Returns True when this call sent it. "sending" is committed before the mail
    server is called, and the outcome after it answers: a worker killed before
    the first commit leaves the row pending (sent later), one killed after it
    leaves the row "sending" (held as uncertain by the sweep, never resent alone).
    """
    message = _claim(message_id)
    if message is None:
        return False
    try:
        build_email(message).send()
    except (Exception, SoftTimeLimitExceeded) as error:  # noqa: BLE001
        _record_failure(message, error)
        return False
    message.status = OutboxMessage.Status.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["status", "sent_at", "last_error"])
    return True


def _claim(message_id):
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(
                pk=message_id,
                status=OutboxMessage.Status.PENDING,
                next_attempt_at__lte=timezone.now(),
            )
            .first()
        )
        if message is None:
            return None
        message.attempts += 1
        message.attempted_at = timezone.now()
        message.status = OutboxMessage.Status.SENDING
        message.save(update_fields=["status", "attempts", "attempted_at"])
    return message


def _record_failure(message, error):
    permanent = _classify(error)
    reason = str(permanent) if permanent else f"{type(error).__name__}: {error}"
    if permanent or message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxMessage.Status.FAILED
    else:
        # The server refused, or the send failed before it accepted: try again later.
        # (A timeout while it answers the end of DATA may hide an acceptance: the
        # retry then goes with the same Message-ID, see docs/operations.md.)
        message.status = OutboxMessage.Status.PENDING
        delay = min(BACKOFF_BASE * 2 ** (message.attempts - 1), BACKOFF_MAX)
        message.next_attempt_at = timezone.now() + delay
    message.last_error = reason[:2000]
    message.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
    logger.warning("outbox message %s not sent (%s): %s", message.pk, message.status, reason)


def due_for_sending(now=None, limit=None):
    """Pending rows whose next try has come, oldest first."""
    rows = (
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now or timezone.now()
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )
    return list(rows[:limit] if limit else rows)


def sending_grace():
    """How long a send may be in flight: after the task's hard time limit its worker is gone."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + timedelta(minutes=1)


def hold_interrupted_sends(now=None):
    """Rows left "sending" by a worker that died become "uncertain", for staff.

    The mail server may have accepted the email before the worker died: sending
    it again could double it, so a person decides (resend, or mark as received).
    """
    cutoff = (now or timezone.now()) - sending_grace()
    return OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING, attempted_at__lt=cutoff
    ).update(
        status=OutboxMessage.Status.UNCERTAIN,
        last_error="envoi interrompu : le serveur de messagerie l'a peut-être reçu",
    )


# --- Staff actions ---------------------------------------------------------------


def resend(message):
    """Give a failed, cancelled or uncertain email another chance, now; not one whose
    text was erased (personal data).

    It goes with the same Message-ID: a mail server or client that got the first
    copy of an uncertain email can recognise the second one.
    """
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message.pk).exclude(
            status__in=[OutboxMessage.Status.SENT, OutboxMessage.Status.SENDING]
        ).exclude(body_text="").update(
            status=OutboxMessage.Status.PENDING, next_attempt_at=timezone.now(), last_error=""
        )
        transaction.on_commit(lambda: enqueue(message.pk))


def cancel_pending_for(obj, reason="objet retiré"):
    """Cancel what has not gone yet about an object that was withdrawn or deleted."""
    return OutboxMessage.objects.filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.UNCERTAIN],
    ).update(status=OutboxMessage.Status.CANCELLED, last_error=reason)


# --- Personal data ---------------------------------------------------------------

# How long an email's text stays in the outbox once it has left (or failed for
# good): as long as the candidates' files (three months), then only the trace
# remains: event, address, dates, status.
BODY_RETENTION = timedelta(days=91)
ERASED_BODY = {"subject": "", "body_text": "", "body_html": "", "attachments": []}
HAS_BODY = ~Q(subject="") | ~Q(body_text="") | ~Q(body_html="") | ~Q(attachments=[])


def about(objects):
    """The outbox rows about any of `objects`."""
    by_type = {}
    for obj in objects:
        by_type.setdefault(ContentType.objects.get_for_model(obj), []).append(str(obj.pk))
    match = Q(pk__in=[])
    for content_type, ids in by_type.items():
        match |= Q(content_type=content_type, object_id__in=ids)
    return OutboxMessage.objects.filter(match)


def erase_bodies_about(objects, reason="données personnelles effacées"):
    """Emails about erased objects: what has not gone is cancelled, every text is blanked."""
    rows = about(objects)
    rows.filter(status=OutboxMessage.Status.PENDING).update(
        status=OutboxMessage.Status.CANCELLED, last_error=reason
    )
    return rows.filter(HAS_BODY).update(**ERASED_BODY)


def purge_old_bodies(now=None):
    """Blank the texts of emails that left (or failed, or were cancelled) long enough ago."""
    cutoff = (now or timezone.now()) - BODY_RETENTION
    return (
        OutboxMessage.objects.exclude(status=OutboxMessage.Status.PENDING)
        .filter(created_at__lt=cutoff)
        .filter(HAS_BODY)
        .update(**ERASED_BODY)
    )


def cancel_on_delete(model):
    """Pending emails about an object of `model` are cancelled when it is deleted."""
    from django.db.models.signals import pre_delete

    def cancel(sender, instance, **kwargs):
        cancel_pending_for(instance, reason="objet supprimé")

    pre_delete.connect(
        cancel, sender=model, weak=False, dispatch_uid=f"outbox-{model._meta.label_lower}"
    )

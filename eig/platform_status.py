"""What the staff's status page shows: are emails leaving, is beat ticking, do workers
answer, when was the last backup. Read from the database every node shares."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eig import health
from eig.models import Heartbeat, OutboxMessage

# Beat sweeps every minute: three missed sweeps is a stopped beat, not a slow one.
BEAT_LATE_AFTER = timedelta(minutes=3)
# An email due for longer than this is not leaving: workers, broker or SMTP are stuck.
OUTBOX_LATE_AFTER = timedelta(minutes=10)
BACKUP_LATE_AFTER = timedelta(hours=26)
# The probes' names (eig.health.CHECKS) as staff read them.
CHECK_LABELS = {
    "database": _("base de données (PostgreSQL)"),
    "broker": _("file des tâches (Redis)"),
    "storage": _("stockage des fichiers"),
}


@dataclass
class Status:
    pending: int
    failed: int
    uncertain: int
    oldest_pending_due: object
    beat_at: object
    backup: object
    workers: list
    checks: dict
    warnings: list


def outbox_backlog():
    return OutboxMessage.objects.aggregate(
        pending=Count("pk", filter=Q(status=OutboxMessage.Status.PENDING)),
        failed=Count("pk", filter=Q(status=OutboxMessage.Status.FAILED)),
        uncertain=Count("pk", filter=Q(status=OutboxMessage.Status.UNCERTAIN)),
        oldest_pending_due=Min("next_attempt_at", filter=Q(status=OutboxMessage.Status.PENDING)),
    )


def workers_answering():
    """The names of the Celery workers that answer a ping within a second."""
    if not settings.CELERY_BROKER_URL:
        return [_("aucun : les tâches s'exécutent dans le processus web")]
    from eig.celery import app

    try:
        replies = app.control.ping(timeout=1.0) or []
    except Exception:
        return []
    return sorted(name for reply in replies for name in reply)


def read(now=None):
    now = now or timezone.now()
    backlog = outbox_backlog()
    beats = {h.name: h for h in Heartbeat.objects.filter(name__in=["beat", "backup"])}
    beat, backup = beats.get("beat"), beats.get("backup")
    workers = workers_answering()
    warnings = []
    due = backlog["oldest_pending_due"]
    if due is not None and now - due > OUTBOX_LATE_AFTER:
        warnings.append(
            _("Des emails ne partent pas : le plus ancien attend depuis %(minutes)s minutes.")
            % {"minutes": int((now - due).total_seconds() // 60)}
        )
    if backlog["uncertain"]:
        warnings.append(
            _(
                "%(n)s email(s) interrompu(s) en plein envoi : à vérifier (renvoyer ou marquer reçu)."
            )
            % {"n": backlog["uncertain"]}
        )
    if settings.CELERY_BROKER_URL and (beat is None or now - beat.at > BEAT_LATE_AFTER):
        warnings.append(_("Beat ne tourne plus : aucun passage depuis plus de 3 minutes."))
    if settings.CELERY_BROKER_URL and not workers:
        warnings.append(_("Aucun worker Celery ne répond."))
    if backup is None or now - backup.at > BACKUP_LATE_AFTER:
        warnings.append(_("Aucune sauvegarde depuis plus d'un jour."))
    return Status(
        pending=backlog["pending"],
        failed=backlog["failed"],
        uncertain=backlog["uncertain"],
        oldest_pending_due=due,
        beat_at=beat.at if beat else None,
        backup=backup,
        workers=workers,
        checks={
            CHECK_LABELS.get(name, name): result for name, result in health.run_checks().items()
        },
        warnings=warnings,
    )

from celery import shared_task
from django.apps import apps

from eig import files, notifications, reminders
from eig.models import Heartbeat


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_outbox_message(message_id):
    """Takes an id, refetches, and returns quietly if the row is gone or already sent."""
    notifications.send_message(message_id)


@shared_task(ignore_result=True)
def sweep_outbox():
    """Run by beat every minute: due reminders become rows, due rows go to workers."""
    reminders.sweep()
    # Beat's pulse, read by the staff's status page: a sweep that stops is beat that stopped.
    Heartbeat.record("beat")


@shared_task(ignore_result=True)
def sweep_orphan_files():
    """Run by beat every hour: uploads whose row was rolled back or never written go."""
    files.sweep_orphan_files(all_models=apps.get_models(), grace=files.ORPHAN_GRACE)

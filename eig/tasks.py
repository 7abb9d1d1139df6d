from celery import shared_task

from eig import notifications


@shared_task(acks_late=True)
def send_outbox_message(message_id):
    notifications.send_message(message_id)


@shared_task
def flush_outbox():
    """Send whatever waits in the outbox: covers a broker that was down."""
    for message_id in notifications.pending_ids():
        send_outbox_message.delay(message_id)

from celery import shared_task

from applications.decisions import services as services_decisions
from applications.retention import purge_expired_applications


@shared_task(ignore_result=True)
def publish_due_calls():
    """Run by beat: results are published on their date (unless double selections remain)."""
    services_decisions.publish_due_calls()


@shared_task(ignore_result=True)
def purge_expired():
    """Run by beat once a day."""
    purge_expired_applications()

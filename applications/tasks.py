from celery import shared_task

from applications.retention import purge_expired_applications


@shared_task(ignore_result=True)
def purge_expired():
    """Run by beat once a day."""
    purge_expired_applications()

from celery import shared_task

from challenges import services


@shared_task(ignore_result=True)
def publish_due_calls():
    """Run by beat: a call whose publication date has come tells its administrations."""
    services.publish_due_calls()

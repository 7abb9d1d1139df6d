from django.db.models.signals import pre_delete
from django.dispatch import receiver

from eig import notifications
from eig.models import OutboxMessage, User


@receiver(pre_delete, sender=User)
def cancel_emails_of_a_deleted_user(sender, instance, **kwargs):
    OutboxMessage.objects.filter(recipient=instance, status=OutboxMessage.Status.PENDING).update(
        status=OutboxMessage.Status.CANCELLED, last_error="compte supprimé"
    )
    notifications.cancel_pending_for(instance, reason="compte supprimé")

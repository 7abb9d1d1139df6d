"""Data kept no longer than needed: three months after a call closes, the files
of people who were not selected and did not join the talent pool are erased."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from applications.models import Application, Choice, Offer

RETENTION = timedelta(days=91)


@dataclass
class Purge:
    applications: list
    dry_run: bool


def expired_applications(now=None):
    """Applications to anonymise: call closed 3 months ago, nobody selected them, no consent."""
    now = now or timezone.now()
    kept = Choice.objects.filter(application=OuterRef("pk")).filter(
        Q(status=Choice.Status.SELECTED)
        | Q(pk__in=Offer.objects.filter(status=Offer.Status.ACCEPTED).values("choice"))
    )
    return (
        Application.objects.filter(call__deadline__lte=now - RETENTION, anonymised_at__isnull=True)
        .filter(talent_pool_consent=False)
        .exclude(Exists(kept))
        .select_related("candidate")
    )


def anonymise(application, now=None):
    """Erase what identifies and describes the person; keep the counts the programme reports."""
    with transaction.atomic():
        if application.cv:
            application.cv.delete(save=False)
        application.motivation = ""
        application.forge_url = application.portfolio_url = ""
        application.anonymised_at = now or timezone.now()
        application.save(
            update_fields=["cv", "motivation", "forge_url", "portfolio_url", "anonymised_at"]
        )
        application.choices.update(motivation="")
        application.reviews.update(comment="")


def purge_expired_applications(*, now=None, dry_run=False):
    applications = list(expired_applications(now))
    if not dry_run:
        for application in applications:
            anonymise(application, now)
    return Purge(applications=applications, dry_run=dry_run)

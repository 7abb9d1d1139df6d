"""Data kept no longer than needed: three months after a call closes, the files
of people who were not selected and did not join the talent pool are erased;
emails keep their text three months. The inventory is docs/personal-data.md."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.models import registered_models

from applications.models import (
    Application,
    Choice,
    InterviewSlot,
    Offer,
    Review,
    ReviewConflict,
)
from eig import notifications
from eig import retention as eig_retention

RETENTION = timedelta(days=91)
# What hangs on an application and is erased with it, copies included: the emails
# about these rows, and their history rows if a model is ever tracked.
ERASED_WITH_THE_APPLICATION = {Application, Choice, InterviewSlot, Offer, Review, ReviewConflict}


@dataclass
class Purge:
    applications: list
    dry_run: bool
    traces: eig_retention.Traces | None = None


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
    """Erase what identifies and describes the person, wherever it was copied;
    keep the counts and scores the programme reports.

    The CV goes when the transaction commits (eig.files), never before: a
    rollback keeps both the row and its file.
    """
    with transaction.atomic():
        application.cv = ""
        application.motivation = ""
        application.forge_url = application.portfolio_url = ""
        application.anonymised_at = now or timezone.now()
        application.save(
            update_fields=["cv", "motivation", "forge_url", "portfolio_url", "anonymised_at"]
        )
        application.choices.update(motivation="")
        application.reviews.update(comment="")
        # A reviewer's reason for a conflict names the link with the candidate.
        application.conflicts.update(reason="")
        slots = InterviewSlot.objects.filter(choice__application=application)
        slots.update(move_requested="", recommendation_comment="")
        _erase_copies(
            [
                application,
                *application.choices.all(),
                *slots,
                *Offer.objects.filter(choice__application=application),
                *application.reviews.all(),
                *application.conflicts.all(),
            ]
        )


def _erase_copies(erased):
    """The outbox's emails, the admin's log and the history tables' rows about the
    erased rows (the admin's log names an application by its candidate)."""
    notifications.erase_bodies_about(erased)
    for instance in erased:
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk)
        ).update(object_repr=f"{instance._meta.verbose_name} n°{instance.pk}", change_message="")
    tracked = set(registered_models.values())
    for instance in erased:
        if type(instance) in tracked:
            instance.history.all().delete()


def purge_expired_applications(*, now=None, dry_run=False):
    applications = list(expired_applications(now))
    if dry_run:
        return Purge(applications=applications, dry_run=True)
    for application in applications:
        anonymise(application, now)
    return Purge(
        applications=applications, dry_run=False, traces=eig_retention.purge_old_traces(now)
    )

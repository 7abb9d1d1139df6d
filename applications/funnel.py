"""The funnel of a call: how many at each stage, by challenge and by profile."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Choice, Offer

STAGES = [
    ("submitted", _("envoyées")),
    ("preselected", _("présélectionnées")),
    ("interviewed", _("entretiens passés")),
    ("selected", _("sélectionnées")),
    ("accepted", _("offres acceptées")),
]

_AFTER_PRESELECTION = [
    Choice.Status.SHORTLISTED,
    Choice.Status.SELECTED,
    Choice.Status.WAITLISTED,
    Choice.Status.NOT_SELECTED,
]


def _stage_counts(prefix=""):
    """Counts of rows (choices, or applications through `prefix`) that reached each stage."""
    now = timezone.now()

    def reached(**condition):
        return Count(
            "pk",
            filter=Q(**{f"{prefix}{key}": value for key, value in condition.items()}),
            distinct=True,
        )

    return {
        "submitted": Count("pk", distinct=True),
        "preselected": reached(status__in=_AFTER_PRESELECTION),
        "interviewed": reached(interview__starts_at__lt=now),
        "selected": reached(status=Choice.Status.SELECTED),
        "accepted": reached(offer__status=Offer.Status.ACCEPTED),
    }


def by_challenge(call):
    """One row per challenge of the call, counting the choices made for it."""
    return list(
        Choice.objects.filter(application__call=call)
        .exclude(application__status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN])
        .values("challenge__title")
        .annotate(**_stage_counts())
        .order_by("challenge__title")
    )


def by_profile(call):
    """One row per profile, counting people (an application reaches a stage if one of its choices does)."""
    return list(
        Application.objects.submitted()
        .filter(call=call)
        .values("profile__label")
        .annotate(**_stage_counts("choices__"))
        .order_by("profile__label")
    )

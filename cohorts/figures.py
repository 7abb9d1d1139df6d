"""The programme's headline figures, counted from the database.

Public totals count the public challenges of started promotions only: a promotion
that begins next September (its offers accepted, its challenges selected) is shown
as coming, not added to what the programme has done.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, IntegerField, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from challenges.models import Administration, CallForProjects, Challenge, ChallengeMentor
from cohorts.models import TeamMember
from eig.models import Promotion


@dataclass(frozen=True)
class Figures:
    challenges: int
    administrations: int
    eigs: int
    mentors: int


def counted_challenges(*, now=None):
    """The public challenges that public totals count: those of started promotions."""
    now = now or timezone.now()
    started = Promotion.objects.started(timezone.localdate(now))
    return Challenge.objects.public(now).filter(promotion__in=started)


def next_public_change(*, now=None):
    """The next moment the clock alone changes what the public pages count: a call's
    results public at their date, a promotion that starts (or, undated, ends or sees
    its year over). None when nothing is scheduled. Two queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    publication = CallForProjects.objects.filter(
        published_at__isnull=True, publication_at__gt=now
    ).aggregate(at=Min("publication_at"))["at"]
    days = Promotion.objects.aggregate(
        starts=Min("starts_on", filter=Q(starts_on__gt=today)),
        ends=Min("ends_on", filter=Q(ends_on__gt=today)),
        year=Min("year", filter=Q(year__gte=today.year)),
    )
    moments = [publication] if publication else []
    day_changes = [days["starts"], days["ends"]]
    if days["year"] is not None:
        day_changes.append(date(days["year"] + 1, 1, 1))
    moments += [timezone.make_aware(datetime.combine(day, time.min)) for day in day_changes if day]
    return min(moments, default=None)


def programme_figures(*, promotion=None):
    """Challenges, host administrations, EIGs and mentors (public servants onboarded)."""
    challenges = counted_challenges()
    if promotion is not None:
        challenges = challenges.filter(promotion=promotion)
    return Figures(
        challenges=challenges.count(),
        administrations=Administration.objects.filter(challenges__in=challenges).distinct().count(),
        eigs=TeamMember.objects.filter(team__challenge__in=challenges)
        .values("person")
        .distinct()
        .count(),
        mentors=ChallengeMentor.objects.filter(challenge__in=challenges)
        .values("person")
        .distinct()
        .count(),
    )


def _count_per_promotion(queryset, promotion_path, counted):
    """A correlated count, so that two counts on one row never multiply each other
    (counting challenges across the join to their members counted the members)."""
    rows = (
        queryset.filter(**{promotion_path: OuterRef("pk")})
        .order_by()
        .values(promotion_path)
        .annotate(n=Count(counted, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def promotions_with_counts(*, now=None):
    """Every promotion with its public challenges and its EIGs (distinct people)."""
    public = Challenge.objects.public(now or timezone.now())
    members = TeamMember.objects.filter(team__challenge__in=public)
    return Promotion.objects.annotate(
        public_challenges=_count_per_promotion(public, "promotion", "pk"),
        eigs=_count_per_promotion(members, "team__challenge__promotion", "person"),
    )

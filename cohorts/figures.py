"""The programme's headline figures, counted from the database."""

from dataclasses import dataclass

from challenges.models import Administration, Challenge, ChallengeMentor
from cohorts.models import TeamMember


@dataclass(frozen=True)
class Figures:
    challenges: int
    administrations: int
    eigs: int
    mentors: int


def programme_figures(*, promotion=None):
    """Challenges, host administrations, EIGs and mentors (public servants onboarded)."""
    challenges = Challenge.objects.public()
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

"""A promotion in residence, its teams, their EIGs and mentors: the scenario of the teams' space."""

from datetime import date, timedelta

from challenges.models import ChallengeMentor
from cohorts.services import join_team
from eig.models import Person, Role
from mentoring.models import WeeklyUpdate, monday_of
from tests.factories import ChallengeFactory, PromotionFactory, TeamFactory, UserFactory


def promotion_in_residence(today, **fields):
    """A promotion that started two months before `today` and runs eight more."""
    return PromotionFactory(
        starts_on=today - timedelta(days=60), ends_on=today + timedelta(days=240), **fields
    )


def team_of(promotion, title=None, **team_fields):
    fields = {"promotion": promotion, "status": "selected"}
    if title:
        fields["title"] = title
    return TeamFactory(challenge=ChallengeFactory(**fields), **team_fields)


def eig_of(team, **fields):
    """An EIG of the team, with an account."""
    user = UserFactory(**fields)
    join_team(person=Person.of_account(user), team=team)
    return user


def mentor_of(team, kind=ChallengeMentor.Kind.OPERATIONAL, **fields):
    user = UserFactory(roles=[Role.MENTOR], **fields)
    ChallengeMentor.objects.create(
        challenge=team.challenge, person=Person.of_account(user), kind=kind
    )
    return user


def update_of(team, week, spirit=4, **fields):
    return WeeklyUpdate.objects.create(
        team=team,
        week=monday_of(week),
        spirit=spirit,
        priorities=fields.pop("priorities", "Avancer"),
        **fields,
    )


def log_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


MONDAY = date(2026, 5, 11)  # an ordinary week of residence, in summer time

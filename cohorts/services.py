"""The promotion's rules: who is in which team, and who mentors it."""

from django.db import transaction
from django.db.models import Q

from challenges.models import ChallengeMentor
from cohorts.models import OnboardingStep, Team, TeamMember
from eig.models import Role, RoleGrant, User


def team_of_challenge(challenge):
    team, _created = Team.objects.get_or_create(challenge=challenge)
    return team


@transaction.atomic
def join_team(*, person, team):
    """The person becomes an EIG of the team, with their onboarding checklist."""
    member, created = TeamMember.objects.get_or_create(
        team=team, person=person, defaults={"position": team.members.count()}
    )
    if created:
        OnboardingStep.objects.bulk_create(
            OnboardingStep(member=member, item=item) for item in OnboardingStep.Item
        )
    if person.user_id:
        RoleGrant.objects.get_or_create(
            user_id=person.user_id, role=Role.EIG, promotion=team.challenge.promotion
        )
    return member


def members_users(team):
    """The accounts of a team's EIGs."""
    return User.objects.filter(person__team_memberships__team=team)


def mentor_users(team, kind=None):
    """The accounts of a team's mentors (operational and strategic, or one kind)."""
    mentorships = ChallengeMentor.objects.filter(challenge_id=team.challenge_id)
    if kind:
        mentorships = mentorships.filter(kind=kind)
    return User.objects.filter(person__mentorships__in=mentorships).distinct()


def teams_of(user, promotion=None):
    """The teams a user belongs to, as an EIG or as a mentor."""
    teams = Team.objects.filter(
        Q(members__person__user=user) | Q(challenge__mentorships__person__user=user)
    ).distinct()
    if promotion is not None:
        teams = teams.filter(challenge__promotion=promotion)
    return teams

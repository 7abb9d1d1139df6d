"""Who may do what in the promotion. Deny by default."""

import rules

from challenges.models import AdministrationContact, ChallengeMentor
from cohorts.models import Team, TeamMember
from eig.rules import is_programme_staff


@rules.predicate
def is_team_member(user, team):
    return bool(
        user.is_authenticated
        and team is not None
        and TeamMember.objects.filter(team=team, person__user=user).exists()
    )


@rules.predicate
def is_team_mentor(user, team):
    return bool(
        user.is_authenticated
        and team is not None
        and ChallengeMentor.objects.filter(
            challenge_id=team.challenge_id, person__user=user
        ).exists()
    )


@rules.predicate
def is_host_contact(user, team):
    """An active contact of the administration that hosts the team's challenge."""
    return bool(
        user.is_authenticated
        and team is not None
        and AdministrationContact.objects.filter(
            administration__challenges__team=team,
            user=user,
            status=AdministrationContact.Status.ACTIVE,
        ).exists()
    )


rules.add_perm(
    "cohorts.view_team", is_team_member | is_team_mentor | is_host_contact | is_programme_staff
)
# What the host administration needs of its team: names, emails, start dates, contracts.
rules.add_perm("cohorts.view_handover", is_host_contact | is_programme_staff)
rules.add_perm("cohorts.tick_onboarding", is_team_member | is_team_mentor | is_programme_staff)
rules.add_perm("cohorts.manage_promotion", is_programme_staff)
# What the team delivered: the team records it, its mentors and staff may edit it.
rules.add_perm("cohorts.record_deliverables", is_team_member | is_team_mentor | is_programme_staff)


@rules.predicate
def is_in_a_promotion(user):
    """An EIG or a mentor of any team, past or present: the handbook's reserved pages are theirs."""
    return bool(
        user.is_authenticated
        and (
            TeamMember.objects.filter(person__user=user).exists()
            or ChallengeMentor.objects.filter(
                person__user=user, challenge__team__isnull=False
            ).exists()
        )
    )


# The handbook: every public page for anyone; the reserved ones for the promotions' people.
rules.add_perm("cohorts.read_reserved_handbook", is_in_a_promotion | is_programme_staff)


@rules.predicate
def is_of_event_promotion(user, event):
    """Invited to the event, or an EIG or a mentor of one of its promotion's teams."""
    if not user.is_authenticated or event is None:
        return False
    teams = Team.objects.filter(challenge__promotion_id=event.promotion_id)
    return bool(
        event.invitations.filter(user=user).exists()
        or TeamMember.objects.filter(team__in=teams, person__user=user).exists()
        or ChallengeMentor.objects.filter(challenge__team__in=teams, person__user=user).exists()
    )


# An event's record (slides, programme, notes) is the promotion's to read afterwards.
rules.add_perm("cohorts.view_event_record", is_of_event_promotion | is_programme_staff)

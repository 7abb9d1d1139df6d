"""Who may do what with the weekly updates and the mentors' notes. Deny by default.

A team's EIGs write its weekly update; its mentors (operational, strategic) and
staff comment on it. The mentors' notes are private to mentors and staff: an EIG
never reads them, even one who would also mentor the team.
"""

import rules

from challenges.models import ChallengeMentor
from cohorts.models import Team, TeamMember
from cohorts.rules import is_team_member, is_team_mentor
from eig.rules import is_programme_staff
from mentoring.models import UpdateSharing

# Mentors of the team and staff, but never one of its EIGs.
mentors_and_staff_only = ~is_team_member & (is_team_mentor | is_programme_staff)

# The object of each permission is a team, except the staff-only ones (no object).
rules.add_perm("mentoring.post_update", is_team_member)
rules.add_perm("mentoring.comment_team_updates", is_team_mentor | is_programme_staff)
rules.add_perm("mentoring.view_mentor_notes", mentors_and_staff_only)
rules.add_perm("mentoring.add_mentor_note", mentors_and_staff_only)
rules.add_perm("mentoring.view_dashboard", is_programme_staff)
rules.add_perm("mentoring.handle_help_requests", is_programme_staff)


@rules.predicate
def is_promotion_member(user, promotion):
    """An EIG or a mentor of one of the promotion's teams."""
    if not user.is_authenticated or promotion is None:
        return False
    teams = Team.objects.filter(challenge__promotion=promotion)
    return bool(
        TeamMember.objects.filter(team__in=teams, person__user=user).exists()
        or ChallengeMentor.objects.filter(challenge__team__in=teams, person__user=user).exists()
    )


@rules.predicate
def shares_updates(user, promotion):
    return (
        promotion is not None
        and not UpdateSharing.objects.filter(promotion=promotion, shared=False).exists()
    )


# The object is a promotion: its members read the others' updates when they are shared.
rules.add_perm(
    "mentoring.view_promotion_updates", is_programme_staff | (is_promotion_member & shares_updates)
)
rules.add_perm("mentoring.manage_update_sharing", is_programme_staff)

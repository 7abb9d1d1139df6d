"""Who may do what, across the platform. Each stage adds its own in its rules.py.

Only permissions declared here exist: any other is refused (deny by default).
"""

import rules

from eig.models import Role
from eig.roles import has_role


@rules.predicate
def is_programme_staff(user):
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def holds(role: Role):
    """A predicate true for users who hold `role` (staff hold every role)."""

    @rules.predicate(name=f"holds_{role.value}")
    def predicate(user):
        return bool(user.is_authenticated and (has_role(user, role) or is_programme_staff(user)))

    return predicate


is_jury_member = holds(Role.JURY_MEMBER)
is_administration_contact = holds(Role.ADMINISTRATION_CONTACT)
is_mentor = holds(Role.MENTOR)
is_candidate = holds(Role.CANDIDATE)
is_eig = holds(Role.EIG)
is_alumni = holds(Role.ALUMNI)

rules.add_perm("eig.view_own_space", rules.is_authenticated)
rules.add_perm("eig.manage_programme", is_programme_staff)

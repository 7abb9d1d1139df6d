"""Who may open the alumni's and the impact's screens. Deny by default.

The impact pages and the open data are public; a survey link needs no account
(its token is the key), so neither appears here.
"""

import rules

from eig.models import Role
from eig.roles import has_role
from eig.rules import is_alumni, is_eig, is_programme_staff


@rules.predicate
def is_an_alum(user):
    """Holds the alumni role itself: staff get no profile of their own to edit."""
    return bool(user.is_authenticated and user.is_active and has_role(user, Role.ALUMNI))


# Alumni, the EIGs in residence (the next alumni) and staff read the directory.
rules.add_perm("cohorts.view_alumni_directory", is_alumni | is_eig | is_programme_staff)
rules.add_perm("cohorts.edit_alumni_profile", is_an_alum)
rules.add_perm("cohorts.view_impact_dashboard", is_programme_staff)

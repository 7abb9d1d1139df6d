"""Who may do what is the rules' answer alone (each app's `rules.py`).

Django's ModelBackend grants a superuser every permission, and programme staff
accounts are superusers: through `user.has_perm` a staff member would still open a
file they declared a conflict of interest on. Views and code ask `may` instead.
"""

import rules
from rules.contrib.views import PermissionRequiredMixin as RulesPermissionRequiredMixin


def may(user, permission, obj=None):
    return rules.has_perm(permission, user, obj)


class PermissionRequiredMixin(RulesPermissionRequiredMixin):
    """django-rules' view mixin, asking the rules only."""

    def has_permission(self):
        obj = self.get_permission_object()
        user = self.request.user
        return all(may(user, permission, obj) for permission in self.get_permission_required())

"""Who may do what is the rules' answer alone (each app's `rules.py`).

Django's ModelBackend grants a superuser every permission, and programme staff
accounts are superusers: through `user.has_perm` a staff member would still open a
file they declared a conflict of interest on. Views and code ask `may` instead.
"""

import rules
from django.http import Http404
from rules.contrib.views import PermissionRequiredMixin as RulesPermissionRequiredMixin


def may(user, permission, obj=None):
    return rules.has_perm(permission, user, obj)


class PermissionRequiredMixin(RulesPermissionRequiredMixin):
    """django-rules' view mixin, asking the rules only. A visitor who is not logged in
    is sent to log in before any object is looked up: no rule grants them anything."""

    def has_permission(self):
        user = self.request.user
        if not user.is_authenticated:
            return False
        obj = self.get_permission_object()
        return all(may(user, permission, obj) for permission in self.get_permission_required())


class HiddenUnlessPermittedMixin(PermissionRequiredMixin):
    """Refused means "not found" for a logged-in user, who learns nothing of the object;
    a visitor is asked to log in."""

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise Http404
        return super().handle_no_permission()


class PostOnlyMixin:
    """A form target, not a page: any other method is refused before anything else."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

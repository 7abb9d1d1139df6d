"""Who may do what in the call for applications. Deny by default."""

import rules

from applications import services
from eig.rules import is_programme_staff


@rules.predicate
def is_own_application(user, application):
    return bool(
        user.is_authenticated and application is not None and application.candidate_id == user.pk
    )


rules.add_perm("applications.apply", rules.is_authenticated)
rules.add_perm("applications.view_application", is_own_application | is_programme_staff)


@rules.predicate
def is_editable_now(user, application):
    return bool(application is not None and services.is_editable_now(application))


rules.add_perm("applications.edit_application", is_own_application & is_editable_now)

# Moving the call's deadline (and telling the candidates with drafts).
rules.add_perm("applications.extend_call_deadline", is_programme_staff)

"""Roles of the platform, read from the grants and the staff flag."""

from eig.models import Role, User


def role_set(user):
    """The roles a user holds, computed once per request and kept on the user."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_eig_roles", None)
    if cached is None:
        cached = frozenset(user.role_grants.values_list("role", flat=True))
        if user.is_staff:
            cached |= {Role.STAFF}
        user._eig_roles = cached
    return cached


def has_role(user, role):
    return role in role_set(user)


def must_use_two_factor(user):
    return bool(role_set(user) & {Role.STAFF, Role.JURY_MEMBER})


def programme_staff():
    """The programme team's active accounts, who are told of what needs them (as
    `eig.rules.is_programme_staff` lets them act)."""
    return User.objects.filter(is_staff=True, is_active=True).order_by("pk")

"""Roles of the platform, read from the grants and the staff flag."""

from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q

from eig.models import Role, RoleGrant, User

# What makes a person "privileged" (two factors required): every relation through which
# they open other people's files. eig/ cannot read the stages' relations, so each stage
# registers its own from its AppConfig.ready(): a callable returning a condition on users
# (a Q or an Exists over OuterRef("pk")).
_ACCESS_TO_OTHERS_FILES = []


def register_access_to_others_files(condition):
    _ACCESS_TO_OTHERS_FILES.append(condition)


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


def is_privileged(user):
    """Whether `user` can open other people's files (CVs, pitch decks, kits), by any
    relation a stage registered: the people who must sign in with two factors.

    One query, kept on the user for the request: the middleware asks on every page."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_eig_privileged", None)
    if cached is None:
        conditions = [
            Q(is_staff=True),
            # A jury grant opens the jury space even before its panel is set.
            Exists(
                RoleGrant.objects.filter(
                    user=OuterRef("pk"), role__in=[Role.STAFF, Role.JURY_MEMBER]
                )
            ),
            *(condition() for condition in _ACCESS_TO_OTHERS_FILES),
        ]
        cached = User.objects.filter(reduce(or_, conditions), pk=user.pk).exists()
        user._eig_privileged = cached
    return cached


def programme_staff():
    """The programme team's active accounts, who are told of what needs them (as
    `eig.rules.is_programme_staff` lets them act)."""
    return User.objects.filter(is_staff=True, is_active=True).order_by("pk")

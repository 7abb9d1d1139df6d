"""Permissions are predicates; anything not declared is refused."""

import pytest
from django.contrib.auth.models import AnonymousUser

from eig.models import Role
from eig.rules import is_jury_member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_undeclared_permission_is_refused_even_to_a_candidate():
    assert not UserFactory(roles=[Role.CANDIDATE]).has_perm("eig.anything_else")


def test_only_programme_staff_manage_the_programme():
    assert UserFactory(is_staff=True).has_perm("eig.manage_programme")
    assert not UserFactory(roles=[Role.JURY_MEMBER]).has_perm("eig.manage_programme")
    assert not AnonymousUser().has_perm("eig.manage_programme")


def test_a_role_predicate_is_a_real_bool():
    assert is_jury_member(UserFactory(roles=[Role.JURY_MEMBER])) is True
    assert is_jury_member(UserFactory(roles=[Role.CANDIDATE])) is False
    assert is_jury_member(AnonymousUser()) is False


# Where the staff flag may be read: the roles, the predicates, and the code that stores
# it (the user model and its admin, the demo accounts). Anywhere else is a permission
# written outside the rules.
STAFF_FLAG_READERS = {
    "eig/roles.py",
    "eig/rules.py",
    "eig/permissions.py",
    "eig/models.py",
    "eig/admin.py",
    "eig/demo.py",
    "applications/demo.py",
}


def test_no_permission_reads_the_staff_flag_outside_the_rules():
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    readers = []
    for app in ("eig", "challenges", "applications", "cohorts", "mentoring"):
        for path in (root / app).rglob("*.py"):
            name = path.relative_to(root).as_posix()
            if "migrations" in path.parts or name in STAFF_FLAG_READERS:
                continue
            if path.name.startswith("rules") or "is_staff" not in path.read_text():
                continue
            readers.append(name)
    assert readers == []


def test_editable_now_is_a_predicate_for_applications_as_for_challenges():
    from datetime import timedelta

    from applications import services
    from eig.permissions import may
    from tests.factories import call_for_applications

    call = call_for_applications()
    candidate = UserFactory()
    application = services.start_application(
        call=call, candidate=candidate, studies_completed=True, is_civil_servant=False
    )
    assert may(candidate, "applications.edit_application", application)
    assert not may(UserFactory(is_staff=True), "applications.edit_application", application)
    after = call.deadline + timedelta(minutes=1)
    assert not services.is_editable_now(application, after)

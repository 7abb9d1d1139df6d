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

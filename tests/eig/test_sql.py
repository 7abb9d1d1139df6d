"""Rows of a hand-written SELECT become the instances select_related would give."""

import pytest

from eig import sql
from eig.models import Person
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PARTS = (sql.Part(Person, "person"), sql.Part(Person._meta.get_field("user").related_model, "u"))
STATEMENT = f"""
    SELECT {sql.columns(*PARTS)}, LOWER(person.full_name)
    FROM eig_person person LEFT JOIN eig_user u ON u.id = person.user_id
    ORDER BY person.id
"""


def values(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_instances_and_their_related_ones_equal_the_orms_on_this_database():
    UserFactory.create_batch(2)
    PersonFactory(user=UserFactory(first_name="Awa", is_staff=True))
    PersonFactory(user=None)

    rows = sql.read(STATEMENT, [], *PARTS)
    expected = list(Person.objects.select_related("user").order_by("pk"))

    assert len(rows) == len(expected) == 2
    for (person, user, lowered), orm in zip(rows, expected, strict=True):
        assert values(person) == values(orm)
        assert lowered == orm.full_name.lower()  # further columns come back as they are
        if orm.user is None:
            assert user is None  # the LEFT JOIN found nothing
        else:
            # Dates aware, booleans as booleans: converted as the ORM converts them.
            assert values(user) == values(orm.user)
            assert user.date_joined.tzinfo is not None and user.is_staff is True
            assert not user._state.adding and user._state.db == "default"


def test_a_part_may_read_some_fields_only_the_others_deferred():
    PersonFactory(user=UserFactory(first_name="Awa"))
    parts = (sql.Part(Person, "person", only=("full_name",)),)
    statement = f"SELECT {sql.columns(*parts)} FROM eig_person person"

    [(person,)] = sql.read(statement, [], *parts)

    assert person.full_name == Person.objects.get().full_name
    assert person.get_deferred_fields() == {
        "slug",
        "user_id",
        "profile",
        "github",
        "gitlab",
        "linkedin",
        "twitter",
        "website",
    }


def test_a_relation_kept_from_the_row_is_read_without_a_query(django_assert_num_queries):
    PersonFactory(user=None)
    user = UserFactory(first_name="Awa")
    PersonFactory(user=user)
    (alone, nobody, _), (linked, account, _) = sql.read(STATEMENT, [], *PARTS)

    with django_assert_num_queries(0):
        sql.joined(alone, "user", nobody)
        sql.joined(linked, "user", account)
        sql.joined(account, "person", linked)  # the reverse one-to-one
        sql.prefetched(account, "role_grants", [])

        assert alone.user is None and linked.user == user and account.person == linked
        assert list(account.role_grants.all()) == []

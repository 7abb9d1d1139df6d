import os
from pathlib import Path

import pytest
from django.conf import settings

from eig.models import Role

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HISTORY_DIR = Path(settings.BASE_DIR).parent / "shared" / "data" / "eig-history"

# The roles of the access matrix; None is the anonymous visitor.
MATRIX_ROLES = [
    None,
    Role.CANDIDATE,
    Role.ADMINISTRATION_CONTACT,
    Role.MENTOR,
    Role.JURY_MEMBER,
    Role.STAFF,
]


def make_user(role):
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from tests.factories import UserFactory

    user = UserFactory(
        email=f"{role}@exemple.gouv.fr",
        roles=[role],
        is_staff=role == Role.STAFF,
        is_superuser=role == Role.STAFF,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if role in (Role.STAFF, Role.JURY_MEMBER):
        # Staff and jury members must use two-factor authentication.
        TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def client_as(client, db):
    """A client logged in with the given role (anonymous for None)."""

    def login(role):
        if role is not None:
            client.force_login(make_user(role), backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


@pytest.fixture
def history_dir():
    return HISTORY_DIR


@pytest.fixture
def eager_celery(monkeypatch):
    """Tasks run in this process, at once: for tests about what a task does, not how it travels."""
    from eig.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


# Races need a database that runs transactions side by side; SQLite locks the whole file.
postgresql_only = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="concurrency is tested on PostgreSQL (set DATABASE_URL); SQLite serialises writers",
)


@pytest.fixture(autouse=True)
def _french_between_tests():
    """A page asked in English leaves English active in the test's thread (each request
    of the platform activates its own language): every test starts in French."""
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)

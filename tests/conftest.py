import os
from pathlib import Path

import pytest
from django.conf import settings

from eig.models import Role

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# EIG_HISTORY_DIR: where the folder is when the checkout is not beside ../shared (a worktree).
HISTORY_DIR = Path(
    os.environ.get("EIG_HISTORY_DIR")
    or Path(settings.BASE_DIR).parent / "shared" / "data" / "eig-history"
)

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
    if role in (Role.STAFF, Role.JURY_MEMBER, Role.MENTOR):
        # They open others' files (the matrix's mentor reviews their challenge's
        # applications): two-factor authentication.
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


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(monkeypatch):
    """In tests, `force_login` stands for a whole sign-in through allauth: an account with
    TOTP gets a session that passed the second factor, as allauth records it. Tests of
    the sign-in itself post to the real login views."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from django.http import HttpRequest
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is not None:
            request = HttpRequest()
            request.session, request.user = self.session, user
            record_authentication(request, user, "mfa", id=totp.pk, type=totp.type)
            request.session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


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


@pytest.fixture(autouse=True)
def _empty_cache_between_tests():
    """Every test starts with an empty cache: allauth keeps its rate limits and cooldowns
    there, and a confirmation email is not sent again to an address a previous test
    signed up with minutes before. Only the process's own memory is emptied, never a
    Redis database that something else may share."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()

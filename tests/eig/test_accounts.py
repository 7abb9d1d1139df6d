"""Accounts: email is the login, verified by email; privileged roles need TOTP."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from eig.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from eig.models import OutboxMessage, Role, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager_tasks(eager_celery):
    pass


def test_signing_up_sends_a_verification_email_through_the_outbox(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "first_name": "Camille",
                "last_name": "Leroy",
                "email": "Camille.Leroy@Exemple.gouv.fr",
                "password1": "un-mot-de-passe-long",
                "password2": "un-mot-de-passe-long",
            },
        )
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="camille.leroy@exemple.gouv.fr").exists()
    row = OutboxMessage.objects.get()
    assert row.status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == 1
    assert "confirm-email" in mail.outbox[0].body


def test_signup_refuses_a_weak_password_with_a_clear_message(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "a@exemple.gouv.fr", "password1": "123", "password2": "123"},
    )
    assert response.status_code == 200
    assert User.objects.count() == 0
    assert response.context["form"].errors["password1"]


def test_repeated_login_failures_lock_the_account(client):
    user = UserFactory(email="cible@exemple.gouv.fr")
    responses = [
        client.post(reverse("account_login"), {"login": user.email, "password": "faux"})
        for _ in range(5)
    ]
    assert responses[-1].status_code == 429
    lockout = responses[-1].content.decode()
    assert "bloqué" in lockout
    # The lockout page is one of the site's error pages: layout, and ways out.
    assert 'id="navigation-principale"' in lockout and 'id="pied-de-page"' in lockout
    assert f'href="{reverse("account_reset_password")}"' in lockout
    client.post(
        reverse("account_login"), {"login": user.email, "password": "mot-de-passe-solide-2026"}
    )
    assert "_auth_user_id" not in client.session


def test_staff_without_two_factor_is_sent_to_set_it_up(client):
    staff = UserFactory(is_staff=True, roles=[Role.STAFF])
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_jury_member_without_two_factor_cannot_open_the_admin_or_their_space(client):
    jury = UserFactory(roles=[Role.JURY_MEMBER])
    client.force_login(jury, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("dashboard"))["Location"] == reverse("mfa_activate_totp")


def test_a_candidate_needs_no_two_factor(client):
    candidate = UserFactory(roles=[Role.CANDIDATE])
    client.force_login(candidate, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("dashboard")).status_code == 200


def test_demo_accounts_are_one_per_role_and_can_be_created_twice(client):
    call_command("create_demo_accounts")
    call_command("create_demo_accounts")
    assert User.objects.count() == len(DEMO_ACCOUNTS) == len(Role)
    assert {role for *_, role in DEMO_ACCOUNTS} == set(Role)
    response = client.post(
        reverse("account_login"), {"login": "candidat@demo.eig.test", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302

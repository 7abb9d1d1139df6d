"""An address belongs to whoever verifies it: no account holds someone else's."""

import importlib

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.urls import reverse

from eig.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VICTIM = "victime@exemple.gouv.fr"


@pytest.fixture
def squatter(client):
    user = UserFactory(email="squat@exemple.gouv.fr")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return user


def sign_up(client, email):
    return client.post(
        reverse("account_signup"),
        {
            "first_name": "Camille",
            "last_name": "Leroy",
            "email": email,
            "password1": "un-mot-de-passe-long",
            "password2": "un-mot-de-passe-long",
        },
    )


def test_an_account_cannot_add_a_second_address(client, squatter):
    response = client.post(reverse("account_email"), {"action_add": "", "email": VICTIM})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not EmailAddress.objects.filter(email=VICTIM).exists()


def test_the_owner_of_an_address_another_account_tried_to_add_can_sign_up(client, squatter):
    client.post(reverse("account_email"), {"action_add": "", "email": VICTIM})
    client.logout()
    sign_up(client, VICTIM)
    assert User.objects.filter(email=VICTIM).exists()


def test_the_unverified_second_addresses_added_before_are_freed():
    squatter = UserFactory(email="squat@exemple.gouv.fr")
    EmailAddress.objects.create(user=squatter, email=squatter.email, verified=True, primary=True)
    EmailAddress.objects.create(user=squatter, email=VICTIM, verified=False, primary=False)
    migration = importlib.import_module("eig.migrations.0003_trust_auth_one_email_address")
    migration.free_unverified_second_addresses(apps, None)
    assert list(EmailAddress.objects.values_list("email", flat=True)) == [squatter.email]

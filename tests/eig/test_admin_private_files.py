"""Private files in the admin: the change pages open, and link to a download that checks
permission, never to a public URL."""

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import models
from django.urls import reverse

from eig.admin_files import PrivateFilesAdminMixin
from eig.files import PrivateStorage
from eig.models import Role
from tests.applications.test_preselection import PDF, preselection_call, submitted
from tests.conftest import make_user
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def admin_with_private_files():
    return [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if any(
            isinstance(field, models.FileField) and isinstance(field.storage, PrivateStorage)
            for field in model._meta.get_fields()
        )
    ]


def test_every_admin_of_a_model_with_private_files_links_them_through_a_checked_view():
    model_admins = admin_with_private_files()
    assert {type(model_admin).__name__ for model_admin in model_admins} >= {
        "ApplicationAdmin",
        "ChallengeAdmin",
    }
    assert all(isinstance(model_admin, PrivateFilesAdminMixin) for model_admin in model_admins)


@pytest.fixture
def application_with_cv():
    call = preselection_call()
    return submitted(call, call.challenges().first(), cv=True)


@pytest.fixture
def challenge_with_deck():
    challenge = ChallengeFactory()
    challenge.pitch_deck.save("deck.pdf", ContentFile(PDF), save=True)
    return challenge


def test_staff_open_an_application_with_a_cv_and_download_it(client, application_with_cv):
    client.force_login(make_user(Role.STAFF), backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("admin:applications_application_change", args=[application_with_cv.pk])
    response = client.get(url)
    assert response.status_code == 200
    download = reverse(
        "admin:applications_application_private_file", args=[application_with_cv.pk, "cv"]
    )
    assert f'href="{download}"' in response.content.decode()
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")


def test_staff_open_a_challenge_with_a_pitch_deck(client, challenge_with_deck):
    client.force_login(make_user(Role.STAFF), backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(
        reverse("admin:challenges_challenge_change", args=[challenge_with_deck.pk])
    )
    assert response.status_code == 200
    download = reverse(
        "admin:challenges_challenge_private_file", args=[challenge_with_deck.pk, "pitch_deck"]
    )
    assert f'href="{download}"' in response.content.decode()
    assert client.get(download).status_code == 200


def test_the_admin_download_is_for_staff_and_private_files_only(client, application_with_cv):
    download = reverse(
        "admin:applications_application_private_file", args=[application_with_cv.pk, "cv"]
    )
    candidate = application_with_cv.candidate
    client.force_login(candidate, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(download)
    assert response.status_code == 302 and not getattr(response, "streaming", False)

    client.force_login(make_user(Role.STAFF), backend="django.contrib.auth.backends.ModelBackend")
    not_a_file = reverse(
        "admin:applications_application_private_file", args=[application_with_cv.pk, "motivation"]
    )
    assert client.get(not_a_file).status_code == 404

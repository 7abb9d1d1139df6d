"""Mon espace: each stage adds its own section; the core page names no stage's page."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from challenges.models import AdministrationContact
from eig import dashboard
from eig.models import Role
from tests.factories import AdministrationFactory, UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT_PAGES = {
    "account_name",
    "account_change_password",
    "account_email",
    "notification_preferences",
    "mfa_index",
    "admin:index",
}


def test_the_core_dashboard_names_only_the_account_pages():
    template = Path(settings.BASE_DIR, "eig/templates/eig/dashboard.html").read_text()

    named = set(re.findall(r"{% url '([^']+)'", template))

    assert named == ACCOUNT_PAGES
    assert "administration_contacts" not in template


def test_each_stage_adds_its_section_once_in_the_programme_order():
    templates = [section.template for section in dashboard.SECTIONS]

    assert templates == [
        "challenges/dashboard_section.html",
        "mentoring/dashboard_section.html",
        "applications/dashboard_section.html",
        "cohorts/dashboard_section.html",
    ]


def test_an_administration_contact_finds_their_challenges_but_not_the_promotion(client):
    contact = UserFactory(roles=[Role.ADMINISTRATION_CONTACT])
    AdministrationContact.objects.create(
        administration=AdministrationFactory(),
        user=contact,
        status=AdministrationContact.Status.ACTIVE,
    )
    client.force_login(contact, backend="django.contrib.auth.backends.ModelBackend")

    page = client.get(reverse("dashboard")).text

    assert reverse("challenges:my_challenges") in page
    assert reverse("applications:candidate_dashboard") in page
    assert reverse("cohorts:my_calendar") not in page


def test_a_person_without_a_role_is_invited_to_the_call_for_projects(client):
    client.force_login(UserFactory(), backend="django.contrib.auth.backends.ModelBackend")

    page = client.get(reverse("dashboard")).text

    assert reverse("challenges:call_for_projects") in page
    assert reverse("challenges:my_challenges") not in page
    assert reverse("cohorts:my_calendar") not in page


def test_staff_see_every_stage_of_the_programme_they_may_open(client_as):
    page = client_as(Role.STAFF).get(reverse("dashboard")).text

    for name in (
        "mentoring:mentoring_dashboard",
        "cohorts:impact_dashboard",
        "cohorts:my_calendar",
        "applications:review_home",
    ):
        assert reverse(name) in page, name
    assert reverse("cohorts:alumni_directory") in page
    # The juries' spaces are their members' (403 to staff who sit on none): no dead link.
    for name in ("challenges:jury_home", "applications:interview_jury_home"):
        assert reverse(name) not in page, name

"""`make run`'s demo data: every role has something to see, and loading twice is safe."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from challenges import jury
from challenges.models import CallForProjects, Challenge, Phase
from eig.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.EIG_REQUIRE_2FA_FOR_PRIVILEGED = False  # as in `make run`
    call_command("create_demo_accounts")
    call_command("load_demo_data")
    call_command("load_demo_data")


def login(client, email):
    client.force_login(
        User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend"
    )
    return client


def test_the_demo_has_an_open_call_and_a_call_at_its_jury(demo):
    open_call = CallForProjects.objects.get(promotion__code="10")
    jury_call = CallForProjects.objects.get(promotion__code="9")
    assert open_call.phase() == Phase.OPEN
    assert jury_call.phase() == Phase.JURY
    statuses = set(open_call.challenges.values_list("status", flat=True))
    assert statuses == {Challenge.Status.DRAFT, Challenge.Status.SUBMITTED}
    assert jury_call.panels.count() == 2
    assert not jury_call.challenges.filter(audition__isnull=True).exists()
    assert jury.timetable_conflicts(call=jury_call) == []


def test_demo_logins_show_each_roles_view(demo, client):
    assert (
        login(client, "administration@demo.eig.test").get(reverse("my_challenges")).status_code
        == 200
    )
    assert login(client, "jury@demo.eig.test").get(reverse("jury_home")).status_code == 200
    assert (
        login(client, "equipe@demo.eig.test")
        .get(reverse("admin:challenges_challenge_changelist"))
        .status_code
        == 200
    )

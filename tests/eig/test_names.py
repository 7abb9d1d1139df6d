"""Every person has a name: sign-up asks it, and every screen, file and email uses it."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.candidate import services as services_candidate
from applications.interviews import services as services_interviews
from applications.models import Application, InterviewSlot
from eig.models import FormOfAddress, OutboxMessage, User
from tests.applications.test_candidate_screens import complete, log_in, start
from tests.factories import UserFactory, call_for_applications

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "first_name": "Léa",
    "last_name": "Martin",
    "form_of_address": "madame",
    "email": "lea.martin@example.org",
    "password1": "un-mot-de-passe-long",
    "password2": "un-mot-de-passe-long",
}


@pytest.fixture(autouse=True)
def eager_tasks(eager_celery):
    # allauth sends one confirmation per address every few minutes (kept in the cache).
    cache.clear()


def test_sign_up_asks_first_and_last_names_and_how_to_be_addressed(client):
    page = client.get(reverse("account_signup")).content.decode()
    for field in ("first_name", "last_name", "form_of_address"):
        assert f'name="{field}"' in page
    assert page.index('name="first_name"') < page.index('name="email"')

    refused = client.post(
        reverse("account_signup"), {**SIGN_UP, "first_name": " ", "last_name": ""}
    )
    assert refused.status_code == 200
    assert set(refused.context["form"].errors) >= {"first_name", "last_name"}
    assert not User.objects.exists()

    assert client.post(reverse("account_signup"), SIGN_UP).status_code == 302
    user = User.objects.get()
    assert (user.first_name, user.last_name) == ("Léa", "Martin")
    assert user.form_of_address == FormOfAddress.MADAME
    assert user.display_name == "Léa Martin"
    assert services_candidate.export_candidate_data(user=user)["compte"]["prenom"] == "Léa"


def test_the_account_emails_name_the_platform_and_link_to_its_public_address(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://eig.numerique.gouv.fr"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGN_UP)
    assert response.status_code == 302, response.content.decode()[-3000:]
    body = OutboxMessage.objects.get(event="account.email").body_text
    assert "c'est  !" not in body and "c’est  !" not in body
    assert "Entrepreneurs d'intérêt général" in body
    assert "https://eig.numerique.gouv.fr/accounts/confirm-email/" in body
    assert "testserver" not in body


def test_the_platform_name_comes_from_the_environment(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_NAME = "EIG recette"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGN_UP)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert "EIG recette" in OutboxMessage.objects.get(event="account.email").body_text


def test_an_account_without_a_name_gives_it_before_applying_then_goes_on(client):
    call_for_applications(challenges=1)
    user = UserFactory(first_name="", last_name="")
    log_in(client, user)
    eligibility = reverse("applications:apply_eligibility")

    response = client.get(eligibility)
    assert response.status_code == 302
    assert response.url == f"{reverse('account_name')}?next=%2Fcandidater%2Feligibilite%2F"

    page = client.get(response.url)
    assert "Avant de continuer" in page.content.decode()
    answered = client.post(
        reverse("account_name"),
        {"first_name": "  Léa ", "last_name": "Martin", "form_of_address": "", "next": eligibility},
    )
    assert answered.status_code == 302 and answered.url == eligibility
    user.refresh_from_db()
    assert user.display_name == "Léa Martin"
    assert client.get(eligibility).status_code == 200


def test_the_name_page_does_not_send_anyone_to_another_site(client):
    log_in(client, UserFactory(first_name="", last_name=""))
    answered = client.post(
        reverse("account_name"),
        {"first_name": "Léa", "last_name": "Martin", "next": "https://pirate.example/"},
    )
    assert answered.url == reverse("dashboard")


@pytest.mark.parametrize(
    "form_of_address, greeting",
    [
        (FormOfAddress.MADAME, "Bonjour Madame Martin,"),
        (FormOfAddress.MONSIEUR, "Bonjour Monsieur Martin,"),
        (FormOfAddress.NAME, "Bonjour Léa Martin,"),
    ],
)
def test_emails_greet_the_person_as_they_asked(form_of_address, greeting):
    call = call_for_applications(challenges=2)
    candidate = UserFactory(first_name="Léa", last_name="Martin", form_of_address=form_of_address)
    application = complete(start(call, candidate))
    services.set_application_status(
        application=application, to=Application.Status.SUBMITTED, by=candidate
    )
    email = OutboxMessage.objects.get(recipient=candidate)
    assert email.body_text.startswith(greeting)


def test_reviewers_and_juries_read_the_name_not_the_address():
    call = call_for_applications(challenges=1)
    candidate = UserFactory(first_name="Léa", last_name="Martin", email="lea.martin@example.org")
    application = start(call, candidate)
    from applications.review.services import candidate_label

    assert candidate_label(application, blind=False) == "Léa Martin"
    slot = InterviewSlot.objects.create(
        challenge=call.challenges().get(), starts_at=timezone.now() + timedelta(days=3)
    )
    ics = services_interviews.interview_ics(slot, attendee=candidate)
    assert 'CN="Léa Martin"' in ics.replace("\r\n ", "") or "CN=Léa Martin" in ics


def test_the_interview_and_offer_emails_greet_the_candidate_by_name():
    from tests.applications.test_interviews import applicant, interview_call, slot_for

    call = interview_call()
    challenge = call.challenges().order_by("pk").first()
    candidate = UserFactory(first_name="Léa", last_name="Martin")
    _application, [choice] = applicant(call, [challenge], candidate=candidate)
    services_interviews.book(choice=choice, slot=slot_for(call, challenge, 10), by=candidate)
    email = OutboxMessage.objects.get(event="applications.interview_booked")
    assert email.body_text.startswith("Bonjour Léa Martin,\n\nVotre entretien avec le jury")


def test_a_nameless_account_is_asked_for_its_name_where_logging_in_lands(client):
    log_in(client, UserFactory(first_name="", last_name=""))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_name"))
    named = log_in(client, UserFactory())
    assert named.get(reverse("dashboard")).status_code == 200


def test_the_password_reset_link_uses_the_public_address(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://eig.numerique.gouv.fr"
    user = UserFactory(email="lea.martin@example.org")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    body = OutboxMessage.objects.get(event="account.email").body_text
    assert "https://eig.numerique.gouv.fr/accounts/password/reset/key/" in body
    assert "Entrepreneurs d'intérêt général" in body and "testserver" not in body


def test_an_email_to_someone_without_a_name_says_hello_plainly():
    call = call_for_applications(challenges=2)
    candidate = UserFactory(first_name="", last_name="")
    application = complete(start(call, candidate))
    services.set_application_status(
        application=application, to=Application.Status.SUBMITTED, by=candidate
    )
    assert OutboxMessage.objects.get(recipient=candidate).body_text.startswith("Bonjour,\n")

"""The candidate's screens: apply, follow, take one's data away, have it erased."""

import json
import re
from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.candidate import views as views_candidate
from applications.models import Application, Choice, Offer, Review
from challenges.models import JuryMember
from eig.models import Role, RoleGrant
from tests.applications.matrix_candidate import MATRIX_CANDIDATE, sample_candidate_objects
from tests.conftest import MATRIX_ROLES
from tests.factories import (
    SkillFactory,
    UserFactory,
    call_for_applications,
    call_for_projects,
    with_second_factor,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BACKEND = "django.contrib.auth.backends.ModelBackend"
PARIS = ZoneInfo("Europe/Paris")
DECISIONS = [label for value, label in Choice.Status.choices if value != Choice.Status.PENDING]


# --- Helpers ---------------------------------------------------------------------------


def log_in(client, user):
    client.force_login(user, backend=BACKEND)
    return client


def start(call, candidate, now=None):
    return services.start_application(
        call=call, candidate=candidate, studies_completed=True, is_civil_servant=False, now=now
    )


def pdf_upload(content=PDF, name="mon-cv.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def form_data(call, /, **changes):
    first, second = call.challenges().order_by("title")
    data = {
        "profile": SkillFactory().pk,
        "years_of_experience": "5",
        "motivation": "Servir l'intérêt général avec les données.",
        "forge_url": "https://gitlab.com/dominique",
        "portfolio_url": "",
        "available_from": "2026-09-01",
        "first_challenge": first.pk,
        "first_motivation": "Ce défi me parle.",
        "second_challenge": second.pk,
        "second_motivation": "Celui-ci aussi.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def complete(application, now=None):
    """A file complete enough to send, saved through the services."""
    application.profile = SkillFactory()
    application.years_of_experience = 5
    application.motivation = "Servir l'intérêt général avec les données."
    application.forge_url = "https://gitlab.com/dominique"
    application.cv.save("cv.pdf", ContentFile(PDF), save=False)
    application.save()
    first, second = application.call.challenges().order_by("title")
    services.set_choices(
        application=application,
        choices=[(first, "Ce défi me parle."), (second, "Celui-ci aussi.")],
        now=now,
    )
    return application


def submitted(call, candidate):
    application = complete(start(call, candidate))
    return services.set_application_status(
        application=application, to=Application.Status.SUBMITTED, by=candidate
    )


def close(call, minutes_ago=1):
    call.deadline = timezone.now() - timedelta(minutes=minutes_ago)
    call.opens_at = call.deadline - timedelta(days=35)
    call.save()
    return call


def publish(call):
    call.published_at = timezone.now()
    call.save()
    return call


def title_of(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


@pytest.fixture
def call():
    return call_for_applications(challenges=2)


@pytest.fixture
def candidate():
    return UserFactory(first_name="Camille", last_name="Durand")


@pytest.fixture
def candidate_client(client, candidate):
    return log_in(client, candidate)


# --- The access matrix -----------------------------------------------------------------


@pytest.mark.parametrize("role", MATRIX_ROLES, ids=lambda r: r or "anonymous")
def test_each_role_gets_the_expected_status_on_the_candidate_screens(client_as, role):
    objects = sample_candidate_objects()
    client = client_as(role)
    wrong = []
    for name, (kwargs_builder, expected) in MATRIX_CANDIDATE.items():
        url = reverse(name, kwargs=kwargs_builder(objects) if kwargs_builder else None)
        response = client.get(url)
        if response.status_code != expected[role]:
            wrong.append(f"{name} {url}: {response.status_code}, expected {expected[role]}")
        elif response.status_code == 302 and role is None:
            if not response["Location"].startswith(reverse("account_login")):
                wrong.append(f"{name} {url}: sent to {response['Location']}, not to log in")
        elif response.status_code == 302 and name == "applications:application_edit":
            if response["Location"] != reverse("applications:apply_eligibility"):
                wrong.append(f"{name} {url}: sent to {response['Location']}, not to eligibility")
    assert not wrong, "\n".join(wrong)


def test_every_candidate_url_is_in_the_matrix():
    from applications.candidate.urls import urlpatterns

    assert {f"applications:{pattern.name}" for pattern in urlpatterns} == set(MATRIX_CANDIDATE)


# --- The call --------------------------------------------------------------------------


def test_the_call_page_shows_the_calendar_in_paris_time_the_challenges_and_the_privacy_notice(
    client,
):
    deadline = datetime(2026, 6, 15, 23, 59, tzinfo=PARIS)
    call = call_for_applications(now=deadline - timedelta(days=20))
    call.deadline = deadline
    call.save()
    with mock.patch("django.utils.timezone.now", return_value=deadline - timedelta(days=20)):
        page = client.get(reverse("applications:apply_home")).content.decode()
    assert "lundi 15 juin 2026 à 23:59 (heure de Paris)" in page
    for challenge in call.challenges():
        assert f'href="{challenge.get_absolute_url()}"' in page
    assert "terminé leurs études" in page and "agents publics en fonction" in page
    assert "trois mois" in page and "eig@numerique.gouv.fr" in page
    assert "mentors des défis que vous avez choisis" in page
    assert reverse("account_signup") in page and reverse("account_login") in page


# --- Eligibility -----------------------------------------------------------------------


def test_an_ineligible_person_is_told_why_and_nothing_is_created(call, candidate_client, candidate):
    url = reverse("applications:apply_eligibility")
    response = candidate_client.post(url, {"studies_completed": "non", "is_civil_servant": "oui"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vous ne pouvez pas candidater" in page
    assert "terminé leurs études" in page
    assert "agents publics en fonction ne peuvent pas candidater" in page
    assert "Aucune candidature n’a été créée" in page
    assert not Application.objects.exists()
    assert not RoleGrant.objects.filter(user=candidate, role=Role.CANDIDATE).exists()

    unanswered = candidate_client.post(url, {})
    # Each message is said twice: in the error summary and next to its field.
    assert unanswered.content.decode().count("Répondez par oui ou par non.") == 4
    assert not Application.objects.exists()

    eligible = candidate_client.post(url, {"studies_completed": "oui", "is_civil_servant": "non"})
    assert eligible.status_code == 302 and eligible["Location"] == reverse(
        "applications:application_edit"
    )
    assert Application.objects.get().candidate == candidate


def test_a_member_of_this_years_jury_is_told_why(call, candidate_client, candidate):
    projects = call_for_projects(promotion=call.promotion)
    JuryMember.objects.create(call=projects, user=candidate, profile=JuryMember.Profile.ALUMNI)
    # A jury member must use two factors: they sign in again with them.
    candidate_client.force_login(
        with_second_factor(candidate), backend="django.contrib.auth.backends.ModelBackend"
    )
    response = candidate_client.post(
        reverse("applications:apply_eligibility"),
        {"studies_completed": "oui", "is_civil_servant": "non"},
    )
    assert "membres des jurys de cette année" in response.content.decode()
    assert not Application.objects.exists()


def test_outside_the_calls_dates_eligibility_is_refused_with_a_message(candidate_client):
    call_for_applications(phase="preselection")
    page = candidate_client.get(reverse("applications:apply_eligibility"))
    assert "n’est pas ouvert en ce moment" in page.content.decode()
    assert 'name="studies_completed"' not in page.content.decode()
    response = candidate_client.post(
        reverse("applications:apply_eligibility"),
        {"studies_completed": "oui", "is_civil_servant": "non"},
    )
    assert response.status_code == 403
    assert "n’est pas ouvert en ce moment" in response.content.decode()
    assert not Application.objects.exists()


# --- The application -------------------------------------------------------------------


def test_a_candidate_fills_in_and_saves_a_draft(call, candidate_client, candidate):
    start(call, candidate)
    data = form_data(call, cv=pdf_upload())
    response = candidate_client.post(reverse("applications:application_edit"), data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.status == Application.Status.DRAFT
    assert application.years_of_experience == 5
    assert application.available_from == date(2026, 9, 1)
    assert application.cv.read() == PDF
    first, second = call.challenges().order_by("title")
    assert [(c.rank, c.challenge, c.motivation) for c in application.choices.all()] == [
        (1, first, "Ce défi me parle."),
        (2, second, "Celui-ci aussi."),
    ]
    page = candidate_client.get(reverse("applications:application_edit")).content.decode()
    assert "Votre brouillon est enregistré." in page
    assert reverse("applications:cv_download") in page
    assert re.search(r"4\s000 caractères au maximum", page)

    # Saving again without a file keeps the CV.
    candidate_client.post(
        reverse("applications:application_edit"), form_data(call, years_of_experience="6")
    )
    application.refresh_from_db()
    assert application.years_of_experience == 6 and application.cv.read() == PDF


def test_an_invalid_form_keeps_what_was_typed_and_saves_only_the_cv(
    call, candidate_client, candidate
):
    start(call, candidate)
    first, _second = call.challenges().order_by("title")
    data = form_data(
        call,
        motivation="Une lettre que je ne veux pas perdre.",
        forge_url="pas une adresse",
        second_challenge=first.pk,
        cv=pdf_upload(),
    )
    response = candidate_client.post(reverse("applications:application_edit"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Une lettre que je ne veux pas perdre." in page
    assert "Votre dossier n’est pas enregistré" in page
    assert "Saisissez une URL valide." in page
    assert "un autre défi que le premier" in page
    # The CV passed its checks: the draft keeps it, nobody chooses the file again.
    assert "sélectionnez à nouveau votre CV" not in page
    assert "inutile de le choisir à nouveau" in page and reverse("applications:cv_download") in page
    application = Application.objects.get()
    assert application.motivation == "" and not application.choices.exists()
    assert application.cv.read() == PDF
    corrected = form_data(call, motivation="Une lettre que je ne veux pas perdre.")
    assert (
        candidate_client.post(reverse("applications:application_edit"), corrected).status_code
        == 302
    )
    application.refresh_from_db()
    assert application.cv.read() == PDF and application.choices.count() == 2


def test_a_sent_application_keeps_its_cv_until_the_whole_form_is_valid(
    call, candidate_client, candidate
):
    application = submitted(call, candidate)
    before = application.cv.read()
    data = form_data(call, forge_url="pas une adresse", cv=pdf_upload(PDF + b"%nouveau\n"))
    page = candidate_client.post(reverse("applications:application_edit"), data).content.decode()
    assert "sélectionnez à nouveau votre CV" in page
    application.refresh_from_db()
    assert application.cv.read() == before


def test_a_draft_saves_whatever_is_filled_in_even_without_a_challenge(
    call, candidate_client, candidate
):
    start(call, candidate)
    half_empty = {"years_of_experience": "3", "first_challenge": ""}
    response = candidate_client.post(reverse("applications:application_edit"), half_empty)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.years_of_experience == 3 and not application.choices.exists()
    assert application.status == Application.Status.DRAFT
    # Sending still needs a challenge, and says so.
    sent = candidate_client.post(reverse("applications:application_submit"), follow=True)
    assert "un ou deux défis choisis" in sent.content.decode()
    assert Application.objects.get().status == Application.Status.DRAFT


def test_a_second_choice_alone_is_saved_as_the_first(call, candidate_client, candidate):
    start(call, candidate)
    _first, second = call.challenges().order_by("title")
    data = form_data(call, first_challenge="", first_motivation="", second_challenge=second.pk)
    assert candidate_client.post(reverse("applications:application_edit"), data).status_code == 302
    assert [(c.rank, c.challenge) for c in Application.objects.get().choices.all()] == [(1, second)]


def test_a_sent_application_keeps_its_first_choice(call, candidate_client, candidate):
    submitted(call, candidate)
    response = candidate_client.post(
        reverse("applications:application_edit"),
        form_data(call, first_challenge="", second_challenge=""),
    )
    assert "Choisissez au moins un défi." in response.content.decode()
    assert Application.objects.get().choices.count() == 2


def test_fields_required_to_send_are_marked_so_not_optional(call, candidate_client, candidate):
    start(call, candidate)
    page = candidate_client.get(reverse("applications:application_edit")).content.decode()
    marks = dict(
        re.findall(r'<label class="fr-label" for="id_(\w+)">[^<]*<span[^>]*>\((.*?)\)', page)
    )
    for name in ("cv", "motivation", "first_challenge", "first_motivation"):
        assert marks[name] == "obligatoire pour envoyer", name
    assert re.search(r"Votre forge de code \(GitHub, GitLab…\)\s*<span[^>]*>\(facultatif\)", page)


def test_withdrawing_is_offered_only_for_a_sent_application(call, candidate_client, candidate):
    start(call, candidate)
    draft_page = candidate_client.get(reverse("applications:application_edit")).content.decode()
    assert reverse("applications:application_withdraw") not in draft_page
    services.set_application_status(
        application=complete(Application.objects.get()),
        to=Application.Status.SUBMITTED,
        by=candidate,
    )
    sent_page = candidate_client.get(reverse("applications:application_edit")).content.decode()
    assert reverse("applications:application_withdraw") in sent_page


def test_the_second_choice_is_optional(call, candidate_client, candidate):
    start(call, candidate)
    response = candidate_client.post(
        reverse("applications:application_edit"),
        form_data(call, second_challenge="", second_motivation=""),
    )
    assert response.status_code == 302
    assert Application.objects.get().choices.count() == 1


def test_a_candidate_sees_only_their_own_application(call, client, candidate):
    mine = complete(start(call, candidate))
    mine.motivation = "Ma propre lettre."
    mine.save()
    other = complete(start(call, UserFactory()))
    other.motivation = "La lettre de quelqu'un d'autre."
    other.cv.save("autre.pdf", ContentFile(PDF + b"% autre\n"), save=True)
    log_in(client, candidate)
    page = client.get(reverse("applications:application_edit")).content.decode()
    assert "Ma propre lettre." in page and "quelqu'un d'autre" not in page
    cv = client.get(reverse("applications:cv_download"))
    assert b"".join(cv.streaming_content) == PDF
    assert cv["Content-Disposition"].startswith("attachment")
    assert cv["X-Content-Type-Options"] == "nosniff"
    # No id in any URL: a query string naming another application changes nothing.
    assert (
        b"".join(
            client.get(reverse("applications:cv_download"), {"pk": other.pk}).streaming_content
        )
        == PDF
    )
    dashboard = client.get(reverse("applications:candidate_dashboard")).content.decode()
    assert dashboard.count("<section") == 1
    # Someone without a CV has nothing to download; someone without an application is sent to apply.
    log_in(client, UserFactory())
    assert client.get(reverse("applications:cv_download")).status_code == 404
    assert client.get(reverse("applications:application_edit"))["Location"] == reverse(
        "applications:apply_eligibility"
    )


def test_a_cv_must_be_a_pdf_by_content_and_at_most_5_mb(call, candidate_client, candidate):
    application = start(call, candidate)
    url = reverse("applications:application_edit")
    renamed_program = pdf_upload(b"\x7fELF\x02\x01\x01" + b"\x00" * 600, name="cv.pdf")
    response = candidate_client.post(url, form_data(call, cv=renamed_program))
    assert "Le fichier doit être un PDF." in response.content.decode()
    too_large = pdf_upload(PDF + b" " * (5 * 1024 * 1024))
    response = candidate_client.post(url, form_data(call, cv=too_large))
    assert "Le fichier dépasse 5 Mo." in response.content.decode()
    application.refresh_from_db()
    assert not application.cv
    just_right = pdf_upload(PDF + b" " * (5 * 1024 * 1024 - len(PDF)))
    assert candidate_client.post(url, form_data(call, cv=just_right)).status_code == 302
    application.refresh_from_db()
    assert application.cv.size == 5 * 1024 * 1024


def test_a_new_cv_replaces_the_old_file(
    call, candidate_client, candidate, django_capture_on_commit_callbacks
):
    application = complete(start(call, candidate))
    old_name = application.cv.name
    storage = application.cv.storage
    with django_capture_on_commit_callbacks(execute=True):
        candidate_client.post(
            reverse("applications:application_edit"),
            form_data(call, cv=pdf_upload(PDF + b"% v2\n")),
        )
    application.refresh_from_db()
    assert application.cv.name != old_name and not storage.exists(old_name)


def test_extra_post_fields_are_ignored(call, candidate_client, candidate):
    application = start(call, candidate)
    other_call = call_for_applications()
    someone = UserFactory()
    data = form_data(
        call,
        status="submitted",
        candidate=someone.pk,
        call=other_call.pk,
        submitted_at="2026-01-01 10:00",
        anonymised_at="2026-01-01 10:00",
        studies_completed="False",
        is_civil_servant="True",
    )
    assert candidate_client.post(reverse("applications:application_edit"), data).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.candidate == candidate and application.call == call
    assert application.submitted_at is None and application.anonymised_at is None
    assert application.studies_completed and not application.is_civil_servant


def test_talent_pool_consent_is_unchecked_by_default(call, candidate_client, candidate):
    start(call, candidate)
    page = candidate_client.get(reverse("applications:application_edit")).content.decode()
    checkbox = re.search(r"<input[^>]*name=\"talent_pool_consent\"[^>]*>", page).group(0)
    assert "checked" not in checkbox
    assert 'type="checkbox"' in checkbox
    candidate_client.post(reverse("applications:application_edit"), form_data(call))
    assert Application.objects.get().talent_pool_consent is False
    candidate_client.post(
        reverse("applications:application_edit"), form_data(call, talent_pool_consent="on")
    )
    assert Application.objects.get().talent_pool_consent is True


def test_html_in_a_motivation_is_shown_as_text(call, client, candidate):
    script = "<script>alert('eig')</script><b>gras</b>"
    candidate.first_name = "<img src=x onerror=alert(1)>"
    candidate.save()
    application = complete(start(call, candidate))
    application.motivation = script
    application.save()
    application.choices.update(motivation=script)
    log_in(client, candidate)
    pages = [client.get(reverse("applications:application_edit")).content.decode()]
    close(call)
    pages.append(client.get(reverse("applications:application_edit")).content.decode())  # read-only
    pages.append(client.get(reverse("applications:candidate_dashboard")).content.decode())
    for page in pages:
        assert "<script>alert" not in page and "<b>gras" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;eig&#x27;)&lt;/script&gt;&lt;b&gt;gras&lt;/b&gt;" in pages[1]


# --- Sending, withdrawing, the deadline --------------------------------------------------


def test_an_incomplete_application_cannot_be_sent_and_says_what_is_missing(
    call, candidate_client, candidate
):
    start(call, candidate)
    response = candidate_client.post(reverse("applications:application_submit"), follow=True)
    page = response.content.decode()
    assert "Il manque encore" in page and "votre CV" in page and "un ou deux défis choisis" in page
    assert Application.objects.get().status == Application.Status.DRAFT


def test_the_send_button_saves_what_was_typed_then_sends(
    call, candidate_client, candidate, eager_celery, django_capture_on_commit_callbacks
):
    start(call, candidate)
    with django_capture_on_commit_callbacks(execute=True):
        response = candidate_client.post(
            reverse("applications:application_submit"),
            form_data(call, cv=pdf_upload()),
            follow=True,
        )
    assert "Votre candidature est envoyée" in response.content.decode()
    application = Application.objects.get()
    assert application.status == Application.Status.SUBMITTED and application.cv
    assert len(mail.outbox) == 1


def test_a_double_submit_sends_one_confirmation(
    call, candidate_client, candidate, eager_celery, django_capture_on_commit_callbacks
):
    complete(start(call, candidate))
    url = reverse("applications:application_submit")
    with django_capture_on_commit_callbacks(execute=True):
        first = candidate_client.post(url)
        second = candidate_client.post(url, follow=True)
    assert first.status_code == 302 and first["Location"] == reverse(
        "applications:candidate_dashboard"
    )
    assert "Votre candidature est envoyée" in second.content.decode()
    assert Application.objects.get().status == Application.Status.SUBMITTED
    assert len(mail.outbox) == 1 and "bien envoyée" in mail.outbox[0].subject


def test_a_candidate_withdraws_before_the_deadline(
    call, candidate_client, candidate, eager_celery, django_capture_on_commit_callbacks
):
    submitted(call, candidate)
    confirmed = {"retrait-confirm": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = candidate_client.post(
            reverse("applications:application_withdraw"), confirmed, follow=True
        )
    assert "Votre candidature est retirée" in response.content.decode()
    assert Application.objects.get().status == Application.Status.WITHDRAWN
    again = candidate_client.post(
        reverse("applications:application_withdraw"), confirmed, follow=True
    )
    assert "déjà retirée" in again.content.decode()
    page = candidate_client.get(reverse("applications:application_edit")).content.decode()
    assert "ne peut plus être modifiée" in page and "Enregistrer le brouillon" not in page


def test_withdrawing_without_confirming_withdraws_nothing_and_says_why(
    call, candidate_client, candidate
):
    submitted(call, candidate)
    response = candidate_client.post(reverse("applications:application_withdraw"), {})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Erreur : " in page and "data-error-summary" in page
    assert 'href="#id_retrait-confirm"' in page
    assert 'aria-invalid="true"' in page and 'id="id_retrait-confirm_error"' in page
    assert Application.objects.get().status == Application.Status.SUBMITTED


def test_after_the_deadline_the_application_is_read_only_even_by_post(
    call, candidate_client, candidate
):
    application = complete(start(call, candidate))
    close(call)
    page = candidate_client.get(reverse("applications:application_edit"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "La date limite est passée" in text
    assert "Enregistrer le brouillon" not in text and "<textarea" not in text
    changed = form_data(call, motivation="Trop tard.", status="submitted")
    for name in (
        "applications:application_edit",
        "applications:application_submit",
        "applications:application_withdraw",
    ):
        response = candidate_client.post(reverse(name), changed)
        assert response.status_code == 403, name
        assert "La date limite est passée" in response.content.decode(), name
    application.refresh_from_db()
    assert application.motivation == "Servir l'intérêt général avec les données."
    assert application.status == Application.Status.DRAFT


def test_the_deadline_is_enforced_at_the_minute_across_a_daylight_saving_change(client, candidate):
    # Summer time ends in Paris at 3:00 on 25 October 2026: the deadline is in winter time.
    deadline = datetime(2026, 10, 25, 12, 0, tzinfo=PARIS)
    call = call_for_applications(now=deadline - timedelta(days=5))
    call.deadline = deadline
    call.save()
    application = start(call, candidate, now=deadline - timedelta(days=1))
    url = reverse("applications:application_edit")
    with mock.patch("django.utils.timezone.now", return_value=deadline - timedelta(days=1)):
        log_in(client, candidate)
        page = client.get(url).content.decode()
        assert "dimanche 25 octobre 2026 à 12:00 (heure de Paris)" in page
    # 11:59 in Paris is 10:59 UTC: still open, an hour after the clocks went back.
    with mock.patch("django.utils.timezone.now", return_value=deadline - timedelta(minutes=1)):
        log_in(client, candidate)
        assert client.post(url, form_data(call, motivation="À temps.")).status_code == 302
    application.refresh_from_db()
    assert application.motivation == "À temps."
    with mock.patch("django.utils.timezone.now", return_value=deadline):
        log_in(client, candidate)
        assert client.post(url, form_data(call, motivation="Trop tard.")).status_code == 403
        assert "La date limite est passée" in client.get(url).content.decode()
    application.refresh_from_db()
    assert application.motivation == "À temps."


# --- Following the application ---------------------------------------------------------


def test_the_dashboard_shows_under_review_until_publication(call, candidate_client, candidate):
    application = submitted(call, candidate)
    application.choices.update(status=Choice.Status.SELECTED)
    choice = application.choices.get(rank=1)
    offer = Offer.objects.create(choice=choice, respond_by=call.offer_response_deadline)
    offer_url = views_candidate.offer_url(offer)

    response = candidate_client.get(reverse("applications:candidate_dashboard"))
    page = response.content.decode()
    # Before publication a decision looks like the interview step, nothing more.
    assert "Votre dossier est retenu pour un entretien avec le jury." in page
    assert "Envoyée le" in page
    for decision in DECISIONS:
        assert str(decision).lower() not in page.lower(), decision
    assert offer_url not in page and "Voir l’offre" not in page
    assert "sélectionné" not in page.lower()
    assert "examen" in title_of(response) or "candidature" in title_of(response)
    for decision in DECISIONS:
        assert str(decision).lower() not in title_of(response).lower()

    publish(call)
    page = candidate_client.get(reverse("applications:candidate_dashboard")).content.decode()
    assert "Vous êtes sélectionné·e pour ce défi : répondez à l’offre avant le" in page
    assert offer_url in page


def test_the_dashboard_tells_draft_and_withdrawn_apart(call, candidate_client, candidate):
    start(call, candidate)
    assert (
        "Brouillon"
        in candidate_client.get(reverse("applications:candidate_dashboard")).content.decode()
    )
    services.set_application_status(
        application=Application.objects.get(), to=Application.Status.WITHDRAWN, by=candidate
    )
    assert (
        "Retirée"
        in candidate_client.get(reverse("applications:candidate_dashboard")).content.decode()
    )


def test_the_dashboard_runs_the_same_queries_for_one_and_two_choices(client, call):
    counts = []
    for choices in (1, 2):
        user = UserFactory()
        application = complete(start(call, user))
        application.choices.filter(rank__gt=choices).delete()
        services.set_application_status(
            application=application, to=Application.Status.SUBMITTED, by=user
        )
        Offer.objects.create(
            choice=application.choices.get(rank=1), respond_by=call.offer_response_deadline
        )
        log_in(client, user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("applications:candidate_dashboard")).status_code == 200
        counts.append(len(queries))
    publish(call)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("applications:candidate_dashboard"))
    assert counts[0] == counts[1] == len(queries)


# --- Privacy -----------------------------------------------------------------------------


def test_the_data_export_holds_the_candidates_data_only(call, candidate_client, candidate):
    application = submitted(call, candidate)
    application.choices.update(status=Choice.Status.NOT_SELECTED)
    other = submitted(call, UserFactory(email="autre@exemple.fr"))
    other.motivation = "Le texte d'une autre personne."
    other.save()
    reviewer = UserFactory(is_staff=True)
    Review.objects.create(
        application=application,
        reviewer=reviewer,
        comment="Avis interne du relecteur",
        weighted_score="3.50",
    )
    response = candidate_client.get(reverse("applications:candidate_data_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"].startswith("application/json")
    text = response.content.decode()
    data = json.loads(text)
    assert data["compte"] == {
        "email": candidate.email,
        "prenom": "Camille",
        "nom": "Durand",
        "inscrit_le": candidate.date_joined.isoformat(),
        "langue_preferee": "fr",
    }
    [mine] = data["candidatures"]
    assert mine["lettre_de_motivation"] == "Servir l'intérêt général avec les données."
    assert mine["statut"] == "en cours d'examen"
    assert [c["defi"] for c in mine["choix"]] == [
        c.challenge.title for c in application.choices.all()
    ]
    assert all("decision" not in c for c in mine["choix"])
    assert mine["cv_depose"] is True and mine["envoyee_le"]
    for secret in ("autre@exemple.fr", "une autre personne", "Avis interne", "3.5", reviewer.email):
        assert secret not in text
    publish(call)
    data = candidate_client.get(reverse("applications:candidate_data_export")).json()
    assert {c["decision"] for c in data["candidatures"][0]["choix"]} == {"non sélectionnée"}


def test_erasure_removes_the_cv_and_the_texts(
    call, candidate_client, candidate, eager_celery, django_capture_on_commit_callbacks
):
    application = submitted(call, candidate)
    application.portfolio_url = "https://exemple.fr"
    application.talent_pool_consent = True
    application.save()
    cv_name, storage = application.cv.name, application.cv.storage
    assert storage.exists(cv_name)

    page = candidate_client.get(reverse("applications:candidate_erasure")).content.decode()
    assert "sera d’abord retirée" in page
    assert "Votre compte n’est pas supprimé" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = candidate_client.post(
            reverse("applications:candidate_erasure"), {"confirm": "on"}, follow=True
        )
    assert "Votre compte reste ouvert" in response.content.decode()
    application.refresh_from_db()
    assert not application.cv and not storage.exists(cv_name)
    assert application.motivation == "" and application.forge_url == ""
    assert application.portfolio_url == "" and not application.talent_pool_consent
    assert set(application.choices.values_list("motivation", flat=True)) == {""}
    assert application.anonymised_at is not None
    assert application.status == Application.Status.WITHDRAWN
    candidate.refresh_from_db()
    assert candidate.is_active


def test_erasure_keeps_an_application_that_led_to_a_selection(candidate_client, candidate):
    call = call_for_applications(phase="published")
    during_the_call = call.opens_at + timedelta(days=1)
    application = complete(start(call, candidate, now=during_the_call), now=during_the_call)
    Application.objects.filter(pk=application.pk).update(
        status=Application.Status.SUBMITTED, submitted_at=call.opens_at + timedelta(days=1)
    )
    application.choices.filter(rank=1).update(status=Choice.Status.SELECTED)
    page = candidate_client.get(reverse("applications:candidate_erasure")).content.decode()
    assert "a conduit à votre sélection" in page and "votre contrat EIG repose sur elle" in page
    candidate_client.post(reverse("applications:candidate_erasure"), {"confirm": "on"})
    application.refresh_from_db()
    assert application.cv and application.motivation and application.anonymised_at is None

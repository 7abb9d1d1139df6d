"""Bad requests are 4xx with a message that says what is wrong, never a 500."""

import subprocess
from contextlib import contextmanager

import pytest
from django.urls import reverse

from applications.models import Application
from challenges.models import Challenge
from eig.forms import FREE_TEXT_MAX_LENGTH
from mentoring import services as mentoring
from mentoring.models import MentorNote, UpdateComment, WeeklyUpdate
from tests.applications import test_candidate_screens as candidate_screens
from tests.challenges import test_administration_screens as administration_screens
from tests.factories import UserFactory, call_for_applications
from tests.mentoring.scenario import (
    eig_of,
    log_in,
    mentor_of,
    promotion_in_residence,
    team_of,
    update_of,
)

pytestmark = pytest.mark.django_db
A_BOOK = "x" * 100_000


# --- NUL bytes in URLs ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/promotion/agenda/%00.ics",
        "/appel-a-projets/invitations/%00/",
        "/appel-a-projets/invitations/abc%00def/",
        "/?q=%00",
    ],
)
def test_a_nul_byte_in_a_url_is_a_400_even_anonymously(client, url):
    assert client.get(url).status_code == 400


def test_a_nul_byte_in_a_token_is_a_400_for_a_signed_in_person_too(client):
    client.force_login(UserFactory(), backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/promotion/agenda/%00.ics").status_code == 400


# --- Free text: limits and messages -------------------------------------------------------


@pytest.fixture
def team():
    return team_of(promotion_in_residence(mentoring.paris_today()), title="Signaux faibles")


def test_a_comment_of_a_hundred_thousand_characters_is_refused_with_the_limit(team, client):
    update = update_of(team, mentoring.paris_today())
    log_in(client, mentor_of(team))
    response = client.post(
        reverse("mentoring:update_comment", kwargs={"update_pk": update.pk}),
        {"text": A_BOOK},
        follow=True,
    )
    page = response.content.decode()
    assert not UpdateComment.objects.exists()
    assert f"au plus {FREE_TEXT_MAX_LENGTH} caractères (actuellement 100000)" in page


def test_a_comment_holding_a_nul_character_says_so_not_that_it_is_empty(team, client):
    update = update_of(team, mentoring.paris_today())
    log_in(client, mentor_of(team))
    response = client.post(
        reverse("mentoring:update_comment", kwargs={"update_pk": update.pk}),
        {"text": "Bravo\x00"},
        follow=True,
    )
    page = response.content.decode()
    assert not UpdateComment.objects.exists()
    assert "Le caractère nul n’est pas autorisé." in page
    assert "vide" not in page


def test_a_note_longer_than_the_limit_is_refused_and_kept_on_screen(team, client):
    log_in(client, mentor_of(team))
    response = client.post(
        reverse("mentoring:mentor_notes", kwargs={"team_pk": team.pk}), {"text": A_BOOK}
    )
    assert response.status_code == 200
    assert not MentorNote.objects.exists()
    assert "caractères" in response.context["note_form"].errors["text"][0]


def test_a_weekly_update_longer_than_the_limit_is_refused(team, client):
    log_in(client, eig_of(team))
    week = mentoring.monday_of(mentoring.paris_today())
    response = client.post(
        reverse("mentoring:team_updates", kwargs={"team_pk": team.pk}),
        {"week": week.isoformat(), "spirit": "4", "priorities": A_BOOK},
    )
    assert response.status_code == 200
    assert not WeeklyUpdate.objects.exists()
    assert f"au plus {FREE_TEXT_MAX_LENGTH} caractères" in response.content.decode()


def test_a_challenges_problem_longer_than_the_limit_is_not_stored(client):
    challenge, editor = administration_screens.drafted(problem="Texte d'origine")
    administration_screens.logged_in(client, editor)
    response = client.post(
        administration_screens.edit_url(challenge),
        administration_screens.form_data(challenge, problem=A_BOOK, title="Nouveau titre"),
    )
    assert response.status_code == 200
    challenge.refresh_from_db()
    assert challenge.problem == "Texte d'origine"
    assert challenge.title == "Nouveau titre"  # what was valid is saved, as for any error
    assert "caractères" in response.context["form"].errors["problem"][0]


def test_a_password_of_a_hundred_thousand_characters_is_refused_at_sign_up(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "long@exemple.gouv.fr", "password1": A_BOOK, "password2": A_BOOK},
    )
    assert response.status_code == 200
    assert "trop long : 200 caractères au plus" in response.content.decode()


# --- A read-only or full media volume -------------------------------------------------------


@contextmanager
def media_volume(path, *, state):
    """A small tmpfs as MEDIA_ROOT, made read-only or filled up (needs root)."""
    path.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(path)], check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("mounting a tmpfs needs root")
    try:
        (path / "private").mkdir()
        if state == "full":
            with open(path / "filler", "wb") as filler:
                try:
                    while True:
                        filler.write(b"\0" * 65536)
                        filler.flush()
                except OSError:
                    pass
        else:
            subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True)
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


@pytest.mark.parametrize("state", ["read-only", "full"])
def test_a_cv_upload_on_a_broken_media_volume_keeps_the_rest_of_the_application(
    client, settings, tmp_path, state
):
    call = call_for_applications(challenges=2)
    candidate = UserFactory()
    candidate_screens.start(call, candidate)
    candidate_screens.log_in(client, candidate)
    with media_volume(tmp_path / "media", state=state) as media:
        settings.MEDIA_ROOT = media
        data = candidate_screens.form_data(
            call,
            motivation="Une lettre que je ne veux pas perdre.",
            cv=candidate_screens.pdf_upload(),
        )
        response = client.post(reverse("applications:application_edit"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Votre CV n’a pas pu être enregistré" in page
    assert "Une lettre que je ne veux pas perdre." in page
    application = Application.objects.get()
    assert application.motivation == "Une lettre que je ne veux pas perdre."  # the rest is kept
    assert application.choices.count() == 2
    assert not application.cv


def test_a_pitch_deck_on_a_read_only_media_volume_keeps_the_rest_of_the_challenge(
    client, settings, tmp_path
):
    challenge, editor = administration_screens.drafted(problem="Texte d'origine")
    administration_screens.logged_in(client, editor)
    with media_volume(tmp_path / "media", state="read-only") as media:
        settings.MEDIA_ROOT = media
        response = client.post(
            administration_screens.edit_url(challenge),
            {
                **administration_screens.form_data(challenge, problem="Un problème bien décrit."),
                "pitch_deck": administration_screens.SimpleUploadedFile(
                    "deck.pdf", administration_screens.MINIMAL_PDF, "application/pdf"
                ),
            },
        )
    assert response.status_code == 200
    challenge.refresh_from_db()
    assert challenge.problem == "Un problème bien décrit."
    assert not challenge.pitch_deck
    assert "Le fichier n’a pas pu être enregistré" in response.content.decode()
    assert Challenge.objects.count() == 1

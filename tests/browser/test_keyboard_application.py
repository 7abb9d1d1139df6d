"""A candidate fills and sends the application with the keyboard alone (Tab, Space,
arrows, typing into the focused field), meets a server-side error on the way, and
recovers from it through the error summary."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from applications import services
from applications.models import Application
from tests.factories import SkillFactory, UserFactory, call_for_applications

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MOST_TABS = 120  # more than the whole page holds: a field never reached fails the test


def focused(page, selector):
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def tab_to(page, selector, backwards=False):
    """Press Tab until the focus reaches `selector`, as a keyboard user would."""
    for _ in range(MOST_TABS):
        if focused(page, selector):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"the keyboard never reaches {selector}")


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose_cv(page, path):
    """Space on the focused file input opens the chooser. Chromium has been seen to let a
    first press go by unanswered on a busy machine: the candidate presses again."""
    tab_to(page, "input[name=cv]")
    for attempt in range(3):
        try:
            with page.expect_file_chooser(timeout=10_000) as chooser:
                page.keyboard.press("Space")
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            assert focused(page, "input[name=cv]")
        else:
            break
    chooser.value.set_files(path)


def test_a_candidate_sends_the_application_with_the_keyboard_alone(live_server, page, tmp_path):
    call = call_for_applications(challenges=2)
    SkillFactory(key="dev", label="Développement")
    candidate = UserFactory(email="camille@exemple.fr")
    EmailAddress.objects.create(user=candidate, email=candidate.email, verified=True, primary=True)
    services.start_application(
        call=call, candidate=candidate, studies_completed=True, is_civil_servant=False
    )
    client = Client()
    client.force_login(candidate, backend="django.contrib.auth.backends.ModelBackend")
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    cv = tmp_path / "mon-cv.pdf"
    cv.write_bytes(PDF)

    page.goto(f"{live_server.url}/candidater/ma-candidature/")
    tab_to(page, "input[name=profile]")
    page.keyboard.press("Space")
    type_into(page, "input[name=years_of_experience]", "4")
    choose_cv(page, cv)
    type_into(page, "input[name=forge_url]", "pas une adresse")  # refused by the server
    type_into(page, "textarea[name=motivation]", "Mettre le numérique au service du public.")
    tab_to(page, "select[name=first_challenge]")
    page.keyboard.press("ArrowDown")
    type_into(page, "textarea[name=first_motivation]", "Les données de ce défi me passionnent.")
    tab_to(page, "button[formaction$='/envoyer/']")
    page.keyboard.press("Enter")

    # Refused: the page opens on the summary, whose link leads to the field.
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert page.title().startswith("Erreur")
    page.keyboard.press("Tab")
    assert focused(page, "[data-error-summary] a[href='#id_forge_url']")
    page.keyboard.press("Enter")
    expect(page.locator("#id_forge_url")).to_be_focused()
    expect(page.locator("#id_forge_url")).to_have_attribute("aria-invalid", "true")
    page.keyboard.press("Control+A")
    page.keyboard.type("https://gitlab.com/camille")
    # What was typed is kept; the browser forgets the chosen file: choose it again.
    choose_cv(page, cv)
    tab_to(page, "button[formaction$='/envoyer/']")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Le suivi de ma candidature")
    application = Application.objects.get(candidate=candidate)
    assert application.status == Application.Status.SUBMITTED
    assert application.forge_url == "https://gitlab.com/camille"
    assert application.choices.get().motivation == "Les données de ce défi me passionnent."

"""The candidate's timeline in a real browser, on a desktop and on a 390 px phone:
the current step, the interview with its Paris time, its calendar file and a move request.

With EIG_SCREENSHOTS=1 the phone and desktop views are saved to docs/screenshots/.
"""

import os
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from applications.interviews import services as interviews
from tests.applications.test_interviews import applicant, interview_call, slot_for
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-solide-2026"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def serious_violations(page):
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_the_candidate_follows_their_application_and_interview_on_the_timeline(
    live_server, page, tmp_path
):
    call = interview_call()
    first, second = call.challenges().order_by("pk")
    candidate = UserFactory(email="lea@exemple.fr", first_name="Léa", last_name="Martin")
    EmailAddress.objects.create(user=candidate, email=candidate.email, verified=True, primary=True)
    _application, [choice, _other] = applicant(call, [first, second], candidate=candidate)
    slot = interviews.book(choice=choice, slot=slot_for(call, first, 14), by=candidate)

    page.goto(f"{live_server.url}/accounts/login/?next=/candidater/tableau-de-bord/")
    page.get_by_label("Courriel").fill(candidate.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Le suivi de ma candidature")
    expect(
        page.get_by_text("Votre dossier est retenu pour un entretien avec le jury.")
    ).to_be_visible()
    expect(page.locator(".fr-stepper__state")).to_have_text("Étape 3 sur 6")
    expect(page.locator("[aria-current=step]")).to_contain_text("Entretiens avec le jury")
    expect(page.get_by_text("de 14:00 à 14:45 (heure de Paris)")).to_be_visible()
    assert serious_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    saved = tmp_path / "entretien.ics"
    download.value.save_as(saved)
    assert f"UID:interview-{slot.pk}@eig" in saved.read_text()
    if os.environ.get("EIG_SCREENSHOTS"):
        page.screenshot(path=str(SCREENSHOTS / "candidate-timeline-desktop.png"), full_page=True)

    # On a phone: nothing wider than the screen, the move request one tap away.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []
    if os.environ.get("EIG_SCREENSHOTS"):
        page.screenshot(path=str(SCREENSHOTS / "candidate-timeline.png"), full_page=True)
    page.get_by_role("link", name="Demander un autre créneau").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon entretien")


def test_the_timeline_reads_in_english_on_a_phone(live_server, page):
    call = interview_call()
    first, second = call.challenges().order_by("pk")
    candidate = UserFactory(email="lea@exemple.fr", first_name="Léa", last_name="Martin")
    EmailAddress.objects.create(user=candidate, email=candidate.email, verified=True, primary=True)
    _application, [choice, _other] = applicant(call, [first, second], candidate=candidate)
    interviews.book(choice=choice, slot=slot_for(call, first, 14), by=candidate)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}/accounts/login/?next=/candidater/tableau-de-bord/")
    page.locator("input[name=login]").fill(candidate.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tracking my application")
    expect(
        page.get_by_text("Your application is shortlisted for an interview with the jury.")
    ).to_be_visible()
    expect(page.locator(".fr-stepper__state")).to_have_text("Step 3 of 6")
    expect(page.locator("[aria-current=step]")).to_contain_text("Interviews with the jury")
    expect(page.get_by_text("from 14:00 to 14:45 (Paris time)")).to_be_visible()
    expect(page.get_by_role("link", name="Add to my calendar (.ics)")).to_be_visible()
    text = page.locator("main").inner_text()
    french = ("Étape", "Entretien", "heure de Paris", "Votre dossier", "Demander", "agenda")
    assert [word for word in french if word in text] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []

    # The move request, one tap away, in English too.
    page.get_by_role("link", name="Ask for another slot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My interview")
    expect(page.get_by_text("(Paris time)").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []

"""A candidate applies to two ranked challenges in a real browser, from logging in to the confirmation."""

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from applications.models import Application
from tests.factories import SkillFactory, UserFactory, call_for_applications

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "mot-de-passe-solide-2026"


def serious_violations(page):
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_candidate_applies_to_two_ranked_challenges_and_sees_the_confirmation(
    live_server, page, tmp_path
):
    call = call_for_applications(challenges=2)
    preferred, other = call.challenges().order_by("title")
    SkillFactory(key="dev", label="Développement")
    candidate = UserFactory(email="camille@exemple.fr", first_name="Camille", last_name="Durand")
    EmailAddress.objects.create(user=candidate, email=candidate.email, verified=True, primary=True)
    cv = tmp_path / "mon-cv.pdf"
    cv.write_bytes(PDF)
    accessibility = {}

    page.goto(f"{live_server.url}/candidater/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Candidater au programme EIG")
    expect(page.get_by_role("link", name=preferred.title)).to_be_visible()
    accessibility["call"] = serious_violations(page)
    page.get_by_role("link", name="Se connecter pour candidater").click()

    # The real login form of /accounts/login/, which leads back to the eligibility step.
    page.get_by_label("Courriel").fill(candidate.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Puis-je candidater ?")
    accessibility["eligibility"] = serious_violations(page)

    page.get_by_role("group", name="Avez-vous terminé vos études ?").get_by_text("Oui").click()
    page.get_by_role("group", name="Êtes-vous aujourd’hui agent public en fonction ?").get_by_text(
        "Non"
    ).click()
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ma candidature")
    accessibility["application"] = serious_violations(page)
    page.get_by_role("group", name="Le profil qui vous décrit le mieux").get_by_text(
        "Développement"
    ).click()
    page.get_by_label("Années d’expérience professionnelle").fill("4")
    page.get_by_label("Votre CV (obligatoire pour envoyer)").set_input_files(cv)
    page.get_by_label("Votre forge de code").fill("https://gitlab.com/camille")
    page.get_by_label("Lettre de motivation").fill("Mettre le numérique au service du public.")
    page.get_by_label("Disponible à partir du").fill("2026-09-01")
    page.get_by_label("Premier choix").select_option(
        label=f"{preferred.title} — {preferred.administration.name}"
    )
    page.get_by_label("Pourquoi ce défi ?").fill("Les données de ce défi me passionnent.")
    page.get_by_label("Second choix").select_option(
        label=f"{other.title} — {other.administration.name}"
    )
    page.get_by_label("Pourquoi ce second défi ?").fill("Un beau défi aussi.")
    page.get_by_role("button", name="Envoyer ma candidature").click()

    expect(
        page.get_by_role("status").filter(has_text="Votre candidature est envoyée")
    ).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Le suivi de ma candidature")
    expect(page.get_by_text("Votre candidature est en cours d’examen.")).to_be_visible()
    expect(page.locator("[aria-current=step]")).to_contain_text("Présélection des dossiers")
    choices = page.locator("ol.eig-choices > li")
    expect(choices.nth(0)).to_contain_text(preferred.title)
    expect(choices.nth(1)).to_contain_text(other.title)
    accessibility["dashboard"] = serious_violations(page)

    application = Application.objects.get(candidate=candidate)
    assert application.status == Application.Status.SUBMITTED
    assert application.cv.read() == PDF
    assert [c.challenge for c in application.choices.order_by("rank")] == [preferred, other]
    assert {name: found for name, found in accessibility.items() if found} == {}

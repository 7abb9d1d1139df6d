"""An administration contact drafts, completes and submits a challenge in a real browser."""

import re

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from challenges import services
from challenges.models import Administration, AdministrationContact, Challenge
from tests.factories import DraftChallengeFactory, SkillFactory, UserFactory, call_for_projects

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-solide-2026"
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def log_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")


def test_an_administration_drafts_its_challenge_comes_back_and_submits_it(
    live_server, page, tmp_path
):
    call_for_projects(phase="open")
    SkillFactory(key="datascience", label="Data science")
    user = UserFactory(email="cheffe.projet@exemple.gouv.fr", first_name="Camille")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    deck = tmp_path / "presentation.pdf"
    deck.write_bytes(MINIMAL_PDF)

    log_in(page, live_server, user.email)

    # From the call to "my administration": register it first.
    page.goto(f"{live_server.url}/appel-a-projets/")
    expect(page.get_by_text("Des données disponibles")).to_be_visible()
    page.get_by_role("link", name="Commencer un défi").click()
    expect(page.get_by_text("rejoignez ou créez d’abord votre administration")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Mon administration").first.click()
    page.get_by_label("Nom de l’administration").fill("Agence des données publiques")
    page.get_by_label("Type d’administration").select_option("agency")
    page.get_by_role("button", name="Inscrire l’administration").click()
    expect(page.get_by_role("status").first).to_contain_text("Agence des données publiques")

    # Start the challenge and save a first draft.
    page.get_by_role("link", name="Mes défis").first.click()
    page.get_by_label("Titre du défi").fill("Cadastre solaire")
    page.get_by_role("button", name="Commencer le défi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cadastre solaire")
    page.get_by_role("textbox", name="Le problème public").fill(
        "Les toits publics ne sont pas recensés."
    )
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_role("status").first).to_have_text("Votre brouillon est enregistré.")

    # Leave, come back: the text is there.
    page.goto(f"{live_server.url}/mon-espace/")
    page.get_by_role("link", name="Mes défis").first.click()
    expect(page.get_by_role("cell", name="brouillon")).to_be_visible()
    page.get_by_role("link", name="Cadastre solaire").click()
    expect(page.get_by_role("textbox", name="Le problème public")).to_have_value(
        "Les toits publics ne sont pas recensés."
    )
    expect(page.get_by_text("Pour le déposer, il manque encore")).to_be_visible()

    # Complete every section.
    page.get_by_role("textbox", name="Le défi (obligatoire pour envoyer)").fill(
        "Recenser les toits et estimer leur potentiel."
    )
    page.get_by_role("textbox", name="Les données disponibles").fill(
        "Le cadastre et les photos aériennes."
    )
    page.get_by_role("textbox", name="Impact attendu").fill("Mille toits équipés en trois ans.")
    page.get_by_label("Data science").check(force=True)
    page.get_by_label("3 personnes").check(force=True)
    page.get_by_label("Lieu de travail de l’équipe").fill("Lyon (69003)")
    page.locator("#id_mentors-0-full_name").fill("Alix Martin")
    page.locator("#id_mentors-0-kind").select_option("operational")
    page.locator("#id_mentors-0-job_title").fill("Cheffe du bureau de l’énergie")
    page.locator("#id_mentors-0-email").fill("alix.martin@exemple.gouv.fr")
    page.locator("#id_mentors-1-full_name").fill("Dominique Bernard")
    page.locator("#id_mentors-1-kind").select_option("strategic")
    page.locator("#id_mentors-1-job_title").fill("Directeur général")
    page.get_by_label("cofinancement par le programme").check(force=True)
    page.get_by_label("Nous nous engageons à l’ouverture").check(force=True)
    page.get_by_label("Présentation du défi (PDF)").set_input_files(str(deck))

    # Submit: what was just typed is saved; the administration, registered here, waits
    # for the staff's validation, so the challenge stays a draft and the page says why.
    page.get_by_role("button", name="Déposer le défi").click()
    expect(page.get_by_role("status").first).to_contain_text("attend la validation")
    administration = Administration.objects.get(name="Agence des données publiques")
    services.validate_administration(administration=administration, by=None)
    page.get_by_role("button", name="Déposer le défi").click()
    expect(page.get_by_role("status").first).to_contain_text("Votre défi est déposé")
    expect(page.locator(".fr-badge").first).to_have_text("déposé")
    expect(page.get_by_role("link", name=re.compile("Télécharger la présentation"))).to_be_visible()
    expect(page.get_by_role("button", name="Déposer le défi")).to_have_count(0)

    challenge = Challenge.objects.get(title="Cadastre solaire")
    assert challenge.status == Challenge.Status.SUBMITTED
    assert challenge.problem == "Les toits publics ne sont pas recensés."
    assert [m.kind for m in challenge.mentorships.all()] == ["operational", "strategic"]
    assert challenge.pitch_deck.name.endswith(".pdf")


def test_the_administration_screens_have_no_serious_accessibility_violation(live_server, page):
    call = call_for_projects(phase="open")
    user = UserFactory(email="contact@exemple.gouv.fr")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    challenge = DraftChallengeFactory(call=call)
    challenge.editors.add(user)
    AdministrationContact.objects.create(administration=challenge.administration, user=user)
    log_in(page, live_server, user.email)

    found = {}
    for path in (
        "/appel-a-projets/",
        "/appel-a-projets/mon-administration/",
        "/appel-a-projets/mes-defis/",
        f"/appel-a-projets/mes-defis/{challenge.pk}/",
    ):
        page.goto(live_server.url + path)
        if path.endswith(f"{challenge.pk}/"):  # with errors shown
            page.get_by_role("textbox", name="Titre du défi").fill("")
            page.get_by_role("button", name="Enregistrer le brouillon").click()
            expect(page.locator("[data-error-summary]")).to_be_focused()
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']]}"
            for v in Axe().run(page).response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if violations:
            found[path] = violations
    assert found == {}

"""An administration contact's new screens on a phone (390 px): nothing off-screen, every
action within reach, no serious accessibility violation."""

from datetime import time, timedelta

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from challenges import services
from challenges.models import AdministrationContact, Audition, Challenge, JuryPanel
from eig import reminders
from tests.browser.test_challenge_drafting import MINIMAL_PDF, log_in
from tests.factories import DraftChallengeFactory, UserFactory, call_for_projects

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def contact(administration, email, status=AdministrationContact.Status.ACTIVE):
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    AdministrationContact.objects.create(administration=administration, user=user, status=status)
    return user


def fits_the_phone(page):
    """Nothing wider than the screen: a table scrolls inside its own wrapper."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def serious_violations(page):
    return [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_contact_refuses_a_request_and_revokes_an_invitation_on_a_phone(live_server, page):
    call = call_for_projects(phase="open")
    challenge = DraftChallengeFactory(call=call, title="Registre des arbres")
    me = contact(challenge.administration, "cheffe@exemple.gouv.fr")
    challenge.editors.add(me)
    challenge.pitch_deck.save("presentation.pdf", ContentFile(MINIMAL_PDF), save=True)
    contact(challenge.administration, "collegue.avec.une.adresse.longue@exemple.gouv.fr")
    requester = UserFactory(email="demandeur@exemple.com")
    services.request_to_join(administration=challenge.administration, by=requester)
    services.invite_coeditor(challenge=challenge, email="invitee@exemple.gouv.fr", by=me)

    page.set_viewport_size(PHONE)
    log_in(page, live_server, me.email)
    found = {}

    page.goto(f"{live_server.url}/appel-a-projets/mon-administration/")
    expect(
        page.get_by_role("cell", name="collegue.avec.une.adresse.longue@exemple.gouv.fr")
    ).to_be_attached()
    fits_the_phone(page)
    found["mon-administration"] = serious_violations(page)
    refuse = page.get_by_role("link", name=f"Refuser la demande de {requester.display_name}")
    refuse.scroll_into_view_if_needed()
    refuse.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refuser une demande")
    fits_the_phone(page)
    found["refuser"] = serious_violations(page)
    page.get_by_role("button", name="Refuser la demande").click()
    expect(page.get_by_role("status").first).to_contain_text("demandeur@exemple.com est refusée")

    page.goto(f"{live_server.url}/appel-a-projets/mes-defis/{challenge.pk}/")
    revoke = page.get_by_role("link", name="Retirer l’invitation de invitee@exemple.gouv.fr")
    revoke.scroll_into_view_if_needed()
    fits_the_phone(page)
    revoke.click()
    fits_the_phone(page)
    found["retirer"] = serious_violations(page)
    page.get_by_role("button", name="Retirer l’invitation").click()
    expect(page.get_by_role("status").first).to_contain_text("invitee@exemple.gouv.fr est retirée")

    page.get_by_role("link", name="Supprimer la présentation").click()
    fits_the_phone(page)
    found["supprimer"] = serious_violations(page)
    page.get_by_role("button", name="Supprimer la présentation").click()
    expect(page.get_by_role("status").first).to_have_text("La présentation est supprimée.")
    assert {name: v for name, v in found.items() if v} == {}


def test_a_shortlisted_challenge_shows_its_audition_on_a_phone(live_server, page):
    call = call_for_projects(phase="jury")
    challenge = DraftChallengeFactory(call=call, status=Challenge.Status.SHORTLISTED)
    me = contact(challenge.administration, "porteur@exemple.gouv.fr")
    challenge.editors.add(me)
    panel = JuryPanel.objects.create(
        call=call,
        name="Panel B",
        video_link="https://webconf.numerique.gouv.fr/tres-longue-salle-de-visio-du-jury-eig",
    )
    starts_at = reminders.paris_time(call.jury_starts_on, time(9, 40))
    Audition.objects.create(  # convoked: its convocation went out
        panel=panel,
        challenge=challenge,
        starts_at=starts_at,
        sent_at=starts_at - timedelta(days=7),
        sent_starts_at=starts_at,
        sent_panel=panel,
        sent_location=panel.video_link,
    )

    page.set_viewport_size(PHONE)
    log_in(page, live_server, me.email)
    page.goto(f"{live_server.url}/appel-a-projets/mes-defis/{challenge.pk}/")
    expect(page.get_by_role("heading", name="Votre audition devant le jury")).to_be_visible()
    expect(page.get_by_text("de 09:50 à 10:10 (heure de Paris)")).to_be_visible()
    fits_the_phone(page)
    assert serious_violations(page) == []

"""A visitor browses the programme's history in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.factories import ChallengeFactory, PromotionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_switches_language_filters_searches_and_opens_a_challenge(live_server, page):
    eig4 = PromotionFactory(code="4", name="EIG 4", year=2020)
    eig3 = PromotionFactory(code="3", name="EIG 3", year=2019)
    ChallengeFactory(promotion=eig4, title="ADEX", summary="Prévenir les conflits d'intérêts")
    ChallengeFactory(promotion=eig3, title="CartoBio", body_markdown="Les **parcelles** bio")

    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Entrepreneurs d’intérêt général")

    # DSFR's language selector: a button opens the menu of languages.
    page.locator(".fr-header__tools .fr-translate__btn").click()
    page.locator(".fr-header__tools").get_by_role("button", name="EN - English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Challenges").first).to_be_visible()
    page.locator(".fr-header__tools .fr-translate__btn").click()
    page.locator(".fr-header__tools").get_by_role("button", name="FR - Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Les défis"
    ).click()
    page.get_by_label("Promotion").select_option("4")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("status")).to_have_text("1 défi trouvé")
    expect(page.get_by_role("link", name="ADEX")).to_be_visible()

    page.goto(f"{live_server.url}/defis/")
    page.get_by_label("Rechercher").fill("parcelles")
    page.get_by_label("Rechercher").press("Enter")
    page.get_by_role("link", name="CartoBio").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CartoBio")
    expect(page.locator(".eig-markdown strong")).to_have_text("parcelles")

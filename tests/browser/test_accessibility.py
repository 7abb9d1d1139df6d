"""axe-core finds no serious or critical accessibility violation on the public pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import ChallengeFactory, KeyFigureFactory, PromotionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def serious_violations(page):
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_public_pages_have_no_serious_accessibility_violation(live_server, page):
    challenge = ChallengeFactory(promotion=PromotionFactory(code="4", name="EIG 4", year=2020))
    KeyFigureFactory(challenge=challenge)
    paths = [
        "/",
        "/defis/",
        challenge.get_absolute_url(),
        "/promotions/",
        "/promotions/4/",
        "/questions-frequentes/",
        "/accessibilite/",
        "/accounts/login/",
        "/accounts/signup/",
    ]
    found = {}
    for path in paths:
        page.goto(live_server.url + path)
        if violations := serious_violations(page):
            found[path] = violations
    assert found == {}

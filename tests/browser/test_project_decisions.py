"""Staff qualify, decide and publish the call for projects in the admin, in the browser:
the qualification screen's total follows the choices, the decisions table refuses a
decline without a reason, scrolls sideways at 390 px, and publication goes through its
confirmation page. Refreshes the decisions table's screenshot in docs/ with EIG_SCREENSHOTS=1."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from challenges.models import Challenge
from eig.models import OutboxMessage, Role
from tests.browser.test_promotion_week import as_staff
from tests.challenges.test_staff_decisions import heard, submitted
from tests.conftest import make_user
from tests.factories import call_for_projects

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The docs' screenshot is refreshed on demand (EIG_SCREENSHOTS=1), else taken aside:
# a test run leaves the checkout as it found it.
DOCS_SCREENSHOT = Path(settings.BASE_DIR) / "docs" / "screenshots" / "project-decisions.png"


def test_staff_qualify_decide_and_publish_in_the_admin(live_server, page, tmp_path):
    staff = make_user(Role.STAFF)
    call = call_for_projects(phase="deliberation")
    challenges = submitted(call, 21, status=Challenge.Status.SHORTLISTED)
    for start in range(0, 18, 3):
        heard(call, challenges[start : start + 3])
    heard(call, challenges[18:], grid=False)
    as_staff(page, live_server, staff)
    page.set_viewport_size({"width": 1400, "height": 900})

    # Qualification: the weighted total follows the choices, saving goes to the next one.
    page.goto(f"{live_server.url}/admin/challenges/challenge/{challenges[0].pk}/qualification/")
    for fieldset in page.locator("fieldset[data-weight]").all():
        fieldset.get_by_label("4", exact=True).check()
    expect(page.locator("[data-total]")).to_have_text("4,00")
    page.get_by_role("button", name="Enregistrer et passer au défi suivant").click()
    expect(page.get_by_role("heading", name=f"Qualifier « {challenges[1].title} »")).to_be_visible()
    assert challenges[0].assessments.count() == 5

    # Decisions: a decline needs a reason; a challenge without a panel grid needs the override.
    page.goto(f"{live_server.url}/admin/challenges/callforprojects/{call.pk}/decisions/")
    page.get_by_label(f"Décision pour « {challenges[0].title} »").select_option("not_selected")
    page.get_by_role("button", name="Enregistrer les décisions").click()
    expect(page.get_by_text("Un défi non sélectionné reçoit un motif.").first).to_be_visible()
    for n, challenge in enumerate(challenges):
        decision = ["selected", "waitlisted", "not_selected"][n % 3]
        page.get_by_label(f"Décision pour « {challenge.title} »").select_option(decision)
        page.get_by_label(f"Motif pour « {challenge.title} »").fill(f"Motif {n} du jury")
    for challenge in challenges[18:]:
        page.locator(f"#id_d{challenge.pk}-override").check()
    page.get_by_role("button", name="Enregistrer les décisions").click()
    expect(page.get_by_text("21 décision(s) enregistrée(s).")).to_be_visible()
    assert not Challenge.objects.filter(call=call, status="shortlisted").exists()
    shot = DOCS_SCREENSHOT if os.environ.get("EIG_SCREENSHOTS") else tmp_path / "shot.png"
    page.screenshot(path=str(shot), full_page=False)

    # At 390 px the table scrolls inside its region, which says so and takes the keyboard.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    region = page.get_by_role("region", name="Défis présélectionnés")
    expect(page.get_by_text("Le tableau défile horizontalement")).to_be_visible()
    sizes = region.evaluate(
        "el => [el.clientWidth, el.scrollWidth, el.getBoundingClientRect().right]"
    )
    assert sizes[0] <= 390 and sizes[1] > sizes[0] and sizes[2] <= 390
    region.focus()
    page.keyboard.press("End")
    expect(region).to_be_focused()

    # Publication: the confirmation page says what will happen, then publishes.
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{live_server.url}/admin/challenges/callforprojects/{call.pk}/publication/")
    expect(page.get_by_text("21 administrations apprennent la décision")).to_be_visible()
    page.get_by_role("button", name="Oui, publier les résultats").click()
    expect(page.get_by_text("Résultats publiés : les administrations")).to_be_visible()
    letters = OutboxMessage.objects.filter(event="challenges.decision_published")
    assert letters.count() == 21
    assert "Motif 2 du jury" in letters.get(object_id=str(challenges[2].pk)).body_text

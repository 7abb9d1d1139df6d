"""Staff's decisions hub in the browser: read on a desk and on a phone (390 px), a selection
before the interview needs its override box, a double is resolved by preference.
With EIG_SCREENSHOTS=1, refreshes `docs/screenshots/decisions-hub.png`."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from applications.decisions import services as decisions
from applications.models import Choice, InterviewSlot
from tests.applications.test_interviews import applicant, interview_call, staff_user
from tests.factories import SkillFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "decisions-hub.png"
NAMES = ["Léa Martin", "Karim Benali", "Inès Moreau", "Hugo Lefèvre", "Chloé Dubois"]


def as_staff(page, live_server, staff):
    """Staff log in with two factors: reuse a session rather than typing a TOTP code."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(staff, generate_totp_secret())
    client = Client()
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def named(full_name):
    first, last = full_name.split(" ", 1)
    return UserFactory(first_name=first, last_name=last)


def a_call_in_deliberation(staff):
    call = interview_call()
    first, second = call.challenges().order_by("pk")
    first.team_size, second.team_size = 2, 3
    first.save(update_fields=["team_size"])
    second.save(update_fields=["team_size"])
    heard = timezone.now() - timedelta(hours=3)
    choices = []
    for n, name in enumerate(NAMES):
        targets = [first, second] if n == 0 else [first if n % 2 else second]
        _application, mine = applicant(
            call, targets, candidate=named(name), profile=SkillFactory(label=f"Profil {n}")
        )
        for k, choice in enumerate(mine):
            InterviewSlot.objects.create(
                challenge=choice.challenge,
                starts_at=heard + timedelta(hours=k) - n * InterviewSlot.LENGTH,
                choice=choice,
            )
        choices.append(mine)
    double = choices[0]
    for choice in double:
        decisions.decide(choice=choice, to=Choice.Status.SELECTED, by=staff)
    decisions.decide(choice=choices[1][0], to=Choice.Status.WAITLISTED, by=staff)
    _late, [late] = applicant(call, [second], candidate=named("Paul Girard"))
    InterviewSlot.objects.create(
        challenge=second, starts_at=timezone.now() + timedelta(days=1), choice=late
    )
    return call, double, late


def test_staff_decide_in_the_hub_on_a_desk_and_on_a_phone(page, live_server):
    staff = staff_user()
    call, double, late = a_call_in_deliberation(staff)
    as_staff(page, live_server, staff)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/entretiens/appels/{call.pk}/decisions/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Décisions")
    expect(page.get_by_role("heading", name="Doubles sélections à départager")).to_be_visible()
    if os.environ.get("EIG_SCREENSHOTS"):  # refreshed on demand: a run leaves docs/ as it was
        page.screenshot(path=str(SCREENSHOT), full_page=True)

    # Selecting Paul before his interview: refused without the box, done with it.
    row = page.locator(f"#choix-{late.pk}")
    row.get_by_role("button", name="Sélectionner").click()
    expect(page.get_by_role("alert").or_(page.locator(".fr-alert--error"))).to_contain_text(
        "pas encore passé son entretien"
    )
    row = page.locator(f"#choix-{late.pk}")
    row.get_by_text("Sélectionner sans entretien passé").click()  # DSFR: the label is the box
    expect(row.get_by_label("Sélectionner sans entretien passé")).to_be_checked()
    row.get_by_role("button", name="Sélectionner").click()
    expect(page.locator(f"#choix-{late.pk}")).to_contain_text("sélectionnée")

    # On a phone: the page does not scroll sideways, tables scroll in their wrapper.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/entretiens/appels/{call.pk}/decisions/#doubles")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    button = page.get_by_role("button", name="Garder son premier choix")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    button.click()
    expect(page.get_by_role("heading", name="Doubles sélections à départager")).to_have_count(0)
    first, second = (Choice.objects.get(pk=c.pk) for c in double)
    assert (first.status, second.status) == (Choice.Status.SELECTED, Choice.Status.NOT_SELECTED)


# French words of the hub's own sentences: none may be left on the English page.
FRENCH_LEFT = (
    "Décisions —",
    "Doubles sélections",
    "Garder son premier choix",
    "Sélectionner",
    "Liste d’attente",
    "Ne pas retenir",
    "Publier les résultats",
    "équipe demandée",
    "heure de Paris",
)


def serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    return [
        f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_the_hub_reads_in_english_on_a_phone(page, live_server):
    staff = staff_user()
    call, double, late = a_call_in_deliberation(staff)
    as_staff(page, live_server, staff)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/entretiens/appels/{call.pk}/decisions/")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Decisions — Call for applications {call.promotion}"
    )
    expect(page.get_by_role("heading", name="Double selections to resolve")).to_be_visible()
    expect(page.get_by_role("button", name="Keep their first choice")).to_be_visible()
    row = page.locator(f"#choix-{late.pk}")
    expect(row.get_by_role("button", name="Select", exact=True)).to_be_visible()
    expect(row.get_by_text("Select without a past interview")).to_be_visible()
    text = page.locator("main").inner_text()
    assert [french for french in FRENCH_LEFT if french in text] == []
    # The page never scrolls sideways: each table scrolls inside DSFR's own wrapper.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for wrapper in page.locator(".fr-table__wrapper").all():
        if wrapper.evaluate("el => el.scrollWidth > el.clientWidth + 1"):
            assert wrapper.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    assert serious_violations(page) == []

    # The publication's confirmation page, in English too.
    page.get_by_role("link", name="Publish the results…").click()
    expect(page.get_by_role("button", name="Publish the results")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert "Publier" not in page.locator("main").inner_text()
    assert serious_violations(page) == []

"""The jury desk in the browser, at a real season's volume (21 shortlisted challenges,
50 jurors, 8 panels over 2 days): staff read it at 1280 px, and at 390 px the timetable
and the panels scroll sideways inside their own wrapper, never the page."""

import os
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

from challenges.jury import services as jury
from challenges.models import JuryMember
from eig.models import Role
from tests.challenges.test_jury_desk import future_call, members, shortlisted
from tests.conftest import make_user
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "jury-desk.png"


def as_staff(page, live_server):
    staff = make_user(Role.STAFF)
    client = Client()
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def season_jury():
    call = future_call()
    members(call, 50)
    for _n in range(21):
        shortlisted(call).editors.add(UserFactory())
    jury.compose_panels(call=call, panel_count=8)
    jury.assign_challenges(call=call)
    jury.lay_out_timetable(call=call)
    for n, panel in enumerate(call.panels.order_by("pk")):
        panel.lead = panel.members.order_by("pk").first()
        if n:  # one panel is left without a room: the desk flags it
            panel.video_link = f"https://visio.exemple.gouv.fr/jury-{n}"
        panel.save()
    return call


def test_the_jury_desk_at_1280_and_390_pixels(page, live_server):
    call = season_jury()
    as_staff(page, live_server)
    url = f"{live_server.url}/admin/challenges/jurypanel/bureau/{call.pk}/"

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    expect(page.get_by_role("heading", name="Calendrier des auditions")).to_be_visible()
    expect(page.get_by_text("Panel 1 n'a ni lieu ni lien de visioconférence.")).to_be_visible()
    assert page.locator(".scroll").first.locator("tbody tr").count() == 4  # 2 days × 2
    assert JuryMember.objects.filter(call=call, panel__isnull=False).count() == 50
    if os.environ.get("EIG_SCREENSHOTS") or not SCREENSHOT.exists():
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    # The page itself does not scroll sideways; each table scrolls in its wrapper.
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390 + 1
    wrapper = page.locator(".scroll").first
    assert wrapper.evaluate("el => el.scrollWidth > el.clientWidth")
    assert wrapper.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    expect(page.get_by_text("Faites défiler le tableau horizontalement").first).to_be_visible()

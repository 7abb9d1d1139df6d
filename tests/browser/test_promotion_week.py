"""A promotion's week, in the browser: three teams post (one after the Friday close, one
asking for help), a mentor comments, the help alert, the answer and the recaps go out
through the outbox at the right Paris times, and the handled request leaves the recap.

Time is data here, as in the reminder tests: the sweeps are given the Paris instant
they run at; what the browser does happens now, inside the current week.
"""

from datetime import time, timedelta

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import expect

from eig import reminders
from eig.models import OutboxMessage, Person, Role
from eig.reminders import paris_time
from mentoring import notifications as events
from mentoring import services
from mentoring.models import WeeklyUpdate
from tests.conftest import make_user
from tests.factories import UserFactory
from tests.mentoring.scenario import mentor_of, promotion_in_residence, team_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-solide-2026"  # the factory's


def account(email, team):
    from cohorts.services import join_team

    user = UserFactory(email=email, roles=[Role.EIG])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    join_team(person=Person.of_account(user), team=team)
    return user


def log_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def as_staff(page, live_server, staff):
    """Staff log in with two factors: reuse a session rather than typing a TOTP code."""
    page.context.clear_cookies()
    client = Client()
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def outbox(event, **filters):
    return OutboxMessage.objects.filter(event=event.code, **filters)


def serious_violations(page):
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def write_update(page, live_server, team, priorities, help_needed=""):
    page.goto(f"{live_server.url}/equipes/{team.pk}/")
    page.get_by_label("L’humeur de l’équipe").select_option("4")
    page.get_by_label("Nos priorités de la semaine").fill(priorities)
    page.get_by_label("Où nous avons besoin d’aide").fill(help_needed)
    page.get_by_role("button", name="Publier le bulletin").click()
    expect(page.get_by_role("status")).to_have_text("Le bulletin de la semaine est enregistré.")


def test_a_promotion_s_week(live_server, page):
    week = services.current_week()
    friday_close = services.week_closes_at(week)
    promotion = promotion_in_residence(services.paris_today())
    alpha, bravo, charlie = (
        team_of(promotion, title=title) for title in ("Alpha", "Bravo", "Charlie")
    )
    awa, basile, chloe = (
        account(f"{name}@exemple.gouv.fr", team)
        for name, team in (("awa", alpha), ("basile", bravo), ("chloe", charlie))
    )
    mentor = mentor_of(bravo)
    EmailAddress.objects.create(user=mentor, email=mentor.email, verified=True, primary=True)
    staff = make_user(Role.STAFF)

    # Monday to Friday: Alpha posts, Bravo asks for help; the help alert goes at once.
    log_in(page, live_server, awa)
    write_update(page, live_server, alpha, "Publier le simulateur")
    log_in(page, live_server, basile)
    write_update(page, live_server, bravo, "Déployer", help_needed="Un accès au serveur de recette")
    alerts = outbox(events.HELP_REQUESTED)
    assert set(alerts.values_list("to_email", flat=True)) == {staff.email, mentor.email}
    assert all(row.next_attempt_at < friday_close for row in alerts)

    # Bravo reads Alpha's update on the promotion's page (peer learning).
    page.get_by_role("link", name="Lire les bulletins de toute la promotion").click()
    expect(page.get_by_text("Publier le simulateur")).to_be_visible()
    expect(page.locator(f"#equipe-{charlie.pk}")).to_contain_text("Pas de bulletin cette semaine.")
    assert serious_violations(page) == []

    # The mentor comments; the team is told.
    log_in(page, live_server, mentor)
    page.goto(f"{live_server.url}/equipes/{bravo.pk}/")
    page.get_by_label("Votre commentaire").fill("Je vous ouvre l’accès demain.")
    page.get_by_role("button", name="Commenter").click()
    expect(page.get_by_role("status")).to_have_text("Votre commentaire est publié.")
    assert list(outbox(events.COMMENT_POSTED).values_list("to_email", flat=True)) == [basile.email]

    # Friday 15:00 Paris: the week closes, its recap goes to the whole promotion.
    reminders.sweep(now=friday_close - timedelta(minutes=1))
    assert not outbox(events.WEEKLY_DIGEST).exists()
    reminders.sweep(now=friday_close)
    recap = outbox(events.WEEKLY_DIGEST)
    assert set(recap.values_list("to_email", flat=True)) == {
        awa.email,
        basile.email,
        chloe.email,
        mentor.email,
        staff.email,
    }
    first = recap.get(to_email=chloe.email)
    pending = first.body_text.split("DEMANDES D’AIDE EN ATTENTE")[1].split("==")[0]
    assert "Un accès au serveur de recette" in pending
    assert "Charlie : aucun bulletin depuis le début de la promotion" in first.body_text

    # Friday 16:00: Charlie posts after the close; it is filed under the next week.
    late = services.post_update(
        team=charlie,
        by=chloe,
        spirit=3,
        priorities="Écrit après la synthèse",
        now=paris_time(week + timedelta(days=4), time(16, 0)),
    )
    assert late.week == week + timedelta(weeks=1)

    # Staff handle the request from a phone: the button is on screen; the team is told who.
    page.set_viewport_size({"width": 390, "height": 844})
    as_staff(page, live_server, staff)
    page.goto(f"{live_server.url}/equipes/tableau-de-bord/")
    button = page.get_by_role("button", name="Marquer comme traitée la demande de Bravo")
    button.scroll_into_view_if_needed()
    expect(button).to_be_in_viewport(ratio=1)
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    button.click()
    expect(page.get_by_role("status")).to_contain_text("est marquée comme traitée")
    told = outbox(events.HELP_PICKED_UP).get()
    assert told.to_email == basile.email and str(staff) in told.subject

    # The next Friday: the late update is in the recap, the handled request is not pending.
    reminders.sweep(now=services.week_closes_at(week + timedelta(weeks=1)))
    second = recap.exclude(pk=first.pk).get(to_email=chloe.email)
    assert "Écrit après la synthèse" in second.body_text
    assert "Aucune demande d’aide en attente." in second.body_text
    assert WeeklyUpdate.objects.filter(team__challenge__promotion=promotion).count() == 3

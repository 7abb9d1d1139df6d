"""An EIG posts the team's weekly update; a mentor of the team comments on it."""

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import expect

from challenges.models import ChallengeMentor
from cohorts.services import join_team
from eig.models import Person, Role
from mentoring.models import UpdateComment, WeeklyUpdate
from mentoring.services import paris_today
from tests.conftest import make_user
from tests.factories import UserFactory
from tests.mentoring.scenario import eig_of, promotion_in_residence, team_of, update_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "mot-de-passe-solide-2026"  # the factory's


def account(email, roles=()):
    user = UserFactory(email=email, roles=list(roles))
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def serious_violations(page):
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def log_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_an_eig_posts_the_weekly_update_and_a_mentor_comments_on_it(live_server, page):
    team = team_of(promotion_in_residence(paris_today()), title="Signaux faibles")
    eig = account("eig@exemple.gouv.fr", roles=[Role.EIG])
    join_team(person=Person.of_account(eig), team=team)
    mentor = account("mentor@exemple.gouv.fr", roles=[Role.MENTOR])
    ChallengeMentor.objects.create(
        challenge=team.challenge,
        person=Person.of_account(mentor),
        kind=ChallengeMentor.Kind.OPERATIONAL,
    )

    # The EIG finds the team and writes this week's update.
    log_in(page, live_server, eig)
    page.goto(f"{live_server.url}/equipes/")
    page.get_by_role("link", name="Signaux faibles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaux faibles")
    page.get_by_label("L’humeur de l’équipe").select_option("4")
    page.get_by_label("Nos priorités de la semaine").fill("Rencontrer les agents des caisses")
    page.get_by_label("Nos victoires").fill("Premier export des données <brutes>")
    page.get_by_label("Où nous avons besoin d’aide").fill("Un accès au serveur de recette")
    page.get_by_role("button", name="Publier le bulletin").click()
    expect(page.get_by_role("status")).to_have_text("Le bulletin de la semaine est enregistré.")
    expect(
        page.locator("article").get_by_text("Premier export des données <brutes>")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Mettre à jour le bulletin")).to_be_visible()
    expect(page.get_by_role("heading", name="Notes des mentors")).to_have_count(0)

    # The mentor reads it and comments.
    log_in(page, live_server, mentor)
    page.goto(f"{live_server.url}/equipes/{team.pk}/")
    expect(page.locator("article").get_by_text("Rencontrer les agents des caisses")).to_be_visible()
    expect(page.get_by_role("button", name="Publier le bulletin")).to_have_count(0)
    page.get_by_label("Votre commentaire").fill("Bravo ! Je vous ouvre l’accès demain.")
    page.get_by_role("button", name="Commenter").click()
    expect(page.get_by_role("status")).to_have_text("Votre commentaire est publié.")
    expect(page.get_by_text("Bravo ! Je vous ouvre l’accès demain.")).to_be_visible()
    assert serious_violations(page) == []  # updates, comment form and the mentors' notes

    # The team reads the comment.
    log_in(page, live_server, eig)
    page.goto(f"{live_server.url}/equipes/{team.pk}/")
    expect(page.get_by_text("Bravo ! Je vous ouvre l’accès demain.")).to_be_visible()
    assert serious_violations(page) == []  # the update form
    page.goto(f"{live_server.url}/equipes/")
    assert serious_violations(page) == []

    update = WeeklyUpdate.objects.get(team=team)
    assert (update.spirit, update.author) == (4, eig)
    assert UpdateComment.objects.get(update=update).author == mentor


def test_staff_read_the_dashboard_and_mark_a_help_request_handled(live_server, page):
    today = paris_today()
    team = team_of(promotion_in_residence(today), title="Signaux faibles")
    eig_of(team)
    update_of(team, today, spirit=2, help_needed="Un accès au serveur de recette")
    team_of(team.challenge.promotion, title="Équipe silencieuse")
    # Staff log in with two factors: reuse a session rather than typing a TOTP code.
    client = Client()
    client.force_login(make_user(Role.STAFF), backend="django.contrib.auth.backends.ModelBackend")
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto(f"{live_server.url}/equipes/")  # staff land on the dashboard
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord des équipes")
    expect(page.get_by_text("Un accès au serveur de recette")).to_be_visible()
    expect(page.get_by_role("row", name="Équipe silencieuse")).to_contain_text("silencieuse")
    assert serious_violations(page) == []

    page.get_by_role("button", name="Marquer comme traitée la demande de Signaux faibles").click()
    expect(page.get_by_role("status")).to_contain_text("est marquée comme traitée")
    expect(page.get_by_text("Aucune demande d’aide en attente.")).to_be_visible()

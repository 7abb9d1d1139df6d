"""Staff's dashboard: every team's spirit week after week, the silent teams, the help asked for."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from eig.models import Role
from mentoring import services
from mentoring.models import WeeklyUpdate, monday_of
from tests.conftest import make_user
from tests.factories import UserFactory
from tests.mentoring.scenario import (
    MONDAY,
    eig_of,
    log_in,
    mentor_of,
    promotion_in_residence,
    team_of,
    update_of,
)

pytestmark = pytest.mark.django_db


def dashboard(client, promotion=None, weeks=None):
    params = {}
    if promotion is not None:
        params["promotion"] = promotion.code
    if weeks is not None:
        params["weeks"] = weeks
    return client.get(reverse("mentoring:mentoring_dashboard"), params)


def test_the_dashboard_flags_teams_silent_for_two_weeks(today, client):
    # The rule, on a Wednesday of residence.
    wednesday = MONDAY + timedelta(days=2)
    promotion = promotion_in_residence(wednesday)
    wrote_this_week, wrote_last_week, missed_one_week, silent_for_two, never_wrote = (
        team_of(promotion, title=title)
        for title in (
            "A cette semaine",
            "B la semaine dernière",
            "C il y a deux",
            "D il y a trois",
            "E jamais",
        )
    )
    update_of(wrote_this_week, wednesday)
    update_of(wrote_last_week, wednesday - timedelta(weeks=1))
    update_of(missed_one_week, wednesday - timedelta(weeks=2))
    update_of(silent_for_two, wednesday - timedelta(weeks=3))
    assert list(services.silent_teams(promotion=promotion, today=wednesday)) == [
        silent_for_two,
        never_wrote,
    ]
    # A promotion that has just started: a team that never wrote is not silent yet.
    newcomers = promotion_in_residence(wednesday + timedelta(days=50))
    team_of(newcomers)
    assert list(services.silent_teams(promotion=newcomers, today=wednesday)) == []

    # On the screen, today.
    promotion = promotion_in_residence(today)
    for title, weeks_ago in (
        ("Cette semaine", 0),
        ("Il y a deux semaines", 2),
        ("Il y a trois semaines", 3),
    ):
        update_of(team_of(promotion, title=title), today - timedelta(weeks=weeks_ago))
    team_of(promotion, title="Jamais")
    html = dashboard(log_in(client, make_user(Role.STAFF)), promotion).content.decode()
    silent_section = html.split('id="silencieuses-titre"')[1].split("</section>")[0]
    assert "2 équipes n’ont pas écrit de bulletin depuis deux semaines ou plus." in silent_section
    assert "Il y a trois semaines" in silent_section and "Jamais" in silent_section
    assert "Cette semaine" not in silent_section
    assert "Il y a deux semaines" not in silent_section
    assert html.count('fr-badge--warning">silencieuse') == 2


def test_the_grid_shows_each_weeks_spirit_or_missing(promotion, today):
    team = team_of(promotion)
    weeks = services.recent_weeks(today=MONDAY, count=3)
    assert weeks == [MONDAY - timedelta(weeks=2), MONDAY - timedelta(weeks=1), MONDAY]
    update_of(team, MONDAY - timedelta(weeks=2), spirit=2)
    update_of(team, MONDAY, spirit=5)
    [row] = services.week_grid(promotion=promotion, weeks=weeks)
    assert row.team == team
    assert row.spirits == [2, "missing", 5]


def test_the_grid_costs_two_queries_whatever_its_size(promotion, django_assert_num_queries):
    for team in [team_of(promotion) for _ in range(6)]:
        update_of(team, MONDAY)
    weeks = services.recent_weeks(today=MONDAY, count=40)
    with django_assert_num_queries(2):
        grid = services.week_grid(promotion=promotion, weeks=weeks)
        assert sum(cell is not None for row in grid for cell in row.cells) == 6


def test_help_requests_stay_listed_until_handled(promotion, today, client):
    team = team_of(promotion, title="Signaux faibles")
    eig = eig_of(team)
    asked = services.post_update(
        team=team,
        by=eig,
        spirit=2,
        priorities="Déployer",
        victories="",
        help_needed="Un hébergement <pour> la démo",
        now=timezone.now() - timedelta(weeks=20),  # long ago, out of the grid’s 12 weeks
    )
    staff = make_user(Role.STAFF)
    log_in(client, staff)

    for _week in range(2):  # still there, week after week
        help_section = dashboard(client).content.decode().split('id="aide-titre"')[1]
        help_section = help_section.split("</section>")[0]
        assert "Un hébergement &lt;pour&gt; la démo" in help_section
    assert list(services.open_help_requests(promotion=promotion)) == [asked]

    # Only staff mark it handled.
    assert (
        log_in(client, mentor_of(team))
        .post(reverse("mentoring:help_handled", kwargs={"update_pk": asked.pk}))
        .status_code
        == 404
    )
    response = log_in(client, staff).post(
        reverse("mentoring:help_handled", kwargs={"update_pk": asked.pk})
    )
    assert response.status_code == 302
    assert response.url == f"{reverse('mentoring:mentoring_dashboard')}?promotion={promotion.code}"
    asked.refresh_from_db()
    assert asked.help_handled_by == staff and asked.help_handled_at is not None
    assert list(services.open_help_requests(promotion=promotion)) == []
    assert "Aucune demande d’aide en attente." in dashboard(client).content.decode()


def test_only_staff_mark_help_handled(promotion):
    update = update_of(team_of(promotion), MONDAY, help_needed="Aide")
    with pytest.raises(PermissionDenied):
        services.mark_help_handled(update=update, by=UserFactory(roles=[Role.MENTOR]))


def test_the_dashboard_opens_on_the_running_promotion(today, client):
    past = promotion_in_residence(today - timedelta(days=800), name="EIG ancienne")
    running = promotion_in_residence(today, name="EIG en cours")
    team_of(past, title="Défi d’autrefois")
    team_of(running, title="Défi d’aujourd’hui")
    assert services.running_promotion(today) == running
    html = dashboard(log_in(client, make_user(Role.STAFF))).content.decode()
    assert "Défi d’aujourd’hui" in html and "Défi d’autrefois" not in html
    # A past promotion is shown up to its last week.
    html = dashboard(client, past, weeks=4).content.decode()
    assert "Défi d’autrefois" in html
    last_week = monday_of(past.ends_on)
    assert f">{last_week:%d/%m}</abbr>" in html
    assert f">{last_week + timedelta(weeks=1):%d/%m}</abbr>" not in html


@pytest.mark.parametrize("role", [Role.MENTOR, Role.CANDIDATE, Role.JURY_MEMBER])
def test_the_dashboard_is_for_staff_only(client, role):
    assert dashboard(log_in(client, make_user(role))).status_code == 404


@pytest.mark.parametrize("teams", [5, 50])
def test_the_dashboard_costs_the_same_queries_for_5_and_50_teams_over_40_weeks(
    today, client, django_assert_num_queries, teams
):
    promotion = promotion_in_residence(today)
    weeks = services.recent_weeks(today=today, count=40)
    all_teams = [team_of(promotion) for _ in range(teams)]
    WeeklyUpdate.objects.bulk_create(
        WeeklyUpdate(
            team=team,
            week=week,
            spirit=1 + (i + j) % 5,
            priorities="Avancer",
            help_needed="Un coup de main" if (i + j) % 7 == 0 else "",
        )
        for i, team in enumerate(all_teams)
        for j, week in enumerate(weeks[:-3])  # the last three weeks are missing: silent teams
    )
    log_in(client, make_user(Role.STAFF))
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = dashboard(client, promotion, weeks=40)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<th scope="row">') == teams
    assert html.count('class="eig-spirit-missing"') == 3 * teams
    assert html.count('fr-badge--warning">silencieuse') == teams


# Session, user (the two-factor middleware reads the session), the promotions
# (once, for the select and the choice), silent teams, the grid's teams and updates,
# open help requests. The same for 5 teams or 50, 1 week or 40.
DASHBOARD_QUERIES = 7

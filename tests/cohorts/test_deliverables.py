"""The teams record what they deliver during the promotion; it shows on the challenge's
public page and in the open data."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from challenges.models import Challenge
from cohorts.alumni.services import record_team_deliverables
from cohorts.models import OpenedDataset
from eig.models import Role
from tests.conftest import make_user
from tests.mentoring.scenario import eig_of, log_in, mentor_of, promotion_in_residence, team_of

pytestmark = pytest.mark.django_db

DELIVERABLES = {
    "product_url": "https://signaux-faibles.beta.gouv.fr",
    "source_code_url": "https://github.com/signaux-faibles",
    "datasets": (
        "Entreprises en difficulté | https://www.data.gouv.fr/fr/datasets/signaux-faibles/\n"
        "Défaillances | https://www.data.gouv.fr/fr/datasets/defaillances/"
    ),
    "key_figures": "1200 | agents utilisent l’outil\n3,5 | millions d’euros recouvrés",
    "summary": "Un outil de détection précoce, repris par la DGE.",
}


@pytest.fixture
def team():
    from mentoring.services import paris_today

    return team_of(promotion_in_residence(paris_today()), title="Signaux faibles")


def url(team):
    return reverse("cohorts:team_deliverables", kwargs={"team_pk": team.pk})


def csv_rows(client, **params):
    body = client.get(reverse("cohorts:deliverables_csv"), params).content.decode()
    return list(csv.DictReader(io.StringIO("\n".join(body.splitlines()[2:]))))


def test_an_eig_records_the_teams_deliverables_and_the_public_sees_them(team, client):
    response = log_in(client, eig_of(team)).post(url(team), DELIVERABLES)
    assert response.status_code == 302

    team.refresh_from_db()
    challenge = team.challenge
    assert challenge.product_url == DELIVERABLES["product_url"]
    assert team.end_summary == DELIVERABLES["summary"]
    assert sorted(team.opened_datasets.values_list("name", flat=True)) == [
        "Défaillances",
        "Entreprises en difficulté",
    ]
    assert [str(f.amount) for f in challenge.key_figures.all()] == ["1200.00", "3.50"]

    client.logout()
    page = client.get(challenge.get_absolute_url()).content.decode()
    assert "Un outil de détection précoce, repris par la DGE." in page
    assert 'href="https://www.data.gouv.fr/fr/datasets/signaux-faibles/"' in page
    assert "https://github.com/signaux-faibles" in page

    [row] = csv_rows(client)
    assert row["defi"] == "Signaux faibles"
    assert row["produit"] == DELIVERABLES["product_url"]
    assert (
        "Défaillances <https://www.data.gouv.fr/fr/datasets/defaillances/>"
        in row["jeux_de_donnees"]
    )
    assert row["chiffres_cles"] == "1200 agents utilisent l’outil ; 3.5 millions d’euros recouvrés"
    assert row["bilan"] == DELIVERABLES["summary"]


def test_the_form_shows_what_is_recorded_and_mentors_and_staff_edit_it(team, client):
    log_in(client, eig_of(team)).post(url(team), DELIVERABLES)
    page = log_in(client, mentor_of(team)).get(url(team)).content.decode()
    assert "Défaillances | https://www.data.gouv.fr/fr/datasets/defaillances/" in page
    assert "3.5 | millions d’euros recouvrés" in page
    log_in(client, mentor_of(team)).post(url(team), {**DELIVERABLES, "datasets": ""})
    assert not OpenedDataset.objects.filter(team=team).exists()
    response = log_in(client, make_user(Role.STAFF)).post(
        url(team), {**DELIVERABLES, "summary": "Bilan relu"}
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.end_summary == "Bilan relu"


def test_a_malformed_line_is_refused_and_nothing_is_recorded(team, client):
    response = log_in(client, eig_of(team)).post(
        url(team), {**DELIVERABLES, "datasets": "Sans adresse"}
    )
    assert response.status_code == 200
    assert "Ligne 1 : écrivez le nom puis l’adresse" in response.content.decode()
    team.challenge.refresh_from_db()
    assert team.challenge.product_url == ""


def test_nobody_outside_the_team_records_its_deliverables(team, client):
    outsider = eig_of(team_of(team.challenge.promotion))
    assert log_in(client, outsider).post(url(team), DELIVERABLES).status_code == 404
    with pytest.raises(PermissionDenied):
        record_team_deliverables(team=team, by=outsider, product_url="https://x.fr")
    team.challenge.refresh_from_db()
    assert team.challenge.product_url == ""


@pytest.mark.parametrize("teams", [2, 15])
def test_the_open_data_of_deliverables_lists_every_public_team_in_fixed_queries(
    team, client, django_assert_num_queries, teams
):
    promotion, staff = team.challenge.promotion, make_user(Role.STAFF)
    for number in range(teams):
        other = team_of(promotion, title=f"Défi {number}")
        record_team_deliverables(
            team=other,
            by=staff,
            datasets=[(f"Jeu {number}", "https://www.data.gouv.fr/fr/datasets/x/")],
            key_figures=[(number, "usagers")],
        )
    with django_assert_num_queries(3):  # challenges with their teams, key figures, datasets
        rows = csv_rows(client)
    expected = Challenge.objects.public().filter(team__isnull=False).count()
    assert len(rows) == expected == teams + 1

"""The accessibility statement says what the RGAA grid in the repository says."""

import csv
from collections import Counter

import pytest
from django.conf import settings
from django.urls import reverse

# RGAA 4.1: 106 criteria in 13 themes.
CRITERIA_PER_THEME = [9, 2, 3, 13, 8, 2, 5, 10, 4, 14, 13, 11, 12]


def grid_rows():
    path = settings.EIG_ACCESSIBILITY_AUDIT_DIR / "rgaa-grid.csv"
    with path.open(encoding="utf-8", newline="") as grid:
        return list(csv.reader(grid))


def test_the_grid_holds_every_rgaa_criterion_once_with_a_result_per_page():
    header, *rows = grid_rows()
    pages = [column for column in header if column.startswith("P")]
    assert len(pages) >= 10
    numbers = [row[0] for row in rows]
    expected = [f"{t}.{c}" for t, n in enumerate(CRITERIA_PER_THEME, 1) for c in range(1, n + 1)]
    assert numbers == expected
    for row in rows:
        results = row[2 : 2 + len(pages)]
        assert set(results) <= {"C", "NC", "NA"}, row[0]
        if "NC" in results:
            assert row[-1].strip(), f"criterion {row[0]} fails without saying why"


@pytest.mark.django_db
def test_the_statement_shows_the_rate_and_state_the_grid_yields(client):
    header, *rows = grid_rows()
    width = len([column for column in header if column.startswith("P")])
    # Counted here from the raw rows, apart from eig.accessibility.
    outcome = Counter()
    for row in rows:
        results = row[2 : 2 + width]
        outcome["NC" if "NC" in results else "C" if "C" in results else "NA"] += 1
    rate = outcome["C"] * 100 // (outcome["C"] + outcome["NC"])
    state = (
        "totalement conforme"
        if rate == 100
        else "partiellement conforme"
        if rate >= 50
        else "non conforme"
    )

    page = client.get(reverse("accessibility")).content.decode()

    assert f"<strong>{rate} %</strong>" in page
    assert f"<strong>{state}</strong>" in page
    assert f"{outcome['C']} critères conformes" in page
    assert (
        f"{outcome['NC']} critère" in page and f"{outcome['NA']} critères non applicables" in page
    )
    for row in rows:
        if "NC" in row[2 : 2 + width]:
            assert f"Critère {row[0]}" in page
    footer = client.get(reverse("cohorts:home")).content.decode()
    assert f"Accessibilité : {state}" in footer


@pytest.mark.django_db
def test_the_statement_gives_the_recourse_and_how_it_was_established(client):
    page = client.get(reverse("accessibility")).content.decode()
    for required in (
        "Défenseur des droits",
        "délégué du Défenseur des droits dans votre région",
        "Libre réponse 71120",
        "eig@numerique.gouv.fr",
        "Pages ayant fait l’objet de la vérification de conformité",
        "axe-core",
        "Plan d’action de l’année",
        "schéma pluriannuel",
        "auto-évaluation",
    ):
        assert required in page, required

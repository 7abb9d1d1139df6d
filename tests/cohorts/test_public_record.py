"""Truth to the programme's record (issue #16): every public figure of the imported
promotions, as the pages and the open data show it, against a count made from the
YAML files by `tests.cohorts.record_count` (which shares only the alias table with the
importer). The pages are parsed as HTML, the files as CSV and JSON.
"""

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.cohorts.record_count import INDICATORS, count_the_record, promotion_names

pytestmark = pytest.mark.django_db


class Tables(HTMLParser):
    """Every table of a page as rows of cell texts; and the page's headline figures."""

    def __init__(self, html):
        super().__init__()
        self.tables, self.figures = [], []
        self._cell = self._row = None
        self._in_figure = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "p" and "eig-figure" in (dict(attrs).get("class") or ""):
            self._in_figure = True
            self.figures.append([])

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None
        elif tag == "p" and self._in_figure:
            self._in_figure = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._in_figure:
            self.figures[-1].append(data)

    def figure_values(self):
        return [number(" ".join(parts)) for parts in self.figures]


def number(text):
    """A figure as shown (French thousands separators): an int, or the text if not one."""
    digits = re.sub(r"[\s\u202f\xa0]", "", text)
    return int(digits) if digits.isdigit() else " ".join(text.split())


@pytest.fixture
def record(history_dir):
    call_command("import_eig_history", str(history_dir), stdout=io.StringIO())
    return count_the_record(history_dir), promotion_names(history_dir)


def page(client, name, **kwargs):
    response = client.get(reverse(name, kwargs=kwargs or None))
    assert response.status_code == 200
    return Tables(response.content.decode())


def test_promotion_list_shows_each_promotion_s_challenges_and_eigs_as_in_the_record(client, record):
    expected, names = record
    (table,) = page(client, "promotion_list").tables
    header, *rows = table
    assert header == ["Promotion", "Année", "Défis", "EIG"]
    shown = {row[0]: (number(row[2]), number(row[3])) for row in rows}
    assert shown == {
        names[code]: (counts["challenges"], counts["eigs"])
        for code, counts in expected.items()
        if code != "*"
    }
    # Issue #16, item 1: the challenges column no longer repeats the EIGs.
    assert shown["EIG 2"] == (13, 28) and shown["EIG 4"][0] == 17


@pytest.mark.parametrize("code", ["1", "2", "3", "dig", "4"])
def test_each_promotion_page_shows_its_figures_as_in_the_record(client, record, code):
    expected, _names = record
    figures = page(client, "promotion_detail", code=code).figure_values()
    counts = expected[code]
    assert figures == [
        counts["challenges"],
        counts["administrations"],
        counts["eigs"],
        counts["mentors"],
    ]


def test_home_shows_the_programme_s_totals_as_in_the_record(client, record):
    expected, _names = record
    overall = expected["*"]
    assert page(client, "home").figure_values() == [
        overall["challenges"],
        overall["administrations"],
        overall["eigs"],
        overall["mentors"],
    ]


def test_impact_table_shows_every_promotion_and_the_total_as_in_the_record(client, record):
    expected, names = record
    impact = page(client, "impact")
    table = next(t for t in impact.tables if t[0][0] == "Promotion")
    header, *rows = table
    columns = {label: i for i, label in enumerate(header)}
    shown = {}
    for row in rows:
        promotion = re.sub(r"\s*\(\d{4}\)$", "", row[0])
        shown[promotion] = row
    wanted = {names[c]: counts for c, counts in expected.items() if c != "*"}
    wanted["Ensemble du programme"] = expected["*"]
    assert set(shown) == set(wanted)
    labels = {
        "challenges": "Défis",
        "administrations": "Administrations d’accueil",
        "eigs": "Entrepreneurs d’intérêt général",
        "mentors": "Agents publics embarqués",
        "open_source": "Produits au code source ouvert",
    }
    for promotion, counts in wanted.items():
        for indicator in INDICATORS:
            cell = shown[promotion][columns[labels[indicator]]]
            assert number(cell) == counts[indicator], (promotion, indicator)
        # Item 8: the history was never surveyed: "no data", not 0.
        for label in ("EIG toujours au service du public", "Défis pérennisés"):
            assert shown[promotion][columns[label]] == "pas de données", (promotion, label)
    # The headline figures of the impact page are the programme's totals.
    assert impact.figure_values()[:5] == [expected["*"][i] for i in INDICATORS]


def test_open_data_csv_and_json_give_the_record_s_figures(client, record):
    expected, _names = record
    expected = {("ensemble" if c == "*" else c): counts for c, counts in expected.items()}
    response = client.get(reverse("impact_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    from_csv = {(r["promotion"], r["indicateur"]): r["valeur"] for r in rows}
    document = json.loads(client.get(reverse("impact_json")).content)
    from_json = {(r["promotion"], r["indicateur"]): r["valeur"] for r in document["donnees"]}
    for code, counts in expected.items():
        for indicator in INDICATORS:
            assert from_csv[(code, indicator)] == str(counts[indicator]), (code, indicator)
            assert from_json[(code, indicator)] == counts[indicator], (code, indicator)
        assert from_csv[(code, "public_service")] == ""  # not surveyed
        assert from_json[(code, "made_permanent")] is None

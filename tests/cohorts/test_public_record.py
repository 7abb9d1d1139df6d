"""Truth to the programme's record (issue #16): every public figure of the imported
promotions, as the pages and the open data show it, against a count made from the
YAML files by `tests.cohorts.record_count` (which shares only the alias table with the
importer). The pages are parsed as HTML, the files as CSV and JSON.
"""

import csv
import io
import json
import re
from datetime import date, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from challenges.models import Challenge
from cohorts.impact import LICENCE, programme_impact
from cohorts.models import FollowUpSurvey, OpenedDataset
from tests.cohorts.record_count import INDICATORS, count_the_record, promotion_names
from tests.factories import (
    ChallengeFactory,
    PromotionFactory,
    TeamFactory,
    TeamMemberFactory,
)

pytestmark = pytest.mark.django_db
ATTRIBUTION = settings.EIG_HISTORY_ATTRIBUTION
ANSWERED = datetime(2026, 1, 5, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


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
    (table,) = page(client, "cohorts:promotion_list").tables
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
    figures = page(client, "cohorts:promotion_detail", code=code).figure_values()
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
    assert page(client, "cohorts:home").figure_values() == [
        overall["challenges"],
        overall["administrations"],
        overall["eigs"],
        overall["mentors"],
    ]


def test_impact_table_shows_every_promotion_and_the_total_as_in_the_record(client, record):
    expected, names = record
    impact = page(client, "cohorts:impact")
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
    response = client.get(reverse("cohorts:impact_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    from_csv = {(r["promotion"], r["indicateur"]): r["valeur"] for r in rows}
    document = json.loads(client.get(reverse("cohorts:impact_json")).content)
    from_json = {(r["promotion"], r["indicateur"]): r["valeur"] for r in document["donnees"]}
    for code, counts in expected.items():
        for indicator in INDICATORS:
            assert from_csv[(code, indicator)] == str(counts[indicator]), (code, indicator)
            assert from_json[(code, indicator)] == counts[indicator], (code, indicator)
        assert from_csv[(code, "public_service")] == ""  # not surveyed
        assert from_json[(code, "made_permanent")] is None


# --- One test per item of the issue (1 and 2, 4: above and in test_import_history) ---------


def started_promotion(code, **dates):
    return PromotionFactory(code=code, name=f"EIG {code}", year=2025, **dates)


def test_item_1_the_challenges_column_counts_challenges_not_their_eigs(client):
    promotion = started_promotion("5", starts_on=date(2025, 9, 1))
    for _ in range(2):
        team = TeamFactory(challenge=ChallengeFactory(promotion=promotion))
        TeamMemberFactory.create_batch(3, team=team)
    (table,) = page(client, "cohorts:promotion_list").tables
    assert table[1][2:] == ["2", "6"]


def test_item_3_a_promotion_shows_its_year_until_staff_set_its_dates(client):
    promotion = PromotionFactory(code="3", name="EIG 3", year=2019)
    html = client.get(promotion.get_absolute_url()).content.decode()
    assert "(2019)" in html and "Du " not in html and "septembre" not in html
    promotion.starts_on, promotion.ends_on = date(2019, 1, 14), date(2019, 11, 15)
    promotion.save()
    html = client.get(promotion.get_absolute_url()).content.decode()
    assert "Du 14 janvier 2019 au 15 novembre 2019" in html


def test_item_7_a_promotion_counts_in_the_public_totals_once_it_has_started(client):
    started = started_promotion("5", starts_on=date(2025, 9, 1))
    TeamMemberFactory(team=TeamFactory(challenge=ChallengeFactory(promotion=started)))
    coming = PromotionFactory(code="6", name="EIG 6", year=2099, starts_on=date(2099, 9, 1))
    coming_challenge = ChallengeFactory(promotion=coming, status=Challenge.Status.SELECTED)
    TeamMemberFactory.create_batch(3, team=TeamFactory(challenge=coming_challenge))

    assert page(client, "cohorts:home").figure_values() == [1, 1, 1, 0]
    assert programme_impact().overall["eigs"].value == 1
    (table,) = page(client, "cohorts:promotion_list").tables
    rows = {row[0]: row[2:] for row in table[1:]}
    assert rows["EIG 6"] == ["1", "à venir"]  # its selected challenge is public, not its EIGs
    coming_page = client.get(coming.get_absolute_url()).content.decode()
    assert "n’a pas encore commencé" in coming_page


def test_item_8_an_unsurveyed_rate_reads_no_data_and_a_surveyed_one_its_base(client):
    imported = started_promotion("4", starts_on=date(2020, 9, 1))
    TeamMemberFactory(team=TeamFactory(challenge=ChallengeFactory(promotion=imported)))
    surveyed = started_promotion("5", starts_on=date(2025, 1, 6))
    team = TeamFactory(challenge=ChallengeFactory(promotion=surveyed))
    members = TeamMemberFactory.create_batch(3, team=team)
    for member, sector in zip(members[:2], ["public", "private"], strict=True):
        FollowUpSurvey.objects.create(
            member=member, months_after=6, answered_at=ANSWERED, sector=sector
        )
    table = next(t for t in page(client, "cohorts:impact").tables if t[0][0] == "Promotion")
    header, *rows = table
    column = header.index("EIG toujours au service du public")
    cells = {row[0].split(" (")[0]: row[column] for row in rows}
    assert cells == {
        "EIG 4": "pas de données",
        "EIG 5": "1 sur 2 suivis",
        "Ensemble du programme": "1 sur 2 suivis",
    }


def test_item_9_the_csv_is_plain_and_the_catalogue_is_published(client, record):
    response = client.get(reverse("cohorts:impact_csv"))
    first_line = response.content.decode().splitlines()[0]
    assert first_line == "promotion,nom_promotion,annee,indicateur,libelle,valeur,base"
    assert 'rel="license"' in response["Link"]
    expected, _names = record
    for name, count in [
        ("defis", expected["*"]["challenges"]),
        ("administrations", expected["*"]["administrations"]),
    ]:
        response = client.get(reverse("cohorts:open_catalogue_csv", args=[name]))
        assert response.status_code == 200 and 'rel="license"' in response["Link"]
        assert len(list(csv.DictReader(io.StringIO(response.content.decode())))) == count
        document = json.loads(
            client.get(reverse("cohorts:open_catalogue_json", args=[name])).content
        )
        assert document["licence"] == LICENCE and len(document["donnees"]) == count
    products = json.loads(
        client.get(reverse("cohorts:open_catalogue_json", args=["produits"])).content
    )
    assert {row["defi"] for row in products["donnees"]} >= {"ADEX"}
    assert client.get(reverse("cohorts:open_catalogue_csv", args=["inconnu"])).status_code == 404
    data_page = client.get(reverse("cohorts:open_data")).content.decode()
    assert LICENCE in data_page and reverse(
        "cohorts:open_catalogue_csv", args=["jeux-de-donnees"]
    ) in (data_page)


def test_item_9_the_catalogue_runs_the_same_queries_for_few_and_many_rows(client):
    promotion = started_promotion("5", starts_on=date(2025, 9, 1))

    def queries():
        counts = []
        for name in ("defis", "administrations", "produits", "jeux-de-donnees"):
            with CaptureQueriesContext(connection) as captured:
                client.get(reverse("cohorts:open_catalogue_csv", args=[name]))
            counts.append(len(captured))
        return counts

    def add(count):
        for _ in range(count):
            team = TeamFactory(
                challenge=ChallengeFactory(promotion=promotion, product_url="https://a.fr")
            )
            OpenedDataset.objects.create(team=team, name="Jeu", url="https://data.gouv.fr/x")

    add(1)
    few = queries()
    add(20)
    assert queries() == few


def test_item_11_the_source_line_is_on_imported_challenges_only(client):
    promotion = started_promotion("5", starts_on=date(2025, 9, 1))
    imported = ChallengeFactory(promotion=promotion, history_key="ADEX")
    on_the_platform = ChallengeFactory(promotion=promotion)
    # The sheet's own source line (the footer's licence notice is the site's, not the sheet's).
    source_line = f'<p class="fr-text--sm fr-mt-4w">{ATTRIBUTION}</p>'
    assert source_line in client.get(imported.get_absolute_url()).content.decode()
    assert source_line not in client.get(on_the_platform.get_absolute_url()).content.decode()


def test_item_10_indicators_dates_and_optional_fields_speak_english(client):
    promotion = started_promotion("5", starts_on=date(2025, 9, 1))
    TeamMemberFactory(team=TeamFactory(challenge=ChallengeFactory(promotion=promotion)))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    table = next(t for t in page(client, "cohorts:impact").tables if t[0][0] == "Promotion")
    assert {"Challenges", "Host administrations"} <= set(table[0])
    assert "Défis" not in table[0]

    class Form(forms.Form):
        note = forms.CharField(label="Note", required=False)

    with translation.override("en"):
        moment = datetime(2026, 12, 7, 14, 40, tzinfo=ZoneInfo("Europe/Paris"))
        assert date_format(moment, "DATETIME_FORMAT") == "7 December 2026 at 14:40"
        field = render_to_string("_partials/field.html", {"field": Form()["note"]})
        assert "(optional)" in field and "facultatif" not in field
    with translation.override("fr"):
        assert date_format(moment, "DATETIME_FORMAT") == "7 décembre 2026 à 14:40"

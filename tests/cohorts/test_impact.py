"""The programme's impact: its figures, its charts, its open data, the staff's dashboard.

The figures of the public history are checked against counts made here straight
from defis.yml, independently of the importer and of `cohorts.impact`.
"""

import csv
import io
import json
import re
import unicodedata
from datetime import date, datetime, timedelta
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from challenges.models import Administration, Challenge, KeyFigure
from cohorts.alumni import notifications as notifications_alumni
from cohorts.alumni.services import answer_survey, end_promotion, record_deliverables
from cohorts.impact import LICENCE, LICENCE_URL, open_data, programme_impact
from cohorts.models import FollowUpSurvey, OpenedDataset
from eig import reminders
from eig.models import Role
from tests.cohorts.record_count import count_the_record
from tests.factories import (
    ChallengeFactory,
    ChallengeMentorFactory,
    PersonFactory,
    PromotionFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
ATTRIBUTION = "Source : programme EIG, Etalab — Licence Ouverte"
SIX_MONTHS = datetime(2026, 12, 30, 9, 0, tzinfo=PARIS)
TWELVE_MONTHS = datetime(2027, 6, 30, 9, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def survey_rule():
    reminders.register(*notifications_alumni.REMINDERS)


# --- The public history, counted independently -------------------------------------------------


def name_key(name):
    """A name without accents, case, punctuation or spacing differences."""
    name = unicodedata.normalize("NFKD", str(name))
    name = "".join(c for c in name if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"[a-z0-9]+", name))


def is_web_address(url):
    parts = urlparse(str(url or "").strip())
    return parts.scheme in ("http", "https") and "." in parts.netloc


def counted_from_defis_yml(history_dir):
    """{promotion code: {indicator: count}}, "*" for the programme: see record_count."""
    return count_the_record(history_dir)


def test_impact_figures_match_an_independent_count_of_the_public_history(history_dir):
    call_command("import_eig_history", str(history_dir), stdout=io.StringIO())
    expected = counted_from_defis_yml(history_dir)
    impact = programme_impact()

    assert {p.promotion.code for p in impact.promotions} == set(expected) - {"*"}
    assert [p.promotion.year for p in impact.promotions] == sorted(
        p.promotion.year for p in impact.promotions
    )
    for figures in impact.promotions:
        code = figures.promotion.code
        for indicator in ("challenges", "administrations", "eigs", "mentors", "open_source"):
            assert figures[indicator] == expected[code].get(indicator, 0), (code, indicator)
        # The administrations are also the distinct rows the import created for them.
        rows = Administration.objects.filter(challenges__promotion=figures.promotion).distinct()
        assert figures["administrations"] == rows.count(), code
        # Nobody has answered a survey of the history: the rates are "no data", not 0.
        assert figures["followed_up"] == 0
        assert figures["public_service"] is None and figures["made_permanent"] is None
    for indicator in ("challenges", "administrations", "eigs", "mentors", "open_source"):
        assert impact.overall[indicator].value == expected["*"].get(indicator, 0), indicator
    # A person or an administration present in two promotions counts once overall.
    assert impact.overall["mentors"].value <= sum(p["mentors"] for p in impact.promotions)
    assert impact.overall["administrations"].value < sum(
        p["administrations"] for p in impact.promotions
    )


def test_the_impact_page_shows_the_history_with_a_chart_per_indicator(client, history_dir):
    call_command("import_eig_history", str(history_dir), stdout=io.StringIO())
    page = client.get(reverse("cohorts:impact"))
    assert page.status_code == 200
    content = page.content.decode()
    impact = programme_impact()
    charts = re.findall(r"<svg [^>]*>", content)
    assert len(charts) == len(impact.indicators)
    for indicator in impact.indicators:
        chart = f"graphique-{indicator.key}"
        assert f'aria-labelledby="{chart}-titre {chart}-desc"' in content
        assert f'<title id="{chart}-titre">' in content
    assert all('role="img"' in svg for svg in charts)
    assert "<script" not in content.split("<svg", 1)[1].rsplit("</svg>", 1)[0]
    # The numbers are in a table too, one row per promotion and the programme's total.
    assert "<table>" in content and "Ensemble du programme" in content
    for figures in impact.promotions:
        assert (
            reverse("cohorts:impact_promotion", kwargs={"code": figures.promotion.code}) in content
        )
    four = client.get(reverse("cohorts:impact_promotion", kwargs={"code": "4"}))
    assert four.status_code == 200
    assert "EIG 4" in four.content.decode() and 'role="img"' in four.content.decode()
    assert client.get(reverse("cohorts:impact_promotion", kwargs={"code": "9"})).status_code == 404


# --- Open data --------------------------------------------------------------------------------


def test_open_data_downloads_carry_the_licence(client):
    challenge = ChallengeFactory(promotion=PromotionFactory(code="4", name="EIG 4", year=2020))
    TeamMemberFactory(team=TeamFactory(challenge=challenge))
    page = client.get(reverse("cohorts:impact")).content.decode()
    assert LICENCE in page and ATTRIBUTION in page
    assert reverse("cohorts:impact_csv") in page and reverse("cohorts:impact_json") in page

    response = client.get(reverse("cohorts:impact_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'rel="license"' in response["Link"] and LICENCE_URL in response["Link"]
    lines = response.content.decode("utf-8").splitlines()
    assert lines[0].startswith("promotion,")  # plain CSV: the header comes first
    rows = list(csv.DictReader(lines))
    assert {"promotion": "4", "indicateur": "challenges", "valeur": "1"}.items() <= next(
        r for r in rows if r["promotion"] == "4" and r["indicateur"] == "challenges"
    ).items()
    assert {"4", "ensemble"} == {r["promotion"] for r in rows}

    document = json.loads(client.get(reverse("cohorts:impact_json")).content)
    assert document["licence"] == LICENCE
    assert document["source"] == ATTRIBUTION
    assert document["licence_url"].startswith("https://www.etalab.gouv.fr/")
    assert {
        "promotion": "4",
        "nom_promotion": "EIG 4",
        "annee": 2020,
        "indicateur": "eigs",
        "valeur": 1,
        "base": None,
    } in document["donnees"]
    assert len(document["donnees"]) == 2 * len(document["indicateurs"])

    one = json.loads(client.get(reverse("cohorts:impact_json"), {"promotion": "4"}).content)
    assert {row["promotion"] for row in one["donnees"]} == {"4"}
    assert one["licence"] == LICENCE
    assert client.get(reverse("cohorts:impact_csv"), {"promotion": "inconnue"}).status_code == 404


def test_open_data_rows_are_promotion_indicator_value():
    ChallengeFactory(promotion=PromotionFactory(code="2", name="EIG 2", year=2018))
    data = open_data()
    assert data.licence == LICENCE and data.source == ATTRIBUTION
    assert ("2", "challenges", 1) in {(r.promotion, r.indicator, r.value) for r in data.rows}


# --- What the follow-up surveys feed ---------------------------------------------------------------


def ended_team(promotion, eigs=1):
    challenge = ChallengeFactory(promotion=promotion, status=Challenge.Status.SELECTED)
    team = TeamFactory(challenge=challenge)
    members = [
        TeamMemberFactory(team=team, person=PersonFactory(user=UserFactory(roles=[Role.EIG])))
        for _ in range(eigs)
    ]
    return team, members


def answer(member, months, *, sector="public", in_use=True, maintained=True):
    survey = FollowUpSurvey.objects.get(member=member, months_after=months)
    sent = SIX_MONTHS if months == 6 else TWELVE_MONTHS
    answer_survey(
        survey=survey,
        sector=sector,
        still_with_host=sector == "public",
        product_in_use=in_use,
        product_maintained=maintained,
        now=sent + timedelta(days=1),
    )


def test_answers_feed_the_public_service_indicator():
    promotion = PromotionFactory(ends_on=date(2026, 6, 30))
    _team, (stays, joins, leaves, silent) = ended_team(promotion, eigs=4)
    end_promotion(promotion=promotion, by=UserFactory(is_staff=True))
    reminders.sweep(now=SIX_MONTHS)
    answer(stays, 6, sector="public")
    answer(joins, 6, sector="private")
    answer(leaves, 6, sector="public")
    assert programme_impact().promotions[0]["public_service"] == 2

    reminders.sweep(now=TWELVE_MONTHS)
    answer(joins, 12, sector="public")  # the latest answer is what counts
    answer(leaves, 12, sector="other")
    impact = programme_impact()
    assert impact.promotions[0]["public_service"] == 2  # stays (6 months) and joins (12)
    assert impact.overall["public_service"].value == 2
    assert impact.promotions[0]["eigs"] == 4
    assert impact.promotions[0]["followed_up"] == 3  # out of whom the 2 count
    assert silent.surveys.filter(answered_at__isnull=False).count() == 0


def test_a_challenge_is_permanent_by_staff_decision_or_by_the_latest_answer():
    promotion = PromotionFactory(ends_on=date(2026, 6, 30))
    decided, _members = ended_team(promotion)
    kept, (kept_eig,) = ended_team(promotion)
    dropped, (dropped_eig,) = ended_team(promotion)
    unmaintained, (unmaintained_eig,) = ended_team(promotion)
    end_promotion(promotion=promotion, by=UserFactory(is_staff=True))
    decided.made_permanent = True
    decided.save()
    reminders.sweep(now=SIX_MONTHS)
    answer(kept_eig, 6)
    answer(dropped_eig, 6)
    answer(unmaintained_eig, 6, maintained=False)
    assert programme_impact().overall["made_permanent"].value == 3
    reminders.sweep(now=TWELVE_MONTHS)
    answer(dropped_eig, 12, in_use=False, maintained=False)  # no longer in use a year on
    assert programme_impact().overall["made_permanent"].value == 2


def test_recorded_deliverables_have_the_shape_of_the_history_and_count_as_open_source():
    team, _members = ended_team(PromotionFactory(starts_on=date(2025, 9, 1)))
    record_deliverables(
        team=team,
        product_url="https://produit.exemple.gouv.fr",
        source_code_url="https://github.com/entrepreneur-interet-general/produit",
        datasets=[("Contrôles 2025", "https://www.data.gouv.fr/fr/datasets/controles/")],
        key_figures=[(1288, "déclarations analysées"), ("2,5", "jours gagnés par dossier")],
        by=UserFactory(is_staff=True),
    )
    team.challenge.refresh_from_db()
    assert team.challenge.source_code_url.endswith("/produit")
    assert list(
        KeyFigure.objects.filter(challenge=team.challenge).values_list("position", "description")
    ) == [
        (0, "déclarations analysées"),
        (1, "jours gagnés par dossier"),
    ]
    assert OpenedDataset.objects.get(team=team).name == "Contrôles 2025"
    assert programme_impact().overall["open_source"].value == 1
    # Recording again replaces the lists rather than adding to them.
    record_deliverables(
        team=team, product_url="", source_code_url="", datasets=[], key_figures=[], by=None
    )
    assert not OpenedDataset.objects.filter(team=team).exists()
    assert programme_impact().overall["open_source"].value == 0


# --- The staff's dashboard ------------------------------------------------------------------------


def test_the_dashboard_shows_staff_the_survey_response_rates(client_as):
    promotion = PromotionFactory(ends_on=date(2026, 6, 30), name="EIG 42")
    _team, members = ended_team(promotion, eigs=4)
    end_promotion(promotion=promotion, by=UserFactory(is_staff=True))
    reminders.sweep(now=SIX_MONTHS)
    answer(members[0], 6)
    page = client_as(Role.STAFF).get(reverse("cohorts:impact_dashboard"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "<td>4</td><td>4</td><td>1</td>" in content  # planned, sent, answered at 6 months
    assert "25 %" in content
    for member in members:
        assert member.person.full_name in content


@pytest.mark.parametrize("role, status", [(Role.CANDIDATE, 404), (Role.ALUMNI, 404), (None, 302)])
def test_the_dashboard_does_not_exist_for_others(client_as, role, status):
    assert client_as(role).get(reverse("cohorts:impact_dashboard")).status_code == status


# --- Query counts ---------------------------------------------------------------------------------


def promotions_with_figures(count):
    for _ in range(count):
        promotion = PromotionFactory(ends_on=date(2026, 6, 30))
        for _challenge in range(2):
            team, members = ended_team(promotion, eigs=2)
            ChallengeMentorFactory(challenge=team.challenge)
        end_promotion(promotion=promotion, by=UserFactory(is_staff=True))
    FollowUpSurvey.objects.filter(sent_at__isnull=True).update(
        sent_at=SIX_MONTHS, expires_at=SIX_MONTHS + FollowUpSurvey.VALIDITY
    )
    for survey in FollowUpSurvey.objects.filter(months_after=6, answered_at__isnull=True):
        answer_survey(
            survey=survey,
            sector="public",
            still_with_host=True,
            product_in_use=True,
            product_maintained=True,
            now=SIX_MONTHS + timedelta(days=1),
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url_name",
    ["cohorts:impact", "cohorts:impact_csv", "cohorts:impact_json", "cohorts:impact_dashboard"],
)
def test_impact_pages_run_the_same_queries_for_1_and_5_promotions(client_as, url_name):
    client = client_as(Role.STAFF if url_name == "cohorts:impact_dashboard" else None)
    url = reverse(url_name)
    promotions_with_figures(1)
    with_one = count_queries(client, url)
    promotions_with_figures(4)
    with_five = count_queries(client, url)
    assert with_one == with_five
    assert len(programme_impact().promotions) == 5


def test_the_figures_take_one_query_per_indicator_at_most(django_assert_max_num_queries):
    promotions_with_figures(3)
    with django_assert_max_num_queries(9):  # eight indicators and the promotions
        impact = programme_impact()
    assert impact.overall["public_service"].value == 12
    assert impact.overall["made_permanent"].value == 6

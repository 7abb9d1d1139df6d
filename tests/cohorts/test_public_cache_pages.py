"""The impact page and the public challenge sheets are served from the cache shared by
the web nodes (`eig.public_cache`) until what they show changes: a staff action shows
at the next request, and so do results that become public at their date."""

from datetime import date, timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from challenges.models import Challenge
from cohorts.alumni.services import record_deliverables
from tests.factories import (
    ChallengeFactory,
    ChallengeMentorFactory,
    DraftChallengeFactory,
    PromotionFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
    call_for_projects,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def caching(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.EIG_CACHE_SECONDS = 60
    caches["default"].clear()


def read(client, url):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    return page.content.decode(), len(queries)


def ended_challenge(title="Ouvrir les données de l'eau"):
    promotion = PromotionFactory(starts_on=date(2023, 9, 1), ends_on=date(2024, 6, 30))
    challenge = ChallengeFactory(promotion=promotion, title=title)
    TeamMemberFactory(team=TeamFactory(challenge=challenge))
    ChallengeMentorFactory(challenge=challenge)
    return challenge


def test_the_impact_page_is_served_from_the_cache_with_fewer_queries(client):
    ended_challenge()
    _first, cold = read(client, reverse("cohorts:impact"))
    _again, warm = read(client, reverse("cohorts:impact"))
    assert warm < cold


def test_a_staff_change_shows_on_the_impact_page_at_the_next_request(
    client, django_capture_on_commit_callbacks
):
    challenge = ended_challenge()
    before, _queries = read(client, reverse("cohorts:impact"))
    assert "pérennisés" in before
    with django_capture_on_commit_callbacks(execute=True):
        team = challenge.team
        team.made_permanent = True  # staff, in the team's admin
        team.save()
    after, _queries = read(client, reverse("cohorts:impact"))
    assert after != before


def test_a_challenge_sheet_shows_recorded_deliverables_at_the_next_request(
    client, django_capture_on_commit_callbacks
):
    challenge = ended_challenge()
    url = reverse("cohorts:challenge_detail", args=[challenge.promotion.code, challenge.slug])
    _page, cold = read(client, url)
    page, warm = read(client, url)
    assert warm < cold
    assert "https://eau.exemple.gouv.fr" not in page
    with django_capture_on_commit_callbacks(execute=True):
        record_deliverables(
            team=challenge.team,
            product_url="https://eau.exemple.gouv.fr",
            datasets=[("Relevés des stations", "https://www.data.gouv.fr/fr/datasets/eau/")],
            by=UserFactory(is_staff=True),
        )
    page, _queries = read(client, url)
    assert "https://eau.exemple.gouv.fr" in page and "Relevés des stations" in page


def test_results_public_at_their_date_show_without_anyone_saving(client, monkeypatch):
    ended_challenge()
    promotion = PromotionFactory(starts_on=date(2024, 9, 1))
    call = call_for_projects(phase="deliberation", promotion=promotion)
    DraftChallengeFactory(call=call, status=Challenge.Status.SELECTED)
    impact = reverse("cohorts:impact")
    before, _queries = read(client, impact)
    assert promotion.name not in before

    later = call.publication_at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    after, _queries = read(client, impact)
    assert promotion.name in after

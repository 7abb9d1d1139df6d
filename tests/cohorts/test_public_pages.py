"""The programme's public record: what anyone can browse, and how fast."""

import pytest
from django.urls import reverse

from challenges.models import Challenge
from tests.factories import (
    ChallengeFactory,
    ChallengeMentorFactory,
    KeyFigureFactory,
    PromotionFactory,
    SkillFactory,
    TeamFactory,
    TeamMemberFactory,
)

pytestmark = pytest.mark.django_db


def published_challenges(count, promotion):
    skill = SkillFactory()
    challenges = ChallengeFactory.create_batch(count, promotion=promotion)
    for challenge in challenges:
        challenge.skills.add(skill)
        TeamMemberFactory(team__challenge=challenge)
        ChallengeMentorFactory(challenge=challenge)
    return challenges


def count_queries(client, django_assert_max_num_queries, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url_name, kwargs",
    [
        ("cohorts:home", None),
        ("cohorts:promotion_list", None),
        ("cohorts:promotion_detail", {"code": "4"}),
        ("cohorts:challenge_list", None),
    ],
)
def test_list_pages_run_the_same_queries_for_1_and_50_rows(
    client, url_name, kwargs, django_assert_max_num_queries
):
    promotion = PromotionFactory(code="4", name="EIG 4", year=2020)
    url = reverse(url_name, kwargs=kwargs)
    published_challenges(1, promotion)
    with_one = count_queries(client, django_assert_max_num_queries, url)
    published_challenges(49, promotion)
    with_fifty = count_queries(client, django_assert_max_num_queries, url)
    assert with_one == with_fifty


def test_challenge_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    challenge = ChallengeFactory()
    KeyFigureFactory.create_batch(3, challenge=challenge)
    team = TeamFactory(challenge=challenge)
    TeamMemberFactory.create_batch(3, team=team)
    with django_assert_num_queries(6):  # the team's opened datasets, since its deliverables show
        client.get(
            reverse("cohorts:challenge_detail", args=[challenge.promotion.code, challenge.slug])
        )


def test_challenges_filter_by_promotion_skill_and_administration(client):
    eig4 = PromotionFactory(code="4", name="EIG 4", year=2020)
    eig3 = PromotionFactory(code="3", name="EIG 3", year=2019)
    geodata = ChallengeFactory(promotion=eig4, title="Géodonnées")
    geodata.skills.add(SkillFactory(key="geomatique", label="Géomatique"))
    ChallengeFactory(promotion=eig3, title="Archives")

    def titles(**params):
        response = client.get(reverse("cohorts:challenge_list"), params)
        return [c.title for c in response.context["challenges"]]

    assert titles(promotion="4") == ["Géodonnées"]
    assert titles(year="2019") == ["Archives"]
    assert titles(skill="geomatique") == ["Géodonnées"]
    assert titles(administration=geodata.administration.slug) == ["Géodonnées"]
    assert titles(q="archiv") == ["Archives"]


def test_search_reaches_the_challenge_text(client):
    ChallengeFactory(title="CartoBio", body_markdown="Les parcelles en agriculture biologique")
    response = client.get(reverse("cohorts:challenge_list"), {"q": "parcelles"})
    assert [c.title for c in response.context["challenges"]] == ["CartoBio"]


def test_unpublished_challenges_are_not_listed(client):
    ChallengeFactory(title="Brouillon secret", status=Challenge.Status.DRAFT)
    ChallengeFactory(title="Déposé", status=Challenge.Status.SUBMITTED)
    response = client.get(reverse("cohorts:challenge_list"))
    assert response.context["paginator"].count == 0
    assert "Brouillon secret" not in response.content.decode()


def test_challenge_text_is_rendered_from_markdown_without_scripts(client):
    challenge = ChallengeFactory(
        body_markdown="## Le défi\n\n<script>alert('x')</script>[lien](javascript:alert(1)) **gras**"
    )
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert "<h2>Le défi</h2>" in html
    assert "<strong>gras</strong>" in html
    assert "<script>alert" not in html
    assert "javascript:alert" not in html


def test_text_fields_are_escaped(client):
    challenge = ChallengeFactory(title="<img src=x onerror=alert(1)>")
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_home_shows_figures_counted_from_the_database(client):
    promotion = PromotionFactory(code="4", name="EIG 4", year=2020)
    published_challenges(3, promotion)
    figures = client.get(reverse("cohorts:home")).context["figures"]
    assert (figures.challenges, figures.administrations, figures.eigs, figures.mentors) == (
        3,
        3,
        3,
        3,
    )


def test_pages_are_in_french_by_default_and_in_english_on_request(client):
    assert "Les défis" in client.get(reverse("cohorts:challenge_list")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Challenges" in client.get(reverse("cohorts:challenge_list")).content.decode()


def test_numbers_follow_the_french_locale(client):
    challenge = ChallengeFactory()
    KeyFigureFactory(challenge=challenge, amount=20000000, description="déclarations")
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert "20\xa0000\xa0000" in html


def test_an_english_browser_still_gets_french_until_the_visitor_chooses(client):
    response = client.get(reverse("cohorts:home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.content.decode().count('lang="fr"') >= 1
    assert "Les promotions" in response.content.decode()


def test_years_are_not_written_as_numbers_with_separators(client):
    PromotionFactory(code="4", name="EIG 4", year=2020)
    assert "2020" in client.get(reverse("cohorts:promotion_list")).content.decode()


LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_a_challenge_sheet_is_drawn_once_a_minute_in_each_language(client, settings):
    settings.CACHES = LOCAL_CACHE
    settings.EIG_CACHE_SECONDS = 60
    from django.core.cache import cache

    cache.clear()
    (challenge,) = published_challenges(1, PromotionFactory())
    url = reverse("cohorts:challenge_detail", args=[challenge.promotion.code, challenge.slug])

    first = count_queries(client, None, url)
    again = count_queries(client, None, url)
    page = client.get(url).content.decode()

    assert (first, again) == (
        6,
        1,
    )  # skills, figures, mentors, team, datasets: read once for everyone
    assert challenge.title in page and challenge.mentorships.get().person.full_name in page
    client.cookies["django_language"] = "en"
    assert "Host administration" in client.get(url).content.decode()

"""The handbook for EIGs and mentors: pages by stage, public or reserved to the
promotions' people, searchable, in English where staff wrote it, each edit kept."""

import pytest
from django.urls import reverse

from cohorts.models import HandbookPage
from eig.models import Role
from tests.conftest import make_user
from tests.mentoring.scenario import eig_of, log_in, mentor_of, promotion_in_residence, team_of

pytestmark = pytest.mark.django_db

SEEDED = {
    "contrat-et-arrivee",
    "la-vie-de-la-promotion",
    "travailler-avec-vos-mentors",
    "publier-le-code",
    "ouvrir-les-donnees",
    "apres-les-dix-mois",
}


@pytest.fixture
def team():
    from mentoring.services import paris_today

    return team_of(promotion_in_residence(paris_today()), title="Signaux faibles")


def page(slug, **fields):
    defaults = {"stage": HandbookPage.Stage.DATA, "title": slug, "body_markdown": "Texte"}
    return HandbookPage.objects.create(slug=slug, **{**defaults, **fields})


def test_the_handbook_is_seeded_with_real_pages_for_every_stage():
    pages = HandbookPage.objects.filter(slug__in=SEEDED)
    assert set(pages.values_list("slug", flat=True)) == SEEDED
    assert set(pages.values_list("stage", flat=True)) == set(HandbookPage.Stage.values)
    contract = pages.get(slug="contrat-et-arrivee")
    assert "3 500 € nets par mois" in contract.body_markdown  # from the FAQ
    assert "€3,500 net a month" in contract.body_markdown_en


def test_a_visitor_reads_public_pages_and_is_asked_to_log_in_for_reserved_ones(client):
    index = client.get(reverse("cohorts:handbook")).content.decode()
    assert "Votre contrat et votre arrivée" in index
    assert "La vie de la promotion" not in index
    reserved = reverse("cohorts:handbook_page", kwargs={"slug": "la-vie-de-la-promotion"})
    response = client.get(reserved)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_eigs_mentors_and_staff_read_reserved_pages_and_others_do_not(team, client):
    reserved = reverse("cohorts:handbook_page", kwargs={"slug": "la-vie-de-la-promotion"})
    for reader in (eig_of(team), mentor_of(team), make_user(Role.STAFF)):
        page_html = log_in(client, reader).get(reserved).content.decode()
        assert "se <strong>clôt le vendredi à 15 h</strong>" in page_html
    assert log_in(client, make_user(Role.CANDIDATE)).get(reserved).status_code == 404
    index = client.get(reverse("cohorts:handbook")).content.decode()
    assert "La vie de la promotion" not in index


def test_the_handbook_is_searchable_in_both_languages(client):
    html = client.get(reverse("cohorts:handbook"), {"q": "data.gouv.fr"}).content.decode()
    assert "Ouvrir les données" in html and "Votre contrat" not in html
    html = client.get(reverse("cohorts:handbook"), {"q": "staff ceiling"}).content.decode()
    assert "Votre contrat et votre arrivée" in html
    html = client.get(reverse("cohorts:handbook"), {"q": "introuvable-nulle-part"}).content.decode()
    assert "Aucune page ne correspond à cette recherche." in html


def test_a_page_shows_in_english_where_staff_wrote_it_and_in_french_otherwise(client):
    client.cookies["django_language"] = "en"
    url = reverse("cohorts:handbook_page", kwargs={"slug": "contrat-et-arrivee"})
    assert "Your contract and your arrival" in client.get(url).content.decode()
    untranslated = reverse("cohorts:handbook_page", kwargs={"slug": "publier-le-code"})
    assert "Publier le code en open source" in client.get(untranslated).content.decode()


def test_markdown_is_sanitised_as_challenge_texts_are(client):
    page("piege", body_markdown="Bonjour <script>alert(1)</script> [lien](javascript:alert(1))")
    html = client.get(reverse("cohorts:handbook_page", kwargs={"slug": "piege"})).content.decode()
    assert "<script>alert(1)</script>" not in html and "javascript:alert" not in html


def test_every_edit_of_a_page_is_kept(client):
    written = page("historique", body_markdown="Première version")
    written.body_markdown = "Deuxième version"
    written.save()
    assert list(
        written.history.order_by("history_date").values_list("body_markdown", flat=True)
    ) == [
        "Première version",
        "Deuxième version",
    ]
    staff = make_user(Role.STAFF)
    history = log_in(client, staff).get(
        reverse("admin:cohorts_handbookpage_history", args=[written.pk])
    )
    assert history.status_code == 200


def test_the_onboarding_checklist_links_the_handbooks_pages_about_arriving(team, client):
    html = (
        log_in(client, eig_of(team))
        .get(reverse("cohorts:team_page", kwargs={"team_pk": team.pk}))
        .content.decode()
    )
    assert reverse("cohorts:handbook_page", kwargs={"slug": "contrat-et-arrivee"}) in html
    assert reverse("cohorts:handbook_page", kwargs={"slug": "la-vie-de-la-promotion"}) in html
    assert reverse("cohorts:handbook_page", kwargs={"slug": "publier-le-code"}) not in html


@pytest.mark.parametrize("extra_pages", [0, 30])
def test_the_index_reads_a_fixed_number_of_queries(client, django_assert_num_queries, extra_pages):
    for number in range(extra_pages):
        page(
            f"page-{number}", stage=HandbookPage.Stage.values[number % 5], is_public=number % 2 == 0
        )
    with django_assert_num_queries(1):  # the pages: a visitor has no session yet
        response = client.get(reverse("cohorts:handbook"))
    shown = response.content.decode().count('href="/manuel/')
    assert shown == HandbookPage.objects.filter(is_public=True).count()

"""Error pages in the site's layout, and the pages DSFR's footer requires."""

import re

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from eig.models import Role
from eig.views import server_error


def in_layout(html):
    """The page has the site's header, navigation, skip links and footer."""
    return all(
        part in html
        for part in ('class="fr-skiplinks"', 'id="navigation-principale"', 'id="pied-de-page"')
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"), [("fr", "Page non trouvée"), ("en", "Page not found")]
)
def test_an_unknown_address_shows_the_sites_404_in_the_visitors_language(client, language, heading):
    client.cookies["django_language"] = language
    response = client.get("/une-adresse-inconnue/")
    assert response.status_code == 404
    html = response.content.decode()
    assert in_layout(html) and f'<html lang="{language}"' in html
    if language == "fr":
        assert heading in html
    assert f'href="{reverse("cohorts:home")}"' in html and f'href="{reverse("site_map")}"' in html


@pytest.mark.django_db
def test_a_refused_page_shows_the_sites_403_with_a_way_back_to_ones_space(client_as):
    client = client_as(Role.CANDIDATE)
    response = client.get(reverse("applications:interview_jury_home"))
    assert response.status_code == 403
    html = response.content.decode()
    assert in_layout(html) and "Accès refusé" in html and "403 Forbidden" not in html
    assert f'href="{reverse("dashboard")}"' in html


@pytest.mark.django_db
def test_a_bad_request_shows_the_sites_400(client):
    # More query fields than Django accepts: a SuspiciousOperation, answered with 400.
    response = client.get(
        reverse("cohorts:challenge_list"), {f"champ{n}": "x" for n in range(1100)}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert in_layout(html) and "Requête incorrecte" in html


def test_the_500_page_renders_without_the_database_in_both_languages():
    # No django_db mark: any query here fails the test.
    request = RequestFactory().get("/")
    for language, heading in (("fr", "Erreur inattendue"), ("en", 'lang="en"')):
        with translation.override(language):
            response = server_error(request)
        html = response.content.decode()
        assert response.status_code == 500
        assert in_layout(html) and heading in html
        assert 'href="/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["site_map", "legal_notice", "personal_data", "cookies"])
def test_the_footer_links_every_page_dsfr_requires(client, name):
    home = client.get(reverse("cohorts:home")).content.decode()
    assert f'href="{reverse(name)}"' in home
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
def test_the_personal_data_page_shows_the_inventory_sanitised(client, tmp_path):
    register = tmp_path / "personal-data.md"
    register.write_text(
        "# Inventaire\n\n## Candidatures\n\n| Donnée | Durée |\n|---|---|\n| CV | 3 mois |\n\n"
        "<script>alert(1)</script>\n",
        encoding="utf-8",
    )
    with override_settings(EIG_PERSONAL_DATA_REGISTER=register):
        html = client.get(reverse("personal_data")).content.decode()
    assert "<h2>Candidatures</h2>" in html and "<td>3 mois</td>" in html
    assert "<script>alert(1)</script>" not in html


@pytest.mark.django_db
def test_the_cookie_page_lists_the_cookies_the_platform_sets(client, settings):
    html = client.get(reverse("cookies")).content.decode()
    for name in (
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
        "messages",
    ):
        assert f"<code>{name}</code>" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.CANDIDATE, Role.ADMINISTRATION_CONTACT, Role.MENTOR, Role.JURY_MEMBER, Role.STAFF]
)
def test_ones_own_space_links_to_no_refused_page(client_as, role):
    client = client_as(role)
    space = client.get(reverse("dashboard")).content.decode()
    main = space[space.index('<main id="contenu"') : space.index("</main>")]
    refused = {}
    for href in set(re.findall(r'href="(/[^"#]*)"', main)):
        status = client.get(href).status_code
        if status in (403, 404):
            refused[href] = status
    assert refused == {}


@pytest.mark.django_db
def test_the_pagination_lets_one_jump_to_a_page(client):
    from tests.factories import ChallengeFactory, PromotionFactory

    promotion = PromotionFactory(code="4", name="EIG 4", year=2020)
    ChallengeFactory.create_batch(12 * 5 + 1, promotion=promotion)  # six pages
    html = client.get(reverse("cohorts:challenge_list"), {"page": 3}).content.decode()
    nav = html[
        html.index('class="fr-pagination') : html.index("</nav>", html.index("fr-pagination"))
    ]
    for page in (1, 2, 4, 6):
        assert f'href="?page={page}"' in nav, page
    assert 'aria-current="page" title="Page 3">3</a>' in nav
    assert "Première page" in nav and "Dernière page" in nav


@pytest.mark.django_db
def test_a_form_refused_by_the_csrf_check_shows_the_sites_page_not_djangos():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@exemple.fr", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert in_layout(html) and "Formulaire expiré" in html

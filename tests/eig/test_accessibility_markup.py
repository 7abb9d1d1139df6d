"""What the pages' markup tells assistive technologies: which fields sending needs,
and which content stays in French on English pages."""

import re

import pytest
from django.urls import reverse

from applications import services
from tests.factories import (
    ChallengeFactory,
    PromotionFactory,
    SkillFactory,
    UserFactory,
    call_for_applications,
)

pytestmark = pytest.mark.django_db


def label_of(html, field_id):
    return re.search(rf'<label class="fr-label" for="{field_id}">(.*?)</label>', html, re.S)[1]


def test_the_application_says_which_fields_sending_needs_rather_than_optional(client):
    call = call_for_applications(challenges=2)
    SkillFactory()
    candidate = UserFactory()
    services.start_application(
        call=call, candidate=candidate, studies_completed=True, is_civil_servant=False
    )
    client.force_login(candidate, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(reverse("applications:application_edit")).content.decode()
    needed_to_send = (
        "id_cv",
        "id_motivation",
        "id_years_of_experience",
        "id_first_challenge",  # a draft may be saved before choosing
        "id_first_motivation",
    )
    for needed in needed_to_send:
        assert "(obligatoire pour envoyer)" in label_of(html, needed), needed
        assert "facultatif" not in label_of(html, needed), needed
    assert "(facultatif)" in label_of(html, "id_portfolio_url")
    assert "Sauf mention contraire, tous les champs sont obligatoires." in html
    # Skills are named in French in the database, whatever the page's language.
    assert re.search(r'<label class="fr-label" for="id_profile_0" lang="fr">', html)


def test_english_pages_mark_the_challenges_french_text(client):
    challenge = ChallengeFactory(
        promotion=PromotionFactory(code="4", name="EIG 4", year=2020),
        title="Cadastre solaire",
        summary="Recenser les toits publics",
    )
    client.cookies["django_language"] = "en"
    sheet = client.get(challenge.get_absolute_url()).content.decode()
    assert '<html lang="en"' in sheet
    assert '<h1 lang="fr">Cadastre solaire</h1>' in sheet
    assert '<p class="fr-text--lead" lang="fr">Recenser les toits publics</p>' in sheet
    listing = client.get(reverse("cohorts:challenge_list")).content.decode()
    assert re.search(r'<h3 class="fr-card__title" lang="fr"><a [^>]*>Cadastre solaire</a>', listing)


def dangling_descriptions(html):
    """aria-describedby / aria-labelledby ids that no element of the page carries."""
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    referenced = re.findall(r'aria-(?:describedby|labelledby)="([^"]+)"', html)
    return sorted({ref for refs in referenced for ref in refs.split() if ref not in ids})


def test_form_fields_point_only_to_descriptions_that_exist(client):
    from challenges.models import AdministrationContact
    from eig.models import Role
    from tests.conftest import make_user
    from tests.factories import DraftChallengeFactory, call_for_projects

    contact = make_user(Role.ADMINISTRATION_CONTACT)
    challenge = DraftChallengeFactory(call=call_for_projects(phase="open"))
    challenge.editors.add(contact)
    AdministrationContact.objects.create(administration=challenge.administration, user=contact)
    client.force_login(contact, backend="django.contrib.auth.backends.ModelBackend")
    edit = reverse("challenges:challenge_edit", args=[challenge.pk])
    pages = {
        "challenge": client.get(edit),
        "challenge refused": client.post(edit, {"title": ""}),
        "my administration": client.get(reverse("challenges:my_administration")),
    }
    assert "data-error-summary" in pages["challenge refused"].content.decode()
    found = {name: dangling_descriptions(page.content.decode()) for name, page in pages.items()}
    assert found == dict.fromkeys(pages, [])

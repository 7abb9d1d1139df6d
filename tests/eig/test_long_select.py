"""The long selects written in Python give Django's own HTML, and the page's chrome drawn
once per process follows the language and the accessibility audit."""

import pytest
from django import forms
from django.test.html import parse_html
from django.urls import reverse

from eig.forms import LongSelect

CHOICES = [
    ("", "Toutes les administrations"),
    ("dgfip", "DGFiP"),
    ("a&b", "Ministère <des> Armées & co"),
    ("Régions", [("bretagne", "Bretagne"), ("corse", "Corse")]),
]


@pytest.mark.parametrize("value", [None, "", "dgfip", "a&b", "corse"])
def test_a_long_select_is_the_same_html_as_djangos_select(value):
    attrs = {"class": "fr-select", "id": "id_administration", "required": True, "hidden": False}
    expected = forms.Select(choices=CHOICES, attrs=attrs).render("administration", value)
    written = LongSelect(choices=CHOICES, attrs=attrs).render("administration", value)
    assert parse_html(written) == parse_html(expected)


@pytest.mark.django_db
def test_the_public_filters_offer_every_public_administration_once(client):
    from challenges.models import Administration, Challenge

    page = client.get(reverse("cohorts:challenge_list")).content.decode()
    hosts = Administration.objects.filter(challenges__in=Challenge.objects.public()).distinct()
    for administration in hosts:
        assert page.count(f'<option value="{administration.slug}"') == 1


@pytest.mark.django_db
def test_the_footer_drawn_once_follows_the_language(client, settings):
    french = client.get(reverse("cohorts:home")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("cohorts:home")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french_again = client.get(reverse("cohorts:home")).content.decode()
    assert "Mentions légales" in footer(french)
    assert "Legal notice" in footer(english)
    assert footer(french_again) == footer(french)
    assert f'href="{reverse("site_map")}"' in footer(french)


def footer(page):
    return page.split("<footer", 1)[1].split("</footer>", 1)[0]


@pytest.mark.django_db
def test_the_footer_says_the_accessibility_state_of_the_current_audit(client):
    from eig.accessibility import current_audit

    footer = client.get(reverse("cohorts:home")).content.decode().split("<footer", 1)[1]
    state = current_audit().state
    label = {
        "total": "totalement conforme",
        "partial": "partiellement conforme",
        "none": "non conforme",
    }[state]
    assert f"Accessibilité : {label}" in footer

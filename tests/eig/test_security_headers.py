"""The Content-Security-Policy header, exactly: scripts only from the site or with this
response's nonce."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def directives(response):
    """The header's directives (django-csp writes them in no fixed order)."""
    parts = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return {name: sources for name, sources in parts}


def test_the_csp_header_carries_the_nonce_of_the_page_scripts(client):
    response = client.get(reverse("faq"))
    html = response.content.decode()
    nonces = set(re.findall(r'<script[^>]* nonce="([^"]+)"', html))
    assert len(nonces) == 1, "the DSFR scripts carry one nonce"
    (nonce,) = nonces
    assert directives(response) == {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
        "base-uri": "'self'",
    }


def test_each_response_has_its_own_nonce(client):
    first = directives(client.get(reverse("faq")))["script-src"]
    second = directives(client.get(reverse("faq")))["script-src"]
    assert "'nonce-" in first and first != second

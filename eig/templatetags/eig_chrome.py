"""The parts of every page that change with the language only: the footer, the header's
brand and menu, the stylesheets and icons of the head.

Each page carries them, and their URLs, translations and static paths do not change
while the process runs: they are drawn once per language and process, then reused.
They are not a cache of the programme's data: nothing in them is read from the database.
"""

import functools

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from eig.accessibility import current_audit

register = template.Library()


@register.simple_tag
def constant_fragment(template_name):
    return _drawn(
        template_name,
        get_language(),
        get_script_prefix(),
        current_audit().state,
        settings.EIG_HISTORY_ATTRIBUTION,
    )


@register.simple_tag(takes_context=True)
def header_menu(context):
    """The main menu, the page's own entry marked current: one of eight menus per language."""
    links = header_links()
    path = context["request"].path if "request" in context else None
    current = next((key for key in MENU if links[key] == path), "")
    return _drawn(
        "_partials/header_menu.html",
        get_language(),
        get_script_prefix(),
        current_audit().state,
        settings.EIG_HISTORY_ATTRIBUTION,
        current,
    )


@functools.cache
def _drawn(template_name, _language, prefix, accessibility_state, attribution, current=""):
    # Its inputs are the key: a test that changes a setting or the audit draws it again.
    context = {
        "ACCESSIBILITY_STATE": accessibility_state,
        "EIG_HISTORY_ATTRIBUTION": attribution,
        "links": _header_links(prefix, settings.ROOT_URLCONF),
        "current": current,
    }
    return mark_safe(get_template(template_name).render(context))  # noqa: S308 — a template's output


def _forget(**_kwargs):
    _drawn.cache_clear()
    _header_links.cache_clear()


setting_changed.connect(_forget)


# The header's links: the same addresses on every page, reversed once per process.
HEADER_LINKS = {
    "home": "cohorts:home",
    "challenges": "cohorts:challenge_list",
    "promotions": "cohorts:promotion_list",
    "impact": "cohorts:impact",
    "apply": "applications:apply_home",
    "projects": "challenges:call_for_projects",
    "faq": "faq",
    "dashboard": "dashboard",
    "admin": "admin:index",
    "login": "account_login",
    "signup": "account_signup",
    "logout": "account_logout",
    "set_language": "set_language",
}


# The menu's entries, in its order.
MENU = ["home", "challenges", "promotions", "impact", "apply", "projects", "faq"]


@register.simple_tag
def header_links():
    return _header_links(get_script_prefix(), settings.ROOT_URLCONF)


@functools.cache
def _header_links(_prefix, _urlconf):
    return {key: reverse(name) for key, name in HEADER_LINKS.items()}

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

# The main menu's entries, in its order.
MENU = ["home", "challenges", "promotions", "impact", "apply", "projects", "faq"]


@register.simple_tag
def header_links():
    return _header_links(get_script_prefix(), settings.ROOT_URLCONF)


@register.simple_tag
def constant_fragment(template_name):
    """The footer, the head's assets, the header's brand: the footer also says the
    accessibility audit's state and the history's attribution."""
    return _drawn(
        template_name,
        get_language(),
        get_script_prefix(),
        ACCESSIBILITY_STATE=current_audit().state,
        EIG_HISTORY_ATTRIBUTION=settings.EIG_HISTORY_ATTRIBUTION,
    )


@register.simple_tag(takes_context=True)
def header_menu(context):
    """The main menu, the page's own entry marked current: one of eight menus per language."""
    links = header_links()
    path = context["request"].path if "request" in context else None
    current = next((key for key in MENU if links[key] == path), "")
    return _drawn(
        "_partials/header_menu.html", get_language(), get_script_prefix(), current=current
    )


@functools.cache
def _header_links(_prefix, _urlconf):
    return {key: reverse(name) for key, name in HEADER_LINKS.items()}


@functools.cache
def _drawn(template_name, _language, prefix, **context):
    # What the fragment reads is its key: a test that changes the audit draws it again.
    links = _header_links(prefix, settings.ROOT_URLCONF)
    page = get_template(template_name).render({**context, "links": links})
    return mark_safe(page)  # noqa: S308 — a template's output


def _forget(**_kwargs):
    _drawn.cache_clear()
    _header_links.cache_clear()


setting_changed.connect(_forget)

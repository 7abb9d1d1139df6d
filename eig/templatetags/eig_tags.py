from django import template
from django.utils.safestring import mark_safe

from eig.text import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Markdown rendered to HTML, sanitised: safe to show whatever its source."""
    return mark_safe(render_markdown(text))  # noqa: S308 — the HTML went through nh3.


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (filters, pages)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()

"""Text from outside (imported pages, users' Markdown) made safe to show."""

import functools

import markdown
import nh3

_ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}


def clean_html(html):
    return nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, link_rel="noopener")


# A pure function of the text: the pages read most (a challenge, a kit) show the same
# texts again and again, and building the Markdown parser cost more than the page's queries.
@functools.lru_cache(maxsize=512)
def render_markdown(text):
    return clean_html(markdown.markdown(text or "", extensions=["extra", "sane_lists"]))

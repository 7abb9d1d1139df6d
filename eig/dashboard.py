"""Mon espace: each stage of the programme adds its own section; the core names none.

An app registers its `Section` from its `ready()`; the page shows the sections
in order, each rendered by its app's template with what the app's `context`
returns for the person (nothing, and the section is left out). A section that
links to several stages belongs to the latest of them, which may name the
earlier ones' pages.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    order: int
    template: str
    context: Callable  # (user, role codes) → dict, or None to leave the section out


SECTIONS: list[Section] = []


def register(section: Section) -> None:
    """Add a stage's section; an app made ready twice adds it once."""
    if all(known.template != section.template for known in SECTIONS):
        SECTIONS.append(section)
        SECTIONS.sort(key=lambda known: known.order)


def sections_for(user, role_codes):
    """[(template, context)] of the sections this person sees, in order."""
    shown = []
    for section in SECTIONS:
        context = section.context(user, role_codes)
        if context is not None:
            shown.append((section.template, context))
    return shown

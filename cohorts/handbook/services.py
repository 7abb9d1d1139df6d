"""The handbook for EIGs and mentors: pages written by staff in the admin (each edit
kept), grouped by stage of the promotion, public or reserved to the promotions' people.
"""

import rules

from cohorts.models import HandbookPage


def readable_pages(user):
    """The pages `user` may read: every page for the promotions' people and staff, else the public ones."""
    pages = HandbookPage.objects.all()
    if not rules.has_perm("cohorts.read_reserved_handbook", user):
        pages = pages.public()
    return pages


def handbook_index(*, user, words=""):
    """The readable pages (those matching `words`, if any), grouped by stage in the
    programme's order: one query for the pages, whatever their number."""
    pages = readable_pages(user).defer("body_markdown", "body_markdown_en")
    if words.strip():
        pages = pages.search(words)
    by_stage = {stage: [] for stage in HandbookPage.Stage}
    for page in pages.order_by("position", "title"):
        by_stage[HandbookPage.Stage(page.stage)].append(page)
    return [(stage, stage_pages) for stage, stage_pages in by_stage.items() if stage_pages]


def pages_of_stage(*, user, stages):
    """The readable pages of some stages, to link from those stages' screens: one query."""
    return list(
        readable_pages(user)
        .filter(stage__in=stages)
        .only("slug", "title", "title_en", "stage", "position")
        .order_by("stage", "position", "title")
    )

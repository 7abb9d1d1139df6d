"""The accessibility statement's figures, computed from the RGAA grid kept in the repository.

RGAA's method: a criterion is conforming when it is conforming on every sampled page
where it applies, non-conforming when it fails on one of them, not applicable when it
applies nowhere. The rate is conforming criteria over applicable ones; the state follows
from it (100 %: totalement, 50 % and more: partiellement, below: non conforme).
"""

import csv
import functools
import tomllib
from dataclasses import dataclass
from datetime import date

from django.conf import settings

CONFORMING, NOT_CONFORMING, NOT_APPLICABLE = "C", "NC", "NA"


@dataclass(frozen=True)
class Criterion:
    number: str
    theme: str
    by_page: dict
    note: str

    @property
    def result(self):
        results = set(self.by_page.values())
        if NOT_CONFORMING in results:
            return NOT_CONFORMING
        if CONFORMING in results:
            return CONFORMING
        return NOT_APPLICABLE


@dataclass(frozen=True)
class Audit:
    date: date
    auditor: str
    scope: str
    tools: list
    environment: list
    pages: list
    criteria: list

    def count(self, result):
        return sum(1 for criterion in self.criteria if criterion.result == result)

    @functools.cached_property
    def rate(self):
        """Percentage of applicable criteria that conform, rounded down (never overstated)."""
        applicable = self.count(CONFORMING) + self.count(NOT_CONFORMING)
        return 100 * self.count(CONFORMING) // applicable if applicable else 0

    @functools.cached_property  # read by every page's footer: the grid is read once per process
    def state(self):
        if self.rate == 100:
            return "total"
        return "partial" if self.rate >= 50 else "none"

    def failures(self):
        pages = {page["id"]: page["title"] for page in self.pages}
        return [
            (criterion, [pages[p] for p, r in criterion.by_page.items() if r == NOT_CONFORMING])
            for criterion in self.criteria
            if criterion.result == NOT_CONFORMING
        ]


@functools.cache
def current_audit():
    folder = settings.EIG_ACCESSIBILITY_AUDIT_DIR
    meta = tomllib.loads((folder / "audit.toml").read_text(encoding="utf-8"))
    with (folder / "rgaa-grid.csv").open(encoding="utf-8", newline="") as grid:
        rows = list(csv.DictReader(grid))
    page_ids = [page["id"] for page in meta["pages"]]
    criteria = [
        Criterion(row["critere"], row["thematique"], {p: row[p] for p in page_ids}, row["note"])
        for row in rows
    ]
    return Audit(
        date=meta["date"],
        auditor=meta["auditor"],
        scope=meta["scope"],
        tools=meta["tools"],
        environment=meta["environment"],
        pages=meta["pages"],
        criteria=criteria,
    )

"""Applications as CSV for staff, streamed: rows leave as they are read, never all in memory.

The columns are those of the admin's export (`ApplicationResource`); text from
candidates is neutralised like every export (`eig.exports.neutralise`), so a
spreadsheet opens it as text, never as a formula.
"""

import csv
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice

from django.db.models import FilteredRelation, Q
from django.utils import timezone

from applications.models import Choice
from eig.exports import neutralise

HEADER = [
    "id",
    "email",
    "prénom",
    "nom",
    "status",
    "submitted_at",
    "profil",
    "years_of_experience",
    "choix 1",
    "choix 2",
    "note moyenne des relectures",
    "relectures",
    "talent_pool_consent",
]
# Rows read per round trip (a server-side cursor on PostgreSQL) and sent per write.
CHUNK_SIZE = 1000
TWO_PLACES = Decimal("0.01")


class _Line:
    """A file for csv.writer that hands back the line instead of keeping it."""

    def write(self, line):
        return line


def csv_lines(applications):
    """The header, then one line per application, sent CHUNK_SIZE lines at a time.

    `applications` must carry `review_count` and `mean_score` (the admin's queryset
    does). One query, whatever the number of rows: each application's two choices
    are joined to it, and rows are read as tuples (not model instances, three times
    slower) through a server-side cursor.
    """
    writer = csv.writer(_Line())
    # Labels translated once, not once per row (gettext per row costs more than the query).
    labels = {status: str(label) for status, label in Choice.Status.choices}
    zone = timezone.get_current_timezone()
    rows = (
        applications.annotate(
            first=FilteredRelation("choices", condition=Q(choices__rank=1)),
            second=FilteredRelation("choices", condition=Q(choices__rank=2)),
        )
        .values_list(*COLUMNS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    yield writer.writerow(HEADER)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        yield "".join(
            writer.writerow([neutralise(value) for value in _line(row, labels, zone)])
            for row in chunk
        )


COLUMNS = [
    "pk",
    "candidate__email",
    "candidate__first_name",
    "candidate__last_name",
    "status",
    "submitted_at",
    "profile__label",
    "years_of_experience",
    "first__challenge__title",
    "first__status",
    "second__challenge__title",
    "second__status",
    "mean_score",
    "review_count",
    "talent_pool_consent",
]


def _line(row, labels, zone):
    pk, email, first_name, last_name, status, submitted_at, profile, years = row[:8]
    first, first_status, second, second_status, mean, reviews, consent = row[8:]
    return [
        pk,
        email,
        first_name,
        last_name,
        status,
        timezone.localtime(submitted_at, zone).strftime("%Y-%m-%d %H:%M:%S")
        if submitted_at
        else "",
        profile or "",
        "" if years is None else years,
        f"{first} ({labels[first_status]})" if first else "",
        f"{second} ({labels[second_status]})" if second else "",
        "" if mean is None else Decimal(mean).quantize(TWO_PLACES, rounding=ROUND_HALF_UP),
        reviews,
        int(consent),
    ]

"""Challenges as CSV or XLSX for staff: the rows of the admin's list as it is filtered.

Headers are in the interface language; numbers and dates stay numbers and dates
(XLSX cells typed, Paris time); text from administrations is neutralised
(`eig.exports.neutralise`) so a spreadsheet never runs it as a formula. A fixed
number of queries, whatever the number of challenges.
"""

import csv
import io
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from challenges.decisions.services import with_scores
from challenges.models import AdministrationContact, Challenge, ChallengeMentor
from eig.exports import neutralise


def _people(people):
    return "\n".join(people)


def _mentors(challenge, kind):
    return _people(
        ", ".join(part for part in (str(m.person), m.job_title, m.email) if part)
        for m in challenge.mentorships.all()
        if m.kind == kind
    )


def _editors(challenge):
    return _people(f"{u.display_name} <{u.email}>" for u in challenge.editors.all())


def _contacts(challenge):
    return _people(
        f"{c.user.display_name} <{c.user.email}>"
        + (f", {c.job_title}" if c.job_title else "")
        for c in challenge.administration.contacts.all()
    )


def _evaluation(challenge):
    audition = getattr(challenge, "audition", None)
    return getattr(audition, "evaluation", None) if audition is not None else None


def _decision(challenge):
    if challenge.status in (*Challenge.DECISIONS, Challenge.Status.DECLINED):
        return challenge.get_status_display()
    return ""


def _round(value):
    return round(value, 2) if value is not None else None


def _paris(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _field(name):
    return Challenge._meta.get_field(name).verbose_name


# (header, value of a challenge): the columns in the order staff read a file.
COLUMNS = [
    (_("numéro"), lambda c: c.pk),
    (_("titre"), lambda c: c.title),
    (_("administration"), lambda c: c.administration.name),
    (_("type d'administration"), lambda c: c.administration.get_kind_display()),
    (_("promotion"), lambda c: c.promotion.name),
    (_("statut"), lambda c: c.get_status_display()),
    (_("déposé le (heure de Paris)"), lambda c: _paris(c.submitted_at)),
    (_field("location"), lambda c: c.location),
    (_field("team_size"), lambda c: c.team_size),
    (_field("duration_months"), lambda c: c.duration_months),
    (_("profils"), lambda c: ", ".join(s.label for s in c.skills.all())),
    (_field("funding"), lambda c: c.get_funding_display()),
    (_field("funding_details"), lambda c: c.funding_details),
    (_field("open_commitment"), lambda c: gettext("oui") if c.open_commitment else gettext("non")),
    (_field("summary"), lambda c: c.summary),
    (_field("problem"), lambda c: c.problem),
    (_field("challenge_text"), lambda c: c.challenge_text),
    (_field("data_description"), lambda c: c.data_description),
    (_field("data_conditions"), lambda c: c.data_conditions),
    (_field("expected_impact"), lambda c: c.expected_impact),
    (_field("users_description"), lambda c: c.users_description),
    (_("mentors opérationnels"), lambda c: _mentors(c, ChallengeMentor.Kind.OPERATIONAL)),
    (_("mentor stratégique"), lambda c: _mentors(c, ChallengeMentor.Kind.STRATEGIC)),
    (_("rédacteurs du défi"), _editors),
    (_("contacts de l'administration"), _contacts),
    (_("note de qualification (sur 5)"), lambda c: _round(c.qualification_score)),
    (_("panel"), lambda c: c.audition.panel.name if getattr(c, "audition", None) else ""),
    (_("note du panel (sur 5)"), lambda c: _round(c.panel_score)),
    (
        _("recommandation du panel"),
        lambda c: _evaluation(c).get_recommendation_display() if _evaluation(c) else "",
    ),
    (_("appréciation du panel"), lambda c: _evaluation(c).comment if _evaluation(c) else ""),
    (_("décision"), _decision),
    (_("motif de la décision"), lambda c: c.decision_reason),
]


def for_export(challenges):
    """The queryset of the list, with what the columns read, in a fixed number of queries."""
    contacts = AdministrationContact.objects.filter(
        status=AdministrationContact.Status.ACTIVE
    ).select_related("user")
    return with_scores(
        challenges.select_related(
            "administration", "promotion", "audition__panel", "audition__evaluation"
        ).prefetch_related(
            "skills",
            "editors",
            Prefetch("mentorships", queryset=ChallengeMentor.objects.select_related("person")),
            Prefetch("administration__contacts", queryset=contacts),
        )
    )


def header():
    return [str(label) for label, _value in COLUMNS]


def rows(challenges):
    for challenge in for_export(challenges):
        yield [neutralise(value) for value in (value(challenge) for _label, value in COLUMNS)]


def as_csv(challenges):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header())
    for row in rows(challenges):
        writer.writerow(
            [value.isoformat(sep=" ") if isinstance(value, datetime) else value for value in row]
        )
    return out.getvalue()


def as_xlsx(challenges):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(gettext("Défis"))
    sheet.freeze_panes = "C2"
    bold = Font(bold=True)
    cells = []
    for label in header():
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows(challenges):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

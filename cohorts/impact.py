"""The programme's impact, by promotion and overall, counted from the database.

The imported history and the promotions run on the platform are the same rows,
so both count alike. Every indicator is a set of distinct (promotion, item)
pairs, read in three queries (challenges, team members, mentors): counting them
per promotion gives the promotion's
figure, counting the distinct items gives the programme's, where a person or an
administration present in two promotions counts once. No query runs per row.
"""

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
)
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from challenges.models import Challenge, ChallengeMentor
from cohorts.figures import counted_challenges, next_public_change
from cohorts.models import FollowUpSurvey, PartnerSurvey, TeamMember
from eig import public_cache
from eig.models import Promotion

LICENCE = "Licence Ouverte / Open Licence 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
OVERALL = "ensemble"  # the promotion code of the programme-wide rows of the open data
OVERALL_LABEL = "Ensemble du programme"


def attribution():
    return settings.EIG_HISTORY_ATTRIBUTION  # "Source : programme EIG, Etalab — Licence Ouverte"


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    description: str
    # A rate's base: the indicator counting what this one is out of. When the base is
    # 0 nothing was surveyed, and the figure is "no data", not 0.
    base: str = ""


INDICATORS = (
    Indicator("challenges", _("défis"), _("Défis réalisés, ou sélectionnés et publiés.")),
    Indicator(
        "administrations", _("administrations d’accueil"), _("Administrations hôtes des défis.")
    ),
    Indicator("eigs", _("entrepreneurs d’intérêt général"), _("Personnes membres des équipes.")),
    Indicator(
        "mentors",
        _("agents publics embarqués"),
        _("Mentors opérationnels et stratégiques des défis."),
    ),
    Indicator(
        "open_source",
        _("produits au code source ouvert"),
        _("Défis dont le code source est publié."),
    ),
    Indicator(
        "followed_up",
        _("EIG suivis après le programme"),
        _("EIG ayant répondu à au moins un questionnaire de suivi, 6 ou 12 mois après."),
    ),
    Indicator(
        "public_service",
        _("EIG toujours au service du public"),
        _(
            "Parmi les EIG suivis, selon la dernière réponse de chacun au questionnaire de "
            "suivi. « Pas de données » : aucun EIG de la promotion n’a été suivi."
        ),
        base="followed_up",
    ),
    Indicator(
        "made_permanent",
        _("défis pérennisés"),
        _(
            "Produit repris et financé, déclaré utilisé et maintenu au dernier suivi d’un EIG, "
            "ou déclaré pérennisé au dernier suivi d’un mentor ou de l’administration "
            "d’accueil, parmi les défis dont on sait ce qu’ils sont devenus. « Pas de "
            "données » : aucun défi de la promotion n’a été suivi."
        ),
        base="surveyed_challenges",
    ),
)
INDICATOR_KEYS = tuple(i.key for i in INDICATORS)
# Counted to give a rate its base, not shown as an indicator of its own.
SURVEYED_CHALLENGES = "surveyed_challenges"


# --- The queries: one per indicator ------------------------------------------------------


def _latest_answer(person_ref):
    """The latest answered survey of a person, whatever the team."""
    return FollowUpSurvey.objects.filter(
        member__person=person_ref, answered_at__isnull=False
    ).order_by("-answered_at", "-months_after", "-pk")


def _kept_by_survey():
    """A team member's latest answer says the product is still in use and maintained."""
    latest_of_member = (
        FollowUpSurvey.objects.filter(member=OuterRef("member"), answered_at__isnull=False)
        .order_by("-answered_at", "-months_after", "-pk")
        .values("pk")[:1]
    )
    return Exists(
        FollowUpSurvey.objects.filter(
            member__team__challenge=OuterRef("pk"),
            product_in_use=True,
            product_maintained=True,
            pk=Subquery(latest_of_member),
        )
    )


def _partner_says_permanent():
    """A challenge's latest mentor or administration answer about its product's future
    (ignoring "I don't know") says it was made permanent."""
    return Subquery(
        PartnerSurvey.objects.filter(
            challenge=OuterRef("pk"), answered_at__isnull=False, made_permanent__isnull=False
        )
        .order_by("-answered_at", "-months_after", "-pk")
        .values("made_permanent")[:1],
        output_field=BooleanField(),
    )


def indicator_pairs(*, promotion=None, now=None):
    """{indicator: set of distinct (promotion id, item id)}, read in three queries.

    The indicators about challenges come from one row per public challenge, those
    about EIGs from one row per team member, the mentors from their own table.
    """
    challenges = counted_challenges(now=now)
    if promotion is not None:
        challenges = challenges.filter(promotion=promotion)
    pairs = {key: set() for key in (*INDICATOR_KEYS, SURVEYED_CHALLENGES)}
    rows = challenges.annotate(
        has_code=ExpressionWrapper(~Q(source_code_url=""), output_field=BooleanField()),
        partner_says=_partner_says_permanent(),
        permanent=ExpressionWrapper(
            Q(team__made_permanent=True) | _kept_by_survey() | Q(partner_says=True),
            output_field=BooleanField(),
        ),
        surveyed=ExpressionWrapper(
            Exists(
                FollowUpSurvey.objects.filter(
                    member__team__challenge=OuterRef("pk"), answered_at__isnull=False
                )
            )
            | Q(partner_says__isnull=False),
            output_field=BooleanField(),
        ),
    ).values_list("promotion_id", "pk", "administration_id", "has_code", "permanent", "surveyed")
    for promotion_id, pk, administration_id, has_code, permanent, surveyed in rows:
        pairs["challenges"].add((promotion_id, pk))
        pairs["administrations"].add((promotion_id, administration_id))
        if has_code:
            pairs["open_source"].add((promotion_id, pk))
        if permanent:
            pairs["made_permanent"].add((promotion_id, pk))
        if permanent or surveyed:
            pairs[SURVEYED_CHALLENGES].add((promotion_id, pk))
    members = TeamMember.objects.filter(team__challenge__in=challenges).annotate(
        followed=Exists(
            FollowUpSurvey.objects.filter(
                member__person=OuterRef("person"), answered_at__isnull=False
            )
        ),
        latest_sector=Subquery(_latest_answer(OuterRef("person")).values("sector")[:1]),
    )
    by_member = ("team__challenge__promotion_id", "person_id", "followed", "latest_sector")
    for promotion_id, person_id, followed, sector in members.values_list(*by_member):
        pairs["eigs"].add((promotion_id, person_id))
        if followed:
            pairs["followed_up"].add((promotion_id, person_id))
        if sector == FollowUpSurvey.Sector.PUBLIC:
            pairs["public_service"].add((promotion_id, person_id))
    mentors = ChallengeMentor.objects.filter(challenge__in=challenges)
    pairs["mentors"] = set(mentors.values_list("challenge__promotion_id", "person_id"))
    return pairs


# --- The figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One figure as shown: a count, or a rate's count with its base (`None` when nothing
    was surveyed: "no data", never 0)."""

    value: int | None
    base: int | None = None

    @property
    def measured(self):
        return self.value is not None


def _cell(indicator, counts):
    if not indicator.base:
        return Cell(counts[indicator.key])
    base = counts[indicator.base]
    return Cell(counts[indicator.key], base) if base else Cell(None, 0)


@dataclass(frozen=True)
class PromotionFigures:
    promotion: Promotion
    values: dict  # {indicator key: Cell}

    def __getitem__(self, key):
        return self.values[key].value

    def cells(self):
        return [self.values[key] for key in INDICATOR_KEYS]


@dataclass(frozen=True)
class IndicatorSeries:
    """One indicator across promotions: what a chart and its table show."""

    indicator: Indicator
    total: Cell
    points: list  # [(promotion, value)] in chronological order, measured ones only


@dataclass(frozen=True)
class Impact:
    overall: dict  # {indicator key: Cell}
    promotions: list = field(default_factory=list)  # [PromotionFigures], chronological

    @property
    def indicators(self):
        return INDICATORS

    def overall_cells(self):
        return [(indicator, self.overall[indicator.key]) for indicator in INDICATORS]

    def series(self):
        return [
            IndicatorSeries(
                indicator,
                self.overall[indicator.key],
                [
                    (p.promotion, p[indicator.key])
                    for p in self.promotions
                    if p.values[indicator.key].measured
                ],
            )
            for indicator in INDICATORS
        ]


def programme_impact(*, promotion=None, now=None):
    """The figures of every started promotion with public challenges (or of one
    promotion), and of the programme as a whole. Four queries, however many promotions."""
    per_promotion, overall = {}, {}
    for key, pairs in indicator_pairs(promotion=promotion, now=now).items():
        per_promotion[key] = Counter(promotion_id for promotion_id, _item in pairs)
        overall[key] = len({item for _promotion_id, item in pairs})
    if promotion is not None:
        promotions = [promotion]
    else:
        ids = set(per_promotion["challenges"])
        promotions = list(Promotion.objects.filter(pk__in=ids).chronological())
    return Impact(
        overall={i.key: _cell(i, overall) for i in INDICATORS},
        promotions=[
            PromotionFigures(
                p,
                {
                    i.key: _cell(i, {k: c[p.pk] for k, c in per_promotion.items()})
                    for i in INDICATORS
                },
            )
            for p in promotions
        ],
    )


def public_impact(*, promotion=None):
    """`programme_impact` for the public pages, from the cache shared by the web nodes
    until something it counts changes (`eig.public_cache`: a staff action, an import,
    an answered survey) or the clock publishes results or starts a promotion. Staff's
    dashboard reads them fresh."""
    return public_cache.cached(
        f"impact:{promotion.pk if promotion else 'all'}",
        lambda: programme_impact(promotion=promotion),
        valid_until=next_public_change,
    )


# --- Open data ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenDataRow:
    promotion: str  # the promotion's code, or "ensemble"
    promotion_name: str
    year: int | None
    indicator: str
    label: str
    value: int | None  # None: not measured ("no data"), never 0
    base: int | None = None  # for a rate: out of how many


@dataclass(frozen=True)
class OpenData:
    rows: list
    licence: str = LICENCE
    licence_url: str = LICENCE_URL
    source: str = field(default_factory=attribution)


def _open_data_row(code, name, year, indicator, cell):
    # Open data keeps the French labels whatever the visitor's language: one file, one text.
    with translation.override("fr"):
        label = str(indicator.label)
    return OpenDataRow(code, name, year, indicator.key, label, cell.value, cell.base or None)


def open_data(*, promotion=None, now=None):
    """The public figures as rows (promotion, indicator, value), with their licence."""
    impact = programme_impact(promotion=promotion, now=now)
    rows = [
        _open_data_row(p.promotion.code, p.promotion.name, p.promotion.year, i, p.values[i.key])
        for p in impact.promotions
        for i in INDICATORS
    ]
    if promotion is None:
        rows += [
            _open_data_row(OVERALL, OVERALL_LABEL, None, i, impact.overall[i.key])
            for i in INDICATORS
        ]
    return OpenData(rows=rows)


CSV_COLUMNS = ["promotion", "nom_promotion", "annee", "indicateur", "libelle", "valeur", "base"]


def _blank(value):
    return "" if value is None else value


def open_data_csv(data: OpenData) -> str:
    """A plain CSV, header first: the licence travels in the HTTP headers, the JSON's
    metadata and the open data page, where CSV readers do not trip on it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in data.rows:
        writer.writerow(
            [
                row.promotion,
                row.promotion_name,
                _blank(row.year),
                row.indicator,
                row.label,
                _blank(row.value),
                _blank(row.base),
            ]
        )
    return out.getvalue()


def open_data_json(data: OpenData) -> str:
    with translation.override("fr"):
        indicators = [
            {"cle": i.key, "libelle": str(i.label), "definition": str(i.description)}
            for i in INDICATORS
        ]
    document = {
        "licence": data.licence,
        "licence_url": data.licence_url,
        "source": data.source,
        "indicateurs": indicators,
        "donnees": [
            {
                "promotion": row.promotion,
                "nom_promotion": row.promotion_name,
                "annee": row.year,
                "indicateur": row.indicator,
                "valeur": row.value,
                "base": row.base,
            }
            for row in data.rows
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


# --- Open data: what each team delivered ---------------------------------------------------


DELIVERABLE_COLUMNS = [
    "promotion",
    "defi",
    "administration",
    "fiche",
    "produit",
    "code_source",
    "jeux_de_donnees",
    "chiffres_cles",
    "bilan",
]


def deliverables(*, promotion=None):
    """The public challenges that have a team, with what they delivered: four queries."""
    challenges = (
        Challenge.objects.public()
        .filter(team__isnull=False)
        .select_related("promotion", "administration", "team")
        .prefetch_related("key_figures", "team__opened_datasets")
        .order_by("promotion__year", "promotion__code", "title")
    )
    return challenges.filter(promotion=promotion) if promotion else challenges


def deliverables_csv(challenges) -> str:
    """One row per challenge; lists joined by " ; ", each dataset as "name <address>"."""
    out = io.StringIO()
    out.write(f"# Licence : {LICENCE} ({LICENCE_URL})\n")
    out.write(f"# {attribution()}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DELIVERABLE_COLUMNS)
    for challenge in challenges:
        team = challenge.team
        datasets = " ; ".join(f"{d.name} <{d.url}>" for d in team.opened_datasets.all())
        figures = " ; ".join(
            f"{figure.amount.normalize():f} {figure.description}"
            for figure in challenge.key_figures.all()
        )
        writer.writerow(
            [
                challenge.promotion.code,
                challenge.title,
                challenge.administration.name,
                f"{settings.SITE_URL}{challenge.get_absolute_url()}",
                challenge.product_url,
                challenge.source_code_url,
                datasets,
                figures,
                team.end_summary,
            ]
        )
    return out.getvalue()


# --- For staff: the follow-up surveys -------------------------------------------------------


@dataclass(frozen=True)
class SurveyRate:
    promotion: Promotion
    months_after: int
    total: int
    sent: int
    answered: int

    @property
    def rate(self):
        """Answered out of sent, in percent (None before any is sent)."""
        return round(100 * self.answered / self.sent) if self.sent else None


def survey_rates():
    """Per promotion and milestone: surveys planned, sent, answered. Two queries."""
    rows = (
        FollowUpSurvey.objects.values("member__team__challenge__promotion", "months_after")
        .annotate(
            total=Count("pk"),
            sent=Count("pk", filter=Q(sent_at__isnull=False)),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
        )
        .order_by()
    )
    rows = list(rows)
    promotions = Promotion.objects.in_bulk({r["member__team__challenge__promotion"] for r in rows})
    rates = [
        SurveyRate(
            promotions[r["member__team__challenge__promotion"]],
            r["months_after"],
            r["total"],
            r["sent"],
            r["answered"],
        )
        for r in rows
    ]
    return sorted(rates, key=lambda r: (r.promotion.year, r.promotion.code, r.months_after))


@dataclass(frozen=True)
class PartnerSurveyRate(SurveyRate):
    """The mentors' and administrations' surveys of a promotion and milestone, with how
    many answered yes to each question (the others said no or "I don't know")."""

    in_use: int = 0
    adopted_elsewhere: int = 0
    made_permanent: int = 0
    recruited: int = 0


def partner_survey_rates():
    """Per promotion and milestone: the mentors' and administrations' surveys planned,
    sent, answered, and their yes answers. Two queries."""
    answered = Q(answered_at__isnull=False)
    rows = list(
        PartnerSurvey.objects.values("challenge__promotion", "months_after")
        .annotate(
            total=Count("pk"),
            sent=Count("pk", filter=Q(sent_at__isnull=False)),
            answered=Count("pk", filter=answered),
            in_use=Count("pk", filter=answered & Q(product_in_use=True)),
            adopted_elsewhere=Count("pk", filter=answered & Q(product_adopted_elsewhere=True)),
            made_permanent=Count("pk", filter=answered & Q(made_permanent=True)),
            recruited=Count("pk", filter=answered & Q(administration_recruited=True)),
        )
        .order_by()
    )
    promotions = Promotion.objects.in_bulk({r["challenge__promotion"] for r in rows})
    rates = [
        PartnerSurveyRate(promotions[r.pop("challenge__promotion")], r.pop("months_after"), **r)
        for r in rows
    ]
    return sorted(rates, key=lambda r: (r.promotion.year, r.promotion.code, r.months_after))


def surveys_for_staff(*, promotion=None):
    """Every survey with its person, challenge and promotion, for the staff's list."""
    surveys = FollowUpSurvey.objects.select_related(
        "member__person", "member__team__challenge__promotion"
    ).order_by(
        "member__team__challenge__promotion__year",
        "member__team__challenge__promotion__code",
        "member__person__full_name",
        "months_after",
    )
    if promotion is not None:
        surveys = surveys.filter(member__team__challenge__promotion=promotion)
    return surveys

"""The programme's catalogue as open data: its challenges, their host administrations,
their products and the datasets their teams opened. Public challenges only; a fixed
number of queries per file, however many rows.
"""

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from challenges.models import Administration, Challenge
from cohorts.impact import LICENCE, LICENCE_URL, attribution
from cohorts.models import OpenedDataset


@dataclass(frozen=True)
class Catalogue:
    slug: str
    title: str  # lazy: the page shows it translated, the JSON in French
    columns: tuple
    rows: object  # callable(): list of tuples, in the order of columns


def _public():
    return Challenge.objects.public().select_related("promotion", "administration")


def _origin(challenge):
    return "historique du programme" if challenge.history_key else "plateforme"


def challenge_rows():
    return [
        (
            c.promotion.code,
            c.promotion.year,
            c.title,
            c.summary,
            c.administration.name,
            c.location,
            c.source_code_url,
            c.product_url,
            c.get_absolute_url(),
            _origin(c),
        )
        for c in _public().order_by("promotion__year", "promotion__code", "title")
    ]


def administration_rows():
    counts = Counter(_public().values_list("administration_id", flat=True))
    administrations = Administration.objects.filter(pk__in=counts).order_by("name")
    return [
        (a.slug, a.name, a.get_kind_display(), a.website, counts[a.pk]) for a in administrations
    ]


def product_rows():
    with_product = _public().exclude(source_code_url="", product_url="")
    return [
        (c.promotion.code, c.title, c.administration.name, c.product_url, c.source_code_url)
        for c in with_product.order_by("promotion__year", "promotion__code", "title")
    ]


def dataset_rows():
    datasets = (
        OpenedDataset.objects.filter(team__challenge__in=Challenge.objects.public())
        .select_related("team__challenge__promotion")
        .order_by("team__challenge__promotion__year", "team__challenge__title", "name")
    )
    return [
        (d.team.challenge.promotion.code, d.team.challenge.title, d.name, d.url) for d in datasets
    ]


CATALOGUES = {
    c.slug: c
    for c in (
        Catalogue(
            "defis",
            _("Défis"),
            (
                "promotion",
                "annee",
                "titre",
                "resume",
                "administration",
                "lieu",
                "code_source",
                "produit",
                "page",
                "origine",
            ),
            challenge_rows,
        ),
        Catalogue(
            "administrations",
            _("Administrations d’accueil"),
            ("identifiant", "nom", "type", "site", "defis"),
            administration_rows,
        ),
        Catalogue(
            "produits",
            _("Produits des défis"),
            ("promotion", "defi", "administration", "produit", "code_source"),
            product_rows,
        ),
        Catalogue(
            "jeux-de-donnees",
            _("Jeux de données ouverts par les équipes"),
            ("promotion", "defi", "jeu_de_donnees", "adresse"),
            dataset_rows,
        ),
    )
}


def catalogue_csv(catalogue):
    """Plain CSV, header first (the licence is in the HTTP headers and the JSON)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(catalogue.columns)
    writer.writerows(catalogue.rows())
    return out.getvalue()


def catalogue_json(catalogue):
    with translation.override("fr"):
        title = str(catalogue.title)
    document = {
        "titre": title,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "source": attribution(),
        "donnees": [dict(zip(catalogue.columns, row, strict=True)) for row in catalogue.rows()],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)

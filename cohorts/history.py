"""Import of the EIG programme's public history (the site-eig export).

The folder is read and checked entirely before anything is written, then
everything is written in one transaction. Every row has a natural key
(promotion code, skill key, challenge history key, person slug, FAQ position…):
a second run finds each row again and only saves what differs.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import nh3
import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify

from challenges import services as challenge_services
from challenges.administration.merge import merged_names
from challenges.models import Administration, Challenge, ChallengeMentor, KeyFigure
from cohorts.models import Team, TeamMember
from eig import public_cache
from eig.imports import sync_rows
from eig.models import FaqEntry, Person, Promotion, Skill

REQUIRED_FILES = ("promos.yml", "skills.yml", "defis.yml", "personnes.yml")
FAQ_FILES = {
    FaqEntry.Audience.CANDIDATES: "faq-eig.yml",
    FaqEntry.Audience.ADMINISTRATIONS: "faq-administrations.yml",
}
# Digital law is a profile of the programme that skills.yml forgot.
EXTRA_SKILLS = {"droit": "Droit du numérique"}
FAQ_TAGS = {"a", "br", "em", "li", "ol", "p", "strong", "ul"}
# The FAQ of the export is the programme's 2021 one ("rejoindre la 5e promotion… jusqu'au
# 2 mai 2021"): imported as that year's archive, never as the FAQ in force.
FAQ_ARCHIVE_YEAR = 2021

_PUNCTUATION = str.maketrans({**dict.fromkeys("‐‑‒–—―−", "-"), **dict.fromkeys("‘’‛ʼ´`", "'")})
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*$\n?", re.M | re.S)
_TEXT_NAME = re.compile(r"^(\d{4})-\d{2}-\d{2}-(.+)\.md$")
_LINK = re.compile(r"/defis/(\d{4})/([^/]+?)(?:\.html?)?/?$")
_YEAR = re.compile(r"\b(\d{4})\b")
_validate_url = URLValidator()
# The reviewed table of administrations' name variants (each merge explained there).
ADMINISTRATION_ALIASES = Path(__file__).parent / "data" / "administration_aliases.yml"
# Where the source's root-relative links ("/docs/…pdf") point to.
SITE_URL = "https://entrepreneur-interet-general.etalab.gouv.fr"


class HistoryError(Exception):
    """A folder or file the import cannot use: nothing is written."""

    def __init__(self, path, reason):
        super().__init__(f"Erreur : {path} : {reason}")


# --- Report -----------------------------------------------------------------


@dataclass
class Tally:
    feminine: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def total(self):
        return self.created + self.updated + self.unchanged

    def line(self, label):
        e = "e" if self.feminine else ""
        updated = "mises" if self.feminine else "mis"
        parts = [
            f"créé{e}s {self.created}",
            f"{updated} à jour {self.updated}",
            f"inchangé{e}s {self.unchanged}",
        ]
        if self.deleted:
            parts.append(f"supprimé{e}s {self.deleted}")
        return f"{label} : {self.total} ({', '.join(parts)})"


@dataclass
class PromotionCount:
    name: str
    challenges: int = 0
    eigs: int = 0
    mentors: int = 0


@dataclass
class ImportReport:
    tallies: dict[str, Tally] = field(default_factory=dict)
    promotions: dict[str, PromotionCount] = field(default_factory=dict)
    unmatched: dict[str, list[str]] = field(default_factory=dict)
    # Where the source files disagree or vary, what the import chose and by which rule.
    decisions: dict[str, list[str]] = field(default_factory=dict)

    @property
    def created(self):
        return sum(t.created for t in self.tallies.values())

    @property
    def updated(self):
        return sum(t.updated + t.deleted for t in self.tallies.values())

    @property
    def unchanged(self):
        return sum(t.unchanged for t in self.tallies.values())

    def count(self, label, synced, *, feminine=False, updated=None):
        """Record a `Synced` result; `updated` adds keys changed outside the row itself."""
        updated = (synced.updated | (updated or set())) - synced.created
        self.tallies[label] = Tally(
            feminine,
            len(synced.created),
            len(updated),
            len(synced.rows) - len(synced.created) - len(updated),
        )

    def note(self, category, item):
        self.unmatched.setdefault(category, []).append(item)

    def decide(self, category, item):
        self.decisions.setdefault(category, []).append(item)

    def lines(self):
        lines = [tally.line(label) for label, tally in self.tallies.items()]
        lines.append(
            f"Total : créations {self.created}, mises à jour {self.updated}, "
            f"sans changement {self.unchanged}"
        )
        lines.append("Par promotion :")
        lines += [
            f"  {c.name} : {c.challenges} défis, {c.eigs} EIG, {c.mentors} mentors"
            for c in self.promotions.values()
        ]
        for category, items in self.decisions.items():
            lines.append(f"Décisions — {category} ({len(items)}) :")
            lines += [f"    - {item}" for item in items]
        if not self.unmatched:
            return [*lines, "Non rapproché : rien."]
        lines.append("Non rapproché :")
        for category, items in self.unmatched.items():
            lines.append(f"  {category} ({len(items)}) :")
            lines += [f"    - {item}" for item in items]
        return lines


# --- Normalisation and small coercions ----------------------------------------


def normalise(text):
    """The form under which two spellings of a name or title are the same."""
    text = unicodedata.normalize("NFKD", str(text).translate(_PUNCTUATION))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.split()).casefold()


def person_key(name):
    """A person's identity across files, promotions and roles: also their slug."""
    return slugify(normalise(name))[:160].strip("-")


def title_key(title):
    # Titles differ by punctuation too ("Karfu’R", "b@liseNAV"): keep letters and digits.
    return re.sub(r"[\W_]+", "", normalise(title))


def _text(value):
    """YAML gives None for empty fields and numbers for numeric-looking ones."""
    return "" if value is None else " ".join(str(value).split())


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _as_dict(value):
    return value if isinstance(value, dict) else {}


def _code(value):
    return _text(value).casefold()


def _clip(value, max_length, what, report):
    # A value too long for its column would abort the whole transaction on PostgreSQL.
    if len(value) <= max_length:
        return value
    report.note("Textes tronqués", what)
    return value[: max_length - 1] + "…"


def _url(value, what, report):
    url = _text(value)
    if not url:
        return ""
    if url.startswith("/") and not url.startswith("//"):
        url = SITE_URL + url  # a page or document of the programme's own site
    try:
        _validate_url(url)
    except ValidationError:
        report.note("Adresses invalides ignorées", f"{what} : « {url} »")
        return ""
    return url if len(url) <= 300 else ""


def _int(value, default):
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 32768:
        return value
    return default


def _amount(value):
    """A key figure as stored (2 decimals, 14 digits before the point), or None."""
    text = str(value).replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    try:
        amount = Decimal(text.replace(",", ".")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
    return amount if abs(amount) < 10**14 else None


# --- Reading the folder --------------------------------------------------------


@dataclass
class ChallengeText:
    name: str
    link: tuple[str, str] | None
    title: str
    body: str


@dataclass
class Source:
    promos: dict
    skills: dict
    defis: dict
    people: dict
    faqs: dict
    texts: list[ChallengeText]


def read_source(folder, report):
    """Everything the import needs, or HistoryError before anything is written."""
    folder = Path(folder)
    if not folder.is_dir():
        raise HistoryError(folder, "dossier introuvable")
    promos, skills, defis, people = (_read_yaml(folder / name, dict) for name in REQUIRED_FILES)
    faqs = {}
    for audience, name in FAQ_FILES.items():
        if (folder / name).is_file():
            faqs[audience] = _read_yaml(folder / name, list)
        else:
            report.note("Fichiers facultatifs absents", name)
    return Source(promos, skills, defis, people, faqs, _read_texts(folder / "defis", report))


def _read_yaml(path, expected):
    if not path.is_file():
        raise HistoryError(path, "fichier introuvable")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise HistoryError(path, _yaml_reason(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise HistoryError(path, f"illisible ({exc})") from None
    if data is None:
        return expected()
    if not isinstance(data, expected):
        kind = "une table « clé: valeur »" if expected is dict else "une liste"
        raise HistoryError(path, f"contenu inattendu, {kind} est attendue")
    return data


def _yaml_reason(exc):
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    where = f" ligne {mark.line + 1}, colonne {mark.column + 1}" if mark else ""
    return " ".join(f"YAML invalide{where} : {problem}".split())


def _read_texts(folder, report):
    if not folder.is_dir():
        report.note("Fichiers facultatifs absents", f"{folder.name}/")
        return []
    texts = []
    for path in sorted(folder.glob("*.md")):
        try:
            texts.append(_read_text(path, report))
        except (OSError, UnicodeDecodeError) as exc:
            report.note("Fichiers texte illisibles", f"{path.name} ({exc})")
    return texts


def _read_text(path, report):
    content = path.read_text(encoding="utf-8")
    front = _FRONT_MATTER.match(content)
    meta = {}
    if front:
        try:
            meta = _as_dict(yaml.safe_load(front.group(1)))
        except yaml.YAMLError as exc:
            report.note("Fichiers texte illisibles", f"{path.name} ({_yaml_reason(exc)})")
        content = content[front.end() :]
    named = _TEXT_NAME.match(path.name)
    link = (named.group(1), named.group(2)) if named else None
    return ChallengeText(path.name, link, _text(meta.get("title")), content.strip())


# --- Writing: "create or update only what differs" (eig.imports.sync_rows); the
# challenges' tables through challenges' services.


# --- Promotions, skills, FAQ ---------------------------------------------------


def import_promotions(promos, report):
    wanted = {}
    for name, entry in promos.items():
        entry = _as_dict(entry)
        code = _code(entry.get("promotion"))
        year = _YEAR.search(_text(entry.get("class")) or _text(entry.get("year")))
        if not code or not year:
            report.note("Promotions ignorées (code ou année absent)", _text(name))
            continue
        year = int(year.group(1))
        # The record knows the year only: the dates are staff's to set in the admin.
        wanted[code] = {"code": code, "name": _clip(_text(name), 60, name, report), "year": year}
    existing = {p.code: p for p in Promotion.objects.all()}
    synced = sync_rows(Promotion, existing, wanted)
    report.count("Promotions", synced, feminine=True)
    for code, promotion in sorted(synced.rows.items(), key=lambda i: (i[1].year, i[0])):
        report.promotions[code] = PromotionCount(promotion.name)
    return synced.rows


def import_skills(skills, report):
    labels = {**EXTRA_SKILLS, **{_text(k): _text(v) for k, v in skills.items() if _text(k)}}
    wanted = {key: {"key": key[:30], "label": label[:60] or key} for key, label in labels.items()}
    synced = sync_rows(Skill, {s.key: s for s in Skill.objects.all()}, wanted)
    report.count("Profils", synced)
    return synced.rows


def import_faq(faqs, report):
    wanted = {}
    for audience, entries in faqs.items():
        for position, entry in enumerate(entries):
            entry = _as_dict(entry)
            question = _text(entry.get("question"))
            if not question:
                report.note("Questions fréquentes sans question", f"{audience} n° {position + 1}")
                continue
            wanted[(audience, position)] = {
                "audience": audience,
                "position": position,
                "question": _clip(question, 300, question, report),
                "answer_html": _clean_html(entry.get("reponse")),
                "anchor": slugify(_text(entry.get("ancre")))[:100],
                "archive_year": FAQ_ARCHIVE_YEAR,
            }
    archived = FaqEntry.objects.archived(FAQ_ARCHIVE_YEAR)
    existing = {(f.audience, f.position): f for f in archived}
    label = f"Questions fréquentes (archive {FAQ_ARCHIVE_YEAR})"
    report.count(label, sync_rows(FaqEntry, existing, wanted), feminine=True)


def _clean_html(html):
    # The answers are shown as HTML: keep only links and basic formatting.
    return nh3.clean(
        "" if html is None else str(html),
        tags=FAQ_TAGS,
        attributes={"a": {"href"}},
        link_rel=None,
    ).strip()


# --- Challenges -----------------------------------------------------------------


@dataclass
class PlannedChallenge:
    key: str
    label: str
    year: str
    link: tuple[str, str] | None
    promotion: Promotion
    administration: tuple[str, str, str]  # slug, name, website
    values: dict
    skills: list[str]
    figures: list[tuple[Decimal, str]]
    eigs: list[str]
    mentors: list[str]


def read_aliases(path=ADMINISTRATION_ALIASES):
    """{normalised variant: canonical name}, from the reviewed alias table."""
    aliases = {}
    for entry in yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []:
        for variant in entry["variants"]:
            aliases[normalise(variant.strip(" ,;"))] = entry["name"]
    return aliases


def alias_variants(path=ADMINISTRATION_ALIASES):
    """The variant names of the alias table, as written there."""
    table = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    return [variant.strip(" ,;") for entry in table for variant in entry["variants"]]


def _administration_name(raw, aliases, label, report):
    name = _text(raw).strip(" ,;")
    canonical = aliases.get(normalise(name))
    if canonical is None or canonical == name:
        return name
    report.decide(
        "Administrations fusionnées (table des alias)", f"{label} : « {name} » → « {canonical} »"
    )
    return canonical


def plan_challenges(defis, promotions, report, aliases=None):
    aliases = read_aliases() if aliases is None else aliases
    plans = []
    for key, entry in defis.items():
        # Clipped as stored, or the next run would not find the row again.
        plan = _plan_challenge(_text(key)[:200], _as_dict(entry), promotions, report, aliases)
        if plan is not None:
            plans.append(plan)
    return plans


def _plan_challenge(key, entry, promotions, report, aliases):
    title = _clip(_text(entry.get("title")) or key, 200, key, report)
    promotion = promotions.get(_code(entry.get("promotion")))
    admin_name = _administration_name(entry.get("administration"), aliases, key, report)
    if promotion is None or not key or not admin_name:
        reason = "administration absente" if promotion else "promotion inconnue"
        report.note("Défis ignorés", f"{key or title} ({reason})")
        return None
    label = f"{key} ({promotion.name})"
    eigs = [_text(n) for n in _as_list(entry.get("eigs")) if _text(n)]
    values = {
        "history_key": key,
        "title": title,
        "promotion_id": promotion.pk,
        "status": Challenge.Status.COMPLETED,
        "summary": _clip(_text(entry.get("description")), 300, f"{label} : résumé", report),
        "location": _clip(_text(entry.get("ville")), 150, f"{label} : lieu", report),
        "duration_months": _int(entry.get("duration_months"), 10),
        "team_size": len({person_key(n) for n in eigs} - {""}) or None,
        "source_code_url": _url(entry.get("source_code"), f"{label} : code source", report),
        "product_url": _product_url(entry, label, report),
    }
    website = _url(entry.get("administration_website"), f"{admin_name} : site", report)
    return PlannedChallenge(
        key,
        label,
        _text(entry.get("year")),
        _link(entry.get("link_to")),
        promotion,
        (slugify(admin_name)[:200], admin_name[:200], website),
        values,
        [_text(s) for s in _as_list(entry.get("skills")) if _text(s)],
        _figures(entry.get("key_figures"), label, report),
        eigs,
        [_text(n) for n in _as_list(entry.get("mentors")) if _text(n)],
    )


def _product_url(entry, label, report):
    projects = [_as_dict(p).get("url") for p in _as_list(entry.get("projects"))]
    for candidate in [entry.get("website"), *projects]:
        url = _url(candidate, f"{label} : produit", report)
        if url:
            return url
    return ""


def _link(link_to):
    match = _LINK.search(_text(link_to))
    return (match.group(1), match.group(2)) if match else None


def _figures(entries, label, report):
    figures = []
    for entry in _as_list(entries):
        entry = _as_dict(entry)
        amount = _amount(entry.get("amount"))
        description = _clip(_text(entry.get("description")), 300, f"{label} : chiffre", report)
        if amount is None or not description:
            report.note("Chiffres clés ignorés", f"{label} : {entry.get('amount')!r}")
            continue
        figures.append((amount, description))
    return figures


def attach_texts(plans, texts, report):
    """Give each challenge the Markdown body of its page: by link first, then by title."""
    by_link = {text.link: text for text in texts if text.link}
    by_title = defaultdict(list)
    for text in texts:
        by_title[title_key(text.title)].append(text)
    used = set()
    for plan in plans:
        text = by_link.get(plan.link)
        if text is None or text.name in used:
            text = _text_by_title(plan, by_title, used)
        if text is None:
            report.note("Défis sans fichier texte", plan.label)
            continue
        used.add(text.name)
        plan.values["body_markdown"] = text.body
    for text in texts:
        if text.name not in used:
            report.note("Fichiers texte sans défi", text.name)


def _text_by_title(plan, by_title, used):
    candidates = [
        t
        for k in {title_key(plan.values["title"]), title_key(plan.key)}
        for t in by_title.get(k, [])
        if t.name not in used
    ]
    # "EIG Link" exists every year: the file's year tells them apart.
    same_year = [t for t in candidates if t.link and t.link[0] == plan.year]
    if len(same_year) == 1:
        return same_year[0]
    return candidates[0] if len(candidates) == 1 else None


def assign_slugs(plans, existing):
    """Slugs unique within a promotion, stable from one run to the next."""
    taken = defaultdict(dict)
    for pk, promotion_id, slug in Challenge.objects.values_list("pk", "promotion_id", "slug"):
        taken[promotion_id][slug] = pk
    for plan in plans:
        own = existing.get(plan.key)
        promotion_id = plan.promotion.pk
        base = slugify(plan.values["title"])[:190] or slugify(plan.key)[:190] or "defi"
        if (
            own
            and own.promotion_id == promotion_id
            and re.fullmatch(rf"{re.escape(base)}(-\d+)?", own.slug)
        ):
            slug = own.slug  # keep a suffix given by an earlier run
        else:
            slug, n = base, 2
            while taken[promotion_id].get(slug, plan.key) not in (plan.key, own and own.pk):
                slug, n = f"{base}-{n}", n + 1
        taken[promotion_id][slug] = own.pk if own else plan.key
        plan.values["slug"] = slug


def import_administrations(plans, report):
    """Get or create by name; names differing only by case or punctuation share a slug."""
    found = {}
    for plan in plans:
        slug, name, website = plan.administration
        if slug in found:
            found[slug][2] = found[slug][2] or website
        else:
            found[slug] = [slug, name, website]
    rows = list(Administration.objects.all())
    # A name staff merged into another administration is that administration's.
    merged = merged_names()
    by_name = {**merged, **{a.name: a for a in rows}}
    by_slug = {**merged, **{a.slug: a for a in rows}}
    existing, wanted, on_create = {}, {}, {}
    for slug, name, website in found.values():
        row = by_name.get(name) or by_slug.get(slug)
        if row is not None:
            existing[slug] = row
            # Only fill a missing website: the rest is staff's to edit.
            wanted[slug] = {"website": website} if website and not row.website else {}
            continue
        wanted[slug] = {"name": name, "slug": slug, "website": website}
        ministry = normalise(name).startswith("ministere")
        on_create[slug] = {"kind": Administration.Kind.MINISTRY} if ministry else {}
    synced = challenge_services.import_administrations(
        existing=existing, wanted=wanted, on_create=on_create
    )
    report.count("Administrations", synced, feminine=True)
    return synced.rows


def drop_alias_leftovers(report):
    """A variant an earlier run created (before the alias table) is left with no
    challenge once they move to the canonical name: removed, unless someone uses it."""
    for name in challenge_services.delete_unused_administrations(names=alias_variants()):
        report.decide("Administrations variantes supprimées (sans défi ni contact)", name)


def import_challenges(source, promotions, skills, report, directory=None):
    plans = plan_challenges(source.defis, promotions, report)
    reconcile_roles(plans, directory or {}, report)
    attach_texts(plans, source.texts, report)
    existing = {c.history_key: c for c in Challenge.objects.exclude(history_key="")}
    assign_slugs(plans, existing)
    administrations = import_administrations(plans, report)
    wanted = {}
    for plan in plans:
        admin = administrations[plan.administration[0]]
        wanted[plan.key] = {**plan.values, "administration_id": admin.pk}
    synced = challenge_services.import_challenges(existing=existing, wanted=wanted)
    drop_alias_leftovers(report)
    changed = _sync_skills(plans, synced.rows, skills, report)
    figures, changed_figures = _sync_key_figures(plans, synced.rows)
    report.count("Défis", synced, updated=changed | changed_figures)
    report.tallies["Chiffres clés"] = figures
    for plan in plans:
        report.promotions[plan.promotion.code].challenges += 1
    return plans, synced.rows


def _sync_skills(plans, rows, skills, report):
    through = Challenge.skills.through
    current = defaultdict(set)
    pairs = through.objects.filter(challenge_id__in=[r.pk for r in rows.values()])
    for challenge_id, skill_id in pairs.values_list("challenge_id", "skill_id"):
        current[challenge_id].add(skill_id)
    changed, added, removed = set(), [], {}
    for plan in plans:
        for key in plan.skills:
            if key not in skills:
                report.note("Profils inconnus", f"{plan.label} : {key}")
        challenge_id = rows[plan.key].pk
        wanted = {skills[key].pk for key in plan.skills if key in skills}
        if wanted == current[challenge_id]:
            continue
        changed.add(plan.key)
        added += [(challenge_id, skill_id) for skill_id in wanted - current[challenge_id]]
        extra = current[challenge_id] - wanted
        if extra:
            removed[challenge_id] = extra
    challenge_services.set_challenge_skills(added=added, removed=removed)
    return changed


def _sync_key_figures(plans, rows):
    """Replace a challenge's key figures only when the set differs."""
    current = defaultdict(list)
    for figure in KeyFigure.objects.filter(challenge_id__in=[r.pk for r in rows.values()]):
        current[figure.challenge_id].append(figure)
    tally = Tally()
    changed, replaced = set(), {}
    for plan in plans:
        challenge_id = rows[plan.key].pk
        have = sorted((f.position, f.amount, f.description) for f in current[challenge_id])
        want = [(i, amount, text) for i, (amount, text) in enumerate(plan.figures)]
        if have == want:
            tally.unchanged += len(want)
            continue
        changed.add(plan.key)
        tally.deleted += len(current[challenge_id])
        tally.created += len(want)
        replaced[challenge_id] = list(plan.figures)
    challenge_services.replace_key_figures(replaced)
    return tally, changed


# --- People and their roles ----------------------------------------------------------


@dataclass
class DirectoryEntry:
    """A person of personnes.yml; several spellings of one name merge into one entry."""

    name: str
    fields: dict = field(default_factory=dict)
    classes: list = field(default_factory=list)
    titles: list = field(default_factory=list)
    years: set = field(default_factory=set)
    # Each spelling's own (classes, challenge title keys, years): a role is read per record.
    records: list = field(default_factory=list)


@dataclass(frozen=True)
class Link:
    challenge: str  # history key
    person: str  # person key
    role: str  # "eig" or "mentor"
    position: int


def read_directory(people, report):
    directory = {}
    for name, raw in people.items():
        key = person_key(name)
        if not key:
            report.note("Personnes ignorées (nom vide)", repr(name))
            continue
        entry = directory.setdefault(key, DirectoryEntry(_text(name)))
        raw = _as_dict(raw)
        for column, value in _person_fields(entry.name, raw, report).items():
            entry.fields.setdefault(column, value)  # first non-empty spelling wins
        classes = [_text(c).casefold() for c in _as_list(raw.get("class"))]
        titles = [_text(t) for t in _as_list(raw.get("defis")) if _text(t)]
        years = {_text(y) for y in _as_list(raw.get("annees"))}
        entry.classes += classes
        entry.titles += titles
        entry.years |= years
        entry.records.append((set(classes), {title_key(t) for t in titles}, years))
    return directory


def _person_fields(name, raw, report):
    fields = {
        "profile": _clip(_text(raw.get("profil")), 80, f"{name} : profil", report),
        "linkedin": _url(raw.get("linkedin"), f"{name} : linkedin", report),
        "website": _url(raw.get("website"), f"{name} : site", report),
    }
    for column in ("github", "gitlab", "twitter"):
        fields[column] = _clip(_text(raw.get(column)), 100, f"{name} : {column}", report)
    # Only what the file knows: an empty field never erases what staff filled in.
    return {column: value for column, value in fields.items() if value}


DISAGREEMENTS = "Désaccords entre defis.yml et personnes.yml"
ROLE_RULE = (
    "personnes.yml l’emporte : une fiche de la personne la dit EIG (et non mentor) de ce "
    "défi, l’année du défi, "
    "et nul ne mentore le défi dont il ou elle est EIG ; être EIG puis mentor d’un autre "
    "défi, une autre année, reste possible"
)


def reconcile_roles(plans, directory, report):
    """A challenge's mentor whom personnes.yml says was an EIG of that very challenge is an EIG."""
    for plan in plans:
        for name in list(plan.mentors):
            entry = directory.get(person_key(name))
            if entry is None or not _was_eig_of(entry, plan):
                continue
            plan.mentors.remove(name)
            if person_key(name) not in {person_key(n) for n in plan.eigs}:
                plan.eigs.append(name)
            plan.values["team_size"] = len({person_key(n) for n in plan.eigs} - {""}) or None
            report.decide(
                DISAGREEMENTS,
                f"{name}, {plan.label} : mentor selon defis.yml, EIG selon personnes.yml "
                f"→ EIG ({ROLE_RULE})",
            )


def _was_eig_of(entry, plan):
    """One record of the person says so without doubt: class « eig » and not « mentor »,
    this challenge among its challenges, the challenge's year among its years."""
    keys = {title_key(plan.values["title"]), title_key(plan.key)}
    return any(
        "eig" in classes and "mentor" not in classes and plan.year in years and keys & titles
        for classes, titles, years in entry.records
    )


def plan_links(plans, directory, report):
    """Who is EIG or mentor of which challenge, and each person's display name."""
    links, names = [], {}
    for plan in plans:
        for role, people in (("eig", plan.eigs), ("mentor", plan.mentors)):
            for position, name in enumerate(people):
                key = person_key(name)
                if not key:
                    report.note("Noms inutilisables", f"{plan.label} : {name!r}")
                    continue
                if key not in names and key not in directory:
                    report.note("Noms absents de personnes.yml", f"{name} ({plan.label})")
                names.setdefault(key, directory[key].name if key in directory else name)
                links.append(Link(plan.key, key, role, position))
    links += _link_unlisted(plans, directory, names, report)
    return links, names


def _link_unlisted(plans, directory, names, report):
    """People of personnes.yml named in no defis.yml list: kept if a challenge of theirs matches."""
    index = defaultdict(list)
    for plan in plans:
        for key in {title_key(plan.values["title"]), title_key(plan.key)}:
            index[key].append(plan)
    links = []
    for key, entry in directory.items():
        if key in names:
            continue
        role = "mentor" if any("mentor" in c for c in entry.classes) else "eig"
        found = [_find_plan(title, entry, index, report) for title in entry.titles]
        found = [plan for plan in found if plan is not None]
        if not found:
            report.note("Personnes de personnes.yml sans défi rapproché (non créées)", entry.name)
            continue
        names[key] = entry.name
        for plan in found:
            position = len(plan.eigs if role == "eig" else plan.mentors)
            links.append(Link(plan.key, key, role, position))
    return links


def _find_plan(title, entry, index, report):
    candidates = index.get(title_key(title), [])
    reason = "ambigu" if candidates else "introuvable"
    if len(candidates) > 1:
        # Same title several years ("EIG Link"): the person's years tell which one.
        candidates = [plan for plan in candidates if plan.year in entry.years]
    if len(candidates) == 1:
        return candidates[0]
    report.note("Défis de personnes.yml non rapprochés", f"{entry.name} : {title} ({reason})")
    return None


def import_people(plans, challenges, directory, report):
    links, names = plan_links(plans, directory, report)
    wanted = {}
    for key, name in names.items():
        entry = directory.get(key)
        full_name = _clip(_text(name), 150, name, report)
        wanted[key] = {"slug": key, "full_name": full_name, **(entry.fields if entry else {})}
    existing = {p.slug: p for p in Person.objects.filter(slug__in=list(wanted))}
    people = sync_rows(Person, existing, wanted)
    report.count("Personnes", people, feminine=True)
    _import_roles(links, challenges, people.rows, report)
    _count_per_promotion(links, plans, report)


def _import_roles(links, challenges, people, report):
    existing = {t.challenge_id: t for t in Team.objects.filter(challenge__in=challenges.values())}
    wanted = {c.pk: {"challenge_id": c.pk} for c in challenges.values()}
    teams = sync_rows(Team, existing, wanted)
    report.count("Équipes", teams, feminine=True)
    team_of = {challenge_id: team.pk for challenge_id, team in teams.rows.items()}
    members, mentors = {}, {}
    for link in links:
        challenge_id, person_id = challenges[link.challenge].pk, people[link.person].pk
        if link.role == "eig":
            values = {"team_id": team_of[challenge_id], "person_id": person_id}
            members.setdefault(tuple(values.values()), {**values, "position": link.position})
        else:
            values = {"challenge_id": challenge_id, "person_id": person_id}
            mentors.setdefault(tuple(values.values()), {**values, "position": link.position})
    have = TeamMember.objects.filter(team_id__in=team_of.values())
    have = {(m.team_id, m.person_id): m for m in have}
    report.count("EIG des équipes", sync_rows(TeamMember, have, members))
    have = ChallengeMentor.objects.filter(challenge_id__in=team_of.keys())
    have = {(m.challenge_id, m.person_id): m for m in have}
    _drop_mentors_who_were_eigs(have, members, report)
    # The history does not say which kind of mentor: set on creation, staff may refine it.
    unspecified = {key: {"kind": ChallengeMentor.Kind.UNSPECIFIED} for key in mentors}
    mentors = challenge_services.import_challenge_mentors(
        existing=have, wanted=mentors, on_create=unspecified
    )
    report.count("Mentors des défis", mentors)


def _drop_mentors_who_were_eigs(have, members, report):
    """An earlier run may have made a mentor of the challenge's own EIG: undone."""
    team_challenge = dict(
        Team.objects.filter(pk__in={m["team_id"] for m in members.values()}).values_list(
            "pk", "challenge_id"
        )
    )
    eig_pairs = {(team_challenge[m["team_id"]], m["person_id"]) for m in members.values()}
    wrong = [have.pop(pair).pk for pair in list(have) if pair in eig_pairs]
    if wrong:
        challenge_services.remove_challenge_mentors(ids=wrong)
        report.decide(DISAGREEMENTS, f"{len(wrong)} mentor(s) d’un import précédent retiré(s)")


def _count_per_promotion(links, plans, report):
    promotion_of = {plan.key: plan.promotion.code for plan in plans}
    people = defaultdict(set)
    for link in links:
        people[(promotion_of[link.challenge], link.role)].add(link.person)
    for code, count in report.promotions.items():
        count.eigs = len(people[(code, "eig")])
        count.mentors = len(people[(code, "mentor")])


# --- Entry point --------------------------------------------------------------------


def import_history(*, folder: Path) -> ImportReport:
    report = ImportReport()
    source = read_source(folder, report)
    with transaction.atomic():
        promotions = import_promotions(source.promos, report)
        skills = import_skills(source.skills, report)
        directory = read_directory(source.people, report)
        plans, challenges = import_challenges(source, promotions, skills, report, directory)
        import_people(plans, challenges, directory, report)
        import_faq(source.faqs, report)
        public_cache.stale()  # written in bulk: no save signal tells the public pages
    return report

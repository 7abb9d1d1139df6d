"""The programme's figures counted straight from the record (../shared/data/eig-history),
without the importer: this module reads the YAML files itself. The only input it shares
with the importer is the reviewed alias table of administrations.

Where the record and the platform's choices differ, the rule is named here:
- ALIASES: an administration written several ways is one administration, as the
  reviewed table `cohorts/data/administration_aliases.yml` says.
- EIG_NOT_MENTOR: defis.yml lists a person as mentor of a challenge while one record
  of theirs in personnes.yml says they were an EIG (class "eig", not "mentor") of that
  very challenge, in its year: they were its EIG. Nobody mentors their own challenge.
- UNLISTED: a person of personnes.yml named in no defis.yml list still counts when a
  challenge of their record is found by title (the year tells "EIG Link" apart); their
  class says EIG or mentor.
"""

import re
import unicodedata
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

import yaml
from django.conf import settings

ALIAS_TABLE = Path(settings.BASE_DIR) / "cohorts" / "data" / "administration_aliases.yml"
INDICATORS = ("challenges", "administrations", "eigs", "mentors", "open_source")


def key(text):
    """A name or title without accents, case, punctuation or spacing differences."""
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def is_web_address(url):
    parts = urlparse(str(url or "").strip())
    return parts.scheme in ("http", "https") and "." in parts.netloc


def load(folder, name):
    return yaml.safe_load((Path(folder) / name).read_text(encoding="utf-8"))


def alias_table():
    table = yaml.safe_load(ALIAS_TABLE.read_text(encoding="utf-8"))
    return {key(variant): entry["name"] for entry in table for variant in entry["variants"]}


def administration(name, aliases):
    """ALIASES: the canonical name, compared without case or punctuation."""
    return key(aliases.get(key(name), name))


def person_records(people):
    """{person key: [(classes, challenge title keys, years)]}, one tuple per spelling."""
    records = defaultdict(list)
    for name, raw in people.items():
        raw = raw or {}
        records[key(name)].append(
            (
                set(raw.get("class") or []),
                {key(t) for t in raw.get("defis") or []},
                {str(y) for y in raw.get("annees") or []},
            )
        )
    return records


def eig_of(records, title_keys, year):
    """EIG_NOT_MENTOR: one record says EIG (and not mentor) of this challenge, this year."""
    return any(
        "eig" in classes and "mentor" not in classes and year in years and titles & title_keys
        for classes, titles, years in records
    )


def roles(defis, people):
    """{challenge key: {"eigs": set, "mentors": set}} as the record, read with the rules."""
    records = person_records(people)
    found = {}
    for name, entry in defis.items():
        titles = {key(entry.get("title") or name), key(name)}
        year = str(entry.get("year"))
        eigs = {key(n) for n in entry.get("eigs") or []}
        mentors = set()
        for mentor in entry.get("mentors") or []:
            if eig_of(records.get(key(mentor), []), titles, year):
                eigs.add(key(mentor))
            else:
                mentors.add(key(mentor))
        found[name] = {"eigs": eigs, "mentors": mentors}
    _add_unlisted(defis, people, found)
    return found


def _add_unlisted(defis, people, found):
    """UNLISTED: people named in no list, found through a challenge of their record."""
    named = {p for r in found.values() for p in r["eigs"] | r["mentors"]}
    by_title = defaultdict(list)
    for name, entry in defis.items():
        for title in {key(entry.get("title") or name), key(name)}:
            by_title[title].append(name)
    merged = defaultdict(lambda: {"classes": [], "titles": [], "years": set()})
    for name, raw in people.items():
        raw = raw or {}
        person = merged[key(name)]
        person["classes"] += list(raw.get("class") or [])
        person["titles"] += list(raw.get("defis") or [])
        person["years"] |= {str(y) for y in raw.get("annees") or []}
    for person_key, person in merged.items():
        if person_key in named:
            continue
        role = "mentors" if any("mentor" in c for c in person["classes"]) else "eigs"
        for title in person["titles"]:
            candidates = by_title.get(key(title), [])
            if len(candidates) > 1:
                candidates = [c for c in candidates if str(defis[c].get("year")) in person["years"]]
            if len(candidates) == 1:
                found[candidates[0]][role].add(person_key)


def count_the_record(folder):
    """{promotion code or "*": {indicator: count}} from the YAML files alone."""
    defis, people = load(folder, "defis.yml"), load(folder, "personnes.yml")
    aliases = alias_table()
    people_of = roles(defis, people)
    buckets = defaultdict(lambda: defaultdict(set))
    for name, entry in defis.items():
        code = str(entry["promotion"]).casefold()
        for bucket in (buckets[code], buckets["*"]):
            bucket["challenges"].add(name)
            bucket["administrations"].add(administration(entry["administration"], aliases))
            bucket["eigs"] |= people_of[name]["eigs"]
            bucket["mentors"] |= people_of[name]["mentors"]
            if is_web_address(entry.get("source_code")):
                bucket["open_source"].add(name)
    return {
        code: {indicator: len(bucket[indicator]) for indicator in INDICATORS}
        for code, bucket in buckets.items()
    }


def promotion_names(folder):
    """{promotion code: name} from promos.yml."""
    return {str(e["promotion"]).casefold(): name for name, e in load(folder, "promos.yml").items()}

"""Two names of one administration: told apart from two administrations before a
person registers a copy of one that exists.

The history itself writes one body several ways (case, accents, punctuation, with or
without its acronym, its ministry before it). A name is compared with every registered
administration under those variations, with the names staff merged away, and with the
reviewed alias table of the importer (which the history's stage registers here).
"""

import re
import unicodedata

from challenges.models import Administration, AdministrationMerge

# Words that carry no identity: left out of initials and of the comparison of cores.
_SMALL_WORDS = {
    "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les",
    "of", "the", "and", "pour", "sur",
}  # fmt: skip
_ACRONYM = re.compile(r"\b[A-ZÉÈ][A-ZÉÈ0-9&]{1,9}\b")
_PARENTHESES = re.compile(r"\(([^)]*)\)")

# Callables giving (variant, canonical name) pairs: the stages that know name variants
# (the history importer's alias table) register them at start-up.
_ALIAS_SOURCES = []


def register_aliases(source):
    if source not in _ALIAS_SOURCES:
        _ALIAS_SOURCES.append(source)


def name_key(name):
    """Lower case, no accents, no punctuation, single spaces: "Cour de Cassation," and
    "cour de cassation" are one key."""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def acronyms(name):
    """The acronyms a name carries: "(DINUM)", "DGGN", a name that is only an acronym."""
    shouted = str(name).isupper() and len(str(name).split()) > 1  # every word in capitals
    found = set() if shouted else {match.casefold() for match in _ACRONYM.findall(str(name))}
    for inside in _PARENTHESES.findall(str(name)):
        words = inside.split()
        if len(words) == 1 and len(words[0]) >= 2:
            found.add(name_key(words[0]).replace(" ", ""))
    key = name_key(name)
    if key and " " not in key and len(key) <= 10 and str(name).strip().isupper():
        found.add(key)
    return found


def _core_words(name):
    """The key's words without the acronyms and the small words."""
    own = acronyms(name)
    return [w for w in name_key(_PARENTHESES.sub(" ", str(name))).split() if w not in own]


def _initials(words):
    significant = [w for w in words if w not in _SMALL_WORDS]
    return "".join(w[0] for w in significant) if len(significant) >= 3 else ""


def _contains(longer, shorter):
    """Whole words of `shorter` (three at least) appear in order inside `longer`."""
    if len(shorter) < 3 or len(shorter) > len(longer):
        return False
    return f" {' '.join(shorter)} " in f" {' '.join(longer)} "


def same_body(typed, existing):
    """Whether two names may well name one administration."""
    if name_key(typed) == name_key(existing):
        return True
    typed_core, existing_core = _core_words(typed), _core_words(existing)
    if typed_core and typed_core == existing_core:
        return True
    typed_acronyms, existing_acronyms = acronyms(typed), acronyms(existing)
    if typed_acronyms & existing_acronyms:
        return True
    if _initials(typed_core) in existing_acronyms or _initials(existing_core) in typed_acronyms:
        return True
    return _contains(typed_core, existing_core) or _contains(existing_core, typed_core)


def _aliases():
    table = {}
    for source in _ALIAS_SOURCES:
        for variant, canonical in source():
            table[name_key(variant)] = canonical
    return table


def similar_administrations(name):
    """The registered administrations that `name` may well designate, best first."""
    if not name_key(name):
        return []
    administrations = list(Administration.objects.only("pk", "name", "slug", "kind"))
    by_key = {name_key(a.name): a for a in administrations}
    found = {}
    canonical = _aliases().get(name_key(name))
    if canonical and (known := by_key.get(name_key(canonical))):
        found[known.pk] = known
    for merge in AdministrationMerge.objects.select_related("kept"):
        if name_key(merge.merged_name) == name_key(name):
            found.setdefault(merge.kept_id, merge.kept)
    for administration in administrations:
        if same_body(name, administration.name):
            found.setdefault(administration.pk, administration)
    return list(found.values())

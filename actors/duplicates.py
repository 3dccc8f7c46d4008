"""Find organisations that are probably the one an advisor is about to enter again.

Names are compared after normalising: case, umlauts written either way
(ä/ae, ö/oe, ü/ue, ß/ss), punctuation and legal-form suffixes such as "e. V."
or "gGmbH" do not count. Names that are then equal, have the same words in another order, differ
only by the town's name, or by a typo, are likely duplicates.
"""

import re
import unicodedata

from .models import Organisation

UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}
# Legal forms and their spellings, as words after punctuation is gone.
LEGAL_FORMS = {
    "ev",
    "e v",
    "eingetragener verein",
    "ggmbh",
    "gmbh",
    "gug",
    "ug",
    "haftungsbeschraenkt",
    "ag",
    "eg",
    "kdoer",
    "stiftung buergerlichen rechts",
}


def normalize_name(name: str) -> str:
    text = name.casefold()
    for umlaut, spelled in UMLAUTS.items():
        text = text.replace(umlaut, spelled)
    # Other accents (é, ç, ñ …) compare as their base letter.
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    changed = True
    while changed:  # "… e. V. (gGmbH)" has two suffixes
        changed = False
        for form in sorted(LEGAL_FORMS, key=len, reverse=True):
            if text.endswith(" " + form):
                text = text[: -len(form) - 1].strip()
                changed = True
    return re.sub(r"\s+", " ", text)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _key(name: str, town: str = "") -> str:
    """The normalised name without the town's name, which many names add or leave out."""
    words = normalize_name(name).split()
    town_words = set(normalize_name(town).split()) if town else set()
    kept = [w for w in words if w not in town_words]
    return " ".join(kept or words)


def keys_match(left: str, right: str) -> bool:
    if not left or not right:
        return False
    if left == right or sorted(left.split()) == sorted(right.split()):
        return True
    allowed = min(len(left), len(right)) // 12  # a typo: about one wrong letter in twelve
    return abs(len(left) - len(right)) <= allowed and edit_distance(left, right) <= allowed


def names_match(a: str, b: str, town: str = "") -> bool:
    return keys_match(_key(a, town), _key(b, town))


def likely_duplicates(name: str, municipality, *, limit: int = 5) -> list[Organisation]:
    """Organisations in the same town whose names match `name`, closest first."""
    town = municipality.name
    key = _key(name, town)
    if not key:
        return []
    found = []
    for organisation in Organisation.objects.filter(municipality=municipality).only(
        "pk", "name", "slug", "kind", "municipality_id"
    ):
        other = _key(organisation.name, town)
        if keys_match(key, other):
            found.append((edit_distance(key, other), organisation.name, organisation))
    found.sort(key=lambda item: item[:2])
    return [organisation for _distance, _name, organisation in found[:limit]]

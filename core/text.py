"""Text as people type it, made comparable: names of organisations and search words.

Both are lower case with umlauts spelled out (ä → ae …), other accents dropped
and punctuation gone, so "Türkisch" and "Tuerkisch" compare equal. Names also
lose their legal form ("e. V.", "gGmbH"), which people add or leave out.
"""

import re
import unicodedata

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


def normalize_text(text: str | None) -> str:
    """Lower case, umlauts spelled out, accents and punctuation gone; words kept."""
    text = (text or "").casefold()
    for umlaut, spelled in UMLAUTS.items():
        text = text.replace(umlaut, spelled)
    # Other accents (é, ç, ñ …) compare as their base letter.
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def normalize_name(name: str) -> str:
    """Like normalize_text, and the legal form at the end goes too."""
    text = normalize_text(name)
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


def name_key(name: str, town: str = "") -> str:
    """The normalised name without the town's name, which many names add or leave out."""
    words = normalize_name(name).split()
    town_words = set(normalize_name(town).split()) if town else set()
    kept = [w for w in words if w not in town_words]
    return " ".join(kept or words)


def keys_match(left: str, right: str) -> bool:
    """Equal, the same words in another order, or a typo apart."""
    if not left or not right:
        return False
    if left == right or sorted(left.split()) == sorted(right.split()):
        return True
    allowed = min(len(left), len(right)) // 12  # a typo: about one wrong letter in twelve
    return abs(len(left) - len(right)) <= allowed and edit_distance(left, right) <= allowed


def names_match(a: str, b: str, town: str = "") -> bool:
    return keys_match(name_key(a, town), name_key(b, town))

"""Normalization of names and short text cells as units type them into rosters."""

import re
import unicodedata

# Separators people type inside minority names (迪丽热巴·迪力木拉提); all become U+00B7.
_NAME_DOTS = "·•‧・．･∙⋅"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"\s+")
_LATIN = re.compile(r"[A-Za-z]")


def clean_text(value: object) -> str:
    """A cell as trimmed text: full-width and non-breaking spaces count as spaces."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


def normalize_name(value: object) -> str:
    """A person's or unit's name: padding spaces removed, middle dots unified.

    Two-character names are often padded to three columns (王　芳); Chinese text never
    carries meaningful spaces, so they all go. Names in Latin letters keep single spaces.
    """
    text = clean_text(value)
    for dot in _NAME_DOTS:
        text = text.replace(dot, "·")
    if _LATIN.search(text):
        return text
    return text.replace(" ", "")


def normalize_header(value: object) -> str:
    """A column header reduced to its words: no spaces, asterisks, colons or (hints)."""
    text = clean_text(value)
    text = re.sub(r"[（(].*?[）)]", "", text)
    return re.sub(r"[\s*＊:：]", "", text)

"""Normalising names so every backend compares them alike.

SQLite's lower()/LIKE fold ASCII only and FTS5 folds neither ё nor е, so the archive stores
keys normalised here in Python: NFC, casefold, ё→е, Latin look-alike letters inside Cyrillic
words mapped back to Cyrillic (the Moscow list prints `Hиколай` with a Latin H)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Latin letters that look like Cyrillic ones; only replaced inside words that are mostly
# Cyrillic, so a genuinely Latin name is left alone.
_LOOKALIKE = str.maketrans(
    {
        "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м",
        "o": "о", "p": "р", "t": "т", "x": "х", "y": "у", "i": "і",
    }
)  # fmt: skip
_CYR_RE = re.compile(r"[\u0400-\u04ff]")
_LAT_RE = re.compile(r"[a-z]")
# Characters kept inside a name word: letters, hyphen, apostrophes and primes.
_WORD_SPLIT = re.compile(r"[^\w\-'ʹʺ’*]+", re.UNICODE)


def is_cyrillic(text: str) -> bool:
    """True when the word has more Cyrillic than Latin letters."""
    folded = text.casefold()
    if _LAT_RE.search(folded) is None:  # the common case: no Latin letter to count
        return _CYR_RE.search(text) is not None
    return len(_CYR_RE.findall(text)) >= len(_LAT_RE.findall(folded)) and bool(_CYR_RE.search(text))


def norm_word(word: str) -> str:
    """The comparison form of one name word (Cyrillic or Latin).

    Cyrillic: casefolded, ё→е, look-alike Latin letters fixed, і→и, soft/hard signs kept.
    Latin: casefolded NFC (diacritics kept; `fold_latin` drops them)."""
    w = unicodedata.normalize("NFC", word).casefold().strip()
    if is_cyrillic(w):
        w = w.translate(_LOOKALIKE).replace("ё", "е").replace("і", "и")
    return w


_FOLD_SPECIAL = str.maketrans(
    {"ł": "l", "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ı": "i", "ʹ": "",
     "ʺ": "", "’": "", "'": "", "`": "", "ŀ": "l"}
)  # fmt: skip


@lru_cache(maxsize=500_000)
def fold_latin(word: str) -> str:
    """Lower-case ASCII form of a Latin word: diacritics and primes dropped (č→c, ł→l)."""
    w = word.casefold().translate(_FOLD_SPECIAL)
    if w.isascii():
        return w
    w = unicodedata.normalize("NFKD", w)
    return "".join(ch for ch in w if not unicodedata.combining(ch)).translate(_FOLD_SPECIAL)


def split_words(text: str) -> list[str]:
    """Words of a name or query; hyphenated names stay one word."""
    return [w.strip("-") for w in _WORD_SPLIT.split(text) if w.strip("-")]


def has_cyrillic(text: str) -> bool:
    return bool(_CYR_RE.search(text))

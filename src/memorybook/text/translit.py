"""Romanising Russian names in the schemes people actually type.

iuliia supplies the standard schemes; German (Duden), French and Polish conventions for
Russian names are small tables here. Input is one normalised Cyrillic word (see
`normalise.norm_word`); the output is lower-case Latin with diacritics as the scheme writes
them. iuliia leaves ё as Cyrillic in several schemes and mixes case on ALL-CAPS input, so we
always pass the case-folded word, post-map ё and assert that no Cyrillic remains."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import iuliia

from memorybook.text.normalise import has_cyrillic, is_cyrillic, norm_word

_VOWELS = set("аеёиоуыэюя")
_SIGNS = set("ъь")


def _iuliia(schema: object) -> Callable[[str], str]:
    compiled: list[Callable[[str], str]] = []  # built on first use, as iuliia loads its JSON

    def run(word: str) -> str:
        if not compiled:
            compiled.append(compile_schema(schema))
        return compiled[0](word).replace("ё", "ë").replace("Ё", "ë")

    return run


def compile_schema(schema: Any) -> Callable[[str], str]:
    """An iuliia schema as lookup tables, built once: the same output as
    `schema.translate(text)` for every text, about ten times faster on a name word.

    iuliia reads a text word by word (regex word boundaries) and each word letter by letter,
    trying the (previous, current) letter pair, then (current, next), then the letter alone;
    a word of three letters or more whose last two letters have an ending rule is read as
    stem (alone) + ending. A schema without such rules is a character table: `str.translate`
    gives exactly its output on any text. A schema with rules takes the fast path for a word
    made only of the lower-case letters it maps (what `transliterate` passes: one case-folded
    word); anything else goes to iuliia itself. tests/text/test_translit_compiled.py
    compares both on every distinct word of the real names."""
    schema.translate("")  # iuliia's file schemas load their tables on first use
    rules = getattr(schema, "_schema", schema)  # the loaded TranslitSchema
    if not all(hasattr(rules, a) for a in ("map", "prev_map", "next_map", "ending_map")):
        return schema.translate  # another iuliia: no tables
    mapping: dict[str, str] = dict(rules.map)
    prev_map: dict[str, str] = dict(rules.prev_map)
    next_map: dict[str, str] = dict(rules.next_map)
    ending_map: dict[str, str] = dict(rules.ending_map)
    if any(len(k) != 1 for k in mapping):  # not a letter table: no fast path
        return schema.translate
    if not prev_map and not next_map and not ending_map:
        table = str.maketrans(mapping)
        return lambda text: text.translate(table)
    # Lower-case letters only: the rules whose keys are all lower case are the ones a
    # lower-case word can meet (iuliia adds capitalised and upper-case copies of each rule).
    letters = frozenset(k for k in mapping if k.islower() and re.fullmatch(r"\w", k))
    lower = {k: v for k, v in mapping.items() if k in letters}
    prev_l = {k: v for k, v in prev_map.items() if k.islower()}
    next_l = {k: v for k, v in next_map.items() if k.islower()}
    end_l = {k: v for k, v in ending_map.items() if k.islower()}
    # Letters a rule may change: the last of a (previous, current) key, the first of a
    # (current, next) key.
    ruled = frozenset(k[-1] for k in prev_l) | frozenset(k[0] for k in next_l)
    fallback = schema.translate

    def letters_of(stem: str) -> str:
        out = [lower[c] for c in stem]
        last = len(stem) - 1
        for i, c in enumerate(stem):
            if c in ruled:
                hit = prev_l.get((stem[i - 1] if i else "") + c)
                if hit is None:
                    hit = next_l.get(c + (stem[i + 1] if i < last else ""))
                if hit is not None:
                    out[i] = hit
        return "".join(out)

    def run(text: str) -> str:
        if not text or not letters.issuperset(text):
            return fallback(text)
        if len(text) > 2:
            ending = end_l.get(text[-2:])
            if ending:  # iuliia: an empty ending translation reads the word whole
                return letters_of(text[:-2]) + ending
        return letters_of(text)

    return run


def _table(
    base: dict[str, str],
    iotated: dict[str, str],
    endings: tuple[tuple[str, str], ...],
    after_sibilant: dict[str, str] | None = None,
) -> Callable[[str], str]:
    """A context-light scheme: `iotated` forms apply at the start, after a vowel or a sign."""
    sib = after_sibilant or {}

    def run(word: str) -> str:
        stem, tail = word, ""
        for cyr, lat in endings:
            if word.endswith(cyr) and len(word) > len(cyr) + 1:
                stem, tail = word[: -len(cyr)], lat
                break
        out: list[str] = []
        prev = ""
        for ch in stem:
            if ch in iotated and (not prev or prev in _VOWELS or prev in _SIGNS or prev == "-"):
                out.append(iotated[ch])
            elif ch in sib and (prev in "жчшщц" or (prev == "\x00" and ch == "е")):
                out.append(sib[ch])
            else:
                out.append(base.get(ch, ch))
            prev = ch
        return "".join(out) + tail

    return run


_GERMAN = _table(
    {
        "а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "sch",
        "з": "s", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z",
        "ч": "tsch", "ш": "sch", "щ": "schtsch", "ъ": "", "ы": "y", "ь": "", "э": "e",
        "ю": "ju", "я": "ja", "-": "-",
    },
    {"е": "je", "ё": "jo", "ю": "ju", "я": "ja"},
    (("ский", "ski"), ("цкий", "zki"), ("ской", "skoi"), ("ий", "i"), ("ый", "y")),
    {"ё": "o"},
)  # fmt: skip
_FRENCH = _table(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "io", "ж": "j",
        "з": "z", "и": "i", "й": "ï", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "ou", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "tch", "ш": "ch", "щ": "chtch", "ъ": "", "ы": "y", "ь": "", "э": "e",
        "ю": "iou", "я": "ia", "-": "-",
    },
    {"е": "ie", "ё": "io"},
    (("ский", "ski"), ("цкий", "tski"), ("ий", "i"), ("ый", "y")),
)  # fmt: skip
_POLISH_BASE = {
    "а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "е": "ie", "ё": "io", "ж": "ż",
    "з": "z", "и": "i", "й": "j", "к": "k", "л": "ł", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "c",
    "ч": "cz", "ш": "sz", "щ": "szcz", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia", "-": "-",
}  # fmt: skip
_POLISH_TABLE = _table(
    _POLISH_BASE,
    {"е": "je", "ё": "jo", "ю": "ju", "я": "ja"},
    (("ский", "ski"), ("цкий", "cki"), ("ская", "ska"), ("цкая", "cka"), ("ий", "ij")),
    {"е": "e", "и": "y", "ё": "o"},
)


def _polish(word: str) -> str:
    # л is ł except before the soft vowels and ь, where Polish writes l.
    chars = list(word)
    soft = set("еёиюяь")
    fixed = "".join(
        "\x00" if c == "л" and i + 1 < len(chars) and chars[i + 1] in soft else c
        for i, c in enumerate(chars)
    )
    return _POLISH_TABLE(fixed).replace("\x00", "l")


# name -> (label used in `why`, function)
SCHEMES: dict[str, tuple[str, Callable[[str], str]]] = {
    "popular": ("popular English", _iuliia(iuliia.WIKIPEDIA)),
    "bgn": ("BGN/PCGN", _iuliia(iuliia.BGN_PCGN)),
    "iso9": ("ISO 9 / GOST 7.79", _iuliia(iuliia.GOST_779)),
    "lc": ("Library of Congress", _iuliia(iuliia.ALA_LC)),
    "scholarly": ("scholarly", _iuliia(iuliia.SCIENTIFIC)),
    "passport": ("passport (ICAO)", _iuliia(iuliia.ICAO_DOC_9303)),
    "german": ("German (Duden)", _GERMAN),
    "french": ("French", _FRENCH),
    "polish": ("Polish", _polish),
}
SCHEME_NAMES: tuple[str, ...] = tuple(SCHEMES)


@lru_cache(maxsize=200_000)
def transliterate(word: str, scheme: str) -> str:
    """One Cyrillic word (already case-folded) in one scheme; raises if Cyrillic remains."""
    out = SCHEMES[scheme][1](word.casefold())
    if has_cyrillic(out):
        raise ValueError(f"transliteration {scheme} left Cyrillic in {out!r}")
    return out


def all_schemes(word: str) -> dict[str, str]:
    return {name: transliterate(word, name) for name in SCHEME_NAMES}


# A run of letters that is a word of a printed name (Latin look-alikes inside it included).
_NAME_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def romanise(text: str, scheme: str = "popular") -> str:
    """A printed Cyrillic text (a name) in Latin letters, word by word, keeping its case,
    spaces and punctuation: "Милевский Сигизмунд Иосифович" -> "Milevsky Sigizmund
    Iosifovich" in the popular English scheme. Words without Cyrillic stay as printed."""

    def one(m: re.Match[str]) -> str:
        word = m.group(0)
        if not is_cyrillic(word):
            return word
        # the comparison form fixes look-alike Latin letters (`Hиколай`); it folds ё to е,
        # so ё is put back where the print has it
        folded = "".join(
            "ё" if orig in "ёЁ" else new for orig, new in zip(word, norm_word(word), strict=False)
        )
        latin = transliterate(folded, scheme)
        if len(word) > 1 and word.isupper():
            return latin.upper()
        return latin[:1].upper() + latin[1:] if word[:1].isupper() else latin

    return _NAME_WORD.sub(one, text)

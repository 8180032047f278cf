"""Reading a query: name words, initials, prefixes; the keys of each word."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from memorybook.search.keys import DM_SCHEMES
from memorybook.search.names import groups_of, patronymic_stem
from memorybook.text.dm_soundex import dm_codes
from memorybook.text.normalise import fold_latin, is_cyrillic, norm_word
from memorybook.text.skeleton import cyr_skeleton, latin_skeletons, masculine
from memorybook.text.translit import transliterate

_INITIALS = re.compile(r"^(?:[^\W\d_]{1,4}\.)+[^\W\d_]?$")
_SPLIT = re.compile(r"[\s,;]+")
_STRIP = re.compile(r"[^\w\-*'ʹʺ’.]", re.UNICODE)

# What a Latin initial can stand for (first Cyrillic letter of the name).
_LATIN_INITIAL: dict[str, str] = {
    "a": "а", "b": "б", "v": "в", "w": "в", "g": "гх", "h": "гх", "d": "д", "e": "еэ",
    "ye": "е", "je": "е", "yo": "е", "jo": "е", "zh": "ж", "z": "зж", "i": "ии", "y": "юяеий",
    "j": "йяюеиж", "k": "кх", "kh": "х", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п",
    "r": "р", "s": "сшщ", "sh": "ш", "sz": "ш", "sch": "шщ", "shch": "щ", "t": "тц",
    "ts": "ц", "tz": "ц", "c": "цчк", "ch": "чх", "cz": "ч", "u": "у", "f": "ф",
    "ph": "ф", "x": "х", "yu": "ю", "ju": "ю", "iu": "ю", "ya": "я", "ja": "я", "ia": "я",
    "ė": "е", "é": "е", "ö": "е", "ü": "ю",
    "č": "ч", "š": "ш", "ž": "ж", "ŝ": "щ", "â": "я", "û": "ю", "ë": "е",
}  # fmt: skip


@dataclass(slots=True)
class Word:
    raw: str
    norm: str
    cyrillic: bool
    prefix: bool
    fold: str  # folded Latin form ("" for Cyrillic words)
    skels: tuple[str, ...]
    surname_skels: tuple[str, ...]
    dm: tuple[str, ...]
    groups: tuple[tuple[int, str], ...]
    stem: str
    baltic: tuple[str, ...] = field(default_factory=tuple)  # skeletons without -s, -is …


@dataclass(slots=True)
class Query:
    text: str
    words: list[Word]
    initials: list[str]  # each a string of allowed Cyrillic first letters
    initials_typed: list[str] = field(default_factory=list)  # the same as typed ("A.")
    # The last word may still be incomplete: someone is typing (no space or comma after it).
    open_end: bool = False


@lru_cache(maxsize=4096)
def _word(raw: str) -> Word:
    prefix = raw.endswith("*")
    core = raw.rstrip("*").strip("'’.")
    norm = norm_word(core)
    cyr = is_cyrillic(norm)
    if cyr:
        skels: tuple[str, ...] = (cyr_skeleton(norm),)
        dm = tuple(
            sorted(
                {c for part in norm.split("-") if part for s in DM_SCHEMES
                 for c in dm_codes(transliterate(part, s))}
            )
        )  # fmt: skip
        fold = ""
        baltic: tuple[str, ...] = ()
    else:
        fold = fold_latin(norm)
        skels = latin_skeletons(norm)
        dm = tuple(sorted({c for part in fold.split("-") if part for c in dm_codes(part)}))
        # Baltic nominative endings the Russian form drops: Siliņš → Силин, Eduards → Эдуард,
        # Kārlis → Карл.
        stripped: list[str] = []
        for end in ("is", "us", "as", "s", "š"):
            if norm.endswith(end) and len(norm) - len(end) >= 3:
                stripped.extend(latin_skeletons(norm[: -len(end)]))
        baltic = tuple(dict.fromkeys(s for s in stripped if s not in skels))
    return Word(
        raw=raw,
        norm=norm,
        cyrillic=cyr,
        prefix=prefix,
        fold=fold,
        skels=skels,
        surname_skels=tuple(dict.fromkeys(masculine(s) for s in skels)),
        dm=dm,
        groups=groups_of(norm),
        stem=patronymic_stem(norm) if cyr else "",
        baltic=baltic,
    )


def _initial_letters(token: str) -> str:
    t = norm_word(token)
    if is_cyrillic(t):
        return t[:1].replace("ё", "е")
    t = t.casefold()
    for size in (4, 3, 2, 1):
        if t[:size] in _LATIN_INITIAL and len(t) <= max(size, 1) + 0:
            return _LATIN_INITIAL[t[:size]]
    return _LATIN_INITIAL.get(t[:2], "") or _LATIN_INITIAL.get(fold_latin(t[:1]), "")


def parse(text: str) -> Query:
    words: list[Word] = []
    initials: list[str] = []
    typed: list[str] = []
    last_is_word = False
    for raw in _SPLIT.split(text.strip()):
        tok = _STRIP.sub("", raw)
        if not tok.strip(".-*"):
            continue
        last_is_word = False
        if _INITIALS.match(tok) and not tok.endswith("*"):
            for piece in (p for p in tok.split(".") if p):
                letters = _initial_letters(piece)
                if letters:
                    initials.append(letters)
                    typed.append(f"{piece}.")
            continue
        core = tok.strip(".")
        if len(core) == 1 and core.isalpha():
            letters = _initial_letters(core)
            if letters:
                initials.append(letters)
                typed.append(tok)
            continue
        if core.strip("*-"):
            words.append(_word(core))
            last_is_word = not tok.endswith(".")
    # Someone typing: nothing (no space, comma, full stop) after the last word yet.
    open_end = last_is_word and not text[-1:].isspace() and text[-1:] not in ",;"
    return Query(text, words, initials, open_end=open_end, initials_typed=typed)

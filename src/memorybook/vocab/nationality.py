"""One normalisation of nationality words: every printed form -> one canonical key.

Books of Memory print the nationality of a person as a word in the masculine (`японец`),
the feminine (`японка`) or the plural (`японцы`), sometimes with an adjective of origin
(`польский еврей`) or an alternative in parentheses (`русский (по другим данным - немец)`).
`nationality_key` maps all of them to the canonical masculine singular (`японец`), so that
the entry parser, the search filter, the facets and the statistics count one nationality
once. The printed word itself is never replaced: records keep it as printed.

The table is data (vocab/data/nationalities.yaml, with the sources of its English labels);
a word it does not know gets no key (None): it is never guessed into another nationality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from memorybook.text.memo import short_text_memo
from memorybook.text.normalise import norm_word

__all__ = [
    "Nationality",
    "is_feminine_form",
    "is_nationality_word",
    "nationalities",
    "nationality",
    "nationality_key",
    "nationality_label",
]


@dataclass(frozen=True, slots=True)
class Nationality:
    """One nationality: its canonical key (masculine singular, Russian), every printed form,
    the Russian plural and the English labels; `identified` is False for a printed word no
    reference identifies (kept apart, shown as printed)."""

    key: str
    forms: frozenset[str]
    feminine: frozenset[str]
    ru_plural: str
    en: str
    en_plural: str
    seed: bool = False
    identified: bool = True

    def label(self, lang: str = "ru", plural: bool = False) -> str:
        if lang == "en":
            return self.en_plural if plural else self.en
        return self.ru_plural if plural else self.key


@dataclass(frozen=True, slots=True)
class _Table:
    by_key: dict[str, Nationality]
    by_form: dict[str, str]  # normalised form -> key
    feminine: frozenset[str]
    origin_adjectives: frozenset[str]


def _norm(text: str) -> str:
    """Comparison form of a nationality phrase: case-folded, ё -> е, one space."""
    return " ".join(norm_word(w) for w in text.split())


@cache
def _table() -> _Table:
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("memorybook.vocab").joinpath("data/nationalities.yaml").read_text("utf-8")
    )
    by_key: dict[str, Nationality] = {}
    by_form: dict[str, str] = {}
    feminine: set[str] = set()
    for item in raw["nationalities"]:
        key = _norm(item["key"])
        fem = {_norm(f) for f in item.get("feminine") or []}
        forms = {key, *fem, *(_norm(f) for f in item.get("plural") or [])}
        forms |= {_norm(f) for f in item.get("variants") or []}
        for form in forms:
            if by_form.setdefault(form, key) != key:
                raise ValueError(f"nationality form {form!r} belongs to two keys")
        feminine |= fem | {
            _norm(f) for f in item.get("variants") or [] if _norm(f).endswith(("ка", "ая"))
        }
        by_key[key] = Nationality(
            key,
            frozenset(forms),
            frozenset(fem),
            item["ru_plural"],
            item["en"],
            item["en_plural"],
            bool(item.get("seed", False)),
            bool(item.get("identified", True)),
        )
    adjectives = frozenset(_norm(a) for a in raw.get("origin_adjectives") or [])
    return _Table(by_key, by_form, frozenset(feminine), adjectives)


# `русский (по другим данным - немец)`, `русский (украинец)`: the remark is not the main word.
_REMARK = re.compile(r"\s*\(.*$")
_TRIM = " \t\r\n.,;:-–—"


@short_text_memo(1 << 16)
def nationality_key(printed: str | None) -> str | None:
    """The canonical key of a printed nationality (`японка` -> `японец`, `польский еврей` ->
    `еврей`, `русские` -> `русский`), or None when the word is not a known nationality."""
    if not printed:
        return None
    text = printed.split("(", 1)[0].strip(_TRIM).lower().replace("ё", "е")
    if len(text.split()) > 2:
        return None  # no nationality is printed in more than two words (the parser asks often)
    t = _table()
    key = t.by_form.get(text)  # the common case: a plain lower-case form
    if key is not None:
        return key
    text = _norm(text)
    if not text:
        return None
    key = t.by_form.get(text)
    if key is not None:
        return key
    words = text.split(" ")
    if len(words) == 2 and words[0] in t.origin_adjectives:
        return t.by_form.get(words[1])
    return None


def is_nationality_word(phrase: str) -> bool:
    """Whether `phrase` (one or two words, no remark) is a printed nationality."""
    return nationality_key(phrase) is not None and "(" not in phrase


@short_text_memo(1 << 14)
def is_feminine_form(phrase: str) -> bool:
    """Whether a printed nationality is a woman's form (`японка`, `польская еврейка`): sex
    evidence for the entry parser (asked for most entries of a list: memoised)."""
    text = _norm(_REMARK.sub("", phrase).strip(_TRIM))
    if text in _table().feminine:
        return True
    words = text.split(" ")
    return (
        len(words) == 2 and words[0] in _table().origin_adjectives and words[1] in _table().feminine
    )


def nationality(key: str | None) -> Nationality | None:
    """The nationality of a canonical key (as `nationality_key` returns it)."""
    return _table().by_key.get(key) if key else None


def nationality_label(key: str | None, lang: str = "ru", plural: bool = False) -> str | None:
    """The label of a nationality key for a page in `lang` ("ru" or "en"): the canonical
    Russian word or its English name (`японец` -> "Japanese"); None for an unknown key."""
    n = nationality(key)
    return n.label(lang, plural) if n is not None else None


def nationalities() -> tuple[Nationality, ...]:
    """Every nationality of the table, in its order."""
    return tuple(_table().by_key.values())

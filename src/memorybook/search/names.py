"""Given-name equivalents (data/given_names.yaml), the pairs that must never be equivalent
(data/not_equivalent.yaml), and patronymic stems.

The tables are data, not code: a query word is looked up in them, never guessed. Every
group names its source; a match through a group is a sourced equivalence."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import numpy as np
import yaml
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from memorybook.text.normalise import fold_latin, is_cyrillic, norm_word

LANGUAGE_LABELS = {
    "ru": "Russian", "pl": "Polish", "de": "German", "lv": "Latvian", "lt": "Lithuanian",
    "et": "Estonian", "fi": "Finnish", "yi": "Yiddish/Hebrew", "en": "English",
    "fr": "French", "hu": "Hungarian", "cs": "Czech",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Equivalents:
    """The sourced table of given-name equivalents (data/given_names.yaml)."""

    # key form (Cyrillic norm or folded Latin) -> ((group id, language), ...)
    by_form: dict[str, tuple[tuple[int, str], ...]]
    # group id -> Russian forms (normalised)
    russian: tuple[tuple[str, ...], ...]
    # group id -> the group's first Russian form as printed (for `why`)
    label: tuple[str, ...]
    # group id -> where the group's forms are documented ("petrovsky Иосиф; hanks Joseph")
    source: tuple[str, ...]
    # patronymic stem -> group ids (father's names)
    by_stem: dict[str, tuple[int, ...]]
    # reference key -> full citation
    sources: dict[str, str]
    # every form of every group (for prefix matching): (key form, group id, language)
    forms: tuple[tuple[str, int, str], ...]


def _key(form: str) -> str:
    w = norm_word(form)
    return w if is_cyrillic(w) else fold_latin(w)


def _read(name: str) -> Any:
    text = resources.files("memorybook.search").joinpath(f"data/{name}").read_text("utf-8")
    return yaml.safe_load(text)


@cache
def equivalents() -> Equivalents:
    data = _read("given_names.yaml")
    by_form: dict[str, dict[tuple[int, str], None]] = {}
    russian: list[tuple[str, ...]] = []
    label: list[str] = []
    source: list[str] = []
    by_stem: dict[str, dict[int, None]] = {}
    forms: dict[tuple[str, int, str], None] = {}
    for gid, group in enumerate(data["groups"]):
        ru = tuple(dict.fromkeys(norm_word(f) for f in group["ru"]))
        russian.append(ru)
        label.append(str(group["ru"][0]))
        source.append(str(group["source"]))
        for lang, values in group.items():
            if lang == "source":
                continue
            for form in values:
                by_form.setdefault(_key(str(form)), {})[(gid, lang)] = None
                forms[(_key(str(form)), gid, str(lang))] = None
        for form in ru:
            by_stem.setdefault(given_stem(form), {})[gid] = None
    return Equivalents(
        by_form={k: tuple(v) for k, v in by_form.items()},
        russian=tuple(russian),
        label=tuple(label),
        source=tuple(source),
        by_stem={k: tuple(v) for k, v in by_stem.items()},
        sources={str(k): str(v) for k, v in data["sources"].items()},
        forms=tuple(sorted(forms)),
    )


@dataclass(frozen=True, slots=True)
class NotEquivalent:
    """A pair of given names that must never count as one name (data/not_equivalent.yaml)."""

    a: str
    b: str
    reason: str


@cache
def not_equivalent() -> tuple[NotEquivalent, ...]:
    return tuple(
        NotEquivalent(str(p["pair"][0]), str(p["pair"][1]), str(p["reason"]))
        for p in _read("not_equivalent.yaml")["pairs"]
    )


def group_prefix(text: str) -> dict[int, tuple[str, str]]:
    """Groups with a form (in any language) starting with `text` (folded Latin or normalised
    Cyrillic, at least two letters): group id -> (the first such form, its language).
    "Zyg" can only be Zygmunt, so it finds Сигизмунд."""
    key = _key(text)
    if len(key) < 2:
        return {}
    table = equivalents().forms
    out: dict[int, tuple[str, str]] = {}
    for i in range(bisect_left(table, (key, -1, "")), len(table)):
        form, gid, lang = table[i]
        if not form.startswith(key):
            break
        if gid not in out or len(form) < len(out[gid][0]):
            out[gid] = (form, lang)  # the shortest: Zygmunt rather than Žygimantas
    return out


@cache
def _form_strings() -> list[str]:
    return [form for form, _gid, _lang in equivalents().forms]


@lru_cache(maxsize=8192)
def groups_near(text: str) -> dict[int, tuple[str, str]]:
    """Groups with a form one typing error away from `text` (two for long words): the
    misspelt own-language name ("Zigmunt" for Zygmunt). group id -> (form, language).
    (The caller must not change the answer: it is memoised.)"""
    key = _key(text)
    if len(key) < 5:
        return {}
    most = 1 if len(key) < 8 else 2
    out: dict[int, tuple[str, str]] = {}
    # Distances to every form in one call (in C); only the near ones are looked at here.
    dist = process.cdist(
        [key], _form_strings(), scorer=Levenshtein.distance, score_cutoff=most, dtype=np.int32
    )[0]
    table = equivalents().forms
    for i in np.flatnonzero(dist <= most).tolist():
        form, gid, lang = table[i]
        if form != key:
            out.setdefault(gid, (form, lang))
    return out


def groups_of(word: str) -> tuple[tuple[int, str], ...]:
    """(group, language) pairs a given-name word belongs to; () when not in the table."""
    return equivalents().by_form.get(_key(word), ())


_GIVEN_END = re.compile(r"(ий|ей|ай|ой|ия|ья|ь|а|я|й)$")
# Longest first. Colloquial forms (Тимофеич, Кузьмич) and the -лев- of Яковлевич included.
_PATR_END = re.compile(
    r"(овлевич|овлевна|ьевич|ьевна|иевич|иевна|еевич|еевна|аевич|аевна|ович|овна|евич|евна"
    r"|инична|ична|еич|ич)$"
)


@lru_cache(maxsize=50_000)
def given_stem(norm: str) -> str:
    """A given name's stem as it appears inside a patronymic: Тимофей → тимоф."""
    stem = _GIVEN_END.sub("", norm)
    return stem.rstrip("ьйеи") or norm


@lru_cache(maxsize=50_000)
def patronymic_stem(norm: str) -> str:
    """The father's-name stem of a patronymic: Тимофеевич, Тимофеич → тимоф; Яковлевич → яков."""
    m = _PATR_END.search(norm)
    if not m:
        return norm
    stem = norm[: m.start()]
    if m.group(1).startswith("овлев"):
        stem += "ов"
    return stem.rstrip("ьйеи") or norm


def is_patronymic(norm: str) -> bool:
    return bool(_PATR_END.search(norm)) and len(norm) > 5

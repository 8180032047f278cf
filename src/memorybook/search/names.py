"""Given-name equivalents (data/given_names.yaml) and patronymic stems.

The table is data, not code: a query word is looked up in it, never guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import yaml

from memorybook.text.normalise import fold_latin, is_cyrillic, norm_word

LANGUAGE_LABELS = {
    "ru": "Russian", "pl": "Polish", "de": "German", "lv": "Latvian", "lt": "Lithuanian",
    "et": "Estonian", "fi": "Finnish", "yi": "Yiddish/Hebrew", "en": "English",
    "fr": "French", "hu": "Hungarian", "cs": "Czech",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Equivalents:
    # key form (Cyrillic norm or folded Latin) -> ((group id, language), ...)
    by_form: dict[str, tuple[tuple[int, str], ...]]
    # group id -> Russian forms (normalised)
    russian: tuple[tuple[str, ...], ...]
    # group id -> the group's first Russian form as printed (for `why`)
    label: tuple[str, ...]
    # patronymic stem -> group ids (father's names)
    by_stem: dict[str, tuple[int, ...]]
    sources: tuple[str, ...]


def _key(form: str) -> str:
    w = norm_word(form)
    return w if is_cyrillic(w) else fold_latin(w)


@cache
def equivalents() -> Equivalents:
    data = yaml.safe_load(
        resources.files("memorybook.search").joinpath("data/given_names.yaml").read_text("utf-8")
    )
    by_form: dict[str, dict[tuple[int, str], None]] = {}
    russian: list[tuple[str, ...]] = []
    label: list[str] = []
    by_stem: dict[str, dict[int, None]] = {}
    for gid, group in enumerate(data["groups"]):
        ru = tuple(dict.fromkeys(norm_word(f) for f in group["ru"]))
        russian.append(ru)
        label.append(str(group["ru"][0]))
        for lang, forms in group.items():
            for form in forms:
                by_form.setdefault(_key(str(form)), {})[(gid, lang)] = None
        for form in ru:
            by_stem.setdefault(given_stem(form), {})[gid] = None
    return Equivalents(
        by_form={k: tuple(v) for k, v in by_form.items()},
        russian=tuple(russian),
        label=tuple(label),
        by_stem={k: tuple(v) for k, v in by_stem.items()},
        sources=tuple(data.get("sources", ())),
    )


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

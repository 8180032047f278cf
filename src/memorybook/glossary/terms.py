"""The glossary's tables and lookups (see the package docstring)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import yaml

from memorybook.ingest.bodies import body_key
from memorybook.ingest.entry import DATE_KEYS
from memorybook.ingest.gazetteer import burial_places, match_burial_place
from memorybook.reference import load_reference
from memorybook.text.normalise import has_cyrillic
from memorybook.text.translit import romanise
from memorybook.vocab.nationality import nationality_key

DATE_FIELDS: frozenset[str] = frozenset(DATE_KEYS)


@dataclass(frozen=True, slots=True)
class Rule:
    pattern: re.Pattern[str]
    gloss: str
    group: str | None


@dataclass(frozen=True, slots=True)
class RuleTable:
    """Pattern rules over a case-folded printed text, with the sources the glosses follow."""

    rules: tuple[Rule, ...]
    sources: tuple[str, ...]

    def gloss(self, printed: str) -> str | None:
        text = printed.casefold().replace("ё", "е")
        out: list[str] = []
        groups: set[str] = set()
        for rule in self.rules:
            if rule.group in groups:
                continue
            m = rule.pattern.search(text)
            if m is None:
                continue
            words = rule.gloss.format(n=m.group(1)) if m.groups() else rule.gloss
            if words not in out:
                out.append(words)
            if rule.group:
                groups.add(rule.group)
        return "; ".join(out) or None


@cache
def table(name: str) -> RuleTable:
    """A rule table from `data/<name>.yaml` (sentences, party)."""
    text = resources.files("memorybook.glossary").joinpath(f"data/{name}.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return RuleTable(
        rules=tuple(
            Rule(re.compile(r["pattern"]), str(r["gloss"]), r.get("group")) for r in data["rules"]
        ),
        sources=tuple(" ".join(str(s).split()) for s in data.get("sources") or ()),
    )


@cache
def _nationalities() -> tuple[dict[str, str], dict[str, str], tuple[str, ...]]:
    text = (
        resources.files("memorybook.glossary")
        .joinpath("data/nationalities.yaml")
        .read_text("utf-8")
    )
    data = yaml.safe_load(text)
    words = {str(k): str(v) for k, v in data["words"].items()}
    forms = {str(k): str(v) for k, v in (data.get("forms") or {}).items()}
    return words, forms, tuple(" ".join(str(s).split()) for s in data.get("sources") or ())


def nationality_base(printed: str) -> str:
    """The masculine singular of a printed nationality word (полька, поляки -> поляк); a form
    this table lacks is brought to it by the shared vocabulary (memorybook.vocab)."""
    word = " ".join(printed.casefold().replace("ё", "е").split()).strip(" .,;")
    words, forms, _ = _nationalities()
    if word in words:
        return word
    base = forms.get(word)
    if base is not None:
        return base
    key = nationality_key(word) if " " not in word and "(" not in word else None
    return key if key is not None and key in words else word


_OTHER_SOURCES = re.compile(r"\(\s*по другим данным\s*[-–—]?\s*", re.IGNORECASE)
_WORD = re.compile(r"[А-Яа-яЁё][А-Яа-яЁё-]*")


def nationality_english(printed: str) -> str | None:
    """The English of a printed nationality: one word ("полька" -> "Polish"), or a phrase
    of them ("русский (по другим данным - еврей)" -> "Russian (other sources: Jewish)",
    "венгр (мадьяр)"); None when any word of it is unknown."""
    words = _nationalities()[0]
    one = words.get(nationality_base(printed))
    if one is not None:
        return one
    text = _OTHER_SOURCES.sub("(other sources: ", printed)
    unknown = False

    def english_word(m: re.Match[str]) -> str:
        nonlocal unknown
        found = words.get(nationality_base(m.group(0)))
        unknown = unknown or found is None
        return found or m.group(0)

    out = _WORD.sub(english_word, text)
    return None if unknown else " ".join(out.split())


def body_name(key: str | None, lang: str = "en") -> str | None:
    """A canonical sentencing body of the reference data by its key, in `lang`."""
    body = load_reference().bodies.get(key or "")
    if body is None:
        return None
    return (body.name_ru or body.name) if lang == "ru" else body.name


def burial_name(key: str | None, lang: str = "en") -> str | None:
    """A burial site of the gazetteer by its key, in `lang`."""
    place = next((p for p in burial_places() if p.key == key), None)
    if place is None:
        return None
    return place.name if lang == "ru" else place.name_en


@lru_cache(maxsize=65_536)
def english(field: str, printed: str) -> str | None:
    """The English of a printed Russian value of `field`, or None where no table knows it."""
    if not printed or not has_cyrillic(printed):
        return None
    if field in ("sentencing_body", "rehabilitating_body", "body"):
        return body_name(body_key(printed))
    if field in ("burial_place", "burial"):
        return burial_name(match_burial_place(printed, moscow=True))
    if field == "sentence":
        return table("sentences").gloss(printed)
    if field == "party":
        return table("party").gloss(printed)
    if field == "nationality":
        return nationality_english(printed)
    return None


def romanise_name(name: str) -> str | None:
    """A printed name in the popular English romanisation (the one English-language
    memorial sites and newspapers use); None for a name without Cyrillic letters."""
    if not has_cyrillic(name):
        return None
    return romanise(name, "popular")

"""Why a record matched: per name part, which rule joined the typed word to the printed name,
and on what basis. `PartMatch` is the structured form (the JSON's "match", for pages that
word it in their own language); `describe` words it in English (the JSON's "why")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from memorybook.search.match import BASIS, rule_of
from memorybook.search.names import LANGUAGE_LABELS, equivalents
from memorybook.search.query import Word
from memorybook.text.normalise import fold_latin, is_cyrillic
from memorybook.text.translit import SCHEMES, transliterate

PART_NAMES = {"s": "surname", "g": "given_name", "p": "patronymic"}
# Internal reason → the rule name the JSON carries.
RULE_NAMES = {
    "exact": "exact",
    "latin": "romanisation",
    "equiv": "equivalent",
    "stem": "same_father_name",
    "stemgroup": "father_name_equivalent",
    "variant": "spelling_variant",
    "gender": "woman_man_form",
    "baltic": "own_language_ending",
    "prefix": "prefix",
    "prefixequiv": "equivalent_prefix",
    "nearequiv": "equivalent_typo",
    "typo": "typo",
    "sound": "sounds_alike",
}


@dataclass(frozen=True, slots=True)
class PartMatch:
    """How one typed word met one part of the printed name.

    rule:  exact, romanisation, equivalent, same_father_name, father_name_equivalent,
           spelling_variant, woman_man_form, own_language_ending, prefix, equivalent_prefix,
           equivalent_typo, typo, sounds_alike, initial, no_match
    basis: identity, romanisation or equivalence where the rule lets the part count towards
           a confident answer; None otherwise
    detail: the schemes of a romanisation; the language, group and source of an equivalent;
            "double_name" when one part of a double surname matched"""

    part: str
    typed: str
    matched: str | None
    rule: str
    basis: str | None
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "typed": self.typed,
            "matched": self.matched,
            "rule": self.rule,
            "basis": self.basis,
            "detail": dict(self.detail),  # a copy: one PartMatch serves many hits (api._part)
        }


def cap(s: str) -> str:
    return "-".join(p[:1].upper() + p[1:] for p in s.replace(" ", "-").split("-"))


def schemes_of(word: Word, cand_norm: str) -> list[str]:
    """The romanisation schemes in which the stored name is the typed word."""
    if not is_cyrillic(cand_norm):
        return ["as printed"]
    parts = cand_norm.replace(" ", "-").split("-")
    return [
        label
        for name, (label, _fn) in SCHEMES.items()
        if fold_latin("-".join(transliterate(p, name) for p in parts)) == word.fold
    ]


def part_match(part: str, word: Word, reason: str, cand_norm: str) -> PartMatch:
    """The structured reason for one matched name part."""
    kind = rule_of(reason)
    detail: dict[str, Any] = {}
    if kind == "latin":
        detail["schemes"] = schemes_of(word, cand_norm)
    elif kind in ("equiv", "stemgroup", "prefixequiv", "nearequiv"):
        bits = reason.split(":")
        gid = int(bits[1])
        eq = equivalents()
        detail["group"] = eq.label[gid]
        detail["source"] = eq.source[gid]
        if kind == "equiv":
            detail["language"] = bits[2]
        if kind in ("prefixequiv", "nearequiv"):
            detail["form"], detail["language"] = bits[2], bits[3]
    return PartMatch(
        part=PART_NAMES[part],
        typed=word.raw,
        matched=cap(cand_norm),
        rule=RULE_NAMES.get(kind, kind),
        basis=BASIS.get(kind),
        detail=detail,
    )


def initial_match(part: str, typed: str, matched: str | None, ok: bool) -> PartMatch:
    return PartMatch(
        part=PART_NAMES[part],
        typed=typed,
        matched=cap(matched) if matched else None,
        rule="initial" if ok else "no_match",
        basis="identity" if ok else None,
    )


def no_match(part: str, typed: str) -> PartMatch:
    return PartMatch(part=PART_NAMES[part], typed=typed, matched=None, rule="no_match", basis=None)


_LABEL = {"surname": "surname", "given_name": "given name", "patronymic": "patronymic"}


def describe(m: PartMatch) -> str:
    """One part's reason in English: "surname: exact", "given name: equivalent Zygmunt
    (Polish) = Сигизмунд (sourced: hanks Sigismund …)"."""
    label = _LABEL[m.part]
    return f"{label}: {_text(m)}" + (" (one part of a double name)" if m.detail.get("double_name")
                                     else "")  # fmt: skip


def _text(m: PartMatch) -> str:
    d, cand, typed = m.detail, m.matched or "", m.typed
    texts = {
        "exact": "exact" if not typed.isascii() or cand.isascii() else f"exact ({cand})",
        "same_father_name": f"same father's name as {cand} (patronymic form)",
        "spelling_variant": f"spelling variant of {cand}" if not typed.isascii()
        else f"romanised spelling of {cand}",
        "woman_man_form": f"woman's/man's form of the family name ({cand})",
        "own_language_ending": f"own-language form with its nominative ending ({cand})",
        "prefix": f"start of {cand}",
        "typo": f"similar spelling: {cand} (typing error?)",
        "sounds_alike": f"sounds like {cand} (Daitch–Mokotoff)",
        "no_match": "no match",
    }  # fmt: skip
    if m.rule in texts:
        return texts[m.rule]
    if m.rule == "initial":
        return "initial matches"
    if m.rule == "romanisation":
        names = d.get("schemes") or ["a known"]
        if len(names) > 3:
            names = [*names[:2], f"{len(names) - 2} more schemes"]
        return f"{' / '.join(names)} romanisation of {cand}"
    if m.rule == "equivalent":
        language = LANGUAGE_LABELS.get(d["language"], d["language"])
        return f"equivalent {typed} ({language}) = {cand} (sourced: {d['source']})"
    if m.rule == "father_name_equivalent":
        return f"father's name variant: {typed} ~ {cand} (sourced: {d['source']})"
    if m.rule == "equivalent_typo":
        language = LANGUAGE_LABELS.get(d["language"], d["language"])
        return f"similar to {cap(d['form'])} ({language}), an equivalent of {cand} (typing error?)"
    if m.rule == "equivalent_prefix":
        language = LANGUAGE_LABELS.get(d["language"], d["language"])
        return f"start of {cap(d['form'])} ({language}), an equivalent of {cand}"
    return f"{m.rule}: {cand}"

"""Human-readable reasons: which form of which name matched."""

from __future__ import annotations

from memorybook.search.names import LANGUAGE_LABELS, equivalents
from memorybook.search.query import Word
from memorybook.text.normalise import fold_latin, is_cyrillic
from memorybook.text.translit import SCHEMES, transliterate


def _cap(s: str) -> str:
    return "-".join(p[:1].upper() + p[1:] for p in s.split("-"))


def _schemes(word: Word, cand_norm: str) -> list[str]:
    if not is_cyrillic(cand_norm):
        return ["as printed"]
    parts = cand_norm.replace(" ", "-").split("-")
    return [
        label
        for name, (label, _fn) in SCHEMES.items()
        if fold_latin("-".join(transliterate(p, name) for p in parts)) == word.fold
    ]


def describe(reason: str, word: Word, cand_norm: str, part: str) -> str:
    cand = _cap(cand_norm)
    if reason == "exact":
        return "exact" if word.cyrillic or not is_cyrillic(cand_norm) else f"exact ({cand})"
    if reason == "latin":
        names = _schemes(word, cand_norm) or ["a known"]
        if len(names) > 3:
            names = [*names[:2], f"{len(names) - 2} more schemes"]
        return f"{' / '.join(names)} romanisation of {cand}"
    if reason.startswith("equiv:"):
        _, gid, lang = reason.split(":")
        label = equivalents().label[int(gid)]
        language = LANGUAGE_LABELS.get(lang, lang)
        return f"equivalent {word.raw} ({language}) = {cand} (group {label})"
    if reason == "stem":
        return f"same father's name as {cand}" + (
            " (colloquial form)"
            if word.norm.endswith(("еич", "ич")) and not word.norm.endswith(("вич",))
            else ""
        )
    if reason == "stemgroup":
        return f"father's name variant: {word.raw} ~ {cand}"
    if reason == "variant":
        return f"spelling variant of {cand}" if word.cyrillic else f"romanised spelling of {cand}"
    if reason == "gender":
        return f"woman's/man's form of the family name ({cand})"
    if reason == "baltic":
        return f"own-language form with its nominative ending ({cand})"
    if reason == "typo":
        return f"similar spelling: {cand} (typing error?)"
    if reason == "sound":
        return f"sounds like {cand} (Daitch–Mokotoff)"
    if reason == "prefix":
        return f"start of {cand}"
    return f"{reason}: {cand}"

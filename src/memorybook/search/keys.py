"""Search keys: the per-record name rows the importer stores, and the keys of each distinct
name (computed once per name, not per record, at index time).

A record's names become rows of `name_key`: part s/g/p (surname, given name, patronymic),
`alt` 0 for the printed name and 1, 2 … for aliases printed in parentheses, the normalised
form and the printed form. Everything heavier (transliterations, skeletons, Daitch–Mokotoff
codes, equivalence groups) belongs to the distinct name and is built by `search.index`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from memorybook.search.names import equivalents, groups_of, is_patronymic, patronymic_stem
from memorybook.text.dm_soundex import dm_codes
from memorybook.text.normalise import fold_latin, is_cyrillic, norm_word, split_words
from memorybook.text.skeleton import (
    cyr_skeleton,
    cyr_skeleton_as_spelt,
    latin_skeletons,
    masculine,
)
from memorybook.text.translit import SCHEME_NAMES, transliterate

PARTS = ("s", "g", "p")
# Transliterations whose Daitch–Mokotoff codes are indexed (they differ most in sound).
DM_SCHEMES = ("popular", "german", "polish")


@lru_cache(maxsize=100_000)
def _norm_value(value: str) -> str:
    """Normalised form of a whole name part (words joined by one space; hyphens kept)."""
    return " ".join(norm_word(w) for w in split_words(value))


def _alias_parts(alias: Any, primary: Mapping[str, str | None]) -> dict[str, str]:
    """Which parts an alias replaces. Dicts from the parser are taken as they are; a string of
    one word is a patronymic, a given name (if the equivalents table knows it) or a surname;
    longer strings are read surname-first unless they start with a known given name."""
    if isinstance(alias, Mapping):
        out = {}
        for part, key in (("s", "surname"), ("g", "given_name"), ("p", "patronymic")):
            if alias.get(key):
                out[part] = str(alias[key])
        return out
    words = split_words(str(alias))
    if not words:
        return {}
    if len(words) == 1:
        w = norm_word(words[0])
        # A one-word alias is mostly a variant of the word it follows (Ифлянд (Инфлянд),
        # Иэтта (Етта), Гурьевич (Григорьевич)): take the most similar part; else a known
        # given name; else the surname (Берлог (Шлемович) is a surname despite its -ович).
        sims = {part: fuzz.ratio(w, _norm_value(v)) for part, v in primary.items() if v}
        part = max(sims, key=sims.__getitem__) if sims else "s"
        if sims and sims[part] >= 55:
            return {part: words[0]}
        if groups_of(w) and not groups_of(norm_word(primary.get("s") or "")):
            return {"g": words[0]}
        return {"s": words[0]}
    if len(words) == 2 and is_patronymic(norm_word(words[1])) and groups_of(words[0]):
        return {"g": words[0], "p": words[1]}  # "(Степан Семенович)"
    if groups_of(words[0]) and not groups_of(words[-1]) and len(words) == 2:
        return {"g": words[0], "s": words[1]}
    out = {"s": words[0], "g": words[1]}
    if len(words) > 2:
        out["p"] = " ".join(words[2:])
    return out


def name_key_rows(
    record_id: int,
    surname: str | None,
    given_name: str | None,
    patronymic: str | None,
    aliases: Iterable[Any] = (),
) -> list[dict[str, Any]]:
    """Rows for `search_tables.name_key`: one per name part of the printed name and of each
    alias. Cheap by design (the importer calls it for every record)."""
    return [
        {"record_id": record_id, "alt": alt, "part": part, "norm": norm, "printed": printed}
        for alt, part, norm, printed in name_keys(surname, given_name, patronymic, aliases)
    ]


def name_keys(
    surname: str | None,
    given_name: str | None,
    patronymic: str | None,
    aliases: Iterable[Any] = (),
) -> list[tuple[int, str, str, str]]:
    """`name_key_rows` as (alt, part, norm, printed) tuples: what the importer's workers
    build for every record (a dict per row cost them more than the keys)."""
    primary = {"s": surname, "g": given_name, "p": patronymic}
    rows: list[tuple[int, str, str, str]] = []
    for part, value in primary.items():
        if value and value.strip():
            norm = _norm_value(value)
            if norm:
                rows.append((0, part, norm, value.strip()))
    if not aliases:
        return rows
    # "Мадьяр (Мильгорф, Мильгофер)": one parenthesis may print several aliases.
    expanded: list[Any] = []
    for alias in aliases:
        if isinstance(alias, str):
            expanded.extend(a for a in alias.split(",") if a.strip())
        else:
            expanded.append(alias)
    for alt, alias in enumerate(expanded, start=1):
        for part, value in _alias_parts(alias, primary).items():
            norm = _norm_value(value)
            if norm:
                rows.append((alt, part, norm, value.strip()))
    return rows


def pieces(norm: str) -> list[str]:
    """The words of a double or multi-word name (each searchable alone); [] for one word."""
    out = [p for p in norm.replace(" ", "-").split("-") if p]
    return out if len(out) > 1 else []


def skeleton_of(norm: str, part: str) -> str:
    """The skeleton key of a stored name (masculine form for surnames)."""
    if is_cyrillic(norm):
        skel = cyr_skeleton(norm.replace(" ", ""))
    else:
        skels = latin_skeletons(norm.replace(" ", ""))
        skel = skels[0] if skels else ""
    return masculine(skel) if part == "s" else skel


def spelt_skeleton(norm: str, part: str) -> str:
    """A Cyrillic name's skeleton before the ending rules, where they changed it ("" where
    they did not): indexed for typing errors only (see `cyr_skeleton_as_spelt`)."""
    if not is_cyrillic(norm):
        return ""
    raw = cyr_skeleton_as_spelt(norm.replace(" ", ""))
    raw = masculine(raw, endings=False) if part == "s" else raw
    return raw if raw != skeleton_of(norm, part) else ""


def latin_forms(norm: str) -> dict[str, str]:
    """Folded (ASCII) romanisations of a stored name: form -> first scheme giving it."""
    if not is_cyrillic(norm):
        return {fold_latin(norm.replace(" ", "-")): "as printed"}
    words = norm.replace(" ", "-").split("-")
    out: dict[str, str] = {}
    for scheme in SCHEME_NAMES:
        form = fold_latin("-".join(transliterate(w, scheme) for w in words))
        out.setdefault(form, scheme)
    return out


def popular_form(norm: str) -> str:
    """The name in the popular English romanisation, folded to ASCII (Latin names as they
    are): shown beside results and used to weigh how close Latin typing comes."""
    if not is_cyrillic(norm):
        return fold_latin(norm.replace(" ", "-"))
    words = norm.replace(" ", "-").split("-")
    return fold_latin("-".join(transliterate(w, "popular") for w in words))


def dm_keys(norm: str) -> set[str]:
    """Daitch–Mokotoff codes of several romanisations, each word of a double name alone."""
    codes: set[str] = set()
    for word in norm.replace(" ", "-").split("-"):
        if not word:
            continue
        if is_cyrillic(word):
            for form in {transliterate(word, scheme) for scheme in DM_SCHEMES}:
                codes.update(dm_codes(form))
        else:
            codes.update(dm_codes(word))
    return codes


def group_keys(norm: str, part: str) -> set[int]:
    """Equivalence groups: of a given name, or of the father's name behind a patronymic."""
    if part == "g":
        return {gid for gid, _lang in groups_of(norm)}
    if part == "p":
        return set(equivalents().by_stem.get(patronymic_stem(norm), ()))
    return set()


def vocab_keys(norm: str, part: str) -> list[str]:
    """Every lookup key of one distinct name, as "kind:value" strings (stored in the archive).

    n: normalised form   k: skeleton   l: romanisation (folded)   d: Daitch–Mokotoff
    q: equivalence group  t: patronymic stem"""
    keys = {f"n:{norm}"}
    skel = skeleton_of(norm, part)
    if skel:
        keys.add(f"k:{skel}")
    keys.update(f"l:{form}" for form in latin_forms(norm))
    keys.update(f"d:{code}" for code in dm_keys(norm))
    keys.update(f"q:{gid}" for gid in group_keys(norm, part))
    if part == "p":
        keys.add(f"t:{patronymic_stem(norm)}")
    return sorted(keys)


def deletions(skel: str) -> set[str]:
    """Single-symbol deletions of a skeleton (the symmetric-delete typo index)."""
    if len(skel) < 4:
        return set()
    return {skel[:i] + skel[i + 1 :] for i in range(len(skel))}

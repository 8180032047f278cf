"""The comparison columns of a record, computed once per record in Python from what the
archive already knows about names (text/ and search/): the normalised Cyrillic form, the
spelling skeleton, Daitch–Mokotoff codes of several romanisations, given-name equivalence
groups and patronymic stems. Dates become day numbers so every backend's SQL compares them
with plain arithmetic."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from memorybook.linkage.record import LinkRecord
from memorybook.search.names import equivalents, groups_of, patronymic_stem
from memorybook.text.dm_soundex import dm_codes
from memorybook.text.normalise import is_cyrillic, norm_word, split_words
from memorybook.text.skeleton import cyr_skeleton, latin_skeletons, masculine
from memorybook.text.translit import transliterate

EPOCH = dt.date(1900, 1, 1)

# Columns of the table handed to Splink, in order (unique_id first).
COLUMNS: tuple[str, ...] = (
    "unique_id", "src", "sn", "gn", "pn", "sn_sk", "sn_part", "gn_sk", "pn_sk", "gn_grp", "pn_grp",
    "gn_init", "pn_init", "sn_dm", "sn_dm1", "by_lo", "by_hi", "arrest_day", "sentence_day",
    "list_day", "list_id", "execution_day", "region", "outcome",
)  # fmt: skip


def day(d: dt.date | None) -> int | None:
    return (d - EPOCH).days if d is not None else None


@lru_cache(maxsize=200_000)
def norm_name(value: str | None) -> str | None:
    """One comparison form of a name part: words normalised and joined by hyphens."""
    if not value:
        return None
    words = [norm_word(w) for w in split_words(value)]
    out = "-".join(w for w in words if w)
    return out or None


@lru_cache(maxsize=200_000)
def skeleton(norm: str | None, surname: bool = False) -> str | None:
    if not norm:
        return None
    if is_cyrillic(norm):
        sk = cyr_skeleton(norm)
    else:
        sks = latin_skeletons(norm)
        sk = sks[0] if sks else ""
    if surname:
        sk = masculine(sk)
    return sk or None


def _is_initial(norm: str | None) -> bool:
    return norm is not None and len(norm.replace("-", "")) <= 1


@lru_cache(maxsize=100_000)
def given_group(norm: str | None) -> str | None:
    """The equivalence group of a given name (Иван = Ян = Johann), else its skeleton."""
    if not norm or _is_initial(norm):
        return None
    groups = sorted(gid for gid, _lang in groups_of(norm))
    if groups:
        return f"g{groups[0]}"
    return skeleton(norm)


@lru_cache(maxsize=100_000)
def patronymic_group(norm: str | None) -> str | None:
    """The father's name behind a patronymic (Егорович = Георгиевич), else its stem's
    skeleton (Арсентьевич = Арсеньевич differ; their skeletons are compared separately)."""
    if not norm or _is_initial(norm):
        return None
    stem = patronymic_stem(norm)
    groups = sorted(equivalents().by_stem.get(stem, ()))
    if groups:
        return f"g{groups[0]}"
    return skeleton(stem)


@lru_cache(maxsize=500_000)
def surname_dm(norm: str | None) -> tuple[str, ...]:
    """Daitch–Mokotoff codes of the surname's common romanisation (each part of a double
    name alone). One scheme, not the search's three: linkage compares two printed forms,
    and the skeleton already covers the spelling families the other schemes add."""
    if not norm:
        return ()
    codes: set[str] = set()
    for word in norm.split("-"):
        if word:
            codes.update(dm_codes(transliterate(word, "popular") if is_cyrillic(word) else word))
    return tuple(sorted(codes))


@cache
def _region_rules() -> tuple[tuple[str, tuple[str, ...]], ...]:
    data = yaml.safe_load(
        resources.files("memorybook.linkage").joinpath("data/regions.yaml").read_text("utf-8")
    )
    return tuple(
        (key, tuple(str(p) for p in prefixes)) for key, prefixes in data["regions"].items()
    )


_ADJ_END = re.compile(r"(ская|ский|ское|ской|ая|ий|ое|ия|а)$")


@lru_cache(maxsize=10_000)
def region_key(printed: str | None) -> str | None:
    """One key per region: the table's, else the stem of the region's first word."""
    if not printed:
        return None
    text = " ".join(printed.casefold().replace("ё", "е").split()) + " "
    for key, prefixes in _region_rules():
        if text.startswith(prefixes):
            return key
    words = [w for w in re.split(r"[^\w\-]+", text) if w and w not in {"г", "обл", "область"}]
    if not words:
        return None
    return _ADJ_END.sub("", words[0]) or words[0]


def _initial(norm: str | None) -> str | None:
    return norm[0] if norm else None


def feature_row(r: LinkRecord) -> dict[str, Any]:
    sn = norm_name(r.surname)
    gn = norm_name(r.given_name)
    pn = norm_name(r.patronymic)
    dm = surname_dm(sn)
    by_lo = r.birth_from if r.birth_from is not None else r.birth_to
    by_hi = r.birth_to if r.birth_to is not None else r.birth_from
    return {
        "unique_id": r.id,
        "src": r.family,
        "sn": sn,
        "gn": None if _is_initial(gn) else gn,
        "pn": None if _is_initial(pn) else pn,
        "sn_sk": skeleton(sn, surname=True),
        # A double surname is often printed by one half (Рыкова-Маршак / Рыкова).
        "sn_part": skeleton(sn.split("-")[0], surname=True) if sn else None,
        "gn_sk": skeleton(gn) if not _is_initial(gn) else None,
        "pn_sk": skeleton(pn) if not _is_initial(pn) else None,
        "gn_grp": given_group(gn),
        "pn_grp": patronymic_group(pn),
        "gn_init": _initial(gn),
        "pn_init": _initial(pn),
        "sn_dm": list(dm) if dm else None,
        "sn_dm1": dm[0] if dm else None,
        "by_lo": by_lo,
        "by_hi": by_hi,
        "arrest_day": day(r.arrest),
        "sentence_day": day(r.sentence),
        "list_day": day(r.list_date),
        "list_id": r.list_id,
        "execution_day": day(r.execution),
        "region": region_key(r.region),
        "outcome": r.outcome,
    }


_INT_COLUMNS = frozenset(
    {"unique_id", "by_lo", "by_hi", "arrest_day", "sentence_day", "list_day", "execution_day"}
)


def feature_table(records: Iterable[LinkRecord]) -> Any:
    """A pyarrow Table of feature rows (the input every Splink backend registers)."""
    import pyarrow as pa

    rows = [feature_row(r) for r in records]
    fields = [
        pa.field(
            c,
            pa.int64()
            if c in _INT_COLUMNS
            else (pa.list_(pa.string()) if c == "sn_dm" else pa.string()),
        )
        for c in COLUMNS
    ]
    schema = pa.schema(fields)
    return pa.Table.from_pylist(rows, schema=schema)

"""The comparison columns of the records, built column by column: every name key is computed
once per distinct printed name (distinct surnames are far fewer than records) from what the
archive already knows about names (text/ and search/): the normalised Cyrillic form, the
spelling skeleton, Daitch–Mokotoff codes, given-name equivalence groups and patronymic
stems; pyarrow then spreads the keys over the records. Dates become day numbers so every
backend's SQL compares them with plain arithmetic."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
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
    "unique_id", "src", "sn", "gn", "pn", "sn_sk", "sn_part", "sn_pre", "sn_tail",
    "gn_sk", "pn_sk",
    "gn_grp", "pn_grp", "gn_init", "pn_init", "sn_dm", "sn_dm1", "ini_key", "ini_only",
    "sg_key", "sg_nopn", "sn_alone", "by_lo", "by_hi", "arrest_day", "sentence_day", "list_day",
    "list_id", "execution_day", "region", "region_grp", "outcome", "grp", "peers",
)  # fmt: skip
_INT_COLUMNS = frozenset(
    {"unique_id", "by_lo", "by_hi", "arrest_day", "sentence_day", "list_day", "execution_day",
     "grp"}
)  # fmt: skip
# Letters of the surname skeleton that block surname misprints (Трофимук / Трофимчук) when
# the given name and patronymic agree.
SURNAME_PREFIX = 3
# A misprint near the start of a longer surname (Трофимов / Тарофимов) keeps its first letter
# and its last letters: the other half of the misprint blocking (`sn_tail`).
SURNAME_TAIL = 3


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


def _initials(norm: str | None) -> list[str] | None:
    """The letters of a name part printed as initials only ("Ф.б." -> ["ф", "б"]), else None."""
    if not norm:
        return None
    words = [w for w in norm.split("-") if w]
    if words and all(len(w) == 1 for w in words):
        return words
    return None


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


# ---- regions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _RegionRule:
    key: str
    group: str
    prefixes: tuple[str, ...]  # the region's names as printed (their starts)
    contains: tuple[str, ...]  # words that name the region anywhere in the title
    headings: tuple[str, ...]  # starts of sublist titles that name a group of people


@cache
def _region_rules() -> tuple[_RegionRule, ...]:
    data = yaml.safe_load(
        resources.files("memorybook.linkage").joinpath("data/regions.yaml").read_text("utf-8")
    )
    out = []
    for key, rule in data["regions"].items():
        if isinstance(rule, list):
            rule = {"prefixes": rule}
        out.append(
            _RegionRule(
                key=str(key),
                group=str(rule.get("group", key)),
                prefixes=tuple(str(p) for p in rule.get("prefixes", ())),
                contains=tuple(str(p) for p in rule.get("contains", ())),
                headings=tuple(str(p) for p in rule.get("headings", ())),
            )
        )
    return tuple(out)


@cache
def _no_region() -> tuple[str, ...]:
    data = yaml.safe_load(
        resources.files("memorybook.linkage").joinpath("data/regions.yaml").read_text("utf-8")
    )
    return tuple(str(p) for p in data.get("no_region", ()))


_ADJ_END = re.compile(r"(ская|ский|ское|ской|ская|ая|ий|ое|ия|а|ь)$")
# A town or region before the name: "г.", "гор.", "ст." (station).
_PLACE_WORD = re.compile(r"^(?:г|гор|ст|город)\s*\.\s*|^город\s+")
# Letters of a stem that name one region: the adjective and the town differ in their ends
# (Челябинская / Челябинск, Ярославская / Ярославль, Горьковская / Горький).
_STEM_LETTERS = 5


def _region_text(printed: str) -> str:
    text = " ".join(printed.casefold().replace("ё", "е").split())
    return _PLACE_WORD.sub("", text).strip() + " "


@lru_cache(maxsize=10_000)
def region_keys(printed: str | None) -> tuple[str | None, str | None]:
    """(region, group) of a printed region: the table's key and group, else the first
    letters of the first word's stem; a list printed without a region has none."""
    if not printed:
        return None, None
    text = _region_text(printed)
    if text.startswith(_no_region()):
        return None, None
    for rule in _region_rules():
        if text.startswith(rule.prefixes + rule.headings) or any(c in text for c in rule.contains):
            return rule.key, rule.group
    words = [w for w in re.split(r"[^\w]+", text) if w and w not in {"г", "обл", "область"}]
    if not words:
        return None, None
    stem = _ADJ_END.sub("", words[0]) or words[0]
    stem = stem[:_STEM_LETTERS]
    return stem, stem


def region_key(printed: str | None) -> str | None:
    return region_keys(printed)[0]


# A title that names a body rather than a place (a railway's or a camp's list, an NKVD
# office), and the words of the administrative division that make a title a region's name.
_NOT_A_PLACE = re.compile(r"ж\.\s*д|жел\.\s*дор|железн|лаг|дто\b|аппарат|нквд|угб")
_DIVISION = re.compile(r"\b(?:область|обл|край|асср|сср|ао)\b")


@lru_cache(maxsize=10_000)
def names_a_region(printed: str | None) -> bool:
    """Whether a printed region or sublist title names a region (Ленинградская обл.,
    г.Ленинград, Свердловская область), not a sublist headed by a group of people (V Быв.
    ответ.работники Наркоматов), a body (a railway's or a camp's list, an NKVD office) or a
    list's own title (Список лиц …): only these are called a region in words."""
    if not printed:
        return False
    text = _region_text(printed)
    if text.startswith(_no_region()) or _NOT_A_PLACE.search(text):
        return False
    for rule in _region_rules():
        if text.startswith(rule.headings):
            return False
        if text.startswith(rule.prefixes):
            return True
    return bool(_DIVISION.search(text))


# ---- lists that share people ---------------------------------------------------------------

# Lists were re-submitted, split and continued, and the people of one Politburo list were
# shot on a few days: two lists (or a list and a day of executions) that carry several
# of the same rare full names are likely to carry the same people. A name counts when at
# most RARE_NAME records of the run carry it; two groups are peers when they share at
# least PEER_MIN_SHARED names besides the pair's own (one shared name is always
# discounted) and these are at least PEER_MIN_SHARE of the smaller group, so that chance
# overlaps between large groups (national scale) do not count.
RARE_NAME = 3
PEER_MIN_SHARED = 2
PEER_MIN_SHARE = 0.01
PEER_MAX = 32  # peers kept per group, the largest shares first


def group_key(r: LinkRecord) -> str | None:
    """The record's group: its list, else the day its source says it was executed."""
    if r.list_id is not None:
        return r.list_id
    if r.execution is not None:
        return f"{r.family}|executed|{r.execution.isoformat()}"
    return None


def group_peers(groups: Any, names: Any) -> tuple[Any, Any]:
    """(group id per record, the ids of its group's peers per record) from the records'
    group keys and full-name keys (pyarrow string arrays, nulls allowed)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(groups)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    gid = encoded.indices.cast(pa.int32())
    n_groups = len(encoded.dictionary)
    # Names as numbers: the joins below then move integers, not strings (national scale).
    name_ids = pc.dictionary_encode(names)
    if isinstance(name_ids, pa.ChunkedArray):
        name_ids = name_ids.combine_chunks()
    t = pa.table({"g": gid, "n": name_ids.indices})
    sizes = t.filter(pc.is_valid(t["g"])).group_by("g").aggregate([([], "count_all")])
    size_of = dict(zip(sizes["g"].to_pylist(), sizes["count_all"].to_pylist(), strict=True))
    named = t.filter(pc.and_(pc.is_valid(t["g"]), pc.is_valid(t["n"])))
    counts = named.group_by("n").aggregate([("g", "count")])
    rare = counts.filter(pc.less_equal(counts["g_count"], RARE_NAME)).select(["n"])
    occ = named.join(rare, "n", join_type="inner").group_by(["g", "n"]).aggregate([])
    both = occ.join(occ.rename_columns(["h", "n"]), "n", join_type="inner")
    both = both.filter(pc.not_equal(both["g"], both["h"]))
    shared = both.group_by(["g", "h"]).aggregate([("n", "count")])
    best: dict[int, list[tuple[float, int]]] = {}
    for g, h, c in zip(
        shared["g"].to_pylist(), shared["h"].to_pylist(), shared["n_count"].to_pylist(),
        strict=True,
    ):  # fmt: skip
        others = c - 1
        share = others / min(size_of[g], size_of[h])
        if others >= PEER_MIN_SHARED and share >= PEER_MIN_SHARE:
            best.setdefault(g, []).append((share, h))
    per_group = [
        sorted(h for _, h in sorted(best[g], reverse=True)[:PEER_MAX]) if g in best else None
        for g in range(n_groups)
    ]
    peers = pc.take(pa.array(per_group, type=pa.list_(pa.int32())), gid)
    return gid, peers


# ---- the table -----------------------------------------------------------------------------


def _initial(norm: str | None) -> str | None:
    return norm[0] if norm else None


def _surname_keys(raw: str) -> tuple[Any, ...]:
    sn = norm_name(raw)
    sk = skeleton(sn, surname=True)
    dm = surname_dm(sn)
    return (
        sn,
        sk,
        # A double surname is often printed by one half (Рыкова-Маршак / Рыкова).
        skeleton(sn.split("-")[0], surname=True) if sn else None,
        sk[:SURNAME_PREFIX] if sk and len(sk) > SURNAME_PREFIX else None,
        sk[0] + sk[-SURNAME_TAIL:] if sk and len(sk) > SURNAME_TAIL + 1 else None,
        list(dm) if dm else None,
        dm[0] if dm else None,
    )


def _given_keys(raw: str) -> tuple[Any, ...]:
    """(gn, gn_sk, gn_grp, gn_init, the patronymic's initial when the given-name field
    holds both initials, as the lists print "Ф.Б.")."""
    gn = norm_name(raw)
    letters = _initials(gn)
    if letters:
        return None, None, None, letters[0], letters[1] if len(letters) > 1 else None
    return gn, skeleton(gn), given_group(gn), _initial(gn), None


def _patronymic_keys(raw: str) -> tuple[Any, ...]:
    pn = norm_name(raw)
    letters = _initials(pn)
    if letters:
        return None, None, None, letters[0]
    return pn, skeleton(pn), patronymic_group(pn), _initial(pn)


# Above this many distinct values (national scale: hundreds of thousands of surnames) the
# keys are computed by forked workers, one per core; below it a pool costs more than it saves.
PARALLEL_MIN = 50_000
_CHUNK = 10_000


def _keys_of(keys: Callable[[str], tuple[Any, ...]], values: list[str]) -> list[tuple[Any, ...]]:
    return [keys(v) for v in values]


def _all_keys(keys: Callable[[str], tuple[Any, ...]], values: list[str]) -> list[tuple[Any, ...]]:
    workers = min(os.cpu_count() or 1, 8)
    if len(values) < PARALLEL_MIN or workers < 2:
        return _keys_of(keys, values)
    from memorybook.procs import worker_pool

    chunks = [values[i : i + _CHUNK] for i in range(0, len(values), _CHUNK)]
    out: list[tuple[Any, ...]] = []
    with worker_pool(workers) as pool:
        for part in pool.map(_keys_of, [keys] * len(chunks), chunks):
            out.extend(part)
    return out


def _per_distinct(
    values: Any, keys: Callable[[str], tuple[Any, ...]], types: Sequence[Any]
) -> list[Any]:
    """Apply `keys` once per distinct value of a string column; spread the results back."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(values)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    results = _all_keys(keys, encoded.dictionary.to_pylist())
    out = []
    for i, t in enumerate(types):
        distinct = pa.array([r[i] for r in results], type=t)
        out.append(pc.take(distinct, encoded.indices))
    return out


def _concat(*cols: Any) -> Any:
    """ "a|b|c", or null when any part is null."""
    import pyarrow.compute as pc

    return pc.binary_join_element_wise(*cols, "|")


def _where(mask: Any, values: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.if_else(mask, values, pa.scalar(None, values.type))


def feature_columns(columns: Mapping[str, Sequence[Any]]) -> Any:
    """The feature table from plain columns: `unique_id`, `src`, `surname`, `given_name`,
    `patronymic`, `birth_from`, `birth_to`, the event days (`arrest_day`, `sentence_day`,
    `list_day`, `execution_day`, day numbers from 1900-01-01), `list_id`, `region` (as
    printed), `outcome`, `group` (`group_key`). Missing columns are null."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(columns["unique_id"])

    def col(name: str, t: Any) -> Any:
        v = columns.get(name)
        if v is None:
            return pa.nulls(n, type=t)
        return v if isinstance(v, pa.Array) else pa.array(v, type=t)

    s, lst = pa.string(), pa.list_(pa.string())
    sn, sn_sk, sn_part, sn_pre, sn_tail, sn_dm, sn_dm1 = _per_distinct(
        col("surname", s), _surname_keys, (s, s, s, s, s, lst, s)
    )
    gn, gn_sk, gn_grp, gn_init, pn_init2 = _per_distinct(
        col("given_name", s), _given_keys, (s, s, s, s, s)
    )
    pn, pn_sk, pn_grp, pn_init = _per_distinct(col("patronymic", s), _patronymic_keys, (s, s, s, s))
    pn_init = pc.coalesce(pn_init, pn_init2)
    region, region_grp = _per_distinct(col("region", s), region_keys, (s, s))
    b_from, b_to = col("birth_from", pa.int64()), col("birth_to", pa.int64())
    by_lo, by_hi = pc.coalesce(b_from, b_to), pc.coalesce(b_to, b_from)
    # Blocking keys for a name printed with initials only, or without its patronymic: the
    # "only" column is set on such records and matches the full key of any record.
    ini_key = _concat(sn_sk, gn_init, pn_init)
    ini_only = _where(pc.or_kleene(pc.is_null(gn), pc.is_null(pn)), ini_key)
    sg_key = _concat(sn_sk, gn_grp)
    sg_nopn = _where(pc.is_null(pn_init), sg_key)
    # A name printed as one hyphenated word, nothing besides (Ким-Дю-Ван): its own block.
    sn_alone = _where(
        pc.and_kleene(
            pc.and_kleene(pc.is_null(gn_init), pc.is_null(pn_init)),
            pc.match_substring(pc.fill_null(sn, ""), "-"),
        ),
        sn_sk,
    )
    grp, peers = group_peers(col("group", s), _concat(sn_sk, gn_grp, pn_grp))
    data = {
        "unique_id": col("unique_id", pa.int64()),
        "src": col("src", s),
        "sn": sn, "gn": gn, "pn": pn, "sn_sk": sn_sk, "sn_part": sn_part, "sn_pre": sn_pre,
        "sn_tail": sn_tail,
        "gn_sk": gn_sk, "pn_sk": pn_sk, "gn_grp": gn_grp, "pn_grp": pn_grp,
        "gn_init": gn_init, "pn_init": pn_init, "sn_dm": sn_dm, "sn_dm1": sn_dm1,
        "ini_key": ini_key, "ini_only": ini_only, "sg_key": sg_key, "sg_nopn": sg_nopn,
        "sn_alone": sn_alone,
        "by_lo": by_lo, "by_hi": by_hi,
        "arrest_day": col("arrest_day", pa.int64()),
        "sentence_day": col("sentence_day", pa.int64()),
        "list_day": col("list_day", pa.int64()),
        "list_id": col("list_id", s),
        "execution_day": col("execution_day", pa.int64()),
        "region": region, "region_grp": region_grp,
        "outcome": col("outcome", s),
        "grp": grp, "peers": peers,
    }  # fmt: skip
    return pa.table({c: data[c] for c in COLUMNS})


def record_columns(records: Iterable[LinkRecord]) -> dict[str, list[Any]]:
    rs = list(records)
    return {
        "unique_id": [r.id for r in rs],
        "src": [r.family for r in rs],
        "surname": [r.surname for r in rs],
        "given_name": [r.given_name for r in rs],
        "patronymic": [r.patronymic for r in rs],
        "birth_from": [r.birth_from for r in rs],
        "birth_to": [r.birth_to for r in rs],
        "arrest_day": [day(r.arrest) for r in rs],
        "sentence_day": [day(r.sentence) for r in rs],
        "list_day": [day(r.list_date) for r in rs],
        "list_id": [r.list_id for r in rs],
        "execution_day": [day(r.execution) for r in rs],
        "region": [r.region for r in rs],
        "outcome": [r.outcome for r in rs],
        "group": [group_key(r) for r in rs],
    }


def feature_table(records: Iterable[LinkRecord]) -> Any:
    """A pyarrow Table of feature rows (the input every Splink backend registers)."""
    return feature_columns(record_columns(records))


def feature_row(r: LinkRecord) -> dict[str, Any]:
    """One record's features (tests and explanations; the engine builds whole columns)."""
    row: dict[str, Any] = feature_table([r]).to_pylist()[0]
    return row

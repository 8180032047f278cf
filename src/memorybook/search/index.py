"""The candidate index: built from the stored keys, persisted in the archive, loaded once.

Layout (all numpy, so loading is a copy-free view of the stored bytes):

- per name part (s, g, p) a vocabulary of distinct normalised names with a sorted table of
  64-bit key hashes → vocabulary ids. Keys: exact form, skeleton, single deletions of the
  skeleton (symmetric-delete typo index; for -цов, -ской … also of the skeleton before the
  ending rules), romanisations, Daitch–Mokotoff codes, equivalence
  groups, patronymic stems; the popular romanisation of each name (to weigh Latin typing);
  and the vocabulary sorted by form and by skeleton for prefixes;
- name rows (record × printed name or alias × piece of a double surname) sorted by
  (surname id, given-name id), so a surname is a contiguous range and a (surname, given
  name) pair is found by binary search; two permutations of the rows sorted by given name
  and by patronymic, so a query whose surname is only a prefix ("Левон Баласанович Ша")
  starts from the rarer part;
- per record the filter columns (birth years, death year, nationality, burial, source).

Only records with a printed name enter the name rows: an entry whose name the source left out
is reached by its list and the filters, never by a name search.

Why this design (measured on this 2-core machine): a linear rapidfuzz scan of 820k surnames
took 280 ms per query; SQLite FTS5 trigram p95 ~620 ms for typo'd names, and a Python token +
Daitch–Mokotoff dict index p95 171 ms at 800k surnames, because their vocabulary step scans.
Here the vocabulary step is a few binary searches over hashed keys (symmetric delete for
typos): bench/search.py measures it at 3 M records / 820k surnames."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine

from memorybook.procs import worker_pool
from memorybook.search.filters import nationality_key, place_key
from memorybook.search.keys import (
    PARTS,
    deletions,
    pieces,
    popular_form,
    spelt_skeleton,
    vocab_keys,
)
from memorybook.storage import search_store as store

INDEX_VERSION = 3
# Bump when `keys.vocab_keys` changes what it computes: stored keys are then recomputed.
KEYS_VERSION = 3
FLAG_ALIAS = 1
FLAG_PIECE = 2
G_BITS = 24  # row_sg = surname id << G_BITS | (given id + 1)
UNNAMED = "records.unnamed"  # the stored array of `Index.unnamed`


def shown_name(
    name: str | None, surname: str | None, given: str | None, patronymic: str | None
) -> str:
    """The name a search hit shows of its record: the printed name, or else its parts. A
    record where this is blank is never a name search's result on the web."""
    return name or " ".join(x for x in (surname, given, patronymic) if x)


def key_hash(key: str) -> int:
    """Stable 64-bit hash of a key string (crc32 and adler32 side by side). A collision only
    adds a candidate that ranking then scores low."""
    b = key.encode("utf-8")
    return (zlib.crc32(b) << 32) | zlib.adler32(b)


def key_hashes(keys: Iterable[str]) -> np.ndarray:
    return np.fromiter((key_hash(k) for k in keys), dtype=np.uint64)


def keys_version() -> str:
    """What the stored keys depend on: the key code and the given-name table."""
    table = resources.files("memorybook.search").joinpath("data/given_names.yaml").read_bytes()
    return f"{KEYS_VERSION}:{hashlib.sha256(table).hexdigest()[:16]}"


@dataclass
class Vocab:
    """The distinct names of one part with their key table."""

    part: str
    norm_blob: bytes
    norm_off: np.ndarray
    skel_blob: bytes
    skel_off: np.ndarray
    pop_blob: bytes
    pop_off: np.ndarray
    key_hash: np.ndarray
    key_vid: np.ndarray
    by_norm: np.ndarray
    by_skel: np.ndarray

    @property
    def size(self) -> int:
        return len(self.norm_off) - 1

    def norm(self, i: int) -> str:
        return self.norm_blob[self.norm_off[i] : self.norm_off[i + 1]].decode("utf-8")

    def skel(self, i: int) -> str:
        return self.skel_blob[self.skel_off[i] : self.skel_off[i + 1]].decode("utf-8")

    def popular(self, i: int) -> str:
        """The name in the popular English romanisation (folded ASCII)."""
        return self.pop_blob[self.pop_off[i] : self.pop_off[i + 1]].decode("utf-8")

    def strings(self, what: str, ids: np.ndarray) -> list[str]:
        """Forms ("norm"), skeletons ("skel") or popular romanisations ("pop") of many ids."""
        blob: bytes = getattr(self, f"{what}_blob")
        off: np.ndarray = getattr(self, f"{what}_off")
        lo, hi = off[ids].tolist(), off[ids + 1].tolist()
        return [blob[a:b].decode("utf-8") for a, b in zip(lo, hi, strict=True)]

    def lookup(self, keys: list[str]) -> list[np.ndarray]:
        """Vocabulary ids for each key ("kind:value")."""
        if not keys:
            return []
        h = key_hashes(keys)
        lo = np.searchsorted(self.key_hash, h, side="left")
        hi = np.searchsorted(self.key_hash, h, side="right")
        return [self.key_vid[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True)]

    def prefix_range(self, text: str, by: str) -> tuple[int, int]:
        """The slice of `by_norm` ("n") or `by_skel` ("k") whose names start with `text`."""
        perm = self.by_norm if by == "n" else self.by_skel
        get = self.norm if by == "n" else self.skel
        lo = _bisect(perm, get, text)
        return lo, _bisect(perm, get, text + "\U0010ffff", lo)

    def prefix(self, text: str, by: str, cap: int) -> np.ndarray:
        """Ids whose form ("n") or skeleton ("k") starts with `text`; empty if more than cap."""
        lo, hi = self.prefix_range(text, by)
        perm = self.by_norm if by == "n" else self.by_skel
        return perm[lo:hi] if hi - lo <= cap else np.empty(0, dtype=np.int32)


def _bisect(perm: np.ndarray, get: Any, text: str, lo: int = 0) -> int:
    """First position in `perm` whose string is >= text."""
    hi = len(perm)
    while lo < hi:
        mid = (lo + hi) // 2
        if get(int(perm[mid])) < text:
            lo = mid + 1
        else:
            hi = mid
    return lo


@dataclass
class Index:
    vocab: dict[str, Vocab]
    row_s: np.ndarray
    row_g: np.ndarray
    row_p: np.ndarray
    row_rec: np.ndarray
    row_flag: np.ndarray
    row_sg: np.ndarray
    s_off: np.ndarray
    g_rows: np.ndarray  # row numbers sorted by given-name id
    g_off: np.ndarray  # given-name id + 1 -> start in g_rows (id -1 first)
    p_rows: np.ndarray
    p_off: np.ndarray
    rec_id: np.ndarray
    birth_from: np.ndarray
    birth_to: np.ndarray
    birth_alt: np.ndarray
    death: np.ndarray
    nat: np.ndarray
    burial: np.ndarray
    family: np.ndarray
    source: np.ndarray
    codes: dict[str, list[str]]
    meta: dict[str, Any]
    # Sorted positions of the records whose shown name is blank when the index was built;
    # None for an index built before it was kept (the search then asks the archive).
    unnamed: np.ndarray | None = None

    def nbytes(self) -> int:
        total = 0
        for v in self.__dict__.values():
            if isinstance(v, np.ndarray):
                total += v.nbytes
        for voc in self.vocab.values():
            for v in voc.__dict__.values():
                if isinstance(v, np.ndarray):
                    total += v.nbytes
                elif isinstance(v, bytes):
                    total += len(v)
        return total


# --- building ------------------------------------------------------------------------------


def rebuild(conn: Connection) -> None:
    """(Re)build and persist the candidate index from `name_key` and `record` (full rebuild;
    keys of names already in `search_vocab` are reused while the key code and the name table
    are unchanged, so repeated imports stay cheap)."""
    t0 = time.perf_counter()
    records = _read_records(conn)
    names = _read_names(conn, records.position)
    t1 = time.perf_counter()
    version = keys_version()
    if _stored_meta(conn).get("keys_version") != version:
        store.clear_vocab(conn)  # keys computed by older code or another name table
    arrays, blobs = _vocab_tables(conn, names.vocab)
    t2 = time.perf_counter()
    arrays.update(names.sorted_arrays({p: len(names.vocab[p]) for p in PARTS}))
    arrays.update(records.arrays())
    meta: dict[str, Any] = {
        "version": INDEX_VERSION,
        "keys_version": version,
        "records": len(records.rec_id),
        "rows": len(names.rows_s),
        "vocab": {p: len(names.vocab[p]) for p in PARTS},
        "codes": records.codes(),
        "arrays": {k: [str(a.dtype), list(a.shape)] for k, a in arrays.items()},
        "timing": {"rows_s": round(t1 - t0, 3), "keys_s": round(t2 - t1, 3)},
    }
    for k, a in arrays.items():
        blobs[k] = np.ascontiguousarray(a).tobytes()
    meta["timing"]["total_s"] = round(time.perf_counter() - t0, 3)
    blobs["meta"] = json.dumps(meta).encode("utf-8")
    store.write_blobs(conn, blobs)


def needs_rebuild(conn: Connection) -> bool:
    """True when names are stored but the persisted index is missing or of older code."""
    meta = _stored_meta(conn)
    if meta.get("version") == INDEX_VERSION and meta.get("keys_version") == keys_version():
        return False
    return store.has_name_keys(conn)


def _stored_meta(conn: Connection) -> dict[str, Any]:
    raw = store.read_blob(conn, "meta")
    return json.loads(raw) if raw else {}


class _Coder:
    """Small integer codes for the distinct values of a filter column."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self._ids: dict[str, int] = {}

    def code(self, value: str) -> int:
        if not value:
            return -1
        i = self._ids.get(value)
        if i is None:
            i = self._ids[value] = len(self.values)
            self.values.append(value)
        return i


@dataclass
class _Records:
    """Every record's filter columns, in id order (the dense record number is the position)."""

    rec_id: array[int] = field(default_factory=lambda: array("q"))
    birth_from: array[int] = field(default_factory=lambda: array("h"))
    birth_to: array[int] = field(default_factory=lambda: array("h"))
    birth_alt: array[int] = field(default_factory=lambda: array("h"))
    death: array[int] = field(default_factory=lambda: array("h"))
    nat: array[int] = field(default_factory=lambda: array("i"))
    burial: array[int] = field(default_factory=lambda: array("i"))
    family: array[int] = field(default_factory=lambda: array("i"))
    source: array[int] = field(default_factory=lambda: array("i"))
    # Positions of the records without a name to show (`shown_name` blank): usually none.
    unnamed: array[int] = field(default_factory=lambda: array("i"))
    coders: dict[str, _Coder] = field(
        default_factory=lambda: {k: _Coder() for k in ("nat", "burial", "family", "source")}
    )
    position: dict[int, int] = field(default_factory=dict)

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "rec_id": _arr(self.rec_id, np.int64),
            "birth_from": _arr(self.birth_from, np.int16),
            "birth_to": _arr(self.birth_to, np.int16),
            "birth_alt": _arr(self.birth_alt, np.int16),
            "death": _arr(self.death, np.int16),
            "nat": _arr(self.nat, np.int32),
            "burial": _arr(self.burial, np.int32),
            "family": _arr(self.family, np.int32),
            "source": _arr(self.source, np.int32),
            # Named with a dot, as the vocabularies' arrays are: code that does not know it
            # (an older version reading a newer archive) leaves it alone.
            UNNAMED: _arr(self.unnamed, np.int32),
        }

    def codes(self) -> dict[str, list[str]]:
        return {k: c.values for k, c in self.coders.items()}


def _read_records(conn: Connection) -> _Records:
    sources = store.source_keys(conn)
    out = _Records()
    c = out.coders
    for row in store.iter_record_filters(conn):
        rid, bf, bt, dy, nt, bk, bp, family, sid, edtf, name, surname, given, patronymic = row
        if not shown_name(name, surname, given, patronymic).strip():
            out.unnamed.append(len(out.rec_id))
        out.position[rid] = len(out.rec_id)
        out.rec_id.append(rid)
        bf_y, bt_y, alt = _year(bf), _year(bt), 0
        years = _one_of_years(edtf)
        if years:
            # Two printed birth years ("1896 (по другим данным - 1895)"): either, not between.
            bf_y = bt_y = years[0]
            alt = years[1]
        out.birth_from.append(bf_y)
        out.birth_to.append(bt_y or bf_y)
        out.birth_alt.append(alt)
        out.death.append(_year(dy))
        out.nat.append(c["nat"].code(nationality_key(nt)))
        # The printed place and its key side by side, so a filter may name either.
        out.burial.append(c["burial"].code(f"{place_key(bp)}|{place_key(bk)}" if bp or bk else ""))
        out.family.append(c["family"].code(family or ""))
        out.source.append(c["source"].code(sources.get(sid, "") if sid is not None else ""))
    return out


@dataclass
class _NameRows:
    """Name rows (record × printed name or alias × piece of a double name) as built."""

    vocab: dict[str, dict[str, int]] = field(default_factory=lambda: {p: {} for p in PARTS})
    rows_s: array[int] = field(default_factory=lambda: array("i"))
    rows_g: array[int] = field(default_factory=lambda: array("i"))
    rows_p: array[int] = field(default_factory=lambda: array("i"))
    rows_rec: array[int] = field(default_factory=lambda: array("i"))
    rows_flag: array[int] = field(default_factory=lambda: array("B"))

    def vid(self, part: str, norm: str) -> int:
        ids = self.vocab[part]
        i = ids.get(norm)
        if i is None:
            i = ids[norm] = len(ids)
        return i

    def add_record(self, pos: int, names: dict[int, dict[str, str]]) -> None:
        """The rows of one record: its printed name (alt 0) and each alias, which borrows
        the parts it does not print from the printed name."""
        primary = names[0]
        for alt, parts in names.items():
            merged = {**primary, **parts} if alt else parts
            s = merged.get("s")
            if not s:
                continue
            g, p = merged.get("g"), merged.get("p")
            gi = self.vid("g", g) if g else -1
            pi = self.vid("p", p) if p else -1
            flag = FLAG_ALIAS if alt else 0
            combos = [(self.vid("s", s), gi, flag)]
            combos += [(self.vid("s", piece), gi, flag | FLAG_PIECE) for piece in pieces(s)]
            if g:
                combos += [(self.vid("s", s), self.vid("g", gp), flag | FLAG_PIECE)
                           for gp in pieces(g)]  # fmt: skip
            for si, gj, fl in combos:
                self.rows_s.append(si)
                self.rows_g.append(gj)
                self.rows_p.append(pi)
                self.rows_rec.append(pos)
                self.rows_flag.append(fl)

    def sorted_arrays(self, sizes: dict[str, int]) -> dict[str, np.ndarray]:
        """Rows sorted by (surname, given name) with surname ranges, and the permutations by
        given name and by patronymic."""
        rs, rg, rp = (
            _arr(self.rows_s, np.int32),
            _arr(self.rows_g, np.int32),
            _arr(self.rows_p, np.int32),
        )
        sg = (rs.astype(np.int64) << G_BITS) | (rg.astype(np.int64) + 1)
        order = np.argsort(sg, kind="stable")
        out = {
            "row_s": rs[order],
            "row_g": rg[order],
            "row_p": rp[order],
            "row_rec": _arr(self.rows_rec, np.int32)[order],
            "row_flag": _arr(self.rows_flag, np.uint8)[order],
            "row_sg": sg[order],
        }
        out["s_off"] = np.searchsorted(out["row_s"], np.arange(sizes["s"] + 1)).astype(np.int64)
        for part in ("g", "p"):
            ids = out[f"row_{part}"]
            by = np.argsort(ids, kind="stable").astype(np.int32)
            # Offsets over id + 1, so rows without this part (id -1) come first.
            out[f"{part}_rows"] = by
            out[f"{part}_off"] = np.searchsorted(ids[by], np.arange(-1, sizes[part] + 1)).astype(
                np.int64
            )
        return out


def _read_names(conn: Connection, position: dict[int, int]) -> _NameRows:
    out = _NameRows()
    current: int | None = None
    names: dict[int, dict[str, str]] = {}

    def flush() -> None:
        # No printed name (alt 0): the source left it out; aliases alone do not make one.
        if current is not None and 0 in names and current in position:
            out.add_record(position[current], names)

    for rid, alt, part, norm in store.iter_name_keys(conn):
        if rid != current:
            flush()
            current, names = rid, {}
        names.setdefault(alt, {})[part] = norm
    flush()
    return out


def _vocab_tables(
    conn: Connection, vocab: dict[str, dict[str, int]]
) -> tuple[dict[str, np.ndarray], dict[str, bytes]]:
    """Key tables, skeletons, romanisations and sort orders of every distinct name (stored
    keys reused, new ones computed and stored). Each name's keys and hashed key table are
    computed by `_name_table`, in forked workers for a large vocabulary: at national size
    this was the writer's longest step after the rows, on one core while the other waited."""
    known = store.load_vocab(conn)
    todo = [
        (p, nm, hit[1].split(" ") if (hit := known.get((p, nm))) is not None else None)
        for p in PARTS
        for nm in vocab[p]
    ]
    tables = _name_tables(todo)
    store.insert_vocab(
        conn,
        [
            {"part": p, "norm": nm, "lookup_keys": " ".join(table[0])}
            for (p, nm, keys), table in zip(todo, tables, strict=True)
            if keys is None
        ],
    )
    arrays: dict[str, np.ndarray] = {}
    blobs: dict[str, bytes] = {}
    at = 0
    for part in PARTS:
        norms = list(vocab[part])
        mine = tables[at : at + len(norms)]
        at += len(norms)
        counts = np.fromiter((len(t[1]) // 8 for t in mine), dtype=np.int64, count=len(mine))
        joined = b"".join(t[1] for t in mine)
        h = np.frombuffer(joined, dtype=np.uint64) if joined else np.empty(0, np.uint64)
        v = np.repeat(np.arange(len(norms), dtype=np.int32), counts)
        skels = [t[2] for t in mine]
        pops = [t[3] for t in mine]
        order = np.argsort(h, kind="stable")
        for name, values in (("norm", norms), ("skel", skels), ("pop", pops)):
            blob, off = _strings_blob(values)
            blobs[f"{part}.{name}_blob"] = blob
            arrays[f"{part}.{name}_off"] = off
        arrays[f"{part}.key_hash"] = h[order]
        arrays[f"{part}.key_vid"] = v[order]
        arrays[f"{part}.by_norm"] = _sort_order(norms)
        arrays[f"{part}.by_skel"] = _sort_order(skels)
    return arrays, blobs


NameTable = tuple[list[str], bytes, str, str]  # keys, their hashes (uint64), skeleton, popular


def _name_table(part: str, norm: str, keys: list[str] | None) -> NameTable:
    """One name's stored keys (computed when not given), the 64-bit hashes of every key it
    is looked up by (its keys, the deletions of its skeleton, its skeleton as spelt), its
    skeleton and its popular romanisation."""
    if keys is None:
        keys = _stored_keys(norm, part)
    hashes = array("Q")
    skel, pop = "", ""
    for k in keys:
        if k.startswith("r:"):
            pop = k[2:]
            continue  # shown, not looked up
        hashes.append(key_hash(k))
        if k.startswith("k:"):
            skel = k[2:]
    for d in deletions(skel):
        hashes.append(key_hash("e:" + d))
    # The skeleton before the ending rules, for typing errors beside an ending.
    spelt = spelt_skeleton(norm, part)
    if spelt:
        for k in ("u:" + spelt, *("e:" + d for d in deletions(spelt) - deletions(skel))):
            hashes.append(key_hash(k))
    return keys, hashes.tobytes(), skel, pop


def _name_tables_chunk(chunk: list[tuple[str, str, list[str] | None]]) -> list[NameTable]:
    return [_name_table(p, nm, keys) for p, nm, keys in chunk]


def _name_tables(names: list[tuple[str, str, list[str] | None]]) -> list[NameTable]:
    """`_name_table` of every (part, name, stored keys or None), in order; spread over the
    CPUs for large vocabularies (forked workers: they only compute from strings, never touch
    the inherited database handle, and die with the import)."""
    workers = os.cpu_count() or 1
    if len(names) < _PARALLEL_FROM or workers < 2:
        return _name_tables_chunk(names)
    size = 5_000
    chunks = [names[i : i + size] for i in range(0, len(names), size)]
    with worker_pool(workers) as pool:
        return [t for part in pool.map(_name_tables_chunk, chunks) for t in part]


def _sort_order(values: list[str]) -> np.ndarray:
    return np.array(sorted(range(len(values)), key=values.__getitem__), dtype=np.int32)


def _strings_blob(values: list[str]) -> tuple[bytes, np.ndarray]:
    enc = [v.encode("utf-8") for v in values]
    off = np.zeros(len(enc) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in enc], out=off[1:])
    return b"".join(enc), off


_PARALLEL_FROM = 10_000  # below this many new names a worker pool costs more than it saves


def _keys_chunk(chunk: list[tuple[str, str]]) -> list[list[str]]:
    return [_stored_keys(norm, part) for part, norm in chunk]


def _stored_keys(norm: str, part: str) -> list[str]:
    """The lookup keys of a name and its popular romanisation ("r:", shown in results)."""
    return [*vocab_keys(norm, part), f"r:{popular_form(norm)}"]


def _compute_keys(names: list[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
    """Keys of new names; spread over the CPUs for large vocabularies. Workers are forked
    (spawn would re-run `__main__`, which fails under `python -c`); they only compute keys
    from strings, never touch the inherited database handle, and die with the import."""
    workers = os.cpu_count() or 1
    if len(names) < _PARALLEL_FROM or workers < 2:
        return {(p, n): _stored_keys(n, p) for p, n in names}
    size = 5_000
    chunks = [names[i : i + size] for i in range(0, len(names), size)]
    with worker_pool(workers) as pool:
        results = pool.map(_keys_chunk, chunks)
        return {
            name: keys for chunk, res in zip(chunks, results, strict=True)
            for name, keys in zip(chunk, res, strict=True)
        }  # fmt: skip


def _arr(a: array[Any], dtype: Any) -> np.ndarray:
    return (
        np.frombuffer(a, dtype=a.typecode).astype(dtype, copy=False)
        if len(a)
        else np.empty(0, dtype)
    )


def _year(v: Any) -> int:
    try:
        return int(v) if v is not None else 0
    except (TypeError, ValueError):
        return 0


_ONE_OF = re.compile(r"^\[(\d{4})[^,\]]*,\s*(\d{4})[^\]]*\]$")


def _one_of_years(edtf: Any) -> tuple[int, int] | None:
    """The two years of an EDTF one-of set "[1896,1895]" (None for anything else)."""
    m = _ONE_OF.match(str(edtf or ""))
    return (int(m.group(1)), int(m.group(2))) if m else None


# --- loading -------------------------------------------------------------------------------


def load(source: Engine | Connection) -> Index | None:
    """The persisted index, or None if the archive has none (or one of older code: run
    `memorybook init` to rebuild it)."""
    if isinstance(source, Engine):
        with source.connect() as conn:
            blobs = store.read_blobs(conn)
    else:
        blobs = store.read_blobs(source)
    if "meta" not in blobs:
        return None
    meta = json.loads(blobs["meta"])
    if meta.get("version") != INDEX_VERSION:
        return None
    arr: dict[str, np.ndarray] = {}
    for name, (dtype, shape) in meta["arrays"].items():
        arr[name] = np.frombuffer(blobs[name], dtype=np.dtype(dtype)).reshape(shape)
    vocab = {
        p: Vocab(
            part=p,
            norm_blob=blobs[f"{p}.norm_blob"],
            norm_off=arr[f"{p}.norm_off"],
            skel_blob=blobs[f"{p}.skel_blob"],
            skel_off=arr[f"{p}.skel_off"],
            pop_blob=blobs[f"{p}.pop_blob"],
            pop_off=arr[f"{p}.pop_off"],
            key_hash=arr[f"{p}.key_hash"],
            key_vid=arr[f"{p}.key_vid"],
            by_norm=arr[f"{p}.by_norm"],
            by_skel=arr[f"{p}.by_skel"],
        )
        for p in PARTS
    }
    columns = {k: v for k, v in arr.items() if "." not in k}
    return Index(vocab=vocab, codes=meta["codes"], meta=meta, unnamed=arr.get(UNNAMED), **columns)

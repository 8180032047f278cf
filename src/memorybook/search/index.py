"""The candidate index: built from the stored keys, persisted in the archive, loaded once.

Layout (all numpy, so loading is a copy-free view of the stored bytes):

- per name part (s, g, p) a vocabulary of distinct normalised names with a sorted table of
  64-bit key hashes → vocabulary ids. Keys: exact form, skeleton, single deletions of the
  skeleton (symmetric-delete typo index), romanisations, Daitch–Mokotoff codes, equivalence
  groups, patronymic stems; plus the vocabulary sorted by form and by skeleton for prefixes.
- name rows (record × printed name or alias × piece of a double surname) sorted by
  (surname id, given-name id), so a surname is a contiguous range and a (surname, given
  name) pair is found by binary search;
- per record the filter columns (birth years, death year, nationality, burial, source).

Why this design (measured on this 2-core machine): a linear rapidfuzz scan of 820k surnames
took 280 ms per query; SQLite FTS5 trigram p95 ~620 ms for typo'd names, and a Python token +
Daitch–Mokotoff dict index p95 171 ms at 800k surnames, because their vocabulary step scans.
Here the vocabulary step is a few binary searches over hashed keys (symmetric delete for
typos): p95 under 10 ms at 3 M records / 820k surnames (bench/search.py)."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import time
import zlib
from array import array
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine

from memorybook.search.filters import nationality_key, place_key
from memorybook.search.keys import PARTS, deletions, pieces, vocab_keys
from memorybook.storage import search_store as store

INDEX_VERSION = 1
FLAG_ALIAS = 1
FLAG_PIECE = 2
G_BITS = 24  # row_sg = surname id << G_BITS | (given id + 1)


def key_hash(key: str) -> int:
    """Stable 64-bit hash of a key string (crc32 and adler32 side by side). A collision only
    adds a candidate that ranking then scores low."""
    b = key.encode("utf-8")
    return (zlib.crc32(b) << 32) | zlib.adler32(b)


def key_hashes(keys: Iterable[str]) -> np.ndarray:
    return np.fromiter((key_hash(k) for k in keys), dtype=np.uint64)


@dataclass
class Vocab:
    """The distinct names of one part with their key table."""

    part: str
    norm_blob: bytes
    norm_off: np.ndarray
    skel_blob: bytes
    skel_off: np.ndarray
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

    def lookup(self, keys: list[str]) -> list[np.ndarray]:
        """Vocabulary ids for each key ("kind:value")."""
        if not keys:
            return []
        h = key_hashes(keys)
        lo = np.searchsorted(self.key_hash, h, side="left")
        hi = np.searchsorted(self.key_hash, h, side="right")
        return [self.key_vid[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True)]

    def prefix(self, text: str, by: str, cap: int) -> np.ndarray:
        """Ids whose form ("n") or skeleton ("k") starts with `text`; empty if more than cap."""
        perm = self.by_norm if by == "n" else self.by_skel
        get = self.norm if by == "n" else self.skel
        lo, hi = 0, len(perm)
        while lo < hi:  # first >= text
            mid = (lo + hi) // 2
            if get(int(perm[mid])) < text:
                lo = mid + 1
            else:
                hi = mid
        start = lo
        hi = len(perm)
        end_key = text + "\U0010ffff"
        while lo < hi:
            mid = (lo + hi) // 2
            if get(int(perm[mid])) < end_key:
                lo = mid + 1
            else:
                hi = mid
        if lo - start > cap:
            return np.empty(0, dtype=np.int32)
        return perm[start:lo]


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


def _strings_blob(values: list[str]) -> tuple[bytes, np.ndarray]:
    enc = [v.encode("utf-8") for v in values]
    off = np.zeros(len(enc) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in enc], out=off[1:])
    return b"".join(enc), off


class _Coder:
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


def _year(v: Any) -> int:
    try:
        return int(v) if v is not None else 0
    except (TypeError, ValueError):
        return 0


def rebuild(conn: Connection) -> None:
    """(Re)build and persist the candidate index from `name_key` and `record` (full rebuild;
    keys of names already in `search_vocab` are reused, so repeated imports stay cheap)."""
    t0 = time.perf_counter()
    # 1. Records and their filter values, in id order (dense index = position).
    sources = store.source_keys(conn)
    nat_c, bur_c, fam_c, src_c = _Coder(), _Coder(), _Coder(), _Coder()
    rec_id = array("q")
    b_from, b_to, b_alt, death = array("h"), array("h"), array("h"), array("h")
    nat, bur, fam, src = array("i"), array("i"), array("i"), array("i")
    for rid, bf, bt, dy, nt, bk, bp, family, sid, edtf in store.iter_record_filters(conn):
        rec_id.append(rid)
        bf_y, bt_y = _year(bf), _year(bt)
        alt = 0
        years = _one_of_years(edtf)
        if years:
            # Two printed birth years ("1896 (по другим данным - 1895)"): either, not between.
            bf_y = bt_y = years[0]
            alt = years[1]
        b_from.append(bf_y)
        b_to.append(bt_y or bf_y)
        b_alt.append(alt)
        death.append(_year(dy))
        nat.append(nat_c.code(nationality_key(nt)))
        # The printed place and its key side by side, so a filter may name either.
        bur.append(bur_c.code(f"{place_key(bp)}|{place_key(bk)}" if (bp or bk) else ""))
        fam.append(fam_c.code(family or ""))
        src.append(src_c.code(sources.get(sid, "") if sid is not None else ""))
    rec_pos = {rid: i for i, rid in enumerate(rec_id)}

    # 2. Name rows from the stored name parts.
    vocab_ids: dict[str, dict[str, int]] = {p: {} for p in PARTS}

    def vid(part: str, norm: str) -> int:
        ids = vocab_ids[part]
        i = ids.get(norm)
        if i is None:
            i = ids[norm] = len(ids)
        return i

    rows_s, rows_g, rows_p, rows_rec, rows_flag = (
        array("i"), array("i"), array("i"), array("i"), array("B")
    )  # fmt: skip

    def emit(pos: int, names: dict[int, dict[str, str]]) -> None:
        primary = names.get(0) or next(iter(names.values()))
        for alt, parts in names.items():
            merged = {**primary, **parts} if alt else parts
            s = merged.get("s")
            if not s:
                continue
            g, p = merged.get("g"), merged.get("p")
            gi = vid("g", g) if g else -1
            pi = vid("p", p) if p else -1
            flag = FLAG_ALIAS if alt else 0
            combos = [(vid("s", s), gi, flag)]
            combos += [(vid("s", piece), gi, flag | FLAG_PIECE) for piece in pieces(s)]
            if g:
                combos += [(vid("s", s), vid("g", gp), flag | FLAG_PIECE) for gp in pieces(g)]
            for si, gj, fl in combos:
                rows_s.append(si)
                rows_g.append(gj)
                rows_p.append(pi)
                rows_rec.append(pos)
                rows_flag.append(fl)

    current: int | None = None
    names: dict[int, dict[str, str]] = {}
    for rid, alt, part, norm in store.iter_name_keys(conn):
        if rid != current:
            if current is not None and names and current in rec_pos:
                emit(rec_pos[current], names)
            current, names = rid, {}
        names.setdefault(alt, {})[part] = norm
    if current is not None and names and current in rec_pos:
        emit(rec_pos[current], names)
    t1 = time.perf_counter()

    # 3. Keys of every distinct name (stored ones reused, new ones computed and stored).
    known = store.load_vocab(conn)
    missing = [(p, nm) for p in PARTS for nm in vocab_ids[p] if (p, nm) not in known]
    computed = _compute_keys(missing)
    new_rows: list[dict[str, Any]] = []
    vocabs: dict[str, dict[str, bytes]] = {}
    arrays: dict[str, np.ndarray] = {}
    for part in PARTS:
        norms = list(vocab_ids[part])
        hashes, vids = array("Q"), array("i")
        skels: list[str] = []
        for i, norm in enumerate(norms):
            hit = known.get((part, norm))
            if hit is None:
                keys = computed[(part, norm)]
                new_rows.append({"part": part, "norm": norm, "lookup_keys": " ".join(keys)})
            else:
                keys = hit[1].split(" ")
            skel = ""
            for k in keys:
                hashes.append(key_hash(k))
                vids.append(i)
                if k.startswith("k:"):
                    skel = k[2:]
            for d in deletions(skel):
                hashes.append(key_hash("e:" + d))
                vids.append(i)
            skels.append(skel)
        h = np.frombuffer(hashes, dtype=np.uint64) if hashes else np.empty(0, np.uint64)
        v = np.frombuffer(vids, dtype=np.int32) if vids else np.empty(0, np.int32)
        order = np.argsort(h, kind="stable")
        nb, no = _strings_blob(norms)
        sb, so = _strings_blob(skels)
        vocabs[part] = {"norm_blob": nb, "skel_blob": sb}
        arrays[f"{part}.norm_off"] = no
        arrays[f"{part}.skel_off"] = so
        arrays[f"{part}.key_hash"] = h[order]
        arrays[f"{part}.key_vid"] = v[order]
        arrays[f"{part}.by_norm"] = np.array(
            sorted(range(len(norms)), key=norms.__getitem__), dtype=np.int32
        )
        arrays[f"{part}.by_skel"] = np.array(
            sorted(range(len(skels)), key=skels.__getitem__), dtype=np.int32
        )
    store.insert_vocab(conn, new_rows)
    t2 = time.perf_counter()

    # 4. Rows sorted by (surname, given name); surname ranges.
    rs = np.frombuffer(rows_s, dtype=np.int32) if rows_s else np.empty(0, np.int32)
    rg = np.frombuffer(rows_g, dtype=np.int32) if rows_g else np.empty(0, np.int32)
    sg = (rs.astype(np.int64) << G_BITS) | (rg.astype(np.int64) + 1)
    order = np.argsort(sg, kind="stable")
    n_s = len(vocab_ids["s"])
    arrays["row_s"] = rs[order]
    arrays["row_g"] = rg[order]
    arrays["row_p"] = _arr(rows_p, np.int32)[order]
    arrays["row_rec"] = _arr(rows_rec, np.int32)[order]
    arrays["row_flag"] = _arr(rows_flag, np.uint8)[order]
    arrays["row_sg"] = sg[order]
    arrays["s_off"] = np.searchsorted(arrays["row_s"], np.arange(n_s + 1)).astype(np.int64)
    arrays["rec_id"] = _arr(rec_id, np.int64)
    arrays["birth_from"] = _arr(b_from, np.int16)
    arrays["birth_to"] = _arr(b_to, np.int16)
    arrays["birth_alt"] = _arr(b_alt, np.int16)
    arrays["death"] = _arr(death, np.int16)
    arrays["nat"] = _arr(nat, np.int32)
    arrays["burial"] = _arr(bur, np.int32)
    arrays["family"] = _arr(fam, np.int32)
    arrays["source"] = _arr(src, np.int32)

    timing = {"rows_s": round(t1 - t0, 3), "keys_s": round(t2 - t1, 3)}
    meta: dict[str, Any] = {
        "version": INDEX_VERSION,
        "records": len(rec_id),
        "rows": len(rs),
        "vocab": {p: len(vocab_ids[p]) for p in PARTS},
        "codes": {
            "nat": nat_c.values, "burial": bur_c.values, "family": fam_c.values,
            "source": src_c.values,
        },
        "arrays": {k: [str(a.dtype), list(a.shape)] for k, a in arrays.items()},
        "timing": timing,
    }  # fmt: skip
    blobs: dict[str, bytes] = {"meta": json.dumps(meta).encode("utf-8")}
    for k, a in arrays.items():
        blobs[k] = np.ascontiguousarray(a).tobytes()
    for part, strings in vocabs.items():
        for k, b in strings.items():
            blobs[f"{part}.{k}"] = b
    timing["total_s"] = round(time.perf_counter() - t0, 3)
    blobs["meta"] = json.dumps(meta).encode("utf-8")
    store.write_blobs(conn, blobs)


_PARALLEL_FROM = 10_000  # below this many new names a worker pool costs more than it saves


def _keys_chunk(chunk: list[tuple[str, str]]) -> list[list[str]]:
    return [vocab_keys(norm, part) for part, norm in chunk]


def _compute_keys(names: list[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
    """Keys of new names; spread over the CPUs for large vocabularies. Workers are forked
    (spawn would re-run `__main__`, which fails under `python -c`); they only compute keys
    from strings and never touch the inherited database handle."""
    workers = os.cpu_count() or 1
    if len(names) < _PARALLEL_FROM or workers < 2:
        return {(p, n): vocab_keys(n, p) for p, n in names}
    size = 5_000
    chunks = [names[i : i + size] for i in range(0, len(names), size)]
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
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


_ONE_OF = re.compile(r"^\[(\d{4})[^,\]]*,\s*(\d{4})[^\]]*\]$")


def _one_of_years(edtf: Any) -> tuple[int, int] | None:
    """The two years of an EDTF one-of set "[1896,1895]" (None for anything else)."""
    m = _ONE_OF.match(str(edtf or ""))
    return (int(m.group(1)), int(m.group(2))) if m else None


def load(source: Engine | Connection) -> Index | None:
    """The persisted index, or None if the archive has none yet."""
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
            key_hash=arr[f"{p}.key_hash"],
            key_vid=arr[f"{p}.key_vid"],
            by_norm=arr[f"{p}.by_norm"],
            by_skel=arr[f"{p}.by_skel"],
        )
        for p in PARTS
    }
    return Index(
        vocab=vocab,
        row_s=arr["row_s"], row_g=arr["row_g"], row_p=arr["row_p"], row_rec=arr["row_rec"],
        row_flag=arr["row_flag"], row_sg=arr["row_sg"], s_off=arr["s_off"],
        rec_id=arr["rec_id"], birth_from=arr["birth_from"], birth_to=arr["birth_to"],
        birth_alt=arr["birth_alt"],
        death=arr["death"], nat=arr["nat"], burial=arr["burial"], family=arr["family"],
        source=arr["source"], codes=meta["codes"], meta=meta,
    )  # fmt: skip

"""The library API of the name search (the CLI and the web call this).

    searcher = Searcher.open(engine)          # loads the persisted index once
    result = searcher.search("Zygmunt Milewski", SearchFilters(born=1904))
    for hit in result.results: print(hit.to_json())
    searcher.suggest("Milewski Zyg")          # as someone types: at most 10 records

A query's words are assigned to name parts (surname first or last); each word's candidates
come from `match`; the name rows of the candidates are scored and the best record per row
wins. The last word of a query that is still being typed also matches the start of names.
`confident` is true only where every typed part matched by identity, a documented
romanisation or a sourced equivalence (see `match.BASIS`); `why` and `match` say which."""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import Connection, Engine

from memorybook.search import index as index_mod
from memorybook.search.filters import nationality_key, place_key
from memorybook.search.index import G_BITS, Index
from memorybook.search.match import Candidates, match
from memorybook.search.names import equivalents
from memorybook.search.query import Query, Word, parse
from memorybook.search.why import PartMatch, describe, initial_match, no_match, part_match
from memorybook.storage import search_store as store

_T = TypeVar("_T")

W_S, W_G, W_P = 0.6, 0.25, 0.15
_ROW_CAP = 200_000  # rows scored per query at most (the commonest surnames at 3 M records)
_FULL_RANGE = 4000  # below this many rows, score whole surname ranges, not just name pairs
_COUNT_EXACT = 2_000
_MATCH_CACHE = 50_000  # (part, word) matches kept per searcher: names repeat across queries
_WORDED_CACHE = 50_000  # worded part matches kept per searcher (`Searcher._part`)
SUGGEST_LIMIT = 10
# The start of a name is looked for from this many letters: alone, or after other words.
_PREFIX_ALONE, _PREFIX_AFTER = 3, 2


def record_path(record_id: int) -> str:
    """The record's page on the web archive (its JSON twin adds `.json`)."""
    return f"/records/{record_id}"


@dataclass(slots=True)
class SearchFilters:
    born: int | None = None
    born_from: int | None = None
    born_to: int | None = None
    died: int | None = None
    nationality: str | None = None
    burial_place: str | None = None
    source: str | None = None  # a source family or a source key

    def active(self) -> bool:
        return any(v is not None and v != "" for v in (
            self.born, self.born_from, self.born_to, self.died, self.nationality,
            self.burial_place, self.source))  # fmt: skip

    @classmethod
    def from_json(cls, data: Any) -> SearchFilters:
        """From a `--batch` line's "filters" ({"birth_year": 1893 | [1889, 1899]} and the
        names of this class's fields); raises `BadQuery` for values that are not that."""
        from memorybook.search.batch import parse_filters

        return parse_filters(data)


@dataclass(slots=True)
class Hit:
    record_id: int
    locator: dict[str, Any]
    name: str
    birth: str | None
    score: float
    confident: bool
    why: str
    match: list[PartMatch] = field(default_factory=list)
    alias: bool = False  # matched the name printed in parentheses

    def to_json(self) -> dict[str, Any]:
        return {
            "locator": self.locator,
            "record_id": self.record_id,
            "url": record_path(self.record_id),
            "name": self.name,
            "birth": self.birth,
            "score": self.score,
            "confident": self.confident,
            "why": self.why,
            "match": [m.to_json() for m in self.match],
            "alias": self.alias,
        }


@dataclass(slots=True)
class SearchResult:
    query: str
    results: list[Hit] = field(default_factory=list)
    total: int = 0  # matching records before limit/offset (name rows above 2,000)
    # A search run with explain=False leaves each hit's `why` and `match` to `explain`.
    _explainer: Callable[[Hit], None] | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "results": [self.explain(h).to_json() for h in self.results],
        }

    def explain(self, hit: Hit) -> Hit:
        """`hit` (one of `results`) with its `why` and `match` filled in: a search run with
        explain=False words only the hits a page shows, not every candidate it ranked."""
        if self._explainer is not None:
            self._explainer(hit)
        return hit


@dataclass(frozen=True, slots=True)
class Reason:
    """What the search says of one ranked hit (`Ranked.reason`): the same score,
    confidence, `why` and `match` as the hit `search` returns for that record."""

    score: float
    confident: bool
    why: str
    match: list[PartMatch]
    alias: bool


@dataclass(slots=True)
class Ranked:
    """Record ids best first (`Searcher.ranked`); `total` as in `SearchResult`."""

    query: str
    ids: list[int] = field(default_factory=list)
    total: int = 0
    # Each id's position in the name index's records (`Index.rec_id`), for arrays kept in
    # the same order (the persons and facets of the same archive version: no binary search).
    positions: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    _reason: Callable[[int], Reason] | None = field(default=None, repr=False, compare=False)

    def reason(self, record_id: int) -> Reason:
        """How the search matched `record_id` (one of `ids`), worded when asked."""
        if self._reason is None:
            raise KeyError(record_id)
        return self._reason(record_id)


@dataclass(slots=True)
class _Assignment:
    """One reading of the query: which word is the surname, given name, patronymic (word
    indexes), or which initials stand for the given name and patronymic."""

    s: int
    g: int | None
    p: int | None
    g_initial: str | None
    p_initial: str | None


def _assignments(q: Query) -> list[_Assignment]:
    n = len(q.words)
    ini = q.initials
    if n == 1:
        return [
            _Assignment(0, None, None, ini[0] if ini else None, ini[1] if len(ini) > 1 else None)
        ]
    if n == 2:
        pi = ini[0] if ini else None
        return [_Assignment(0, 1, None, None, pi), _Assignment(1, 0, None, None, pi)]
    # Surname first (lists, archives) or last (Имя Отчество Фамилия).
    return [_Assignment(0, 1, 2, None, None), _Assignment(2, 0, 1, None, None)]


@dataclass(slots=True)
class _Reading:
    """An assignment with the candidates of its words."""

    a: _Assignment
    S: Candidates
    G: Candidates | None
    P: Candidates | None

    def complete(self) -> bool:
        """Every typed word found something in its part."""
        return len(self.S) > 0 and all(c is None or len(c) > 0 for c in (self.G, self.P))


@dataclass(slots=True)
class _Scored:
    """Name rows of one reading with their scores."""

    reading: int
    rows: np.ndarray
    score: np.ndarray
    sure: np.ndarray


class Searcher:
    def __init__(self, engine: Engine | None, index: Index | None) -> None:
        self.engine = engine
        self._opened: list[Connection] = []
        self.index = index
        self._first: dict[str, np.ndarray] = {}
        self._matches: OrderedDict[tuple[str, str, bool], Candidates] = OrderedDict()
        self._initials: dict[tuple[str, str], np.ndarray] = {}
        self._parts: dict[tuple[Any, ...], tuple[PartMatch, str]] = {}  # `_part`
        self._local = threading.local()  # one read connection per thread, kept open
        equivalents()  # load the name table now, not on the first query
        if index is not None:
            for part in ("g", "p"):
                voc = index.vocab[part]
                first = np.zeros(voc.size + 1, dtype=np.int32)
                for i in range(voc.size):
                    n = voc.norm(i)
                    first[i + 1] = ord(n[0]) if n else 0
                self._first[part] = first

    @classmethod
    def open(cls, engine: Engine) -> Searcher:
        return cls(engine, index_mod.load(engine))

    # -- the search ---------------------------------------------------------------------
    def search(
        self,
        query: str,
        filters: SearchFilters | None = None,
        limit: int = 10,
        offset: int = 0,
        conn: Connection | None = None,
        explain: bool = True,
    ) -> SearchResult:
        """Records whose printed name matches `query`, best first (ties in archive order).
        With `explain` off the hits' `why` and `match` are left empty until
        `SearchResult.explain` is asked for them (a page that ranks 1,000 candidates and
        shows 20 words 20)."""
        result = SearchResult(query=query)
        found = self._top(query, filters, limit, offset)
        if found is None:
            return result
        q, readings, top, result.total = found
        if self.engine is None and conn is None:
            return result
        result.results = self._hits(q, readings, top, conn, explain)
        if not explain:
            result._explainer = self._explainer(q, readings, top)
        return result

    def ranked(
        self,
        query: str,
        filters: SearchFilters | None = None,
        limit: int = 10,
        conn: Connection | None = None,
    ) -> Ranked:
        """The record ids `search` would answer, best first, without reading what they show:
        the web ranks 1,000 candidates to count, group and filter them, and shows 20 (whose
        rows it reads itself). The same hits as `search(query, filters, limit).results`
        whose shown name is not blank (an entry without a printed name is never a name
        result); `reason` words one of them on demand."""
        out = Ranked(query)
        found = self._top(query, filters, limit, 0)
        if found is None:
            return out
        q, readings, top, out.total = found
        ix = self.index
        assert ix is not None
        pos = ix.row_rec[np.fromiter((t[1] for t in top), np.int64, len(top))]
        ids = ix.rec_id[pos].tolist()
        unnamed: set[int]
        if ix.unnamed is None:  # an index built before it kept them: ask the archive
            unnamed = self._read(conn, lambda db: store.unnamed_records(db, ids))
        elif len(ix.unnamed):
            near = np.minimum(np.searchsorted(ix.unnamed, pos), len(ix.unnamed) - 1)
            unnamed = set(ix.rec_id[pos[ix.unnamed[near] == pos]].tolist())
        else:
            unnamed = set()
        at: dict[int, tuple[int, int, float, bool]] = {}
        kept: list[int] = []
        for i, (rid, t) in enumerate(zip(ids, top, strict=True)):
            if rid not in unnamed:
                out.ids.append(rid)
                kept.append(i)
                at[rid] = t
        out.positions = pos[kept] if len(kept) < len(pos) else pos

        # The words of a match depend on the reading and the row's names alone: the hits a
        # page shows often share them (one surname, a few given names), so they are worded
        # once per search.
        worded: dict[tuple[int, int, int, int, int], tuple[list[PartMatch], str]] = {}

        def reason(record_id: int) -> Reason:
            n, row, score, sure = at[record_id]
            flag = int(ix.row_flag[row])
            alias = bool(flag & index_mod.FLAG_ALIAS)
            key = (n, int(ix.row_s[row]), int(ix.row_g[row]), int(ix.row_p[row]), flag)
            known = worded.get(key)
            if known is None:
                known = worded[key] = self._worded(q, readings[n], row)
            return Reason(round(score, 3), sure, known[1], list(known[0]), alias)

        out._reason = reason
        return out

    def _top(
        self, query: str, filters: SearchFilters | None, limit: int, offset: int
    ) -> tuple[Query, list[_Reading], list[tuple[int, int, float, bool]], int] | None:
        """The parsed query, its readings, the page's (reading, row, score, confident) best
        first and the number of matching records; None when nothing can match."""
        q = parse(query)
        if self.index is None or not q.words or limit <= 0:
            return None
        if len(q.words) > 3:
            q.words, q.open_end = q.words[:3], False
        readings = self._readings(q)
        fmask = self._filter_fn(filters) if filters is not None and filters.active() else None
        need = offset + limit
        scored = [s for i, r in enumerate(readings) if (s := self._score(i, r, fmask, need))]
        if not scored:
            return None
        top, total = self._rank(scored, offset, limit)
        return q, readings, top, total

    def suggest(
        self, text: str, limit: int = SUGGEST_LIMIT, conn: Connection | None = None
    ) -> SearchResult:
        """As someone types: at most 10 records whose name starts as typed (the last word
        may be unfinished, in any name position, in either script)."""
        return self.search(text, None, limit=max(0, min(limit, SUGGEST_LIMIT)), conn=conn)

    def search_batch(self, items: Iterable[Any]) -> Iterator[dict[str, Any]]:
        """Many queries, one open index and connection: yields {"id", "results"} per item.
        Items are `search.batch.BatchQuery` or the JSON objects it is checked from (an
        invalid one raises `BadQuery`)."""
        from memorybook.search.batch import BatchQuery, parse_item

        assert self.engine is not None
        with self.engine.connect() as conn:
            for item in items:
                q = item if isinstance(item, BatchQuery) else parse_item(item)
                res = self.search(q.query, q.filters, limit=q.limit, conn=conn)
                yield {"id": q.id, "results": [h.to_json() for h in res.results]}

    def close(self) -> None:
        """Close the connections every thread opened (a PostgreSQL session must not be left
        to the garbage collector)."""
        opened, self._opened = self._opened, []
        for conn in opened:
            with contextlib.suppress(Exception):
                conn.close()
        self._local.conn = None

    # -- readings and their candidates --------------------------------------------------
    def _readings(self, q: Query) -> list[_Reading]:
        """Each assignment of the words with their candidates. Where some reading finds a
        candidate for every typed word, readings that leave a word unmatched are dropped:
        a word that matches nothing is no evidence for the others."""
        last = len(q.words) - 1
        min_prefix = _PREFIX_ALONE if last == 0 else _PREFIX_AFTER

        def cands(i: int | None, part: str) -> Candidates | None:
            if i is None:
                return None
            word = q.words[i]
            prefix = q.open_end and i == last and len(word.norm) >= min_prefix
            return self._match(part, word, prefix)

        out = []
        for a in _assignments(q):
            S = cands(a.s, "s")
            assert S is not None
            out.append(_Reading(a, S, cands(a.g, "g"), cands(a.p, "p")))
        if any(r.complete() for r in out):
            out = [r for r in out if r.complete()]
        return out

    def _match(self, part: str, word: Word, prefix: bool) -> Candidates:
        assert self.index is not None
        key = (part, word.raw, prefix)
        found = self._matches.get(key)
        if found is None:
            found = match(self.index.vocab[part], word, part, prefix=prefix)
            self._matches[key] = found
            if len(self._matches) > _MATCH_CACHE:
                self._matches.popitem(last=False)
        else:
            self._matches.move_to_end(key)
        return found

    # -- scoring name rows ----------------------------------------------------------------
    def _score(self, n: int, r: _Reading, fmask: Any, need: int) -> _Scored | None:
        """The name rows of one reading with their scores: surname 0.6, given name 0.25,
        patronymic 0.15 (a typed name against the stored one, or a typed initial against
        its first letter), over the weight of the parts typed."""
        ix = self.index
        assert ix is not None
        if not len(r.S):
            return None
        a = r.a
        surname_only = r.G is None and r.P is None and a.g_initial is None
        if surname_only and fmask is not None:
            # The score is the surname's alone: filter candidate by candidate, best first,
            # and stop once the page is full (a filter must not cost a full scan).
            rows = self._rows_filtered(r.S, fmask, need)
        else:
            rows = self._rows(r, need if surname_only else _ROW_CAP)
        s_score, sure = r.S.lookup(ix.row_s[rows])
        total = W_S * s_score
        keep = total > 0  # the surname must match; rows reached by another part may not
        weight = W_S
        for part, typed, initial, w, row_of in (
            ("g", r.G, a.g_initial, W_G, ix.row_g),
            ("p", r.P, a.p_initial, W_P, ix.row_p),
        ):
            if typed is not None:
                sc, su = typed.lookup(row_of[rows])
                total = total + w * sc
                sure = sure & su
                weight += w
            elif initial is not None:
                ok = self._initial_table(part, initial)[row_of[rows] + 1]
                total = total + w * ok
                sure = sure & ok
                weight += w
        if fmask is not None and not surname_only:
            keep &= fmask(ix.row_rec[rows])
        # One part of a double name ranks just below the same name standing alone.
        total = np.where(ix.row_flag[rows] & index_mod.FLAG_PIECE, total * 0.99, total)
        rows, total, sure = rows[keep], total[keep], sure[keep]
        if not len(rows):
            return None
        return _Scored(n, rows, (total / weight).astype(np.float32), sure)

    def _rows(self, r: _Reading, need: int) -> np.ndarray:
        """Name rows worth scoring. Usually the surname candidates' ranges; when those are
        many (a short start of a surname) and the given name or patronymic are rarer, the
        rows of those instead; for common surnames with a typed given name only the rows
        whose (surname, given name) pair is a candidate pair."""
        ix = self.index
        assert ix is not None
        S = r.S
        starts = ix.s_off[S.vids]
        sizes = ix.s_off[S.vids + 1] - starts
        by_s = int(sizes.sum())
        if by_s > _FULL_RANGE:
            other = min(
                ((self._part_rows(c, p), p, c) for p, c in (("g", r.G), ("p", r.P)) if c),
                key=lambda t: t[0],
                default=None,
            )
            if other is not None and other[0] * 4 < by_s:
                return self._rows_of_part(other[2], other[1])
        if r.G is not None and len(r.G) and by_s > _FULL_RANGE:
            return self._pair_rows(S, r.G, starts, sizes)
        cum = np.cumsum(sizes)
        cut = int(np.searchsorted(cum, min(need, _ROW_CAP))) + 1
        ci = np.arange(min(cut, len(S.vids)))
        return self._gather(starts[ci], sizes[ci])

    def _part_rows(self, c: Candidates, part: str) -> int:
        assert self.index is not None
        off = self.index.g_off if part == "g" else self.index.p_off
        return int((off[c.vids + 2] - off[c.vids + 1]).sum())

    def _rows_of_part(self, c: Candidates, part: str) -> np.ndarray:
        """The rows whose given name (or patronymic) is a candidate."""
        ix = self.index
        assert ix is not None
        off, perm = (ix.g_off, ix.g_rows) if part == "g" else (ix.p_off, ix.p_rows)
        lo = off[c.vids + 1]
        return perm[self._gather(lo, off[c.vids + 2] - lo)].astype(np.int64)

    def _pair_rows(
        self, S: Candidates, G: Candidates, starts: np.ndarray, sizes: np.ndarray
    ) -> np.ndarray:
        """Small surnames whole; big ones only where the given name is a candidate too."""
        ix = self.index
        assert ix is not None
        small = sizes <= 300
        gv = G.vids[:80].astype(np.int64) + 1
        big = np.flatnonzero(~small)
        keys = ((S.vids[big].astype(np.int64) << G_BITS)[:, None] | gv[None, :]).ravel()
        lo = np.searchsorted(ix.row_sg, keys, side="left")
        hi = np.searchsorted(ix.row_sg, keys, side="right")
        small_ci = np.flatnonzero(small)
        lo = np.concatenate([lo, starts[small_ci]])
        hi = np.concatenate([hi, starts[small_ci] + sizes[small_ci]])
        return self._gather(lo, hi - lo)

    def _rows_filtered(self, S: Candidates, fmask: Any, need: int) -> np.ndarray:
        """Rows of the best surname candidates that pass the filters, gathered in a few
        vectorised rounds of growing size, stopping once the page is full (a filter must
        not cost a scan of every candidate when the first ones suffice)."""
        ix = self.index
        assert ix is not None
        starts = ix.s_off[S.vids]
        sizes = ix.s_off[S.vids + 1] - starts
        cum = np.cumsum(sizes)
        parts: list[np.ndarray] = []
        found, done, budget = 0, 0, max(50 * need, 2000)
        while done < len(S.vids):
            limit = (int(cum[done - 1]) if done else 0) + budget
            upto = min(max(done + 1, int(np.searchsorted(cum, limit, side="right"))), len(S.vids))
            rows = self._gather(starts[done:upto], sizes[done:upto])
            rows = rows[fmask(ix.row_rec[rows])]
            parts.append(rows)
            found += len(rows)
            done = upto
            if found >= need:
                # Finish the candidates tied with the last one taken, then stop.
                last = float(S.scores[done - 1])
                while done < len(S.vids) and float(S.scores[done]) >= last:
                    r = self._gather(starts[done : done + 1], sizes[done : done + 1])
                    parts.append(r[fmask(ix.row_rec[r])])
                    done += 1
                break
            if int(cum[done - 1]) >= _ROW_CAP:
                break
            budget *= 4
        return np.concatenate(parts) if parts else np.empty(0, np.int64)

    @staticmethod
    def _gather(lo: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """The row numbers of the ranges [lo, lo + len), capped at _ROW_CAP rows."""
        lo, lens = lo.astype(np.int64), lens.astype(np.int64)
        nz = lens > 0
        lo, lens = lo[nz], lens[nz]
        total = int(lens.sum())
        if total > _ROW_CAP:
            k = int(np.searchsorted(np.cumsum(lens), _ROW_CAP)) + 1
            lo, lens = lo[:k], lens[:k]
            total = int(lens.sum())
        if total == 0:
            return np.empty(0, np.int64)
        offs = np.repeat(np.cumsum(lens) - lens, lens)
        return np.repeat(lo, lens) + (np.arange(total) - offs)

    def _initial_table(self, part: str, letters: str) -> np.ndarray:
        """Which names (vocabulary id + 1) start with one of `letters`."""
        key = (part, letters)
        table = self._initials.get(key)
        if table is None:
            table = np.isin(self._first[part], [ord(c) for c in letters])
            table[0] = False
            self._initials[key] = table
        return table

    # -- ranking and results --------------------------------------------------------------
    def _rank(
        self, scored: list[_Scored], offset: int, limit: int
    ) -> tuple[list[tuple[int, int, float, bool]], int]:
        """The page: (reading, row, score, confident) of the best row of each of the best
        records (ties in archive order), and the number of matching records."""
        ix = self.index
        assert ix is not None
        reading = np.concatenate([np.full(len(s.rows), s.reading, np.int8) for s in scored])
        rows = np.concatenate([s.rows for s in scored])
        score = np.concatenate([s.score for s in scored])
        sure = np.concatenate([s.sure for s in scored])
        rec = ix.row_rec[rows]
        # Distinct records when cheap to count; above that, the number of name rows (an
        # upper bound: a record can match through an alias or both name orders).
        total = len(np.unique(rec)) if len(rec) <= _COUNT_EXACT else len(rec)
        # Only the best rows can reach the page: keep ~8 × (offset + limit) of them (all
        # rows tied at the cut, the earliest records first) before sorting.
        keep = max(8 * (offset + limit), 256)
        if len(score) > keep:
            thr = np.partition(score, len(score) - keep)[len(score) - keep]
            above = np.flatnonzero(score > thr)
            tied = np.flatnonzero(score == thr)
            room = keep - len(above)
            if 0 < room < len(tied):
                tied = tied[np.argpartition(rec[tied], room - 1)[:room]]
            sel = np.concatenate([above, tied[: max(room, 0)]])
            reading, rows, score, sure, rec = (
                reading[sel], rows[sel], score[sel], sure[sel], rec[sel]
            )  # fmt: skip
        # Best row per record (a confident row before an equal unconfident one), then best
        # records first (ties: archive order).
        order = np.lexsort((rec, ~sure, -score))
        _, first = np.unique(rec[order], return_index=True)
        best = order[first]
        best = best[np.lexsort((rec[best], -score[best]))][offset : offset + limit]
        # Python values a whole column at a time (one numpy scalar per cell cost more than
        # the ranking at 1,000 candidates).
        picked = zip(
            reading[best].tolist(), rows[best].tolist(), score[best].tolist(),
            sure[best].tolist(), strict=True,
        )  # fmt: skip
        return list(picked), total

    def _hits(
        self,
        q: Query,
        readings: list[_Reading],
        top: list[tuple[int, int, float, bool]],
        conn: Connection | None,
        explain: bool = True,
    ) -> list[Hit]:
        ix = self.index
        assert ix is not None
        ids = [int(ix.rec_id[ix.row_rec[row]]) for _, row, _, _ in top]
        shown = self._read(conn, lambda db: store.fetch_records(db, ids))
        hits = []
        for (n, row, score, sure), rid in zip(top, ids, strict=True):
            rec = shown.get(rid)
            if rec is None:
                continue
            parts, why = self._worded(q, readings[n], row) if explain else ([], "")
            hits.append(
                Hit(
                    record_id=rid,
                    locator={"file": rec.file, "index": rec.idx},
                    name=index_mod.shown_name(
                        rec.name, rec.surname, rec.given_name, rec.patronymic
                    ),
                    birth=rec.birth_edtf or (str(rec.birth_from) if rec.birth_from else None),
                    score=round(score, 3),
                    confident=sure,
                    why=why,
                    match=parts,
                    alias=bool(ix.row_flag[row] & index_mod.FLAG_ALIAS),
                )
            )
        return hits

    def _explainer(
        self,
        q: Query,
        readings: list[_Reading],
        top: list[tuple[int, int, float, bool]],
    ) -> Callable[[Hit], None]:
        """Fills in a hit's `why` and `match` once, when asked (`SearchResult.explain`)."""
        ix = self.index
        assert ix is not None
        rows = {int(ix.rec_id[ix.row_rec[row]]): (n, row) for n, row, _, _ in top}

        def fill(hit: Hit) -> None:
            at = rows.pop(hit.record_id, None)
            if at is None:  # explained already, or not a hit of this search
                return
            n, row = at
            hit.match, hit.why = self._worded(q, readings[n], row)

        return fill

    def _worded(self, q: Query, r: _Reading, row: int) -> tuple[list[PartMatch], str]:
        """Per typed part, the rule that joined it to this row's name, and all of them in
        words (the hit's `match` and `why`)."""
        ix = self.index
        assert ix is not None
        a = r.a
        parts: list[PartMatch] = []
        texts: list[str] = []
        for part, word_i, cands, initial, row_of in (
            ("s", a.s, r.S, None, ix.row_s),
            ("g", a.g, r.G, a.g_initial, ix.row_g),
            ("p", a.p, r.P, a.p_initial, ix.row_p),
        ):
            vid = int(row_of[row])
            if word_i is not None and cands is not None:
                k = cands.position(vid) if vid >= 0 else None
                word = q.words[word_i]
                if k is None:
                    m, text = self._part(("none", part, word.raw), no_match, part, word.raw)
                else:
                    reason = cands.reason(k)
                    m, text = self._part(
                        (part, word.raw, reason, vid), self._part_match, part, word, reason, vid
                    )
            elif initial is not None:
                ok = vid >= 0 and chr(int(self._first[part][vid + 1])) in initial
                n = 0 if part == "g" or a.g_initial is None else 1
                typed = q.initials_typed[n] if n < len(q.initials_typed) else initial
                stored = ix.vocab[part].norm(vid) if vid >= 0 else None
                m, text = self._part(
                    ("initial", part, typed, vid, ok), initial_match, part, typed, stored, ok
                )
            else:
                continue
            parts.append(m)
            texts.append(text)
        flag = int(ix.row_flag[row])
        if flag & index_mod.FLAG_PIECE and parts:
            parts[0] = replace(parts[0], detail={**parts[0].detail, "double_name": True})
            texts[0] = describe(parts[0])
        if flag & index_mod.FLAG_ALIAS:
            texts.append("matched the name printed in parentheses")
        return parts, "; ".join(texts)

    def _part_match(self, part: str, word: Word, reason: str, vid: int) -> PartMatch:
        assert self.index is not None
        return part_match(part, word, reason, self.index.vocab[part].norm(vid))

    def _part(
        self, key: tuple[Any, ...], make: Callable[..., PartMatch], *args: Any
    ) -> tuple[PartMatch, str]:
        """One part's match and its words, made once per searcher: what a part says depends
        on the typed word, the rule and the stored name alone, and the hits of many
        searches share them (one surname, the common given names)."""
        known = self._parts.get(key)
        if known is None:
            if len(self._parts) >= _WORDED_CACHE:
                self._parts.clear()
            m = make(*args)
            known = self._parts[key] = (m, describe(m))
        return known

    def _read(self, conn: Connection | None, query: Callable[[Connection], _T]) -> _T:
        """`query` on the caller's connection, or on this thread's own, left without a
        transaction afterwards: a reader must not hold a snapshot (or a WAL lock) between
        queries."""
        db = conn if conn is not None else self._connection()
        try:
            return query(db)
        finally:
            if conn is None and db.in_transaction():
                db.rollback()

    def _connection(self) -> Connection:
        assert self.engine is not None
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            conn = self.engine.connect()
            self._local.conn = conn
            self._opened.append(conn)
        return conn

    # -- filters --------------------------------------------------------------------------
    def _filter_fn(self, f: SearchFilters) -> Callable[[np.ndarray], np.ndarray]:
        ix = self.index
        assert ix is not None
        codes = ix.codes

        def code_set(name: str, pred: Callable[[str], bool]) -> np.ndarray:
            # A lookup table over codes (index code + 1; -1 is "not printed"): one gather
            # per filter instead of np.isin's sort.
            table = np.zeros(len(codes[name]) + 1, dtype=bool)
            for i, v in enumerate(codes[name]):
                if pred(v):
                    table[i + 1] = True
            return table

        nat = burial = fam = src = None
        if f.nationality:
            nk = nationality_key(f.nationality)
            nat = code_set("nat", lambda v: v == nk)
        if f.burial_place:
            bk = place_key(f.burial_place)
            burial = code_set("burial", lambda v: bk in v)
        if f.source:
            sk = f.source.strip()
            fam = code_set("family", lambda v: v == sk)
            src = code_set("source", lambda v: v == sk)
        lo = f.born if f.born is not None else f.born_from
        hi = f.born if f.born is not None else f.born_to

        def mask(rec: np.ndarray) -> np.ndarray:
            m = np.ones(len(rec), dtype=bool)
            if lo is not None or hi is not None:
                m &= _born_between(ix, rec, lo, hi)
            if f.died is not None:
                m &= ix.death[rec] == f.died
            if nat is not None:
                m &= nat[ix.nat[rec] + 1]
            if burial is not None:
                m &= burial[ix.burial[rec] + 1]
            if fam is not None and src is not None:
                m &= fam[ix.family[rec] + 1] | src[ix.source[rec] + 1]
            return m

        return mask


def _born_between(ix: Index, rec: np.ndarray, lo: int | None, hi: int | None) -> np.ndarray:
    """Records born within [lo, hi] by their printed years or the other printed year."""
    bf, bt, ba = ix.birth_from[rec], ix.birth_to[rec], ix.birth_alt[rec]
    main, alt = bf > 0, ba > 0
    if lo is not None:
        main &= bt >= lo
        alt &= ba >= lo
    if hi is not None:
        main &= bf <= hi
        alt &= ba <= hi
    return main | alt

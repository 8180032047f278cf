"""The library API of the name search (the CLI and the web call this).

searcher = Searcher.open(engine)          # loads the persisted index once
result = searcher.search("Zygmunt Milewski", SearchFilters(born=1904))
for hit in result.results: print(hit.to_json())
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine

from memorybook.search import index as index_mod
from memorybook.search.filters import nationality_key, place_key
from memorybook.search.index import G_BITS, Index
from memorybook.search.match import STRONG, Candidates, match
from memorybook.search.names import equivalents
from memorybook.search.query import Query, Word, parse
from memorybook.search.why import describe
from memorybook.storage import search_store as store

W_S, W_G, W_P = 0.6, 0.25, 0.15
_ROW_CAP = 200_000  # rows scored per query at most (the commonest surnames at 3 M records)
_FULL_RANGE = 4000  # below this many rows, score whole surname ranges, not just name pairs
_COUNT_EXACT = 2_000
_MATCH_CACHE = 50_000  # (part, word) matches kept per searcher: names repeat across queries


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

    def to_json(self) -> dict[str, Any]:
        return {
            "locator": self.locator,
            "name": self.name,
            "birth": self.birth,
            "score": self.score,
            "confident": self.confident,
            "why": self.why,
        }


@dataclass(slots=True)
class SearchResult:
    query: str
    results: list[Hit] = field(default_factory=list)
    total: int = 0  # matching records before limit/offset (name rows above 2,000)

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "results": [h.to_json() for h in self.results]}


@dataclass(slots=True)
class _Assignment:
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


class Searcher:
    def __init__(self, engine: Engine | None, index: Index | None) -> None:
        self.engine = engine
        self._opened: list[Connection] = []
        self.index = index
        self._first: dict[str, np.ndarray] = {}
        self._matches: OrderedDict[tuple[str, str], Candidates] = OrderedDict()
        self._initials: dict[tuple[str, str], np.ndarray] = {}
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
    ) -> SearchResult:
        result = SearchResult(query=query)
        ix = self.index
        q = parse(query)
        if ix is None or not q.words or limit <= 0:
            return result
        q.words = q.words[:3]
        cache: dict[tuple[int, str], Candidates] = {}

        def cands(i: int, part: str) -> Candidates:
            key = (i, part)
            if key not in cache:
                cache[key] = self._match(part, q.words[i])
            return cache[key]

        fmask = self._filter_fn(filters) if filters is not None and filters.active() else None
        need = offset + limit
        chunks: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        assigns = _assignments(q)
        for a_no, a in enumerate(assigns):
            S = cands(a.s, "s")
            if not len(S):
                continue
            G = cands(a.g, "g") if a.g is not None else None
            P = cands(a.p, "p") if a.p is not None else None
            surname_only = G is None and P is None and a.g_initial is None
            if surname_only and fmask is not None:
                # Score is the surname's alone: filter candidate by candidate, best first,
                # and stop once the page is full (a filter must not cost a full scan).
                rows, ci = self._rows_filtered(S, fmask, need)
            else:
                rows, ci = self._rows(S, G, need if surname_only else _ROW_CAP)
            if not len(rows):
                continue
            s_sc = S.scores[ci]
            total = W_S * s_sc
            weight = W_S
            strong = s_sc >= STRONG
            # Given name and patronymic score alike: a typed name against the stored one,
            # else a typed initial against the stored name's first letter.
            for part, typed, initial, w, row_of in (
                ("g", G, a.g_initial, W_G, ix.row_g),
                ("p", P, a.p_initial, W_P, ix.row_p),
            ):
                if typed is not None:
                    sc = self._dense(typed, part)[row_of[rows] + 1]
                    total = total + w * sc
                    weight += w
                    strong &= sc >= STRONG
                elif initial is not None:
                    ok = self._initial_table(part, initial)[row_of[rows] + 1]
                    total = total + w * ok
                    weight += w
                    strong &= ok
            score = (total / weight).astype(np.float32)
            if fmask is not None and not surname_only:
                keep = fmask(ix.row_rec[rows])
                rows, ci, score, strong = rows[keep], ci[keep], score[keep], strong[keep]
            chunks.append((a_no, rows, ci, score, strong))
        if not chunks:
            return result
        a_arr = np.concatenate([np.full(len(c[1]), c[0], np.int8) for c in chunks])
        rows = np.concatenate([c[1] for c in chunks])
        ci = np.concatenate([c[2] for c in chunks])
        score = np.concatenate([c[3] for c in chunks])
        strong = np.concatenate([c[4] for c in chunks])
        rec = ix.row_rec[rows]
        # Distinct records when cheap to count; above that, the number of name rows (an
        # upper bound: a record can match through an alias or both name orders).
        result.total = len(np.unique(rec)) if len(rec) <= _COUNT_EXACT else len(rec)
        # Only the best rows can reach the page: keep ~8 × (offset + limit) of them (all
        # rows tied at the cut, the earliest records first) before sorting.
        keep = max(8 * need, 256)
        if len(score) > keep:
            thr = np.partition(score, len(score) - keep)[len(score) - keep]
            above = np.flatnonzero(score > thr)
            tied = np.flatnonzero(score == thr)
            room = keep - len(above)
            if 0 < room < len(tied):
                tied = tied[np.argpartition(rec[tied], room - 1)[:room]]
            sel = np.concatenate([above, tied[: max(room, 0)]])
            a_arr, rows, ci, score, strong, rec = (
                a_arr[sel],
                rows[sel],
                ci[sel],
                score[sel],
                strong[sel],
                rec[sel],
            )
        # Best row per record, then best records first (ties: archive order).
        order = np.lexsort((rec, -score))
        _, first = np.unique(rec[order], return_index=True)
        best = order[first]
        best = best[np.lexsort((rec[best], -score[best]))]
        top = best[offset : offset + limit]
        ids = [int(ix.rec_id[r]) for r in rec[top]]
        if self.engine is None and conn is None:
            return result
        db = conn if conn is not None else self._connection()
        shown = store.fetch_records(db, ids)
        if conn is None and db.in_transaction():
            db.rollback()  # a reader must not hold a snapshot (or a WAL lock) between queries
        for j, rid in zip(top.tolist(), ids, strict=True):
            row = shown.get(rid)
            if row is None:
                continue
            a = assigns[int(a_arr[j])]
            why = self._why(q, a, int(rows[j]), int(ci[j]), cands)
            birth = row.birth_edtf or (str(row.birth_from) if row.birth_from else None)
            result.results.append(
                Hit(
                    record_id=rid,
                    locator={"file": row.file, "index": row.idx},
                    name=row.name
                    or " ".join(x for x in (row.surname, row.given_name, row.patronymic) if x),
                    birth=birth,
                    score=round(float(score[j]), 3),
                    confident=bool(strong[j]) and float(score[j]) >= STRONG,
                    why=why,
                )
            )
        return result

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

    # -- helpers ------------------------------------------------------------------------
    def _match(self, part: str, word: Word) -> Candidates:
        assert self.index is not None
        key = (part, word.raw)
        found = self._matches.get(key)
        if found is None:
            found = match(self.index.vocab[part], word, part)
            self._matches[key] = found
            if len(self._matches) > _MATCH_CACHE:
                self._matches.popitem(last=False)
        else:
            self._matches.move_to_end(key)
        return found

    def _initial_table(self, part: str, letters: str) -> np.ndarray:
        """Which names (vocabulary id + 1) start with one of `letters`."""
        key = (part, letters)
        table = self._initials.get(key)
        if table is None:
            table = np.isin(self._first[part], [ord(c) for c in letters])
            table[0] = False
            self._initials[key] = table
        return table

    def _connection(self) -> Connection:
        assert self.engine is not None
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            conn = self.engine.connect()
            self._local.conn = conn
            self._opened.append(conn)
        return conn

    def close(self) -> None:
        """Close the connections every thread opened (a PostgreSQL session must not be left
        to the garbage collector)."""
        opened, self._opened = self._opened, []
        for conn in opened:
            with contextlib.suppress(Exception):
                conn.close()
        self._local.conn = None

    def _dense(self, c: Candidates, part: str) -> np.ndarray:
        assert self.index is not None
        d = np.zeros(self.index.vocab[part].size + 1, dtype=np.float32)
        d[c.vids + 1] = c.scores
        return d

    def _rows(
        self, S: Candidates, G: Candidates | None, need: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Name rows of the surname candidates (and, for common surnames, only the rows whose
        given name is a candidate too): (row indices, index into S)."""
        ix = self.index
        assert ix is not None
        starts = ix.s_off[S.vids]
        sizes = ix.s_off[S.vids + 1] - starts
        if G is not None and len(G) and int(sizes.sum()) > _FULL_RANGE:
            small = sizes <= 300
            gv = G.vids[:80].astype(np.int64) + 1
            big = np.flatnonzero(~small)
            keys = ((S.vids[big].astype(np.int64) << G_BITS)[:, None] | gv[None, :]).ravel()
            lo = np.searchsorted(ix.row_sg, keys, side="left")
            hi = np.searchsorted(ix.row_sg, keys, side="right")
            big_ci = np.repeat(big, len(gv))
            small_ci = np.flatnonzero(small)
            lo = np.concatenate([lo, starts[small_ci]])
            hi = np.concatenate([hi, starts[small_ci] + sizes[small_ci]])
            ci = np.concatenate([big_ci, small_ci])
        else:
            cum = np.cumsum(sizes)
            cut = int(np.searchsorted(cum, min(need, _ROW_CAP))) + 1
            # Keep every candidate tied with the last one taken.
            ci = np.arange(min(cut, len(S.vids)))
            lo, hi = starts[ci], starts[ci] + sizes[ci]
        lens = (hi - lo).astype(np.int64)
        nz = lens > 0
        lo, lens, ci = lo[nz], lens[nz], ci[nz]
        total = int(lens.sum())
        if total == 0:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        if total > _ROW_CAP:
            cum = np.cumsum(lens)
            k = int(np.searchsorted(cum, _ROW_CAP)) + 1
            lo, lens, ci = lo[:k], lens[:k], ci[:k]
            total = int(lens.sum())
        offs = np.repeat(np.cumsum(lens) - lens, lens)
        rows = np.repeat(lo, lens) + (np.arange(total) - offs)
        return rows, np.repeat(ci, lens)

    def _rows_filtered(self, S: Candidates, fmask: Any, need: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the best surname candidates that pass the filters, gathered in a few
        vectorised rounds of growing size, stopping once the page is full (a filter must
        not cost a scan of every candidate when the first ones suffice)."""
        ix = self.index
        assert ix is not None
        starts = ix.s_off[S.vids]
        sizes = ix.s_off[S.vids + 1] - starts
        cum = np.cumsum(sizes)
        parts: list[tuple[np.ndarray, np.ndarray]] = []
        found, done, budget = 0, 0, max(50 * need, 2000)
        while done < len(S.vids):
            limit = (int(cum[done - 1]) if done else 0) + budget
            upto = max(done + 1, int(np.searchsorted(cum, limit, side="right")))
            upto = min(upto, len(S.vids))
            ci = np.arange(done, upto)
            rows, rci = self._gather(starts[ci], sizes[ci], ci)
            keep = fmask(ix.row_rec[rows])
            rows, rci = rows[keep], rci[keep]
            parts.append((rows, rci))
            found += len(rows)
            done = upto
            if found >= need:
                # Finish the candidates tied with the last one taken, then stop.
                last = float(S.scores[done - 1])
                while done < len(S.vids) and float(S.scores[done]) >= last:
                    done += 1
                    r, c = self._gather(starts[done - 1 : done], sizes[done - 1 : done],
                                        np.array([done - 1]))  # fmt: skip
                    k = fmask(ix.row_rec[r])
                    parts.append((r[k], c[k]))
                break
            if int(cum[done - 1]) >= _ROW_CAP:
                break
            budget *= 4
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def _gather(
        self, lo: np.ndarray, lens: np.ndarray, ci: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        lens = lens.astype(np.int64)
        total = int(lens.sum())
        offs = np.repeat(np.cumsum(lens) - lens, lens)
        rows = np.repeat(lo.astype(np.int64), lens) + (np.arange(total) - offs)
        return rows, np.repeat(ci.astype(np.int64), lens)

    def _filter_fn(self, f: SearchFilters) -> Any:
        ix = self.index
        assert ix is not None
        codes = ix.codes

        def code_set(name: str, pred: Any) -> np.ndarray:
            # A lookup table over codes (index code + 1; -1 is "not printed"): one gather
            # per filter instead of np.isin's sort.
            table = np.zeros(len(codes[name]) + 1, dtype=bool)
            for i, v in enumerate(codes[name]):
                if pred(v):
                    table[i + 1] = True
            return table

        nat = burial = fam = src = None
        if f.nationality:
            k = nationality_key(f.nationality)
            nat = code_set("nat", lambda v: v == k)
        if f.burial_place:
            k = place_key(f.burial_place)
            burial = code_set("burial", lambda v: k in v)
        if f.source:
            k = f.source.strip()
            fam = code_set("family", lambda v: v == k)
            src = code_set("source", lambda v: v == k)
        lo = f.born if f.born is not None else f.born_from
        hi = f.born if f.born is not None else f.born_to

        def mask(rec: np.ndarray) -> np.ndarray:
            m = np.ones(len(rec), dtype=bool)
            if lo is not None or hi is not None:
                bf = ix.birth_from[rec]
                bt = ix.birth_to[rec]
                ba = ix.birth_alt[rec]
                main = bf > 0
                alt = ba > 0
                if lo is not None:
                    main &= bt >= lo
                    alt &= ba >= lo
                if hi is not None:
                    main &= bf <= hi
                    alt &= ba <= hi
                m &= main | alt
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

    def _why(self, q: Query, a: _Assignment, row: int, ci: int, cands: Any) -> str:
        ix = self.index
        assert ix is not None
        S = cands(a.s, "s")
        flag = int(ix.row_flag[row])
        out = [
            "surname: "
            + describe(S.reasons[ci], q.words[a.s], ix.vocab["s"].norm(int(S.vids[ci])), "s")
        ]
        if flag & index_mod.FLAG_PIECE:
            out[0] += " (one part of a double name)"
        for label, word_i, part, initial in (
            ("given name", a.g, "g", a.g_initial),
            ("patronymic", a.p, "p", a.p_initial),
        ):
            vid = int((ix.row_g if part == "g" else ix.row_p)[row])
            if word_i is not None:
                c = cands(word_i, part)
                k = c.position(vid)
                if k is None:
                    out.append(f"{label}: no match")
                else:
                    out.append(
                        f"{label}: "
                        + describe(c.reasons[k], q.words[word_i], ix.vocab[part].norm(vid), part)
                    )
            elif initial is not None:
                ok = vid >= 0 and chr(int(self._first[part][vid + 1])) in initial
                out.append(f"{label}: initial {'matches' if ok else 'differs'}")
        if flag & index_mod.FLAG_ALIAS:
            out.append("matched the name printed in parentheses")
        return "; ".join(out)

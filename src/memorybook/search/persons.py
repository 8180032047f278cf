"""One row per person: a thin layer over the record-level name search.

The ranking stays the library's (`Searcher.search`, best record first); this layer only
folds the records of one person (as linkage grouped them) into the row of that person's
best-matching record, which keeps its reason:

    found = search_persons(searcher, "Александровский Михаил", limit=10)
    for row in found.results:
        print(row.person, row.records, row.hit.name, row.hit.why)   # "3 records"

`group_records` does the same for any ordered list of record ids (the web's filtered
candidates), and `person_ids` names the person of each record for the CLI's record-level
JSON (an extra "person" key; the contract of `memorybook search --json` is unchanged)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Connection

from memorybook.search.api import Hit, Searcher, SearchFilters
from memorybook.storage import person_store

# Record-level hits fetched per person asked for, first; then four times more each round.
_WINDOW = 3
_MAX_RECORDS = 20_000  # never fold more record hits than this for one page of persons


@dataclass(slots=True)
class PersonGroup:
    """The records of one person among ordered hits: `matched` in the hits' order (the
    first is the best match), `records` how many records the person has in all."""

    person: str | None  # None: a record no linkage run has placed yet (counts as its own)
    records: int
    matched: list[int] = field(default_factory=list)

    @property
    def best(self) -> int:
        return self.matched[0]


def group_records(conn: Connection, record_ids: Sequence[int]) -> list[PersonGroup]:
    """Ordered record ids folded by person, each person where its first record stood."""
    of = person_store.persons_of_records(conn, record_ids)
    groups: dict[str, PersonGroup] = {}
    out: list[PersonGroup] = []
    for rid in record_ids:
        found = of.get(int(rid))
        if found is None:
            out.append(PersonGroup(None, 1, [int(rid)]))
            continue
        key, size = found
        group = groups.get(key)
        if group is None:
            group = groups[key] = PersonGroup(key, size)
            out.append(group)
        group.matched.append(int(rid))
    return out


class PersonMap:
    """Which person each record belongs to, in memory (`group_records` without a statement
    per call): record ids ascending beside their persons' ids, and each person's number of
    records. Loaded once per archive version (the web's `Site` reloads it with the name
    index); a record it does not hold counts as a person of its own, as in the archive."""

    def __init__(self, records: np.ndarray, persons: np.ndarray) -> None:
        self.records = records
        self.persons = persons
        self._ids, self._sizes = np.unique(persons, return_counts=True)
        self._by_position: np.ndarray | None = None  # `align`

    def align(self, record_ids: np.ndarray) -> None:
        """Keep each record's person by its position in `record_ids` (every record of the
        same archive version, ascending: the name index's), -1 where none, so that `group`
        given those positions gathers instead of searching (a binary search of 1,000 ids in
        3,000,000 is ~0.7 ms, a gather ~0.01)."""
        dense = np.full(len(record_ids), -1, dtype=np.int64)
        if len(self.records) and len(record_ids):
            # The first person of a record, as `group` takes it.
            first = np.concatenate([[True], self.records[1:] != self.records[:-1]])
            recs, persons = self.records[first], self.persons[first]
            if len(recs) == len(record_ids) and np.array_equal(recs, record_ids):
                dense[:] = persons  # every record placed (as after an import): no search
            else:  # 0.5 s at 3,000,000 records
                at = np.minimum(np.searchsorted(record_ids, recs), len(record_ids) - 1)
                ok = record_ids[at] == recs
                dense[at[ok]] = persons[ok]
        self._by_position = dense

    @classmethod
    def load(cls, conn: Connection) -> PersonMap:
        return cls(*person_store.record_persons(conn))

    def nbytes(self) -> int:
        arrays = (self.records, self.persons, self._ids, self._sizes, self._by_position)
        return sum(a.nbytes for a in arrays if a is not None)

    def group(self, record_ids: Sequence[int], positions: np.ndarray | None = None) -> Grouped:
        """The persons of ordered record ids, each where its first record stood (the order
        and groups of `group_records`); the persons' keys are read only for a page.
        `positions`: the ids' positions in the records this map was aligned to (`align`)."""
        ids = np.asarray(record_ids, dtype=np.int64)
        n = len(ids)
        if positions is not None and self._by_position is not None and n:
            placed_at = self._by_position[positions]
            person = np.where(placed_at >= 0, placed_at, -1 - np.arange(n, dtype=np.int64))
        elif n and len(self.records):
            at = np.minimum(np.searchsorted(self.records, ids), len(self.records) - 1)
            placed = self.records[at] == ids
            person = np.where(placed, self.persons[at], -1 - np.arange(n, dtype=np.int64))
        else:  # nobody placed: every record a person of its own (codes below 0)
            person = -1 - np.arange(n, dtype=np.int64)
        codes, first = np.unique(person, return_index=True)
        order = np.argsort(first, kind="stable")
        return Grouped(self, ids, person, codes[order])


@dataclass(slots=True)
class Grouped:
    """Ordered record ids folded by person (`PersonMap.group`); `len()` is the persons."""

    map: PersonMap
    ids: np.ndarray
    person: np.ndarray  # per id: its person's id, or a code below 0 for an unplaced record
    codes: np.ndarray  # the persons in order of their first record

    def __len__(self) -> int:
        return len(self.codes)

    def page(self, conn: Connection, start: int, stop: int) -> list[PersonGroup]:
        """The groups `group_records(conn, ids)[start:stop]` gives."""
        shown = self.codes[start:stop].tolist()
        keys = person_store.person_keys(conn, [c for c in shown if c >= 0])
        m = self.map
        out = []
        for code in shown:
            matched = self.ids[self.person == code].tolist()
            key = keys.get(code) if code >= 0 else None
            if key is None:  # unplaced (or its person gone since the map was loaded)
                out.append(PersonGroup(None, 1, matched[:1]))
                continue
            size = int(m._sizes[np.searchsorted(m._ids, code)])
            out.append(PersonGroup(key, size, matched))
        return out


@dataclass(slots=True)
class PersonHit:
    """One person found: the best-matching record's hit (its name, birth, score and why)
    and how many records the person has; `matched` are the ids of its records that the
    query found, best first."""

    person: str | None
    records: int
    hit: Hit
    matched: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "records": self.records,
            "matched": self.matched,
            **self.hit.to_json(),
            "record_id": self.hit.record_id,
        }


@dataclass(slots=True)
class PersonResult:
    query: str
    results: list[PersonHit] = field(default_factory=list)
    complete: bool = True  # False: the search had more record hits than were folded

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "results": [p.to_json() for p in self.results]}


def search_persons(
    searcher: Searcher,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 10,
    offset: int = 0,
    conn: Connection | None = None,
) -> PersonResult:
    """The name search, one row per person, best person first (the rank of its best
    record). Record hits are fetched in growing windows until `offset + limit` persons
    are found or the search has no more records."""
    out = PersonResult(query=query)
    need = offset + limit
    if limit <= 0:
        return out
    if conn is None:
        assert searcher.engine is not None
        with searcher.engine.connect() as own:
            return search_persons(searcher, query, filters, limit, offset, own)
    window = max(need * _WINDOW, 30)
    while True:
        # Unworded: only the best record of each person shown is worded below (the window
        # holds three times as many records as the page shows).
        found = searcher.search(query, filters, window, 0, conn=conn, explain=False)
        hits = found.results
        groups = group_records(conn, [h.record_id for h in hits])
        exhausted = len(hits) < window
        if len(groups) >= need or exhausted or window >= _MAX_RECORDS:
            break
        window = min(window * 4, _MAX_RECORDS)
    by_id = {h.record_id: h for h in hits}
    out.complete = exhausted
    for g in groups[offset:need]:
        hit = found.explain(by_id[g.best])
        out.results.append(PersonHit(g.person, g.records, hit, g.matched))
    return out


def person_ids(conn: Connection, record_ids: Sequence[int]) -> dict[int, str]:
    """record id -> its person's id (records no linkage run has placed are left out)."""
    return {rid: key for rid, (key, _) in person_store.persons_of_records(conn, record_ids).items()}

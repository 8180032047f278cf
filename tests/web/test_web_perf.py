"""The fast paths of the search page give the answers of the slow ones: facets and filters
from memory as from SQL, short work in the event loop as in a thread, and the worker's
listening socket set up for keep-alive clients."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from memorybook.storage import read_store as rs
from memorybook.storage.engine import open_archive


def _filters(conn: Any) -> list[rs.Filters]:
    out = [rs.Filters()]
    everything = rs.facet_counts(conn, rs.Filters(), None)
    for name, values in everything.items():
        for v in values[:2]:
            out.append(rs.Filters.of(**{name: v["value"]}))
            out.append(rs.Filters.of(**{name: str(v["value"])}))  # as a query string gives it
    out.append(rs.Filters.of(nationality="нет такой", sex="m"))
    return out


def test_facet_index_answers_as_sql(archive_path: Path) -> None:
    engine = open_archive(str(archive_path), read_only=True)
    with engine.connect() as conn:
        index = rs.FacetIndex.load(conn)
        ids = [int(i) for (i,) in conn.exec_driver_sql("SELECT id FROM record ORDER BY id")]
        subsets: list[list[int] | None] = [None, ids, ids[::2], ids[1:3], [], [ids[0], 10**9]]
        for filters, cand in itertools.product(_filters(conn), subsets):
            assert index.facet_counts(filters, cand) == rs.facet_counts(conn, filters, cand)
            if cand is not None:
                assert index.filter_ids(filters, cand) == rs.filter_ids(conn, filters, cand)
            assert index.count(filters, cand) == rs.count_records(conn, filters, cand)
    engine.dispose()


@pytest.mark.parametrize("inline", [1, 0])
def test_search_same_inline_or_threaded(make_client: Any, inline: int) -> None:
    client = make_client(rate=0, inline=inline, search_cache=0)
    data = client.get("/search.json", params={"q": "иванов"}).json()
    assert "Иванов Иван Иванович" in [h["name"] for h in data["hits"]]
    assert data["facets_truncated"] is False
    again = client.get("/search.json", params={"q": "иванов", "burial": "butovo"}).json()
    assert again["total"] is not None and again["total"] <= data["total"]
    assert client.get("/records/1.json").status_code in (200, 404)

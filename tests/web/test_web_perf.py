"""The fast paths of the search page give the answers of the slow ones: facets and filters
from memory as from SQL, short work in the event loop as in a thread, and the worker's
listening socket set up for keep-alive clients."""

from __future__ import annotations

import itertools
import json
import threading
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
            if cand is not None and 10**9 not in cand:  # positions known: the same counts
                at = index.positions(cand)
                assert index.facet_counts(filters, None, positions=at) == rs.facet_counts(
                    conn, filters, cand
                )
            if cand is not None:
                assert index.filter_ids(filters, cand) == rs.filter_ids(conn, filters, cand)
            assert index.count(filters, cand) == rs.count_records(conn, filters, cand)
    engine.dispose()


def test_search_and_record_same_inline_or_threaded(
    make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same requests give byte-identical answers whether short work runs in the event
    loop or in a compute thread, and each setting really takes its own path."""
    from memorybook.web.views import records

    threads: list[str] = []
    build = records.build

    def spy(*args: Any) -> Any:
        threads.append(threading.current_thread().name)
        return build(*args)

    monkeypatch.setattr(records, "build", spy)
    requests = [
        ("/search.json", {"q": "иванов"}),
        ("/search.json", {"q": "иванов", "burial": "butovo"}),
        ("/search.json", {"q": "zzzz нет такого"}),
        ("/records/1.json", None),
        ("/records/2.json", None),
    ]
    answers: dict[int, list[tuple[int, bytes]]] = {}
    ran_in: dict[int, set[str]] = {}
    for inline in (1, 0):
        client = make_client(rate=0, inline=inline, search_cache=0, record_cache=0)
        threads.clear()
        answers[inline] = [
            (r.status_code, r.content)
            for r in (client.get(url, params=params) for url, params in requests)
        ]
        ran_in[inline] = set(threads)
    assert answers[1] == answers[0]
    assert [status for status, _ in answers[1]] == [200] * len(requests)
    found = json.loads(answers[1][0][1])
    assert "Иванов Иван Иванович" in [h["name"] for h in found["hits"]]
    assert found["facets_truncated"] is False
    narrowed = json.loads(answers[1][1][1])
    assert narrowed["total"] is not None and narrowed["total"] <= found["total"]
    assert json.loads(answers[1][3][1])["id"] == 1
    # inline: the event loop's own thread; threaded: the worker's compute threads
    assert ran_in[1] and not any(name.startswith("compute") for name in ran_in[1])
    assert ran_in[0] and all(name.startswith("compute") for name in ran_in[0])


def test_web_server_runs_on_uvloop() -> None:
    # uvloop is a dependency because the mixed load's p99 depends on it (bench/load.py); an
    # environment installed before it was added falls back to asyncio's loop (said here)
    pytest.importorskip("uvloop", reason="uvloop (a dependency) is missing: pip install -e .")
    from memorybook.web.server import uvicorn_config

    config = uvicorn_config("memorybook.web.app:create_app", "warning")
    assert config.get_loop_factory().__module__.startswith("uvloop")

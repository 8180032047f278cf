"""Statistics stay bounded at any size: an import stores the charts and counts of the archive
version it commits (stats.summary), so a worker never counts the records for a visitor; an
archive without them (written before revision 0007, or by a write that stores none) is
counted once per worker and version, and counted again only after the archive changed."""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, delete
from tests.web.conftest import version_following_client

from memorybook import stats
from memorybook.archive import init_archive
from memorybook.ingest.importer import import_sources
from memorybook.stats import summary
from memorybook.storage import schema as s
from memorybook.storage import summary_store
from memorybook.storage.engine import write_transaction

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

# A few invented entries in the memorial-lists text format (synthetic, named as such).
LIST_A = """Синтетов Иван Петрович
Родился в 1890 г.
Арестован 2 августа 1937 г.
Приговорен: тройка при УНКВД по Московской обл. 20 сентября 1937 г.
Приговор: ВМН
Расстрелян 21 октября 1937 г.
---
Пробова Анна Сергеевна
Родилась в 1901 г.
Расстреляна 3 марта 1938 г.
---
"""
LIST_B = """Тестов Пётр Ильич
Родился в 1885 г.
Расстрелян 10 декабря 1937 г.
Реабилитирован 12 мая 1957 г.
---
"""


def _import(engine: Engine, folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    report = import_sources(engine, "memorial-lists", [path], synthetic=True)
    assert report.status == "imported"


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each chart function ran (in this process: the importer's and the web's)."""
    calls: Counter[str] = Counter()

    def counting(key: str, fn: Callable[[Connection], Any]) -> Callable[[Connection], Any]:
        def run(conn: Connection) -> Any:
            calls[key] += 1
            return fn(conn)

        return run

    for key, fn in list(stats.CHARTS.items()):
        monkeypatch.setitem(stats.CHARTS, key, counting(key, fn))
    return calls


def _executed(client: TestClient) -> int:
    answer = client.get("/statistics.json")
    assert answer.status_code == 200
    charts = {c["key"]: c for c in answer.json()["charts"]}
    assert all(c["available"] for c in charts.values())
    return int(charts["executions-per-day"]["total"])


def test_statistics_come_from_the_import_and_are_counted_again_after_the_next(
    engine: Engine, tmp_path: Path, counted: Counter[str]
) -> None:
    init_archive(engine)
    _import(engine, tmp_path, "a.txt", LIST_A)
    assert set(counted) == set(stats.CHARTS) and set(counted.values()) == {1}  # the import's
    with version_following_client(engine) as c:
        assert _executed(c) == 2
        assert c.get("/index.json").json()["records"] == 2
        for _ in range(3):
            assert _executed(c) == 2
        assert set(counted.values()) == {1}, "a visitor's request counted the records"

        _import(engine, tmp_path, "b.txt", LIST_B)  # while the site serves
        assert set(counted.values()) == {2}
        assert _executed(c) == 3  # the new version's counts
        assert c.get("/index.json").json()["records"] == 3
        assert set(counted.values()) == {2}


def test_without_stored_counts_a_worker_counts_once_per_version(
    engine: Engine, tmp_path: Path, counted: Counter[str]
) -> None:
    init_archive(engine)
    _import(engine, tmp_path, "a.txt", LIST_A)
    with write_transaction(engine) as conn:  # as an archive written before revision 0007
        conn.execute(delete(s.archive_summary))
    counted.clear()
    with version_following_client(engine) as c:
        for _ in range(4):
            assert _executed(c) == 2
        assert set(counted) == set(stats.CHARTS) and set(counted.values()) == {1}
        with write_transaction(engine):  # any write: a new version, nothing stored for it
            pass
        assert _executed(c) == 2
        assert _executed(c) == 2
        assert set(counted.values()) == {2}


def test_a_write_that_changes_nothing_counted_keeps_the_stored_counts(
    engine: Engine, tmp_path: Path, counted: Counter[str]
) -> None:
    init_archive(engine)
    _import(engine, tmp_path, "a.txt", LIST_A)
    with engine.connect() as conn:
        before = summary_store.archive_version(conn)
        stored = summary.load(conn)
    assert stored.version == before and stored.charts is not None and stored.persons is not None
    assert stored.counts is not None and stored.counts["records"] == 2
    # The same file again: nothing imported, a new version whose counts are the same.
    report = import_sources(engine, "memorial-lists", [tmp_path / "a.txt"], synthetic=True)
    assert report.status == "unchanged"
    with engine.connect() as conn:
        again = summary.load(conn)
    assert again.version == before + 1
    assert again.charts == stored.charts and again.counts == stored.counts
    assert set(counted.values()) == {1}

"""Importing the same file again creates nothing; a changed file is a new version that reuses
its unchanged entries."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from memorybook.ingest.formats import memorial_lists
from memorybook.ingest.importer import import_sources
from memorybook.storage import schema as s
from tests.conftest import Archives

ENTRIES = [
    "Родилась в 1874 г., г. Казань; русская;\nАрестована 7 марта 1932 г.",
    "Родился в 1901 г.; поляк;\nПриговор: ВМН",
    "Родился в 1901 г.; поляк;\nПриговор: ВМН",  # printed twice: two people, two records
]


def write(path: Path, entries: list[str]) -> Path:
    path.write_text("".join(e + "\n---\n" for e in entries), encoding="utf-8")
    return path


def count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)  # type: ignore[arg-type]


def test_same_file_twice_creates_nothing(tmp_path: Path, engine: Engine) -> None:
    path = write(tmp_path / "texts.txt", ENTRIES)
    first = import_sources(engine, "memorial-lists", [path])
    before = {
        t: count(engine, t) for t in (s.record, s.event, s.person, s.source, s.record_locator)
    }
    second = import_sources(engine, "memorial-lists", [path])
    after = {t: count(engine, t) for t in before}
    assert first.status == "imported" and first.records_created == 3
    assert second.status == "unchanged" and second.records_created == 0
    assert "nothing created" in second.message
    assert before == after


def test_changed_file_is_a_new_version_without_duplicates(tmp_path: Path, engine: Engine) -> None:
    path = write(tmp_path / "texts.txt", ENTRIES)
    import_sources(engine, "memorial-lists", [path])
    write(path, ["Родился в 1899 г.; латыш;", *ENTRIES])  # one new entry in front
    report = import_sources(engine, "memorial-lists", [path])
    assert report.status == "imported" and report.version == 2
    assert report.records_created == 1 and report.records_reused == 3
    assert count(engine, s.record) == 4
    with engine.connect() as conn:
        v2 = conn.execute(select(s.source.c.id).where(s.source.c.version == 2)).scalar()
        locs = (
            conn.execute(
                select(s.record_locator.c.idx)
                .where(s.record_locator.c.source_id == v2)
                .order_by(s.record_locator.c.idx)
            )
            .scalars()
            .all()
        )
    assert locs == [0, 1, 2, 3]  # every entry of the new version is located in it


def test_bulk_insert_takes_columns_in_any_order(engine: Engine) -> None:
    from memorybook.storage.archive_store import insert_many
    from memorybook.storage.engine import write_transaction

    rows = [
        {"data_json": "{}", "key": "b", "kind": "orders"},
        {"data_json": "[]", "key": "a", "kind": "figures"},
    ]
    with write_transaction(engine) as conn:
        insert_many(conn, s.reference_item, rows)
    with engine.connect() as conn:
        got = conn.execute(select(s.reference_item).order_by(s.reference_item.c.key)).all()
    assert [tuple(r) for r in got] == [("figures", "a", "[]"), ("orders", "b", "{}")]


def test_the_same_records_with_and_without_worker_processes(
    tmp_path: Path, archives: Archives, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More batches than one: every entry becomes a record whether the rows are built in
    this process or in worker processes (a dropped batch was once possible in-process)."""
    from memorybook.ingest import importer

    monkeypatch.setattr(importer, "BATCH", 2)
    path = write(tmp_path / "texts.txt", ENTRIES * 4)
    expected = sum(1 for e in memorial_lists.iter_entries(path) if not e.empty)
    assert expected >= 7
    found = []
    for workers in ("0", "2"):
        monkeypatch.setenv("MEMORYBOOK_IMPORT_WORKERS", workers)
        engine = archives.engine(f"w{workers}")
        report = import_sources(engine, "memorial-lists", [path])
        with engine.connect() as conn:
            verbatims = sorted(conn.execute(select(s.record.c.verbatim)).scalars())
        engine.dispose()
        assert report.records_created == len(verbatims) == expected, workers
        found.append(verbatims)
    assert found[0] == found[1]

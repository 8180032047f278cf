"""An import into an empty SQLite archive drops the secondary indexes of the tables it fills
and creates them again at its end (ingest/importer.py): the archive ends with exactly the
declared schema, and an import that fails leaves them as they were."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text

from memorybook.errors import ImportFailed
from memorybook.ingest import importer
from memorybook.ingest.importer import import_sources
from memorybook.storage.schema import metadata

ENTRIES = (
    "Иванов Иван Иванович\nРодился в 1890 г.\nРасстрелян 10 октября 1937 г.\n---\n"
    "Петрова Анна Петровна\nРодилась в 1901 г.\n---\n"
)


def _indexes(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        if engine.dialect.name != "sqlite":
            rows = conn.execute(
                text(
                    "SELECT indexname, indexdef FROM pg_indexes"
                    " WHERE schemaname = current_schema() ORDER BY 1"
                )
            )
        else:
            rows = conn.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY 1")
            )
        return [(str(a), str(b)) for a, b in rows]


def test_the_indexes_are_all_there_after_a_first_import(engine: Engine, tmp_path: Path) -> None:
    before = _indexes(engine)
    path = tmp_path / "texts.txt"
    path.write_text(ENTRIES, encoding="utf-8")
    import_sources(engine, "memorial-lists", [path])
    assert _indexes(engine) == before
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        if engine.dialect.name == "sqlite":  # a filter by source still reads its index
            plan = conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM record WHERE source_id = 1"
            ).all()
            assert any("ix_record_source" in str(row) for row in plan)


def test_a_failed_first_import_leaves_the_indexes(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _indexes(engine)
    path = tmp_path / "texts.txt"
    path.write_text(ENTRIES, encoding="utf-8")

    def fail(*_: object) -> None:
        raise ImportFailed("interrupted")

    monkeypatch.setattr(importer, "_insert_batch", fail)
    with pytest.raises(ImportFailed):
        import_sources(engine, "memorial-lists", [path])
    assert _indexes(engine) == before

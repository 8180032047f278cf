"""The migrations build exactly the schema the code declares, and SQLite is set up as promised."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from memorybook.storage.engine import open_archive, write_transaction
from memorybook.storage.migrate import current_revision, head_revision, upgrade
from memorybook.storage.schema import metadata


def test_migrations_match_the_declared_schema(tmp_path: Path) -> None:
    engine = open_archive(str(tmp_path / "m.sqlite"))
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    engine = open_archive(str(tmp_path / "p.sqlite"))
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_write_transaction_rolls_back_whole(tmp_path: Path) -> None:
    engine = open_archive(str(tmp_path / "t.sqlite"))
    upgrade(engine)
    try:
        with write_transaction(engine) as conn:
            conn.execute(text("INSERT INTO reference_item VALUES ('k', 'a', '{}')"))
            raise RuntimeError("interrupted")
    except RuntimeError:
        pass
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM reference_item")).scalar() == 0

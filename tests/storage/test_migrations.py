"""The migrations build exactly the schema the code declares, on both backends, and each
backend is set up as promised."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text

from memorybook.archive import init_archive
from memorybook.storage.engine import open_archive, write_transaction
from memorybook.storage.migrate import current_revision, head_revision, upgrade
from memorybook.storage.schema import metadata
from tests.conftest import Archives


def test_migrations_match_the_declared_schema(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_init_creates_and_then_upgrades_in_place(archives: Archives) -> None:
    """`memorybook init` on an empty archive creates it; on one at an older revision it
    upgrades it, keeping what it holds."""
    engine = open_archive(archives.url("old"))
    upgrade(engine, "0002_linkage")
    with write_transaction(engine) as conn:
        conn.execute(text("INSERT INTO reference_item VALUES ('note', 'kept', '{}')"))
    assert current_revision(engine) == "0002_linkage"
    init_archive(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        kinds = {k for (k,) in conn.execute(text("SELECT DISTINCT kind FROM reference_item"))}
    assert "orders" in kinds  # reference data loaded by init
    engine.dispose()


def test_sqlite_runs_in_wal_with_foreign_keys(engine: Engine, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite's pragmas")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_postgresql_text_compares_as_sqlite_does(engine: Engine, backend: str) -> None:
    """Every text column has the "C" collation, so order, MIN() and ties are SQLite's
    (code point order) whatever the database's locale: 'Ёлкин' sorts after 'Яковлев'."""
    if backend != "postgresql":
        pytest.skip("PostgreSQL's collations")
    with engine.connect() as conn:
        other = conn.execute(
            text(
                "SELECT table_name || '.' || column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name <> 'alembic_version'"
                " AND data_type IN ('text', 'character varying')"
                " AND (collation_name IS NULL OR collation_name <> 'C')"
            )
        ).all()
    assert other == []


def test_a_write_transaction_rolls_back_whole(engine: Engine) -> None:
    try:
        with write_transaction(engine) as conn:
            conn.execute(text("INSERT INTO reference_item VALUES ('k', 'a', '{}')"))
            raise RuntimeError("interrupted")
    except RuntimeError:
        pass
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM reference_item")).scalar() == 0


def test_nationality_key_filled_for_records_written_before_it(archives: Archives) -> None:
    """Revision 0005 gives records imported earlier their canonical nationality."""
    from memorybook.storage.search_store import insert_plain_records, insert_plain_source

    engine = open_archive(archives.url("nat"))
    upgrade(engine, "0003_compact")
    printed = {1: "русская", 2: "русские", 3: "японка", 4: "нет такого слова", 5: None}
    with write_transaction(engine) as conn:
        sid = insert_plain_source(conn, "s@1", "s", "a list")
        insert_plain_records(
            conn,
            [
                {"id": i, "key": f"k{i}", "family": "s", "source_id": sid, "file": "f",
                 "idx": i, "verbatim": f"entry {i}", "nationality": n}
                for i, n in printed.items()
            ],
        )  # fmt: skip
    upgrade(engine)
    with engine.connect() as conn:
        got = dict(conn.execute(text("SELECT id, nationality_key FROM record")).all())
    engine.dispose()
    assert got == {1: "русский", 2: "русский", 3: "японец", 4: "нет такого слова", 5: None}

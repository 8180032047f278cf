"""SQLite and PostgreSQL give the same answers for the same imports: records, events, search
results, facets (SQL and in memory), statistics, figures and check findings."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from memorybook import stats
from memorybook.archive import import_into, init_archive
from memorybook.reference import load_reference
from memorybook.reference.archive_checks import archive_findings
from memorybook.search.api import Searcher
from memorybook.storage import read_store as rs
from memorybook.storage.engine import open_archive
from tests.conftest import LISTS_TEXTS, MOSCOW_PAGES, TEST_POSTGRES, Archives, needs_data

pytestmark = [
    needs_data,
    pytest.mark.slow,
    pytest.mark.skipif(not TEST_POSTGRES, reason="needs MEMORYBOOK_TEST_POSTGRES"),
]

QUERIES = ["Иванов Иван", "Кузнецов", "Milewski Zygmunt", "Шмидт Карл", "Петрова Мария", "Zzzqq"]


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Engine]]:
    """The same sources imported into a SQLite file and a PostgreSQL database: a sixth of
    the Moscow pages and the first 3,000 entries of the national list."""
    folder = tmp_path_factory.mktemp("agree")
    pages = folder / "pages"
    pages.mkdir()
    for page in sorted(MOSCOW_PAGES.glob("*.htm"))[::6]:
        shutil.copy(page, pages / page.name)
    texts = folder / "texts.txt"
    pieces = LISTS_TEXTS.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n---\n")
    texts.write_text("\n---\n".join(pieces[:3000]) + "\n---\n", encoding="utf-8")
    engines = {}
    made = []
    for backend in ("sqlite", "postgresql"):
        archives = Archives(backend, folder)
        made.append(archives)
        engine = open_archive(archives.url("agree"))
        init_archive(engine)
        import_into(engine, "memorial-moscow", [pages])
        import_into(engine, "memorial-lists", [texts])
        engines[backend] = engine
    yield engines
    for engine in engines.values():
        engine.dispose()
    for archives in made:
        archives.close()


def on_both(both: dict[str, Engine], read: Any) -> list[Any]:
    out = []
    for engine in both.values():
        with engine.connect() as conn:
            out.append(read(conn))
    return out


def test_records_and_events(both: dict[str, Engine]) -> None:
    def read(conn: Any) -> list[Any]:
        ids = [i for (i,) in conn.execute(text("SELECT id FROM record ORDER BY id"))]
        assert len(ids) > 4000
        return [(rs.record(conn, i), rs.record_events(conn, i)) for i in ids[::7]]

    lite, pg = on_both(both, read)
    for a, b in zip(lite, pg, strict=True):
        assert _plain(a) == _plain(b)


def test_search_results(both: dict[str, Engine]) -> None:
    answers = []
    for engine in both.values():
        searcher = Searcher.open(engine)
        answers.append(
            [[(h.record_id, round(h.score, 6), h.confident) for h in searcher.search(q, None, 10, 0).results]
             for q in QUERIES]
        )  # fmt: skip
        searcher.close()
    assert answers[0] == answers[1]
    assert any(answers[0])


def test_facets_in_sql_and_in_memory(both: dict[str, Engine]) -> None:
    filters = [rs.Filters(), rs.Filters.of(nationality="латыш"), rs.Filters.of(sex="f")]

    def read(conn: Any) -> list[Any]:
        index = rs.FacetIndex.load(conn)
        built = rs.FacetIndex.build(conn)
        out = []
        for f in filters:
            sql = rs.facet_counts(conn, f, None)
            assert index.facet_counts(f, None) == sql == built.facet_counts(f, None)
            out.append((sql, rs.count_records(conn, f, None), rs.page_ids(conn, f, 20, 0)))
        return out

    lite, pg = on_both(both, read)
    assert lite == pg


def test_statistics_figures_and_checks(both: dict[str, Engine]) -> None:
    def read(conn: Any) -> list[Any]:
        return [(c.key, c.rows, c.total) for c in stats.compute(conn)]

    lite, pg = on_both(both, read)
    assert lite == pg and any(total for _, _, total in lite)
    ref = load_reference()
    findings = [[f.to_json() for f in archive_findings(ref, e)] for e in both.values()]
    assert findings[0] == findings[1]


def _plain(value: Any) -> Any:
    """Booleans and integers as JSON has them (SQLite gives 0/1 where PostgreSQL gives
    False/True through raw SQL; the pages and JSON twins show them alike)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bool):
        return int(value)
    return value


def test_the_facet_index_is_stored_by_the_import(both: dict[str, Engine], tmp_path: Path) -> None:
    for engine in both.values():
        with engine.connect() as conn:
            stored = rs.FacetIndex.from_blobs(rs.search_store.read_blobs(conn, rs.facet_blob))
            assert stored is not None and stored.matches(conn)
            assert stored.size == conn.execute(text("SELECT count(*) FROM record")).scalar()


def test_the_records_persons_read_alike(both: dict[str, Engine]) -> None:
    """The person map the web holds (person_store.record_persons: SQLite through its driver,
    PostgreSQL as binary COPY read by numpy) is the same on both backends, in the same order."""
    from memorybook.storage.person_store import record_persons

    got = {}
    for name, engine in both.items():
        with engine.connect() as conn:
            records, persons = record_persons(conn)
        assert records.dtype == persons.dtype == "int64" and len(records) == len(persons) > 3000
        assert (records[1:] >= records[:-1]).all()  # by record id
        got[name] = (records.tolist(), persons.tolist())
    assert got["sqlite"] == got["postgresql"]

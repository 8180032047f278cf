"""Both real Memorial lists and the places, imported into a fresh archive, nothing lost."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select, text

from memorybook.archive import import_all
from memorybook.ingest.formats.decoding import read_file
from memorybook.storage import read_store as rs
from memorybook.storage import schema as s

from ..conftest import DATA, LISTS_TEXTS, MOSCOW_PAGES, STALIN_LISTS, Archives, needs_data

pytestmark = [needs_data, pytest.mark.slow]

# The Politburo lists' person entries (../shared/data/README.md: 45,542 in 413 lists).
STALIN_ENTRIES = 45542


@pytest.fixture(scope="module")
def real_archive(session_archives: Archives) -> Iterator[Engine]:
    eng = session_archives.engine("real")
    import_all(eng, DATA)
    yield eng
    eng.dispose()


def scalar(engine: Engine, sql: str) -> object:
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def test_every_entry_of_both_lists_is_a_record(real_archive: Engine) -> None:
    assert (
        scalar(real_archive, "select count(*) from record where family like 'memorial-moscow:%'")
        == 11789
    )
    assert (
        scalar(real_archive, "select count(*) from record where family like 'memorial-lists:%'")
        == 46445
    )
    assert (
        scalar(real_archive, "select count(*) from record where family like 'stalin-lists:%'")
        == STALIN_ENTRIES
    )
    # Locators are unique and dense: nothing duplicated, nothing skipped.
    assert (
        scalar(real_archive, "select count(distinct file || '#' || idx) from record")
        == 11789 + 46445 + STALIN_ENTRIES
    )
    assert (
        scalar(
            real_archive,
            "select count(distinct idx) from record where family like 'memorial-lists:%'",
        )
        == 46445
    )
    assert (
        scalar(real_archive, "select max(idx) from record where family like 'memorial-lists:%'")
        == 46463
    )


def test_verbatim_is_the_exact_slice_of_the_decoded_source(real_archive: Engine) -> None:
    decoded: dict[str, str] = {}
    for page in MOSCOW_PAGES.glob("*.htm"):
        decoded[page.name] = read_file(page, None, html=True).text
    decoded["texts.txt"] = read_file(LISTS_TEXTS, None).text
    for listfile in (STALIN_LISTS / "lists").glob("list*.yaml"):
        decoded[listfile.name] = read_file(listfile, None).text
    with real_archive.connect() as conn:
        n = 0
        for _, file, a, b, raw, verbatim in rs.iter_raw_slices(conn):
            source = decoded[file]
            assert source[a:b] == raw, (file, a)
            assert "\ufffd" not in verbatim
            n += 1
    assert n == 11789 + 46445 + STALIN_ENTRIES


def test_sources_keep_checksums_and_sizes(real_archive: Engine) -> None:
    with real_archive.connect() as conn:
        files = [json.loads(f) for f in conn.execute(select(s.source.c.files_json)).scalars()]
    by_name = {f["name"]: f for group in files for f in group}
    data = LISTS_TEXTS.read_bytes()
    assert by_name["texts.txt"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert by_name["texts.txt"]["size"] == len(data)
    assert len([n for n in by_name if n.endswith(".htm")]) == 78


def test_places_and_links(real_archive: Engine) -> None:
    assert scalar(real_archive, "select count(*) from place where key like 'topos:%'") == 105
    # Every Moscow record names one of the five Moscow burial sites, and each links to it.
    assert (
        scalar(
            real_archive,
            "select count(*) from record where family like 'memorial-moscow:%' and burial_place_key is null",
        )
        == 0
    )
    assert (
        scalar(
            real_archive,
            "select count(*) from place where key = 'butovo' and lat between 55.5 and 55.6",
        )
        == 1
    )
    linked = scalar(real_archive, "select count(*) from record_address")
    assert isinstance(linked, int) and linked > 9000  # most last addresses are geocoded


def test_events_for_every_moscow_record(real_archive: Engine) -> None:
    with real_archive.connect() as conn:
        ids = conn.execute(
            select(s.record.c.id).where(s.record.c.family.like("memorial-moscow:%"))
        ).scalars()
        missing = [
            i for i in ids if "execution" not in {e["kind"] for e in rs.record_events(conn, i)}
        ]
    assert missing == []


def test_stored_records_read_back_as_the_parser_gave_them(real_archive: Engine) -> None:
    """The compact storage (values that are slices of the verbatim text kept as spans only)
    reads back exactly what the parser produced, events included, for a sample of each
    printed list."""
    from memorybook.ingest.events import entry_events
    from memorybook.ingest.parser import parse_entry

    with real_archive.connect() as conn:
        rows = conn.execute(
            select(s.record.c.id, s.record.c.family).where(
                s.record.c.id % 37 == 0,
                s.record.c.family.like("memorial-moscow:%")
                | s.record.c.family.like("memorial-lists:%"),
            )
        ).all()
        assert len(rows) > 1500
        for rid, family in rows:
            rec = rs.record(conn, rid)
            assert rec is not None
            parsed = parse_entry(rec["verbatim"], "moscow" if "moscow" in family else "lists")
            assert rec["fields"] == parsed.values, rid
            assert rec["spans"] == {k: list(v) for k, v in parsed.spans.items()}, rid
            events = rs.record_events(conn, rid)
            expected = entry_events(parsed)
            assert sorted(e["kind"] for e in events) == sorted(e.kind.value for e in expected)
            for e in events:
                if e["edtf"] is not None:
                    d = next(x.date for x in expected if x.kind.value == e["kind"])
                    assert d is not None
                    assert (e["earliest"], e["latest"]) == (
                        d.earliest.isoformat() if d.earliest else None,
                        d.latest.isoformat() if d.latest else None,
                    ), (rid, e)


def test_reimport_creates_nothing(real_archive: Engine) -> None:
    before = scalar(real_archive, "select count(*) from record")
    reports = import_all(real_archive, DATA)
    assert {r.status for r in reports} == {"unchanged"}
    assert scalar(real_archive, "select count(*) from record") == before


def test_politburo_lists_are_searchable_and_keep_their_ids(real_archive: Engine) -> None:
    from memorybook.search.api import Searcher
    from memorybook.storage.read_store import records_with_source_ids

    searcher = Searcher.open(real_archive)
    hits = searcher.search("Александровский Михаил").results
    searcher.close()
    assert {"file": "list100.yaml", "index": 0} in [h.locator for h in hits[:3]]
    with real_archive.connect() as conn:
        ids = records_with_source_ids(conn)
        report = json.loads(
            conn.execute(
                text("select report_json from source where family like 'stalin-lists:%'")
            ).scalar_one()
        )
    assert len(ids) == STALIN_ENTRIES
    assert len({r["source_person_id"] for r in ids}) == 44660
    missing = [n["file"] for n in report["notes"] if n["kind"] == "missing_list"]
    assert missing == ["list411.yaml", "list412.yaml"]


def test_check_compares_the_politburo_lists_with_the_seed(real_archive: Engine) -> None:
    from memorybook.reference import load_reference
    from memorybook.reference.archive_checks import archive_findings

    text_of = " | ".join(f.message for f in archive_findings(load_reference(), real_archive))
    # Seed 002 (para 386): 357 lists signed by Stalin in 1937-1938, some 40,000 persons.
    assert "357 lists signed by Stalin and dated 1937–1938" in text_of
    assert "357: the same number" in text_of
    assert "40,427 distinct persons" in text_of
    assert "holds 413 of the 415 Politburo lists" in text_of


def test_nationality_counted_once_however_printed(real_archive: Engine) -> None:
    """The facets count each nationality under one word of the shared vocabulary, whatever
    form the lists print (`русская`, `русские`, `русский`), from memory as from SQL."""
    from memorybook.search.filters import nationality_key

    with real_archive.connect() as conn:
        by_printed = dict(
            conn.execute(
                text(
                    "SELECT nationality, COUNT(*) FROM record WHERE nationality IS NOT NULL"
                    " GROUP BY nationality"
                )
            ).all()
        )
        facets = rs.facet_counts(conn, rs.Filters(), None, top=500)["nationality"]
        index = rs.FacetIndex.load(conn)
        assert index.facet_counts(rs.Filters(), None) == rs.facet_counts(conn, rs.Filters(), None)
        russian = rs.count_records(conn, rs.Filters.of(nationality="русский"), None)
    expected: dict[str, int] = {}
    for printed, n in by_printed.items():
        key = nationality_key(printed)
        expected[key] = expected.get(key, 0) + n
    assert {v["value"]: v["count"] for v in facets} == expected
    assert {"русская", "русские", "немка", "полька"}.isdisjoint(v["value"] for v in facets)
    assert russian == expected["русский"] > by_printed["русский"] > 0

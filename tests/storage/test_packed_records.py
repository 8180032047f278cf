"""Packed records (storage/record_codec.py, revision 0010): an import large enough to train a
dictionary stores each record's verbatim text, fields and spans compressed together, and every
read gives back exactly what a plain archive of the same entries gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, text
from sqlalchemy import inspect as sa_inspect

from memorybook.ingest.importer import import_sources
from memorybook.storage import link_store, read_store, record_codec, search_store
from memorybook.storage.migrate import downgrade, upgrade
from tests.conftest import DATA, Archives

TEXTS = DATA / "memorial-lists-texts" / "texts.txt"


def _entries(n: int, skip: int = 0) -> str:
    if not TEXTS.exists():
        pytest.skip("the real lists are not here")
    text_ = TEXTS.read_text(encoding="utf-8").replace("\r\n", "\n")
    pieces = [p for p in text_.split("\n---\n") if p.strip()][skip : skip + n]
    return "\n---\n".join(pieces) + "\n---\n"


def _reads(engine: Engine) -> dict[str, object]:
    with engine.connect() as conn:
        ids = [int(i) for (i,) in conn.execute(text("SELECT id FROM record ORDER BY id"))]
        return {
            "records": [read_store.record(conn, i) for i in ids],
            "raw": list(read_store.iter_raw_slices(conn)),
            "names": list(search_store.iter_record_names(conn)),
            "person": link_store.person_records(conn, ids[3]),
        }


def _counts(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT count(*), count(packed), (SELECT count(*) FROM codec_dict) FROM record")
        ).one()
    return int(row[0]), int(row[1]), int(row[2])


def test_packed_records_read_exactly_as_plain_ones(
    archives: Archives, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "list" / "texts.txt"
    path.parent.mkdir()
    path.write_text(_entries(400), encoding="utf-8")
    packed = archives.engine("packed")
    import_sources(packed, "memorial-lists", [path])
    monkeypatch.setattr(record_codec, "PACK_MIN_SAMPLES", 10**9)  # too few to train: plain
    plain = archives.engine("plain")
    import_sources(plain, "memorial-lists", [path])
    n = _counts(plain)[0]
    assert n >= 390
    assert _counts(plain) == (n, 0, 0)
    assert _counts(packed) == (n, n, 1)
    assert _reads(packed) == _reads(plain)
    with packed.connect() as conn:  # the plain columns of packed records are left empty
        empty = conn.execute(
            text("SELECT count(*) FROM record WHERE verbatim = '' AND spans_json = ''")
        ).scalar()
    assert empty == n
    packed.dispose()
    plain.dispose()


def test_a_small_import_uses_the_archives_dictionary(archives: Archives, tmp_path: Path) -> None:
    """Too few entries to train on: the archive's latest dictionary packs them; an import
    into an archive without one stores them plain."""
    big, small = tmp_path / "big" / "texts.txt", tmp_path / "small" / "texts.txt"
    big.parent.mkdir()
    small.parent.mkdir()
    big.write_text(_entries(300), encoding="utf-8")
    small.write_text(_entries(5, skip=1000), encoding="utf-8")
    engine = archives.engine("small-first")
    import_sources(engine, "memorial-lists", [small])
    assert _counts(engine)[1:] == (0, 0)
    import_sources(engine, "memorial-lists", [big])
    n_big = _counts(engine)[0] - 5
    again = tmp_path / "again" / "texts.txt"
    again.parent.mkdir()
    again.write_text(_entries(5, skip=2000), encoding="utf-8")
    import_sources(engine, "memorial-lists", [again])
    total, packed, dicts = _counts(engine)
    assert (total, packed, dicts) == (n_big + 10, n_big + 5, 1)
    with engine.connect() as conn:
        for (rid,) in conn.execute(text("SELECT id FROM record WHERE packed IS NOT NULL")):
            rec = read_store.record(conn, int(rid))
            assert rec is not None and rec["verbatim"] and "packed" not in rec
    engine.dispose()


def test_going_down_a_revision_unpacks_every_record_and_coming_back_reads_the_same(
    archives: Archives, tmp_path: Path
) -> None:
    path = tmp_path / "list" / "texts.txt"
    path.parent.mkdir()
    path.write_text(_entries(300), encoding="utf-8")
    engine = archives.engine("down-and-up")
    import_sources(engine, "memorial-lists", [path])
    n, packed, _ = _counts(engine)
    assert packed == n >= 290
    before = _reads(engine)
    downgrade(engine, "0009_keyed_tables")
    with engine.connect() as conn:
        plain = {
            int(i): v
            for i, v in conn.execute(text("SELECT id, verbatim FROM record"))
        }  # fmt: skip
        columns = {c["name"] for c in sa_inspect(conn).get_columns("record")}
    assert "packed" not in columns
    records = before["records"]
    assert isinstance(records, list)
    assert {int(r["id"]): r["verbatim"] for r in records} == plain
    upgrade(engine)
    assert _counts(engine) == (n, 0, 0)  # plain records now: nothing repacked in place
    assert _reads(engine) == before
    engine.dispose()


@given(st.text(), st.text(), st.text())
def test_payloads_round_trip(verbatim: str, fields: str, spans: str) -> None:
    # Any text, NUL and astral characters included, comes back as it went in.
    surrogate_free = all(not 0xD800 <= ord(c) <= 0xDFFF for c in verbatim + fields + spans)
    if surrogate_free:
        payload = record_codec.pack_payload(verbatim, fields, spans)
        assert record_codec.unpack_payload(payload) == (verbatim, fields, spans)

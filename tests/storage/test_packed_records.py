"""Packed records (storage/record_codec.py, revision 0010): an import large enough to train a
dictionary stores each record's verbatim text, fields and spans compressed together, and every
read gives back exactly what a plain archive of the same entries gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, text
from sqlalchemy import inspect as sa_inspect

from memorybook import stats
from memorybook.ingest.entry import ENTRY_KEYS
from memorybook.ingest.importer import import_sources
from memorybook.storage import link_store, packed_store, read_store, record_codec
from memorybook.storage.migrate import downgrade, upgrade
from tests.conftest import Archives
from tests.storage.archive_reads import every_read, real_list_file, record_ids


def _reads(engine: Engine) -> dict[str, object]:
    """Every read, and the persons, linkage rows and statistics made from them."""
    ids = record_ids(engine)
    with engine.connect() as conn:
        return {
            **every_read(engine),
            "person": link_store.person_records(conn, ids[3]),
            "dated": [(r["id"], r["events"]) for r in link_store.link_rows(conn)],
            "stats": [(c.key, c.rows, c.total) for c in stats.compute(conn)],
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
    path = real_list_file(tmp_path / "list", 400)
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
        # a residence is "" (in the payload); the fill rates count it all the same
        residences = conn.execute(
            text("SELECT count(*), count(residence) FROM record WHERE residence = ''")
        ).one()
    assert empty == n
    assert residences[0] == residences[1] > 0
    with packed.connect() as a, plain.connect() as b:
        assert read_store.fill_rates(a) == read_store.fill_rates(b)
    packed.dispose()
    plain.dispose()


def test_a_small_import_uses_the_archives_dictionary(archives: Archives, tmp_path: Path) -> None:
    """Too few entries to train on: the archive's latest dictionary packs them; an import
    into an archive without one stores them plain."""
    big = real_list_file(tmp_path / "big", 300)
    small = real_list_file(tmp_path / "small", 5, skip=1000)
    engine = archives.engine("small-first")
    import_sources(engine, "memorial-lists", [small])
    assert _counts(engine)[1:] == (0, 0)
    import_sources(engine, "memorial-lists", [big])
    n_big = _counts(engine)[0] - 5
    again = real_list_file(tmp_path / "again", 5, skip=2000)
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
    path = real_list_file(tmp_path / "list", 300)
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


def _event_columns(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return {c["name"] for c in sa_inspect(conn).get_columns("event")}


@pytest.mark.parametrize("packed", [True, False], ids=["packed", "plain"])
def test_events_go_down_to_their_old_rows_and_come_back_the_same(
    archives: Archives, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, packed: bool
) -> None:
    """Revision 0011 (compact events): down to 0010, every event is a wide row again with
    its text values (taken from the packed payload or the row's detail) and its record's
    person, and no payload keeps the events' details; up again, every read is the same."""
    path = real_list_file(tmp_path / "list", 300)
    if not packed:
        monkeypatch.setattr(record_codec, "PACK_MIN_SAMPLES", 10**9)
    engine = archives.engine(f"events-{packed}")
    import_sources(engine, "memorial-lists", [path])
    n, held, _ = _counts(engine)
    assert held == (n if packed else 0)
    before = _reads(engine)
    events = before["events"]
    assert isinstance(events, list)
    assert sum(len(e) for e in events) > 2 * n
    assert any(e["place"] for es in events for e in es)
    assert any(e["body"] and e["description"] for es in events for e in es)
    assert "detail" in _event_columns(engine)
    downgrade(engine, "0010_packed_records")
    assert {"person_id", "role", "printed", "place"} <= _event_columns(engine)
    wide_columns = (
        "kind", "custom_label", "edtf", "earliest", "latest", "printed", "place", "place_key",
        "body", "body_key", "description",
    )  # fmt: skip
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                f"SELECT record_id, person_id, role, {', '.join(wide_columns)} FROM event"
                " ORDER BY record_id, id"
            )
        ).all()
        ids = [int(i) for (i,) in conn.execute(text("SELECT id FROM record ORDER BY id"))]
        payloads = []
        for (p,) in conn.execute(text("SELECT packed FROM record WHERE packed IS NOT NULL")):
            payloads.append(packed_store.unpack_all(conn, p))
    assert all(p[3] is None for p in payloads) and len(payloads) == held
    with engine.connect() as conn:  # the values kept in the payload are back in their column
        residences = dict(conn.execute(text("SELECT id, residence FROM record")).all())
    records = before["records"]
    assert isinstance(records, list)
    assert residences == {r["id"]: r["residence"] for r in records}
    assert "" not in residences.values() and any(residences.values())
    wide: dict[int, list[dict[str, object]]] = {}
    for r in rows:
        assert r.role == "primary" and r.person_id == r.record_id
        event = dict(zip(wide_columns, r[3:], strict=True))
        for k in ("earliest", "latest"):
            event[k] = None if event[k] is None else str(event[k])
        wide.setdefault(int(r.record_id), []).append(event)
    # The old read's order: dated events first by date, then as printed.
    old = [
        sorted(wide.get(i, []), key=lambda e: (e["earliest"] is None, e["earliest"] or ""))
        for i in ids
    ]
    assert old == events
    upgrade(engine)
    assert "detail" in _event_columns(engine)
    assert _reads(engine) == before
    engine.dispose()


@given(st.text(), st.text(), st.text(), st.one_of(st.none(), st.text()))
def test_payloads_with_event_details_round_trip(
    verbatim: str, fields: str, spans: str, events: str | None
) -> None:
    if all(not 0xD800 <= ord(c) <= 0xDFFF for c in verbatim + fields + spans + (events or "")):
        payload = record_codec.pack_payload(verbatim, fields, spans, events)
        assert record_codec.split_payload(payload) == (verbatim, fields, spans, events)
        assert record_codec.unpack_payload(payload) == (verbatim, fields, spans)


_VALUE = st.one_of(st.none(), st.text(max_size=8), st.integers())


@given(
    st.text(max_size=40),
    st.dictionaries(st.sampled_from(ENTRY_KEYS), st.one_of(st.none(), st.text(max_size=8))),
    st.lists(st.one_of(st.none(), st.lists(_VALUE, max_size=8)), max_size=5),
)
def test_event_details_round_trip(
    verbatim: str, values: dict[str, str | None], details: list[list[object] | None]
) -> None:
    """Whatever the values, spans and references stand for exactly what was given."""
    full = dict.fromkeys(ENTRY_KEYS) | values
    stored = record_codec.encode_event_details(verbatim, full, details)
    assert record_codec.decode_event_details(verbatim, full, stored) == details


def test_event_details_refer_to_the_record_instead_of_repeating_it() -> None:
    verbatim = "Иванов Иван, 1901 г. р., д. Липки; расстрелян 5.10.1937"
    values = dict.fromkeys(ENTRY_KEYS) | {"birthplace": "д. Липки", "death": "1937-10-05"}
    details = [["1901", "1901 г. р.", "д. Липки"], None, ["1937-10-05", "5.10.1937", "Бутово"]]
    stored = record_codec.encode_event_details(verbatim, values, details)
    at = ENTRY_KEYS.index
    assert json.loads(stored) == [
        [[13, 17], [13, 23], at("birthplace")],
        None,
        [at("death"), [46, 55], "Бутово"],
    ]
    assert record_codec.decode_event_details(verbatim, values, stored) == details

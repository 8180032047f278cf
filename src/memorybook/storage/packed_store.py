"""The SQL of packed records (storage/record_codec.py): their dictionaries, and the reads that
give back a packed record's verbatim text, stored fields and spans.

A dictionary's id is derived by zstandard from its content, so the dictionaries loaded by a
process are kept for it whatever archive they came from (tests open many)."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from memorybook.ingest.entry import ENTRY_KEYS
from memorybook.storage.record_codec import (
    Packer,
    Unpacker,
    decode_event_details,
    decode_fields,
    decode_spans,
    dictionary_id,
    frame_dictionary_id,
)
from memorybook.storage.schema import codec_dict, record

_UNPACKER = Unpacker()
_LOADING = threading.Lock()


def unpack_all(conn: Connection, packed: Any) -> tuple[str, str, str, str | None]:
    """(verbatim, fields_json, spans_json, events_json or None) of a packed record: the
    events' details are in the payloads written since revision 0011."""
    data = bytes(packed)
    dict_id = frame_dictionary_id(data)
    if dict_id and not _UNPACKER.known(dict_id):
        with _LOADING:
            found = conn.execute(select(codec_dict.c.data).where(codec_dict.c.id == dict_id))
            for (raw,) in found:
                _UNPACKER.add(bytes(raw))
    return _UNPACKER.unpack(data)


def unpack(conn: Connection, packed: Any) -> tuple[str, str, str]:
    """(verbatim, fields_json, spans_json) of a packed record."""
    return unpack_all(conn, packed)[:3]


# Flattened columns that no query filters, groups or orders by, only counts: a packed record
# (since revision 0011) stores "" there for "the parsed value, in the payload" (NULL stays
# "none"), and the reads below give the value back.
FROM_PAYLOAD: tuple[str, ...] = ("residence",)


def unpacked(conn: Connection, row: Mapping[Any, Any]) -> dict[str, Any]:
    """A record row (a mapping with `packed`) with its verbatim text, `fields_json` and
    `spans_json` as stored before packing, and the `FROM_PAYLOAD` columns it holds with their
    values; `packed` left out."""
    out = dict(row)
    packed = out.pop("packed", None)
    if packed is not None:
        verbatim, fields_json, spans_json = unpack(conn, packed)
        out["verbatim"] = verbatim
        if "fields_json" in out:
            out["fields_json"] = fields_json
        if "spans_json" in out:
            out["spans_json"] = spans_json
        wanted = [c for c in FROM_PAYLOAD if out.get(c) == ""]
        if wanted:
            spans = decode_spans(json.loads(spans_json or "{}"), ENTRY_KEYS)
            fields = decode_fields(verbatim, ENTRY_KEYS, json.loads(fields_json or "{}"), spans)
            out.update((c, fields[c]) for c in wanted)
    return out


def verbatim_of(conn: Connection, verbatim: str | None, packed: Any) -> str:
    return unpack(conn, packed)[0] if packed is not None else str(verbatim or "")


def store_dictionary(conn: Connection, data: bytes) -> bool:
    """Keep a dictionary in the archive (inside the caller's transaction); False when the
    archive holds another dictionary under the same id (then it must not be used)."""
    dict_id = dictionary_id(data)
    held = conn.execute(select(codec_dict.c.data).where(codec_dict.c.id == dict_id)).first()
    if held is not None:
        return bytes(held[0]) == data
    conn.execute(codec_dict.insert().values(id=dict_id, data=data))
    return True


def latest_dictionary(conn: Connection) -> bytes | None:
    """The dictionary of the newest packed record (for an import too small to train one)."""
    row = conn.execute(
        select(record.c.packed)
        .where(record.c.packed.is_not(None))
        .order_by(record.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    dict_id = frame_dictionary_id(bytes(row[0]))
    data = conn.execute(select(codec_dict.c.data).where(codec_dict.c.id == dict_id)).scalar()
    return bytes(data) if data is not None else None


def unpack_all_in_place(conn: Connection) -> None:
    """Every packed record's columns written back and `packed` cleared (the downgrade of
    revision 0010)."""
    rows = conn.execute(select(record.c.id, record.c.packed).where(record.c.packed.is_not(None)))
    updates = []
    for rid, packed in rows.all():
        verbatim, fields_json, spans_json = unpack(conn, packed)
        updates.append({"rid": rid, "v": verbatim, "f": fields_json, "s": spans_json})
    if updates:
        conn.execute(
            update(record)
            .where(record.c.id == bindparam("rid"))
            .values(
                verbatim=bindparam("v"),
                fields_json=bindparam("f"),
                spans_json=bindparam("s"),
                packed=None,
            ),
            updates,
        )


def event_details(conn: Connection, packed: Any) -> list[list[Any] | None] | None:
    """The details of a packed record's events (in the order of their `seq`), None for a
    payload written before revision 0011."""
    verbatim, fields_json, spans_json, events = unpack_all(conn, packed)
    if events is None:
        return None
    spans = decode_spans(json.loads(spans_json or "{}"), ENTRY_KEYS)
    values = decode_fields(verbatim, ENTRY_KEYS, json.loads(fields_json or "{}"), spans)
    return decode_event_details(verbatim, values, events)


def packed_event_details(conn: Connection) -> dict[int, list[list[Any] | None]]:
    """The events' details kept in packed payloads (revision 0011), by record id."""
    rows = conn.execute(select(record.c.id, record.c.packed).where(record.c.packed.is_not(None)))
    out: dict[int, list[list[Any] | None]] = {}
    for rid, packed in rows.all():
        found = event_details(conn, packed)
        if found is not None:
            out[int(rid)] = found
    return out


def repack_without_event_details(conn: Connection) -> None:
    """Every payload holding events' details packed again without them, with its own
    dictionary, and the `FROM_PAYLOAD` columns given their values (the downgrade of revision
    0011: older readers know neither)."""
    cols = [record.c[c] for c in FROM_PAYLOAD]
    rows = conn.execute(
        select(record.c.id, record.c.packed, *cols).where(record.c.packed.is_not(None))
    )
    packers: dict[int, Packer] = {}
    updates = []
    for rid, packed, *flat in rows.all():
        verbatim, fields_json, spans_json, events = unpack_all(conn, packed)
        if events is None and "" not in flat:
            continue
        values = unpacked(conn, {"packed": packed, **dict(zip(FROM_PAYLOAD, flat, strict=True))})
        if events is not None:
            dict_id = frame_dictionary_id(bytes(packed))
            packer = packers.get(dict_id)
            if packer is None:
                data = conn.execute(select(codec_dict.c.data).where(codec_dict.c.id == dict_id))
                packer = packers[dict_id] = Packer(bytes(data.scalar_one()))
            packed = packer.pack(verbatim, fields_json, spans_json)
        updates.append({"rid": rid, "p": packed, **{f"v_{c}": values[c] for c in FROM_PAYLOAD}})
    if updates:
        conn.execute(
            update(record)
            .where(record.c.id == bindparam("rid"))
            .values(packed=bindparam("p"), **{c: bindparam(f"v_{c}") for c in FROM_PAYLOAD}),
            updates,
        )

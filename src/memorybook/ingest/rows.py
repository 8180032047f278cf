"""Turning raw entries and their parse into the archive's rows (record, person, events, keys).

This is the CPU-heavy half of an import, written as a pure function over a batch so worker
processes can run it while the writer inserts the previous batch. Record and person ids are
assigned by the writer before a batch is handed out, so a batch's rows are final."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from memorybook.ingest.entry import ENTRY_KEYS, ParsedEntry
from memorybook.ingest.events import event_fields
from memorybook.ingest.formats import RawEntry
from memorybook.ingest.gazetteer import match_burial_place
from memorybook.ingest.parser import parse_raw_entry
from memorybook.model.events import EventKind
from memorybook.search.filters import nationality_key
from memorybook.search.keys import name_keys
from memorybook.storage.record_codec import (
    EVENT_KIND_CODE,
    Packer,
    day_number,
    dumps,
    encode_event_details,
    encode_fields,
    encode_raw,
    encode_spans,
    event_detail,
    pack_payload,
    packer_for,
)


@dataclass(frozen=True, slots=True)
class BatchContext:
    family: str
    source_id: int
    style: str
    synthetic: bool
    moscow: bool
    # The compression dictionary of this import's packed records (record_codec), or None to
    # store the columns plain.
    dictionary: bytes | None = None


# Column orders of the rows a batch carries (tuples: no dict per row on the hot path).
RECORD_COLUMNS: tuple[str, ...] = (
    "id", "key", "family", "source_id", "file", "idx", "line", "verbatim", "raw_edits",
    "raw_start", "raw_end", "context_json", "fields_json", "spans_json", "extra_json",
    "warnings_json", "parsed", "name", "surname", "given_name", "patronymic", "sex",
    "birth_edtf", "birth_from", "birth_to", "death_edtf", "death_date", "death_year",
    "nationality", "burial_place", "burial_place_key", "residence", "sentencing_body",
    "body_key", "executed", "rehab_year", "operation_key", "sort_key", "synthetic",
    "nationality_key", "packed",
)  # fmt: skip
LOCATOR_COLUMNS: tuple[str, ...] = ("record_id", "source_id", "file", "idx")
PERSON_COLUMNS: tuple[str, ...] = ("id", "key", "surname", "given_name", "patronymic", "sex")
PERSON_RECORD_COLUMNS: tuple[str, ...] = ("person_id", "record_id")
# name_key.printed is left empty: the record holds the printed name (revision 0003_compact).
NAME_KEY_COLUMNS: tuple[str, ...] = ("record_id", "alt", "part", "norm")
# An event's text values go into its record's packed payload, or into `detail` for a record
# stored plain (storage/record_codec.py, revision 0011).
EVENT_COLUMNS: tuple[str, ...] = ("record_id", "seq", "kind", "earliest", "latest", "detail")


_KIND_CODE = {k: EVENT_KIND_CODE[k.value] for k in EventKind}  # stored as numbers


@dataclass(slots=True)
class BatchRows:
    records: list[tuple[Any, ...]] = field(default_factory=list)
    locators: list[tuple[Any, ...]] = field(default_factory=list)
    persons: list[tuple[Any, ...]] = field(default_factory=list)
    person_records: list[tuple[Any, ...]] = field(default_factory=list)
    name_keys: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    # For the report: (locator, line, warning) and how often each field was filled.
    warnings: list[tuple[dict[str, Any], int, str]] = field(default_factory=list)
    filled: Counter[str] = field(default_factory=Counter)
    burial_linked: int = 0


def _iso(d: dt.date | None) -> str | None:
    # Dates leave the builder as ISO text, the form SQLAlchemy's Date stores in SQLite.
    return d.isoformat() if d is not None else None


def sort_key(name: str | None) -> str | None:
    """Collation key: Unicode order is the Russian alphabet's except for ё, folded to е."""
    if not name:
        return None
    return name.casefold().replace("ё", "е")


def build_batch(ctx: BatchContext, items: list[tuple[RawEntry, str, int]]) -> BatchRows:
    """Rows for new entries: (raw entry, record key, record id); person id = record id."""
    rows = BatchRows()
    packer = packer_for(ctx.dictionary) if ctx.dictionary else None
    for entry, key, rid in items:
        parsed = parse_raw_entry(entry, ctx.style)
        burial_key = match_burial_place(parsed.values["burial_place"], moscow=ctx.moscow)
        events = _events(parsed, burial_key)
        rows.events.extend(
            (rid, seq, kind, earliest, latest, None if packer or d is None else dumps(d))
            for seq, (kind, earliest, latest, d) in enumerate(events)
        )
        details = [d for *_, d in events]
        _record_rows(ctx, entry, key, rid, parsed, rows, packer, burial_key, details)
        v = parsed.values
        aliases = list(parsed.extra.get("aliases") or [])
        if v["surname"] or v["given_name"] or v["patronymic"] or aliases:
            rows.name_keys.extend(
                (rid, alt, part, norm)
                for alt, part, norm, _ in name_keys(
                    v["surname"], v["given_name"], v["patronymic"], aliases
                )
            )
        for w in (*entry.warnings, *parsed.warnings):
            rows.warnings.append((entry.locator, entry.line, w))
        rows.filled.update([k for k in ENTRY_KEYS if v[k] is not None])  # counted in C
    return rows


def _events(
    parsed: ParsedEntry, burial_key: str | None
) -> list[tuple[int, int | None, int | None, list[Any] | None]]:
    """(kind code, earliest, latest, detail) of each event the entry tells of, in order."""
    out: list[tuple[int, int | None, int | None, list[Any] | None]] = []
    for kind, d, place, body, body_key, description in event_fields(parsed):
        # No event of an entry has a place key of its own: the burial takes the record's.
        place_key = burial_key if kind is EventKind.BURIAL else None
        if d is None:
            detail = event_detail((None, None, place, place_key, body, body_key, description))
            out.append((_KIND_CODE[kind], None, None, detail))
            continue
        detail = event_detail(
            (d.edtf, d.printed, place, place_key, body, body_key, description)
        )  # fmt: skip
        out.append((_KIND_CODE[kind], day_number(d.earliest), day_number(d.latest), detail))
    return out


def sample_payload(entry: RawEntry, style: str, moscow: bool) -> bytes:
    """An entry's payload as `build_batch` packs it: what a dictionary is trained on."""
    parsed = parse_raw_entry(entry, style)
    burial_key = match_burial_place(parsed.values["burial_place"], moscow=moscow)
    details = [d for *_, d in _events(parsed, burial_key)]
    return pack_payload(
        entry.verbatim,
        encode_fields(entry.verbatim, parsed.values, parsed.spans),
        encode_spans(parsed.spans, ENTRY_KEYS),
        encode_event_details(entry.verbatim, parsed.values, details),
    )


def _record_rows(
    ctx: BatchContext,
    entry: RawEntry,
    key: str,
    rid: int,
    parsed: ParsedEntry,
    rows: BatchRows,
    packer: Packer | None,
    burial_key: str | None,
    event_details: list[list[Any] | None],
) -> None:
    v = parsed.values
    dates = parsed.dates
    birth = dates.get("birth")
    death = dates.get("death")
    rehab = dates.get("rehabilitation")
    if burial_key:
        rows.burial_linked += 1
    surname, given, patronymic = v["surname"], v["given_name"], v["patronymic"]
    name = " ".join(x for x in (surname, given, patronymic) if x)
    extra = parsed.extra
    warnings = [*entry.warnings, *parsed.warnings]
    verbatim = entry.verbatim
    file, idx = entry.locator["file"], entry.locator["index"]
    fields_json = encode_fields(verbatim, v, parsed.spans)
    spans_json = encode_spans(parsed.spans, ENTRY_KEYS)
    packed = None
    stored_verbatim = verbatim
    if packer is not None:
        events_json = encode_event_details(verbatim, v, event_details)
        packed = packer.pack(verbatim, fields_json, spans_json, events_json)
        stored_verbatim = fields_json = spans_json = ""
    rows.records.append(
        (
            rid,
            key,
            ctx.family,
            ctx.source_id,
            file,
            idx,
            entry.line,
            stored_verbatim,
            encode_raw(verbatim, entry.raw),
            entry.raw_start,
            entry.raw_end,
            dumps(entry.context) if entry.context else None,
            fields_json,
            spans_json,
            dumps(extra) if extra else None,
            dumps(warnings) if warnings else None,
            not any(
                w.startswith(("unparsed_entry", "empty_entry", "oversize_entry")) for w in warnings
            ),
            name or None,
            surname,
            given,
            patronymic,
            v["sex"],
            v["birth"],
            birth.earliest.year if birth and birth.earliest else None,
            birth.latest.year if birth and birth.latest else None,
            v["death"],
            _iso(death.earliest) if death and death.earliest == death.latest else None,
            death.year if death else None,
            v["nationality"],
            v["burial_place"],
            burial_key,
            # packed: "" for "in the payload" (storage/packed_store.FROM_PAYLOAD)
            v["residence"] if packer is None or v["residence"] is None else "",
            v["sentencing_body"],
            extra.get("body_key"),
            v["executed"],
            rehab.year if rehab else None,
            extra.get("operation_key"),
            sort_key(name),
            ctx.synthetic,
            nationality_key(v["nationality"]) or None,
            packed,
        )
    )
    rows.locators.append((rid, ctx.source_id, file, idx))
    rows.persons.append((rid, f"p-{key}", surname, given, patronymic, v["sex"]))
    rows.person_records.append((rid, rid))

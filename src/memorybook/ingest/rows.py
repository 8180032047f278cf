"""Turning raw entries and their parse into the archive's rows (record, person, events, keys).

This is the CPU-heavy half of an import, written as a pure function over a batch so worker
processes can run it while the writer inserts the previous batch. Record and person ids are
assigned by the writer before a batch is handed out, so a batch's rows are final."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from memorybook.ingest.entry import ENTRY_KEYS, ParsedEntry
from memorybook.ingest.events import entry_events
from memorybook.ingest.formats import RawEntry
from memorybook.ingest.gazetteer import match_burial_place
from memorybook.ingest.parse import parse_raw_entry
from memorybook.search.keys import name_key_rows


@dataclass(frozen=True, slots=True)
class BatchContext:
    family: str
    source_id: int
    style: str
    synthetic: bool
    moscow: bool


@dataclass(slots=True)
class BatchRows:
    records: list[dict[str, Any]] = field(default_factory=list)
    locators: list[dict[str, Any]] = field(default_factory=list)
    persons: list[dict[str, Any]] = field(default_factory=list)
    person_records: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    name_keys: list[dict[str, Any]] = field(default_factory=list)
    # For the report: (locator, line, warning) and how often each field was filled.
    warnings: list[tuple[dict[str, Any], int, str]] = field(default_factory=list)
    filled: Counter[str] = field(default_factory=Counter)
    burial_linked: int = 0


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


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
    for entry, key, rid in items:
        parsed = parse_raw_entry(entry, ctx.style)
        _record_rows(ctx, entry, key, rid, parsed, rows)
        for ev in entry_events(parsed):
            d = ev.date
            place_key = ev.place_key
            if place_key is None and ev.kind.value == "burial":
                place_key = rows.records[-1]["burial_place_key"]
            rows.events.append(
                {
                    "record_id": rid,
                    "person_id": rid,
                    "role": "primary",
                    "kind": ev.kind.value,
                    "custom_label": ev.custom_label,
                    "edtf": d.edtf if d else None,
                    "earliest": _iso(d.earliest) if d else None,
                    "latest": _iso(d.latest) if d else None,
                    "printed": d.printed if d else None,
                    "place": ev.place,
                    "place_key": place_key,
                    "body": ev.body,
                    "body_key": ev.body_key,
                    "description": ev.description,
                }
            )
        v = parsed.values
        aliases = list(parsed.extra.get("aliases") or [])
        if v["surname"] or v["given_name"] or v["patronymic"] or aliases:
            rows.name_keys.extend(
                name_key_rows(rid, v["surname"], v["given_name"], v["patronymic"], aliases)
            )
        for w in (*entry.warnings, *parsed.warnings):
            rows.warnings.append((entry.locator, entry.line, w))
        for k in ENTRY_KEYS:
            if v[k] is not None:
                rows.filled[k] += 1
    return rows


def _record_rows(
    ctx: BatchContext, entry: RawEntry, key: str, rid: int, parsed: ParsedEntry, rows: BatchRows
) -> None:
    v = parsed.values
    birth = parsed.dates.get("birth")
    death = parsed.dates.get("death")
    rehab = parsed.dates.get("rehabilitation")
    burial_key = match_burial_place(v["burial_place"], moscow=ctx.moscow)
    if burial_key:
        rows.burial_linked += 1
    name = " ".join(x for x in (v["surname"], v["given_name"], v["patronymic"]) if x)
    extra = parsed.extra
    warnings = [*entry.warnings, *parsed.warnings]
    rows.records.append(
        {
            "id": rid,
            "key": key,
            "family": ctx.family,
            "source_id": ctx.source_id,
            "file": entry.locator["file"],
            "idx": entry.locator["index"],
            "line": entry.line,
            "verbatim": entry.verbatim,
            "raw": entry.raw if entry.raw != entry.verbatim else None,
            "raw_start": entry.raw_start,
            "raw_end": entry.raw_end,
            "context_json": _dumps(entry.context) if entry.context else None,
            "fields_json": _dumps(v),
            "spans_json": _dumps(parsed.spans),
            "extra_json": _dumps(extra) if extra else None,
            "warnings_json": _dumps(warnings) if warnings else None,
            "parsed": not any(w.startswith(("unparsed_entry", "empty_entry")) for w in warnings),
            "name": name or None,
            "surname": v["surname"],
            "given_name": v["given_name"],
            "patronymic": v["patronymic"],
            "sex": v["sex"],
            "birth_edtf": v["birth"],
            "birth_from": birth.earliest.year if birth and birth.earliest else None,
            "birth_to": birth.latest.year if birth and birth.latest else None,
            "death_edtf": v["death"],
            "death_date": _iso(death.earliest)
            if death and death.earliest == death.latest
            else None,
            "death_year": death.year if death else None,
            "nationality": v["nationality"],
            "burial_place": v["burial_place"],
            "burial_place_key": burial_key,
            "residence": v["residence"],
            "sentencing_body": v["sentencing_body"],
            "body_key": extra.get("body_key"),
            "executed": v["executed"],
            "rehab_year": rehab.year if rehab else None,
            "operation_key": extra.get("operation_key"),
            "sort_key": sort_key(name),
            "synthetic": ctx.synthetic,
        }
    )
    rows.locators.append(
        {
            "record_id": rid,
            "source_id": ctx.source_id,
            "file": entry.locator["file"],
            "idx": entry.locator["index"],
        }
    )
    rows.persons.append(
        {
            "id": rid,
            "key": f"p-{key}",
            "surname": v["surname"],
            "given_name": v["given_name"],
            "patronymic": v["patronymic"],
            "sex": v["sex"],
        }
    )
    rows.person_records.append({"person_id": rid, "record_id": rid})

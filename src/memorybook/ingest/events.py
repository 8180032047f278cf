"""The events a parsed entry tells of: birth, arrest, sentence, execution or death, burial,
rehabilitation (dates as DateValue, places and bodies as printed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from memorybook.ingest.entry import DATE_KEYS, ENTRY_KEYS, ParsedEntry
from memorybook.model.dates import DateValue
from memorybook.model.events import Event, EventKind
from memorybook.storage.record_codec import date_bounds


def entry_events(parsed: ParsedEntry) -> list[Event]:
    v = parsed.values
    d = parsed.dates
    x = parsed.extra
    out: list[Event] = []
    sanction = x.get("sanction")
    if sanction is not None:
        out.append(
            Event(EventKind.SANCTION, date=d.get("sanction"), description=sanction.get("title"))
        )
    if v["birth"] is not None or v["birthplace"] is not None:
        out.append(Event(EventKind.BIRTH, date=d.get("birth"), place=v["birthplace"]))
    if v["arrest"] is not None:
        out.append(Event(EventKind.ARREST, date=d.get("arrest")))
    if any(v[k] is not None for k in ("sentencing_body", "sentence_date", "sentence", "charge")):
        out.append(
            Event(
                EventKind.SENTENCE,
                date=d.get("sentence_date"),
                body=v["sentencing_body"],
                body_key=x.get("body_key"),
                description=v["sentence"],
            )
        )
    if v["executed"] is True:
        out.append(Event(EventKind.EXECUTION, date=d.get("death"), place=x.get("death_place")))
    elif v["death"] is not None:
        out.append(Event(EventKind.DEATH, date=d.get("death")))
    if v["burial_place"] is not None:
        out.append(Event(EventKind.BURIAL, place=v["burial_place"]))
    if v["rehabilitation"] is not None or v["rehabilitating_body"] is not None:
        out.append(
            Event(
                EventKind.REHABILITATION,
                date=d.get("rehabilitation"),
                body=v["rehabilitating_body"],
                body_key=x.get("rehabilitating_body_key"),
            )
        )
    return out


def record_event_rows(rec: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The events of a stored record, derived from its parsed values as the importer derives
    them (imports store no event rows: every column of one is in the record already). `rec`
    is a record as `read_store.record` returns it (fields, spans, extra, dates)."""
    fields = rec.get("fields") or {}
    spans = rec.get("spans") or {}
    bounds = rec.get("dates") or {}
    verbatim = str(rec.get("verbatim") or "")
    parsed = ParsedEntry(values={k: fields.get(k) for k in ENTRY_KEYS})
    parsed.extra = dict(rec.get("extra") or {})
    for key in DATE_KEYS:
        edtf = fields.get(key)
        if edtf is None:
            continue
        lo, hi = date_bounds(key, edtf, bounds)
        span = spans.get(key)
        printed = verbatim[span[0] : span[1]] if isinstance(span, list | tuple) else ""
        parsed.dates[key] = DateValue(str(edtf), _day(lo), _day(hi), printed)
    out = []
    for ev in entry_events(parsed):
        d = ev.date
        place_key = ev.place_key
        if place_key is None and ev.kind is EventKind.BURIAL:
            place_key = rec.get("burial_place_key")
        out.append(
            {
                "kind": ev.kind.value,
                "custom_label": ev.custom_label,
                "edtf": d.edtf if d else None,
                "earliest": d.earliest.isoformat() if d and d.earliest else None,
                "latest": d.latest.isoformat() if d and d.latest else None,
                "printed": d.printed if d else None,
                "place": ev.place,
                "place_key": place_key,
                "body": ev.body,
                "body_key": ev.body_key,
                "description": ev.description,
            }
        )
    # The order of the stored rows: dated events first, by date, then as the entry tells them.
    order = sorted(
        range(len(out)), key=lambda i: (out[i]["earliest"] is None, out[i]["earliest"] or "", i)
    )
    return [out[i] for i in order]


def _day(iso: str | None) -> dt.date | None:
    return dt.date.fromisoformat(iso) if iso else None

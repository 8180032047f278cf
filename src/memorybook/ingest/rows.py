"""Turning a raw entry and its parse into the archive's rows (record, person, events, keys)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from memorybook.ingest.entry import ParsedEntry
from memorybook.ingest.formats import RawEntry
from memorybook.ingest.gazetteer import match_burial_place
from memorybook.storage import archive_store as store
from memorybook.storage import search_tables


@dataclass(slots=True)
class BatchRows:
    records: list[dict[str, Any]] = field(default_factory=list)
    locators: list[dict[str, Any]] = field(default_factory=list)
    persons: list[dict[str, Any]] = field(default_factory=list)
    person_records: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    names: list[tuple[int, str | None, str | None, str | None, list[str]]] = field(
        default_factory=list
    )


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def sort_key(name: str | None) -> str | None:
    """Collation key: Unicode order is the Russian alphabet's except for ё, folded to е."""
    if not name:
        return None
    return name.casefold().replace("ё", "е")


class RowBuilder:
    def __init__(
        self,
        conn_ids: tuple[int, int, int],
        family: str,
        source_id: int,
        style: str,
        synthetic: bool,
        moscow: bool,
    ) -> None:
        self.record_id, self.person_id, self.event_id = conn_ids
        self.family, self.source_id, self.style = family, source_id, style
        self.synthetic, self.moscow = synthetic, moscow

    def new_batch(self) -> BatchRows:
        return BatchRows()

    def add(self, entry: RawEntry, key: str, rows: BatchRows) -> ParsedEntry:
        from memorybook.ingest.events import entry_events
        from memorybook.ingest.importer import parse_raw_entry

        parsed = parse_raw_entry(entry, self.style)
        v = parsed.values
        self.record_id += 1
        self.person_id += 1
        rid, pid = self.record_id, self.person_id
        birth = parsed.dates.get("birth")
        death = parsed.dates.get("death")
        rehab = parsed.dates.get("rehabilitation")
        burial_key = match_burial_place(v.get("burial_place"), moscow=self.moscow)
        name = " ".join(x for x in (v.get("surname"), v.get("given_name"), v.get("patronymic")) if x)
        extra = dict(parsed.extra)
        if burial_key:
            extra["burial_place_key"] = burial_key
        rows.records.append(
            {
                "id": rid,
                "key": key,
                "family": self.family,
                "source_id": self.source_id,
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
                "warnings_json": _dumps([*entry.warnings, *parsed.warnings])
                if entry.warnings or parsed.warnings
                else None,
                "parsed": not any(w.startswith("unparsed_entry") for w in parsed.warnings),
                "name": name or None,
                "surname": v.get("surname"),
                "given_name": v.get("given_name"),
                "patronymic": v.get("patronymic"),
                "sex": v.get("sex"),
                "birth_edtf": v.get("birth"),
                "birth_from": birth.earliest.year if birth and birth.earliest else None,
                "birth_to": birth.latest.year if birth and birth.latest else None,
                "death_edtf": v.get("death"),
                "death_date": death.earliest if death and death.earliest == death.latest else None,
                "death_year": death.year if death else None,
                "nationality": v.get("nationality"),
                "burial_place": v.get("burial_place"),
                "burial_place_key": burial_key,
                "residence": v.get("residence"),
                "sentencing_body": v.get("sentencing_body"),
                "body_key": extra.get("body_key"),
                "executed": v.get("executed"),
                "rehab_year": rehab.year if rehab else None,
                "operation_key": extra.get("operation_key"),
                "sort_key": sort_key(name),
                "synthetic": self.synthetic,
            }
        )
        rows.locators.append(
            {
                "record_id": rid,
                "source_id": self.source_id,
                "file": entry.locator["file"],
                "idx": entry.locator["index"],
            }
        )
        rows.persons.append(
            {
                "id": pid,
                "key": f"p-{key}",
                "surname": v.get("surname"),
                "given_name": v.get("given_name"),
                "patronymic": v.get("patronymic"),
                "sex": v.get("sex"),
            }
        )
        rows.person_records.append({"person_id": pid, "record_id": rid})
        for ev in entry_events(parsed):
            self.event_id += 1
            d = ev.date
            place_key = ev.place_key or (burial_key if ev.kind.value == "burial" else None)
            rows.events.append(
                {
                    "id": self.event_id,
                    "record_id": rid,
                    "person_id": pid,
                    "role": "primary",
                    "kind": ev.kind.value,
                    "custom_label": ev.custom_label,
                    "edtf": d.edtf if d else None,
                    "earliest": d.earliest if d else None,
                    "latest": d.latest if d else None,
                    "printed": d.printed if d else None,
                    "place": ev.place,
                    "place_key": place_key,
                    "body": ev.body,
                    "body_key": ev.body_key,
                    "description": ev.description,
                }
            )
        aliases = extra.get("aliases") or []
        rows.names.append((rid, v.get("surname"), v.get("given_name"), v.get("patronymic"), aliases))
        return parsed

    def write_name_keys(self, conn: Connection, rows: BatchRows) -> None:
        from memorybook.search.keys import name_key_rows

        out: list[dict[str, Any]] = []
        for rid, sur, given, patr, aliases in rows.names:
            if sur or given or patr or aliases:
                out.extend(name_key_rows(rid, sur, given, patr, list(aliases)))
        store.insert_many(conn, search_tables.name_key, out)

"""The events a parsed entry tells of: birth, arrest, sentence, execution or death, burial,
rehabilitation (dates as DateValue, places and bodies as printed)."""

from __future__ import annotations

from memorybook.ingest.entry import ParsedEntry
from memorybook.model.events import Event, EventKind


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

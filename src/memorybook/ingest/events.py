"""The events a parsed entry tells of: birth, arrest, sentence, execution or death, burial,
rehabilitation (dates as DateValue, places and bodies as printed)."""

from __future__ import annotations

from collections.abc import Iterator

from memorybook.ingest.entry import ParsedEntry
from memorybook.model.dates import DateValue
from memorybook.model.events import Event, EventKind

# (kind, date, place, body, body_key, description): an Event's fields without the ones an
# entry never sets. The importer writes these as rows in worker processes: building a frozen
# Event (a dataclass whose __init__ sets each field through object.__setattr__) cost about
# 4 % of a worker's CPU for nothing it needed.
EventFields = tuple[EventKind, DateValue | None, str | None, str | None, str | None, str | None]


def entry_events(parsed: ParsedEntry) -> list[Event]:
    return [
        Event(kind, date=date, place=place, body=body, body_key=body_key, description=desc)
        for kind, date, place, body, body_key, desc in event_fields(parsed)
    ]


def event_fields(parsed: ParsedEntry) -> Iterator[EventFields]:
    """The entry's events, in order, as `EventFields` (see `entry_events`)."""
    v = parsed.values
    d = parsed.dates
    x = parsed.extra
    sanction = x.get("sanction")
    if sanction is not None:
        yield EventKind.SANCTION, d.get("sanction"), None, None, None, sanction.get("title")
    if v["birth"] is not None or v["birthplace"] is not None:
        yield EventKind.BIRTH, d.get("birth"), v["birthplace"], None, None, None
    if v["arrest"] is not None:
        yield EventKind.ARREST, d.get("arrest"), None, None, None, None
    if (
        v["sentencing_body"] is not None
        or v["sentence_date"] is not None
        or v["sentence"] is not None
        or v["charge"] is not None
    ):
        yield (
            EventKind.SENTENCE, d.get("sentence_date"), None, v["sentencing_body"],
            x.get("body_key"), v["sentence"],
        )  # fmt: skip
    if v["executed"] is True:
        yield EventKind.EXECUTION, d.get("death"), x.get("death_place"), None, None, None
    elif v["death"] is not None:
        yield EventKind.DEATH, d.get("death"), None, None, None, None
    if v["burial_place"] is not None:
        yield EventKind.BURIAL, None, v["burial_place"], None, None, None
    if v["rehabilitation"] is not None or v["rehabilitating_body"] is not None:
        yield (
            EventKind.REHABILITATION, d.get("rehabilitation"), None, v["rehabilitating_body"],
            x.get("rehabilitating_body_key"), None,
        )  # fmt: skip

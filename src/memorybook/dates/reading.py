"""One printed date phrase -> its reading, as the importers read it (the `memorybook date`
command and other people's tools check readings through this)."""

from __future__ import annotations

from typing import Any

from memorybook.dates.parser import parse_date
from memorybook.errors import BadQuery
from memorybook.model.dates import DateValue


def read_date(phrase: str, century: int | None = None) -> DateValue:
    """The reading of `phrase` (`до 1940 г.`, `около 1900`, `17.05.1938`); BadQuery when the
    phrase is not exactly one date. `century` (19) lets two-digit years (`24.5.56`) be read."""
    value = parse_date(phrase.strip(), century)
    if value is None:
        raise BadQuery(
            f"not one date: {phrase.strip()[:80]!r} (give one printed date phrase, e.g. "
            "'до 1940 г.'; a two-digit year needs --century)"
        )
    return value


def date_json(value: DateValue) -> dict[str, Any]:
    """The machine-readable reading: EDTF, ISO bounds (null: open) and the warnings."""
    return {
        "edtf": value.edtf,
        "earliest": value.earliest.isoformat() if value.earliest else None,
        "latest": value.latest.isoformat() if value.latest else None,
        "warnings": list(value.warnings),
    }

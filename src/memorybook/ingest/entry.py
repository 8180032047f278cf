"""The parsed form of one printed entry (the contract of ../shared/docs/entry-fields.md).

A `ParsedEntry` holds every key of the contract (None where the entry does not say), the
character span in the verbatim text each text value was taken from, the parsed dates with
their bounds, and warnings where the parser was unsure. The verbatim text is never replaced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from memorybook.model.dates import DateValue

ENTRY_KEYS: tuple[str, ...] = (
    "surname",
    "given_name",
    "patronymic",
    "sex",
    "birth",
    "birthplace",
    "nationality",
    "party",
    "education",
    "occupation",
    "residence",
    "arrest",
    "sentencing_body",
    "sentence_date",
    "charge",
    "sentence",
    "executed",
    "death",
    "burial_place",
    "rehabilitation",
    "rehabilitating_body",
    "source",
)

DATE_KEYS: tuple[str, ...] = ("birth", "arrest", "sentence_date", "death", "rehabilitation")


@dataclass(slots=True)
class ParsedEntry:
    values: dict[str, Any] = field(default_factory=lambda: dict.fromkeys(ENTRY_KEYS))
    # key -> (start, end) into the verbatim text; verbatim[start:end] is the printed text of
    # the value (for dates: the printed date phrase).
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    dates: dict[str, DateValue] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # "kind: detail"
    # Extra facts the contract has no key for but the archive keeps (aliases, body keys,
    # operation named in the text ...).
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self, locator: dict[str, Any], verbatim: str) -> dict[str, Any]:
        """The `memorybook parse` line for this entry."""
        out: dict[str, Any] = {"locator": locator, "verbatim": verbatim}
        out.update(self.values)
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out

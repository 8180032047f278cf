"""One raw entry → its parsed fields: the entry parser for printed text, the column mapping
for structured rows. Both `memorybook parse` and the importer go through here."""

from __future__ import annotations

from memorybook.ingest.entry import ParsedEntry
from memorybook.ingest.formats import RawEntry
from memorybook.ingest.given import parse_given
from memorybook.ingest.parser import parse_entry
from memorybook.ingest.stalin_entry import parse_stalin_entry


def parse_raw_entry(entry: RawEntry, style: str) -> ParsedEntry:
    if style == "given":
        return parse_given(entry)
    if style == "stalin":
        return parse_stalin_entry(entry)
    return parse_entry(entry.verbatim, style)

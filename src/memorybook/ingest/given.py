"""Entries whose fields a structured source gives directly (CSV/JSONL columns).

Mapped columns fill their fields as printed; a column mapped to `text` is parsed as a
line-per-field entry and fills what the columns leave empty. Dates go through the Russian
date parser; spans point into the row as printed wherever the value is found there."""

from __future__ import annotations

from memorybook.dates import parse_date
from memorybook.ingest.entry import DATE_KEYS, ENTRY_KEYS, ParsedEntry
from memorybook.ingest.formats import RawEntry
from memorybook.ingest.parser import parse_entry
from memorybook.vocab.nationality import nationality_key

_TRUE = {"1", "true", "yes", "да", "расстрелян", "расстреляна"}
_FALSE = {"0", "false", "no", "нет"}


def parse_given(entry: RawEntry) -> ParsedEntry:
    given = entry.given
    parsed = ParsedEntry()
    text = given.get("text")
    if text:
        parsed = parse_entry(text, "lists")
        offset = entry.verbatim.find(text)
        if offset >= 0:
            parsed.spans = {k: (a + offset, b + offset) for k, (a, b) in parsed.spans.items()}
        else:  # the row quotes the text differently from its cell: spans would lie
            parsed.spans = {}
    for key in ENTRY_KEYS:
        raw = given.get(key)
        if raw is None:
            continue
        value = raw.strip().rstrip(".;,").strip()
        if not value or value == "?":
            continue
        pos = entry.verbatim.find(value)
        if pos >= 0:
            parsed.spans[key] = (pos, pos + len(value))
        else:
            parsed.spans.pop(key, None)
        if key in DATE_KEYS:
            date = parse_date(value)
            if date is None:
                parsed.warnings.append(f"unparsed_date: {key} {value!r}")
                continue
            parsed.dates[key] = date
            parsed.values[key] = date.edtf
        elif key == "executed":
            folded = value.casefold()
            parsed.values[key] = True if folded in _TRUE else False if folded in _FALSE else None
        elif key == "sex":
            folded = value.casefold()
            parsed.values[key] = {"m": "m", "м": "m", "f": "f", "ж": "f"}.get(folded[:1])
        else:
            parsed.values[key] = value
    _check_nationality(parsed)
    return parsed


def _check_nationality(parsed: ParsedEntry) -> None:
    """The canonical nationality of the final value (a column may replace the text's), or
    an `unknown_nationality` note: a word the vocabulary does not know is kept and filtered
    under its own words, and the import report says so."""
    parsed.warnings = [w for w in parsed.warnings if not w.startswith("unknown_nationality:")]
    parsed.extra.pop("nationality_key", None)
    value = parsed.values.get("nationality")
    if not value:
        return
    key = nationality_key(value)
    if key is None:
        parsed.warnings.append(f"unknown_nationality: {value}")
    else:
        parsed.extra["nationality_key"] = key

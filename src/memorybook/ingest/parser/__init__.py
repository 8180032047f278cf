"""The entry parser: one printed entry (verbatim text) -> ParsedEntry with spans.

`parse_entry(verbatim, style)` never raises: an entry it cannot read still yields an object
with the keys it found and a warning. `parse_raw_entry(entry, style)` is the one door for a
raw entry of any source format (printed text, mapped columns, the Politburo lists); both
`memorybook parse` and the importer go through it."""

from __future__ import annotations

import re

from memorybook.ingest.bodies import body_key
from memorybook.ingest.entry import ParsedEntry
from memorybook.ingest.formats.base import RawEntry
from memorybook.ingest.parser.core import Builder
from memorybook.ingest.parser.lists import (
    _birth_part,
    _classify_line,
    _rehab_body,
    _sentence_marks,
    parse_lists,
)
from memorybook.ingest.parser.moscow import parse_moscow
from memorybook.ingest.stalin_entry import parse_stalin_entry
from memorybook.vocab.nationality import is_feminine_form, nationality_key

STYLES: tuple[str, ...] = ("moscow", "lists")

# Operations/orders only where the text names them (never inferred from a nationality).
# Keys are the reference data's operation keys (reference/data/operations.yaml).
OPERATION_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), key)
    for p, key in (
        (r"00447", "kulak"),
        (r"00485|польск\w+\s+операц", "polish"),
        (r"00439|немецк\w+\s+операц", "german"),
        (r"00593|харбинск\w+\s+операц", "harbin"),
        (r"00486|жен\w*\s+изменник", "wives"),
        (r"латышск\w+\s+операц", "latvian"),
        (r"греческ\w+\s+операц", "greek"),
        (r"финск\w+\s+операц", "finnish"),
        (r"эстонск\w+\s+операц", "estonian"),
        (r"румынск\w+\s+операц", "romanian"),
        (r"иранск\w+\s+операц", "iranian"),
        (r"афганск\w+\s+операц", "afghan"),
    )
)
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z][^>]{0,40}>|&[a-zA-Z]{2,8};|&#\d+;")


def _may_name_operation(v: str) -> bool:
    """Every operation pattern needs an order number (`004..`, `00593`) or, case-insensitively,
    `операц` / `изменник`: a cheap necessary test before the patterns."""
    if "004" in v or "00593" in v:
        return True
    f = v.casefold()
    return "операц" in f or "изменник" in f


def clear_caches() -> None:
    """Empty the parser's memo caches (benchmarks measure from cold caches)."""
    from memorybook.dates.parser import clear_caches as clear_dates
    from memorybook.ingest.bodies import clear_caches as clear_bodies

    clear_dates()
    clear_bodies()
    nationality_key.cache_clear()
    is_feminine_form.cache_clear()
    _classify_line.cache_clear()
    _sentence_marks.cache_clear()
    _birth_part.cache_clear()
    _rehab_body.cache_clear()


def parse_raw_entry(entry: RawEntry, style: str) -> ParsedEntry:
    """One raw entry -> its parsed fields: the printed-text parser ("moscow", "lists"), the
    column mapping of structured rows ("given"), the Politburo lists' person entries
    ("stalin")."""
    if entry.oversize is not None:
        # Over the size limit: not read at all (ingest/entry_checks.py); the record says how
        # large the whole entry is and where it stands in the file.
        return ParsedEntry(extra={"oversize": entry.oversize})
    if style == "given":
        # the column mapping parses a mapped `text` column with parse_entry (imported here:
        # memorybook.ingest.given builds on this package)
        from memorybook.ingest.given import parse_given

        return parse_given(entry)
    if style == "stalin":
        return parse_stalin_entry(entry)
    return parse_entry(entry.verbatim, style)


def parse_entry(verbatim: str, style: str) -> ParsedEntry:
    """Parse one entry printed in `style` ("moscow" or "lists")."""
    b = Builder(verbatim if isinstance(verbatim, str) else "")
    try:
        if not verbatim or not verbatim.strip():
            b.warn("empty_entry", "no text")
            return b.entry
        if style == "moscow":
            parse_moscow(b)
        elif style == "lists":
            parse_lists(b)
        else:
            b.warn("unknown_style", style)
            return b.entry
        _finish(b)
    except Exception as exc:  # an import must never stop on one entry
        b.warn("parser_error", f"{type(exc).__name__}: {exc}")
    return b.entry


def _finish(b: Builder) -> None:
    v = b.v
    e = b.entry
    values = e.values
    sd = e.dates.get("sentence_date")
    key = body_key(
        values["sentencing_body"],
        sd.earliest if sd else None,
        sd.latest if sd else None,
        sentencing=True,
    )
    if key is not None:
        e.extra["body_key"] = key
    nkey = nationality_key(values["nationality"])
    if nkey is not None:
        e.extra["nationality_key"] = nkey  # the shared vocabulary's canonical form
    elif values["nationality"]:
        # Filtered and counted under its own words, never merged into a known nationality;
        # reported so that the vocabulary can learn it.
        b.warn("unknown_nationality", values["nationality"])
    rkey = body_key(values["rehabilitating_body"])
    if rkey is not None:
        e.extra["rehabilitating_body_key"] = rkey
    if _may_name_operation(v):
        for pattern, op in OPERATION_PATTERNS:
            if pattern.search(v):
                e.extra["operation_key"] = op
                break
    if "<" in v or "&" in v:
        mk = _MARKUP.search(v)
        if mk is not None:
            b.warn("markup_in_text", mk.group(0))
    if all(x is None for x in values.values()):
        b.warn("unparsed_line", v[:50])

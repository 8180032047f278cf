"""`csv` and `jsonl`: lists other memorial groups publish, with a column mapping to the entry
fields (`--map surname=Фамилия --map given_name=Имя ...`).

A column mapped to `text` holds a free-text entry and goes through the line-per-field parser;
other mapped columns give their field directly. The verbatim text of a record is its row as
printed in the file, so nothing of the source is lost, mapped or not."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from typing import Any

from memorybook.errors import ImportFailed
from memorybook.ingest.entry import ENTRY_KEYS
from memorybook.ingest.formats.base import (
    FileInput,
    RawEntry,
    SourceFormat,
    expand_files,
    is_blank,
    register,
)
from memorybook.ingest.formats.decoding import read_file

MAPPABLE = (*ENTRY_KEYS, "text")
_NO_CELL_LIMIT = 2**31 - 1


def parse_mapping(pairs: list[str] | dict[str, str] | None) -> dict[str, str]:
    """`["surname=Фамилия", ...]` → {"surname": "Фамилия"}; field names are checked."""
    if not pairs:
        return {}
    items = pairs.items() if isinstance(pairs, dict) else (p.split("=", 1) for p in pairs)
    mapping: dict[str, str] = {}
    for item in items:
        if len(item) != 2:
            raise ImportFailed(f"a mapping is FIELD=COLUMN, not {'='.join(item)!r}")
        key, column = item
        if key not in MAPPABLE:
            raise ImportFailed(f"unknown entry field {key!r}; known: {', '.join(MAPPABLE)}")
        mapping[key] = column
    return mapping


def delimiter_option(options: dict[str, Any] | None) -> str:
    """The CSV cell delimiter: one character (a tab may be given as `\\t`)."""
    value = (options or {}).get("delimiter") or ","
    if value in ("\\t", "tab", "TAB"):
        value = "\t"
    if not isinstance(value, str) or len(value) != 1 or value in ('"', "\r", "\n"):
        raise ImportFailed(f"the CSV delimiter must be one character, not {value!r}")
    return value


def csv_reading(options: dict[str, Any]) -> dict[str, Any]:
    return {
        "mapping": parse_mapping(options.get("mapping")),
        "delimiter": delimiter_option(options),
    }


def jsonl_reading(options: dict[str, Any]) -> dict[str, Any]:
    return {"mapping": parse_mapping(options.get("mapping"))}


def _given(row: dict[str, Any], mapping: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    given: dict[str, str] = {}
    missing: list[str] = []
    for key, column in mapping.items():
        if column not in row:
            missing.append(column)
            continue
        value = row[column]
        if value is None:
            continue
        given[key] = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return given, missing


def read_csv(src: FileInput, options: dict[str, Any] | None = None) -> Iterator[RawEntry]:
    mapping = parse_mapping((options or {}).get("mapping"))
    text = src.text
    # Offsets of every line start, so each row knows its exact slice of the file even when a
    # quoted cell spans several lines.
    lines = text.splitlines(keepends=True)
    starts = [0]
    for ln in lines:
        starts.append(starts[-1] + len(ln))
    consumed = 0

    def feed() -> Iterator[str]:
        nonlocal consumed
        for ln in lines:
            consumed += 1
            yield ln

    # No cell limit of the csv module's own (128 KiB, then an exception): an entry's size is
    # bounded by the importer's limit, which keeps an oversize row with a warning.
    csv.field_size_limit(max(csv.field_size_limit(), _NO_CELL_LIMIT))
    reader = csv.reader(feed(), delimiter=delimiter_option(options))
    header: list[str] | None = None
    index = 0
    row_first = 0
    for cells in _rows(reader, src.name, lambda: consumed):
        if header is None:
            header = cells
            row_first = consumed
            continue
        start, end = starts[row_first], starts[consumed]
        raw = text[start:end].rstrip("\n")
        line = row_first + 1
        row_first = consumed
        if not any(c.strip() for c in cells):
            index += 1
            continue
        row = dict(zip(header, cells, strict=False))
        given, missing = _given(row, mapping)
        entry = RawEntry(
            locator={"file": src.name, "index": index},
            verbatim=raw,
            raw=raw,
            raw_start=start,
            raw_end=start + len(raw),
            line=line,
            given=given,
            # Control characters alone are no text: counted and reported as an empty piece.
            blank=all(is_blank(c) for c in cells),
        )
        if len(cells) != len(header):
            entry.warnings.append(
                f"row_width: {len(cells)} cells where the header has {len(header)}"
            )
        if missing:
            entry.warnings.append(f"missing_column: {', '.join(missing)}")
        index += 1
        yield entry


def _rows(reader: Iterator[list[str]], name: str, line: Callable[[], int]) -> Iterator[list[str]]:
    """The reader's rows; a file the csv module cannot read stops the import with its line."""
    try:
        yield from reader
    except csv.Error as exc:
        raise ImportFailed(f"{name}: line {line()}: not readable as CSV ({exc})") from None


def read_jsonl(src: FileInput, options: dict[str, Any] | None = None) -> Iterator[RawEntry]:
    mapping = parse_mapping((options or {}).get("mapping"))
    text = src.text
    pos = 0
    index = 0
    for line_no, line in enumerate(text.split("\n"), start=1):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        entry = RawEntry(
            locator={"file": src.name, "index": index},
            verbatim=line,
            raw=line,
            raw_start=start,
            raw_end=start + len(line),
            line=line_no,
        )
        index += 1
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            entry.warnings.append(f"bad_json: {exc.msg} at column {exc.colno}")
            yield entry
            continue
        if not isinstance(row, dict):
            entry.warnings.append("bad_json: a line is not a JSON object")
            yield entry
            continue
        entry.given, missing = _given(row, mapping)
        if missing:
            entry.warnings.append(f"missing_column: {', '.join(missing)}")
        yield entry


register(
    SourceFormat(
        name="csv",
        title="A list in CSV with a column mapping",
        style="given",
        expand=lambda paths: expand_files(list(paths), "*.csv"),
        read=read_csv,
        decode=lambda path, enc: read_file(path, enc),
        reading_options=csv_reading,
    )
)
register(
    SourceFormat(
        name="jsonl",
        title="A list in JSON Lines with a field mapping",
        style="given",
        expand=lambda paths: expand_files(list(paths), "*.jsonl"),
        read=read_jsonl,
        decode=lambda path, enc: read_file(path, enc),
        reading_options=jsonl_reading,
    )
)

"""`memorial-lists`: line-per-field entries of Memorial's national database (texts.txt).

Entries sit between lines that are exactly `---`; an empty piece keeps its number (the
locator index) but creates no record."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from memorybook.ingest.formats.base import FileInput, RawEntry, SourceFormat, expand_files, register
from memorybook.ingest.formats.decoding import read_file

SEPARATOR = "---"


def read_entries(src: FileInput, options: dict[str, Any] | None = None) -> Iterator[RawEntry]:
    text = src.text
    index = 0
    start = 0  # offset of the current piece
    line_no = 1
    piece_line = 1
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        if text[pos:end] == SEPARATOR:
            yield _entry(src, index, start, pos, piece_line)
            index += 1
            start = end + 1
            piece_line = line_no + 1
        if nl < 0:
            break
        pos = nl + 1
        line_no += 1
    if start < n:
        # Text after the last separator: a final entry without its closing `---`.
        entry = _entry(src, index, start, n, piece_line)
        if not entry.empty:
            entry.warnings.append("unterminated_entry: the file ends without a closing ---")
        yield entry


def _entry(src: FileInput, index: int, start: int, end: int, line: int) -> RawEntry:
    # The piece runs up to the separator line; its own final newline belongs to the layout.
    stop = end - 1 if end > start and src.text[end - 1] == "\n" else end
    raw = src.text[start:stop]
    return RawEntry(
        locator={"file": src.name, "index": index},
        verbatim=raw,
        raw=raw,
        raw_start=start,
        raw_end=stop,
        line=line,
    )


FORMAT = register(
    SourceFormat(
        name="memorial-lists",
        title=(
            "Memorial, Victims of political terror in the USSR (lists.memo.ru), "
            "entries without names"
        ),
        style="lists",
        expand=lambda paths: expand_files(list(paths), "*.txt"),
        read=read_entries,
        decode=lambda path, enc: read_file(path, enc),
        source_defaults={
            "author": "Memorial Society",
            "url": "https://lists.memo.ru",
            "licence": "Apache-2.0 (memoru collection, 2011)",
            "year": 2011,
        },
    )
)


def iter_entries(path: str | Path, encoding: str | None = None) -> Iterator[RawEntry]:
    """Every piece of a texts.txt file, empty ones included, in file order."""
    yield from read_entries(read_file(Path(path), encoding))

"""The one CSV writer of every export (search results, chart data, …).

A cell that a spreadsheet would run as a formula — one opening with `=`, `+`, `-`, `@`, their
full-width forms (`＝` …) or a tab, carriage return or line feed — is written with a leading
apostrophe, so opening an export never runs anything (OWASP "CSV injection")."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

FORMULA_STARTS = frozenset("=+-@")
CONTROL_STARTS = frozenset("\t\r\n")
CHUNK = 32_768  # characters per streamed piece


def is_formula(text: str) -> bool:
    if not text or text[0].isalnum():  # a letter or digit of any script never starts one
        return False
    if text[0] in CONTROL_STARTS:
        return True
    first = text.lstrip(" \u00a0\u3000")[:1]
    return bool(first) and unicodedata.normalize("NFKC", first)[:1] in FORMULA_STARTS


def safe_cell(value: Any) -> Any:
    """A value as a CSV cell: None is empty, numbers stay numbers, text never a formula."""
    if type(value) is str:  # most cells: text that opens with a letter or digit
        return "'" + value if is_formula(value) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    text = value if isinstance(value, str) else str(value)
    return "'" + text if is_formula(text) else text


def csv_chunks(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], *, footer: Sequence[str] = ()
) -> Iterator[str]:
    """The CSV text in pieces of about `CHUNK` characters (for a streamed response); each
    `footer` line is a one-cell row after the data (what the file does not hold)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in header])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
        if buf.tell() > CHUNK:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    for line in footer:
        writer.writerow([safe_cell(line)])
    yield buf.getvalue()


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    return "".join(csv_chunks(header, rows))


__all__ = ["csv_chunks", "csv_text", "is_formula", "safe_cell"]

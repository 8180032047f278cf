"""`memorial-moscow`: Memorial's Moscow execution lists (windows-1251 HTML pages).

Pages are arranged street → house → flat → persons; one person per `<p class=pers>` with the
name in `<B>`. The record keeps that structure as context; the residence itself comes from
the entry's own `Адрес:`."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from memorybook.ingest.formats.base import FileInput, RawEntry, SourceFormat, expand_files, register
from memorybook.ingest.formats.decoding import read_file

# One pass over the page finds the structural markers in document order.
_TOKEN = re.compile(
    r"<p class=Street>(?P<street>.*?)</p>"
    r"|<h4>(?P<house>.*?)</h4>"
    r"|<h5>(?P<flat>.*?)</h5>"
    r"|<p class=pers>",
    re.IGNORECASE | re.DOTALL,
)
# A person's entry ends at its </p>; a truncated page may lack it, so the next tag that can
# not be inside an entry ends it too.
_PERS_END = re.compile(r"</p>|<p[\s>]|</td>|</tr>|</table>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_BOLD = re.compile(r"</?b>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# The page's own statement of its encoding (HTML 4 http-equiv or HTML 5 charset).
_CHARSET_META = re.compile(r"<meta\b[^>]*\bcharset\b[^>]*>", re.IGNORECASE)


def without_charset_declaration(text: str) -> str:
    """The page as its identity sees it: the same page saved in another encoding, with its
    declaration changed or dropped, is the same page."""
    return _CHARSET_META.sub("", text)


def _clean(fragment: str) -> str:
    return _SPACES.sub(" ", html.unescape(_TAG.sub("", fragment))).strip()


def read_entries(src: FileInput, options: dict[str, Any] | None = None) -> Iterator[RawEntry]:
    text = src.text
    street = house = flat = None
    index = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "street":
            street, house, flat = _clean(m.group("street")), None, None
        elif kind == "house":
            house, flat = _clean(m.group("house")), None
        elif kind == "flat":
            flat = _clean(m.group("flat")) or None
        else:
            start = m.end()
            end_m = _PERS_END.search(text, start)
            end = end_m.start() if end_m else len(text)
            raw = text[start:end]
            entry = RawEntry(
                locator={"file": src.name, "index": index},
                verbatim=_BOLD.sub("", raw),
                raw=raw,
                raw_start=start,
                raw_end=end,
                line=text.count("\n", 0, start) + 1,
                context={"page": src.name, "street": street, "house": house, "flat": flat},
            )
            if end_m is None or end_m.group(0).lower() != "</p>":
                entry.warnings.append("truncated_entry: no closing </p>; the entry ends early")
            bold = _BOLD.findall(raw)
            if len(bold) != 2:
                entry.warnings.append(f"unbalanced_name_markup: {len(bold)} <B> tags in entry")
            index += 1
            yield entry


FORMAT = register(
    SourceFormat(
        name="memorial-moscow",
        title="Memorial, Execution lists: Moscow (Расстрельные списки. Москва)",
        style="moscow",
        expand=lambda paths: expand_files(list(paths), "*.htm"),
        read=read_entries,
        decode=lambda path, enc: read_file(path, enc, html=True),
        identity_text=without_charset_declaration,
        source_defaults={
            "author": "Memorial Society",
            "url": "http://mos.memo.ru",
            "licence": "not stated by the copier (possibly CC-BY); cite Memorial",
        },
    )
)


def iter_entries(path: str | Path, encoding: str | None = None) -> Iterator[RawEntry]:
    """Every `<p class=pers>` of a page, or of all pages of a directory in page order."""
    for file in FORMAT.expand([Path(path)]):
        yield from read_entries(read_file(file, encoding, html=True))

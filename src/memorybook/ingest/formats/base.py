"""What every source format yields, and the registry of formats by name."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from memorybook.errors import ImportFailed, UnknownFormat

# Control characters (C0 but tab and newline, DEL, C1): never printed text.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(slots=True)
class RawEntry:
    """One printed entry as found in its file.

    `raw` is the exact slice `decoded[raw_start:raw_end]` of the decoded file (line endings
    normalised to LF, as universal-newline reading does); `verbatim` is the entry's text as a
    reader sees it (for HTML: the `<B>` tags removed, nothing else changed). `line` is the
    1-based line of the file where the entry starts."""

    locator: dict[str, Any]
    verbatim: str
    raw: str
    raw_start: int
    raw_end: int
    line: int
    context: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Fields given directly by a structured source (CSV/JSONL columns), with their printed text.
    given: dict[str, str] = field(default_factory=dict)
    # Set for an entry over the size limit (ingest/entry_checks.py): its whole size and
    # sha256; `verbatim` and `raw` then hold only its beginning and it is not parsed.
    oversize: dict[str, Any] | None = None
    # Set by a reader that finds no text in the entry's own units (a CSV row whose cells hold
    # nothing but control characters, between its delimiters).
    blank: bool = False

    @property
    def empty(self) -> bool:
        """Nothing but white space and control characters: a piece, not a record."""
        return self.blank or is_blank(self.verbatim)


def is_blank(text: str) -> bool:
    """Nothing but white space and control characters."""
    if not text.strip():
        return True
    return not text.isprintable() and not _CONTROLS.sub("", text).strip()


@dataclass(slots=True)
class FileInput:
    """A source file read whole: its bytes (for sha256 and size) and decoded text."""

    path: Path
    name: str
    data: bytes
    text: str
    encoding: str


@dataclass(frozen=True, slots=True)
class SourceFormat:
    name: str
    title: str
    style: str  # the parser style: "moscow", "lists" or "given"
    expand: Callable[[list[Path]], list[Path]]  # a directory becomes its files, in order
    read: Callable[[FileInput, dict[str, Any]], Iterator[RawEntry]]
    decode: Callable[[Path, str | None], FileInput]
    source_defaults: dict[str, Any] = field(default_factory=dict)
    # Notes on the whole source for the import report (e.g. documents a catalogue names
    # that are not in the data): each a dict with "kind" and a readable "message".
    survey: Callable[[list[FileInput]], list[dict[str, Any]]] | None = None
    # Run inside the import's transaction after the entries are written (source id, family,
    # the decoded files): e.g. the Politburo lists' reference items.
    finish: Callable[[Any, int, str, list[FileInput]], object] | None = None
    # The decoded text as a source's identity sees it (ingest/identity.py): e.g. an HTML
    # page without its charset declaration, so the same page in another encoding is the same.
    identity_text: Callable[[str], str] | None = None
    # The import options that change how entries are read (a CSV's mapping and delimiter),
    # in one canonical form: part of a version's identity.
    reading_options: Callable[[dict[str, Any]], dict[str, Any]] | None = None


FORMATS: dict[str, SourceFormat] = {}


def register(fmt: SourceFormat) -> SourceFormat:
    FORMATS[fmt.name] = fmt
    return fmt


def get_format(name: str) -> SourceFormat:
    try:
        return FORMATS[name]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise UnknownFormat(f"no source format named {name!r} (known: {known})") from None


def source_files(fmt: SourceFormat, paths: list[Path]) -> list[Path]:
    """The files a format reads from the paths given (a directory becomes its files), or
    `ImportFailed` when a path does not exist or nothing readable is found."""
    for p in paths:
        if not p.exists():
            raise ImportFailed(f"{p}: no such file or directory")
    files = fmt.expand(list(paths))
    if not files:
        raise ImportFailed(f"no {fmt.name} files found in {', '.join(map(str, paths))}")
    return files


def expand_files(paths: list[Path], pattern: str) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            # Only files: a directory named like an input file (`1.htm/`) is not one.
            found = (f for f in p.glob(pattern) if f.is_file())
            out.extend(sorted(found, key=_natural_key))
        else:
            out.append(p)
    return out


def _natural_key(p: Path) -> tuple[Any, ...]:
    stem = p.stem
    return (0, int(stem), p.name) if stem.isdigit() else (1, 0, p.name)

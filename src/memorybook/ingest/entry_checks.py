"""Checks on every raw entry before it becomes a record: control characters and size.

- **Control characters** (NUL, ESC, DEL, C1 …) are not printed text. An entry made of
  nothing else is a piece, not a record (counted with the empty pieces and reported). In an
  entry with text, each C0 control and DEL is shown by its Unicode "control picture"
  (U+0000 → ␀, U+001B → ␛): PostgreSQL cannot store NUL in text, a page cannot show the
  others, and the exact slice of the file survives as the record's raw edit. C1 controls
  are kept as they are (both backends store them) and reported: they usually mean a file
  decoded with the wrong Latin code page.
- **Size**: an entry larger than `max_entry_bytes` (UTF-8) is kept as an unparsed record
  that points at its whole span in the file (raw_start/raw_end, with the entry's size and
  sha256), showing only its first `max_entry_bytes`. It is not parsed: half an entry would
  give fields the entry does not say. One 50 MB line once made a 250 MB JSON answer and a
  1.4 GB web worker; the file itself (sha256 and size in the source) stays the proof.

`checked_entries` applies both to the entries a format reads; the importer and
`memorybook parse` both go through it. `require_an_entry` makes an import that finds no
entry at all fail before anything is written."""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import chain

from memorybook.errors import ConfigurationError, ImportFailed
from memorybook.ingest.formats.base import RawEntry

# The longest entry of the real lists is 2,593 bytes (memorial-lists, texts.txt index 25919;
# Moscow 1,362, Politburo lists 254). 64 KiB is 25 times that, room for a Book of Memory
# that prints a page of biography per person, and small enough that parsing an entry and
# showing its record page stay instant.
DEFAULT_MAX_ENTRY_BYTES = 64 * 1024
MAX_ENTRY_BYTES_ENV = "MEMORYBOOK_MAX_ENTRY_BYTES"

_C0_AND_DEL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CHUNK = 1 << 20
# U+2400 block: ␀ … ␟ for C0, ␡ for DEL.
PICTURES = {c: 0x2400 + c for c in (*range(0x00, 0x09), *range(0x0B, 0x20))} | {0x7F: 0x2421}


def max_entry_bytes(value: int | None = None) -> int:
    """The size limit: `value`, else $MEMORYBOOK_MAX_ENTRY_BYTES, else the default."""
    if value is None:
        env = os.environ.get(MAX_ENTRY_BYTES_ENV)
        if not env:
            return DEFAULT_MAX_ENTRY_BYTES
        try:
            value = int(env)
        except ValueError:
            raise ConfigurationError(
                f"{MAX_ENTRY_BYTES_ENV} must be a whole number of bytes, not {env!r}"
            ) from None
    if value < 1024:
        raise ConfigurationError(f"the maximum entry size must be at least 1024 bytes, not {value}")
    return value


def checked_entries(entries: Iterable[RawEntry], limit: int) -> Iterator[RawEntry]:
    for entry in entries:
        if len(entry.raw) * 4 > limit and utf8_size(entry.raw) > limit:
            _cut(entry, limit)
        if not entry.verbatim.isprintable() and _CONTROLS.search(entry.verbatim):
            _mark_controls(entry)
        yield entry


def _mark_controls(entry: RawEntry) -> None:
    counts = Counter(_CONTROLS.findall(entry.verbatim))
    listed = ", ".join(f"{n} × U+{ord(c):04X}" for c, n in sorted(counts.items()))
    if entry.empty:
        entry.warnings.append(f"control_characters_only: {listed} and no text: not a record")
        return
    entry.warnings.append(f"control_characters: {listed}")
    entry.verbatim = entry.verbatim.translate(PICTURES)
    if entry.given:
        entry.given = {k: v.translate(PICTURES) for k, v in entry.given.items()}


def utf8_size(text: str) -> int:
    return sum(len(text[i : i + _CHUNK].encode("utf-8")) for i in range(0, len(text), _CHUNK))


def _cut(entry: RawEntry, limit: int) -> None:
    # In chunks: a second full copy of a huge entry is what the limit is there to avoid.
    digest = hashlib.sha256()
    size = 0
    for i in range(0, len(entry.raw), _CHUNK):
        part = entry.raw[i : i + _CHUNK].encode("utf-8")
        digest.update(part)
        size += len(part)
    shown = entry.verbatim[:limit].encode("utf-8")[:limit].decode("utf-8", errors="ignore")
    entry.oversize = {
        "bytes": size,
        "shown_bytes": len(shown.encode("utf-8")),
        "sha256": digest.hexdigest(),
    }
    entry.warnings.append(
        f"oversize_entry: {size} bytes, over the limit of {limit}: kept unparsed, its"
        f" first {entry.oversize['shown_bytes']} bytes shown; the whole entry is in the file"
        f" at characters {entry.raw_start}–{entry.raw_end}"
    )
    entry.verbatim = entry.raw = shown
    entry.given = {}


def identity_text(entry: RawEntry) -> str:
    """The text a record's content key is made from: the verbatim entry, or for one cut at
    the size limit its beginning and the whole entry's sha256 (two long entries that begin
    alike are different entries)."""
    if entry.oversize is None:
        return entry.verbatim
    return f"{entry.verbatim}\x00{entry.oversize['sha256']}"


def require_an_entry(
    entries: Iterable[RawEntry], format_name: str, where: str
) -> Iterator[RawEntry]:
    """The same entries, or `ImportFailed` before the first is handed on when none of them
    is an entry (an empty file, a file of another format): nothing is written then."""
    it = iter(entries)
    pieces: list[RawEntry] = []
    for entry in it:
        pieces.append(entry)
        if not entry.empty:
            return chain(pieces, it)
    found = f" (only {len(pieces)} empty pieces)" if pieces else ""
    raise ImportFailed(
        f"{where}: no {format_name} entry found{found}; nothing imported"
        f" (is --format {format_name} right for these files?)"
    )

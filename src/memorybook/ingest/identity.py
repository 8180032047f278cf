"""When two imports are the same source: identity on the decoded text and the reading.

A source version is identified by its files' decoded text (not their bytes) and by the
options that decide how entries are read from it (a CSV's column mapping and delimiter):

- the same page in windows-1251 with its `<meta charset>` and in UTF-8 without it is the same
  text, so importing it again says "already imported" instead of adding its people twice
  (the charset declaration is left out of the identity, line endings and a BOM are
  normalised by decoding);
- the same CSV read with another `--map` is another reading: a new version of the source,
  whose records are read again under the new mapping (ingest/reread.py);
- a file whose text is already in another source of the same format (the same pages given
  under another name) is not imported a second time: all of them → "already imported",
  some of them → the import refuses, naming the file and the source that holds it.

An import is compared with the newest version of its family: the same → "already imported";
otherwise a new version, also when it returns to an older version's text or reading (the
records then follow it). Archives written before kept only the files' bytes; those still
match (for formats without reading options), so their re-imports stay "already imported"."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from memorybook.errors import ImportFailed
from memorybook.ingest.formats.base import FileInput, SourceFormat
from memorybook.storage import archive_store as store


def file_info(fmt: SourceFormat, fi: FileInput) -> dict[str, Any]:
    """What a source row keeps of each file: bytes (sha256, size), encoding, and the digest
    of its text as the identity sees it."""
    text = fmt.identity_text(fi.text) if fmt.identity_text else fi.text
    return {
        "name": fi.name,
        "sha256": hashlib.sha256(fi.data).hexdigest(),
        "size": len(fi.data),
        "encoding": fi.encoding,
        "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }


def reading_of(fmt: SourceFormat, options: dict[str, Any] | None) -> dict[str, Any]:
    """The options that change how this format reads entries, in one canonical form ({} for
    formats that take none)."""
    return fmt.reading_options(options or {}) if fmt.reading_options else {}


def version_digest(files: list[dict[str, Any]], reading: dict[str, Any]) -> str:
    lines = [f"{f['name']}:{f['text_sha256']}" for f in files]
    if reading:
        lines.append("reading:" + json.dumps(reading, sort_keys=True, ensure_ascii=False))
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def byte_digest(files: list[dict[str, Any]]) -> str:
    """The identity archives kept before: the files' names and bytes."""
    return hashlib.sha256(
        "\n".join(f"{f['name']}:{f['sha256']}" for f in files).encode()
    ).hexdigest()


@dataclass(frozen=True, slots=True)
class Identity:
    family: str
    digest: str
    files: list[dict[str, Any]]
    reading: dict[str, Any]

    def same_as(self, version: dict[str, Any]) -> bool:
        """Whether a stored source version (a `source` row) is this very version: the same
        files' text read alike. Computed from what the row keeps of its files, so a version
        stored under a salted digest (see `stored_digest`) compares like any other."""
        files = json.loads(version.get("files_json") or "[]")
        report = json.loads(version.get("report_json") or "{}")
        if files and all("text_sha256" in f for f in files):
            return version_digest(files, report.get("reading") or {}) == self.digest
        # Kept before the text digests: only the bytes, and no reading options.
        return not self.reading and byte_digest(files) == byte_digest(self.files)


def stored_digest(conn: Connection, ident: Identity, version: int) -> str:
    """The digest a new version is stored under, unique within its family: its identity, or
    for a version that returns to an earlier version's text and reading (a mapping tried,
    then given back), that identity salted with the version number."""
    if store.find_source_version(conn, ident.family, ident.digest) is None:
        return ident.digest
    return hashlib.sha256(f"{ident.digest}:{version}".encode()).hexdigest()


def held_elsewhere(conn: Connection, fmt: SourceFormat, ident: Identity) -> dict[str, Any] | None:
    """The version of another source (family) of this format that already holds every file
    of this import, read alike (None when no other source holds any of them); `ImportFailed`
    when other sources hold only some of them, or read them otherwise."""
    overlap: tuple[str, dict[str, Any]] | None = None
    for src in store.format_sources(conn, fmt.name):
        if src["family"] == ident.family:
            continue
        known = {f.get("text_sha256") for f in src["files"]} | {
            f.get("sha256") for f in src["files"]
        }
        common = [
            f["name"] for f in ident.files if f["text_sha256"] in known or f["sha256"] in known
        ]
        if len(common) == len(ident.files) and (src["reading"] or {}) == ident.reading:
            return src
        if common and overlap is None:
            overlap = (common[0], src)
    if overlap is None:
        return None
    name, src = overlap
    raise ImportFailed(
        f"{name}: its text is already in the archive as part of {src['key']}; nothing imported"
        f" (to make a new version of that source, import under its name:"
        f" {src['family'].split(':', 1)[-1]})"
    )

"""The import pipeline: read a source's files, parse every entry, write it all in one
transaction.

- Lossless: each file's sha256 and size are stored; every entry is stored verbatim, with the
  exact slice of the decoded file it came from; strict decoding, never a replacement character.
- Idempotent: a record's id is a content hash (list family + verbatim text + occurrence), so
  importing the same file again creates nothing, and a changed file becomes a new version of
  its source that reuses its unchanged entries.
- Atomic: one `BEGIN IMMEDIATE … COMMIT`; a killed import leaves the archive as it was.
- Degrades, never aborts: an entry that does not parse is kept verbatim with a warning.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from memorybook.errors import ImportFailed
from memorybook.ingest import entry_checks
from memorybook.ingest.entry_checks import checked_entries, identity_text, require_an_entry
from memorybook.ingest.formats import FORMATS, RawEntry, SourceFormat, get_format
from memorybook.ingest.identity import (
    Identity,
    file_info,
    held_elsewhere,
    reading_of,
    stored_digest,
    version_digest,
)
from memorybook.ingest.parallel import run_batches
from memorybook.ingest.report import ImportReport
from memorybook.ingest.reread import Rereader
from memorybook.ingest.rows import (
    EVENT_COLUMNS,
    LOCATOR_COLUMNS,
    NAME_KEY_COLUMNS,
    PERSON_COLUMNS,
    PERSON_RECORD_COLUMNS,
    RECORD_COLUMNS,
    BatchContext,
    BatchRows,
    sample_payload,
)
from memorybook.ingest.topography import import_topography
from memorybook.search.index import rebuild as rebuild_search_index
from memorybook.stats import summary
from memorybook.storage import archive_store as store
from memorybook.storage import packed_store, read_store, search_tables
from memorybook.storage import schema as s
from memorybook.storage.engine import write_transaction
from memorybook.storage.record_codec import PACK_SAMPLES, train_dictionary

ProgressFn = Callable[[int, int], None]  # (entries done, entries expected or 0)

BATCH = 2000
DEFERRED_TABLES = ("record", "event", "person", "person_record", "record_locator", "name_key")


def family_of(fmt: SourceFormat, paths: list[Path]) -> str:
    """One list across its versions: the format plus the names it was given as."""
    names = ",".join(sorted(p.name for p in paths))
    return f"{fmt.name}:{names}"


def import_sources(
    engine: Engine,
    format_name: str,
    paths: Iterable[str | Path],
    *,
    encoding: str | None = None,
    options: dict[str, Any] | None = None,
    title: str | None = None,
    synthetic: bool = False,
    progress: ProgressFn | None = None,
    entries_override: Iterable[RawEntry] | None = None,
    max_entry_bytes: int | None = None,
) -> ImportReport:
    """Import one source (a file, several files, or a directory of pages) into the archive.

    `ImportFailed` (nothing written) when the files cannot be read, hold no entry, or are
    partly in another source; an entry over `max_entry_bytes` (default:
    ingest/entry_checks.py) is kept unparsed."""
    if format_name == "topography":
        return import_topography(engine, [Path(p) for p in paths])
    fmt = get_format(format_name)
    limit = entry_checks.max_entry_bytes(max_entry_bytes)
    reading = reading_of(fmt, options)  # a bad --map or --delimiter stops here
    given_paths = [Path(p) for p in paths]
    files = _expand(fmt, given_paths)
    started = time.perf_counter()
    # Decode everything before writing anything: a bad file stops the import cleanly.
    inputs = [fmt.decode(f, encoding) for f in files]
    report = ImportReport(format=fmt.name, family=family_of(fmt, given_paths), reading=reading)
    report.files = [file_info(fmt, fi) for fi in inputs]
    if fmt.survey is not None:
        report.notes = fmt.survey(inputs)
    # The files' bytes served the digests and the survey; from here on the decoded text is
    # read. At a national size the bytes are over a gigabyte the writer (and the workers it
    # forks) would otherwise carry to the end of the import.
    inputs = [dataclasses.replace(fi, data=b"") for fi in inputs]
    ident = Identity(report.family, version_digest(report.files, reading), report.files, reading)
    entries: Iterable[RawEntry] = (
        entries_override
        if entries_override is not None
        else (e for fi in inputs for e in fmt.read(fi, options or {}))
    )
    # Before the transaction: a file without a single entry changes nothing.
    where = ", ".join(p.name for p in given_paths)
    entries = require_an_entry(checked_entries(entries, limit), fmt.name, where)

    with write_transaction(engine) as conn:
        existing = _already_imported(conn, fmt, report.family, ident)
        if existing is not None:
            _unchanged(report, existing)
            report.seconds = time.perf_counter() - started
            summary.carry(conn)  # nothing written
            return report
        run_id, source_id = _start_version(
            conn, fmt, report, ident, given_paths, title=title, synthetic=synthetic
        )
        with store.bulk_write(conn):
            rereader = Rereader(conn, fmt, report.family, reading)
            _write_entries(conn, fmt, report, source_id, entries, synthetic, progress, rereader)
            if fmt.finish is not None:
                fmt.finish(conn, source_id, report.family, inputs)
            if report.name_keys_created or report.records_reread:
                # Only records with names enter the name index; a list without names (the
                # national database's entries) leaves it as it was.
                rebuild_search_index(conn)
            # The facet columns of the whole archive, stored for the web workers.
            read_store.store_facet_index(conn)
        report.status = "imported"
        report.seconds = time.perf_counter() - started
        report.message = _imported_message(report)
        _finish_version(conn, report, run_id, source_id)
        # The statistics and counts of the archive as this import leaves it, stored for its
        # version: no web worker counts millions of records (stats.summary).
        t = time.perf_counter()
        summary.refresh(conn)
        report.summary_seconds = time.perf_counter() - t
    return report


def _expand(fmt: SourceFormat, given_paths: list[Path]) -> list[Path]:
    """The files the given paths name (a directory of pages gives its pages)."""
    for p in given_paths:
        if not p.exists():
            raise ImportFailed(f"{p}: no such file or directory")
    files = fmt.expand(given_paths)
    if not files:
        raise ImportFailed(f"no {fmt.name} files found in {', '.join(map(str, given_paths))}")
    return files


def _already_imported(
    conn: Connection, fmt: SourceFormat, family: str, ident: Identity
) -> dict[str, Any] | None:
    """The stored source version holding the same text read the same way: the family's
    latest version, or a source of another name that holds it whole; else None."""
    existing = store.latest_source_version(conn, family)
    if existing is not None and ident.same_as(existing):
        return existing
    elsewhere = held_elsewhere(conn, fmt, ident)
    return store.source_by_key(conn, elsewhere["key"]) if elsewhere else None


def _start_version(
    conn: Connection,
    fmt: SourceFormat,
    report: ImportReport,
    ident: Identity,
    given_paths: list[Path],
    *,
    title: str | None,
    synthetic: bool,
) -> tuple[int, int]:
    """The import run and the new source version rows: (run id, source id)."""
    version = store.next_source_version(conn, report.family)
    report.version = version
    report.source_key = f"{report.family}@{version}"
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    run_id = store.start_import_run(
        conn,
        {
            "format": fmt.name,
            "paths_json": json.dumps([str(p) for p in given_paths], ensure_ascii=False),
            "started_at": now,
            "status": "running",
        },
    )
    source_id = store.insert_source(
        conn,
        {
            "key": report.source_key,
            "family": report.family,
            "version": version,
            "title": title or fmt.title,
            "kind": "list",
            "format": fmt.name,
            "files_json": json.dumps(report.files, ensure_ascii=False),
            "sha256": stored_digest(conn, ident, version),
            "size": sum(f["size"] for f in report.files),
            "synthetic": synthetic,
            "imported_at": now,
            **{k: v for k, v in fmt.source_defaults.items() if k in s.source.c},
        },
    )
    return run_id, source_id


def _imported_message(report: ImportReport) -> str:
    message = f"imported {report.records_created} new records" + (
        f", {report.records_reused} unchanged from an earlier version"
        if report.records_reused
        else ""
    )
    if report.records_reread:
        message += (
            f" ({report.records_reread} of them read again with this import's --map and"
            " --delimiter)"
        )
    return message


def _finish_version(conn: Connection, report: ImportReport, run_id: int, source_id: int) -> None:
    """The source's counts and the run's report written: the version is complete."""
    report_json = json.dumps(report.to_json(), ensure_ascii=False, default=str)
    store.update_source(
        conn,
        source_id,
        entry_count=report.entries,
        record_count=report.records_created + report.records_reused,
        report_json=report_json,
    )
    store.finish_import_run(
        conn,
        run_id,
        source_id=source_id,
        finished_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        status="imported",
        report_json=report_json,
    )


def _unchanged(report: ImportReport, existing: dict[str, Any]) -> None:
    """The report of an import that finds its source already there: the same counts as the
    import that made it (its report), on every run."""
    report.status = "unchanged"
    report.source_key, report.version = existing["key"], existing["version"]
    report.entries = existing["entry_count"] or 0
    report.empty = int(json.loads(existing.get("report_json") or "{}").get("empty", 0))
    report.message = (
        f"already imported: the same text is in the archive as {existing['key']}; nothing created"
    )


def _write_entries(
    conn: Connection,
    fmt: SourceFormat,
    report: ImportReport,
    source_id: int,
    entries: Iterable[RawEntry],
    synthetic: bool,
    progress: ProgressFn | None,
    rereader: Rereader | None = None,
) -> None:
    """Stream entries through the row builders (in worker processes for a large source) and
    insert each batch in order, inside the caller's transaction."""
    entries, dictionary = _pack_dictionary(conn, fmt, entries)
    ctx = BatchContext(
        report.family, source_id, fmt.style, synthetic, fmt.name == "memorial-moscow", dictionary
    )
    # A person is one record until linkage exists, so a new record's person shares its id.
    next_id = max(store.max_id(conn, s.record), store.max_id(conn, s.person)) + 1
    # Record keys include the family, so on a family's first version nothing can match.
    earlier_versions = report.version is not None and report.version > 1
    # Keyed by a digest of the verbatim text, not the text: at a national size the texts
    # themselves would keep ~1.5 GB alive in the writer for the whole import.
    occurrences: Counter[bytes] = Counter()

    def batches() -> Iterator[list[tuple[RawEntry, str, int]]]:
        nonlocal next_id
        pending: list[tuple[RawEntry, str]] = []

        def assign() -> list[tuple[RawEntry, str, int]]:
            nonlocal next_id
            known = (
                store.existing_record_ids(conn, [k for _, k in pending]) if earlier_versions else {}
            )
            new: list[tuple[RawEntry, str, int]] = []
            reused: list[tuple[Any, ...]] = []
            stale = rereader.stale(conn, list(known.values())) if rereader and known else set()
            again: list[tuple[RawEntry, str, int]] = []
            for entry, key in pending:
                if key in known:
                    loc = entry.locator
                    reused.append((known[key], source_id, loc["file"], loc["index"]))
                    if known[key] in stale:
                        again.append((entry, key, known[key]))
                else:
                    new.append((entry, key, next_id))
                    next_id += 1
            report.records_reused += len(reused)
            store.write_rows(conn, s.record_locator, LOCATOR_COLUMNS, reused)
            if again and rereader is not None:
                _count(report, rereader.reread(conn, ctx, again), replaced=True)
                report.records_reread += len(again)
            pending.clear()
            return new

        for entry in entries:
            report.entries += 1
            if entry.empty:
                report.empty += 1
                for w in entry.warnings:
                    report.warn(entry.locator, entry.line, w)
                continue
            text = identity_text(entry)
            seen = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
            occurrences[seen] += 1
            pending.append((entry, record_key(report.family, text, occurrences[seen])))
            if len(pending) >= BATCH:
                yield assign()
        if pending:
            yield assign()

    # Into an empty archive (a national list's first import), the tables' secondary indexes are
    # built once at the end from the sorted rows instead of row by row.
    deferred = store.indexes_deferred(conn, DEFERRED_TABLES) if next_id == 1 else nullcontext()
    with deferred:
        for rows in run_batches(ctx, batches()):
            _insert_batch(conn, report, rows)
            if progress:
                progress(report.entries, 0)
    store.sync_id_sequences(conn, s.record, s.person)
    if progress:
        progress(report.entries, report.entries)


def _pack_dictionary(
    conn: Connection, fmt: SourceFormat, entries: Iterable[RawEntry]
) -> tuple[Iterable[RawEntry], bytes | None]:
    """The compression dictionary of this import's packed records (record_codec): trained on
    its first entries, kept in the archive inside the import's transaction; an import too
    small to train on uses the archive's latest one (None: the records are stored plain).
    Returns the entries unchanged (the ones read to train on put back in front)."""
    it = iter(entries)
    head = list(itertools.islice(it, PACK_SAMPLES))
    moscow = fmt.name == "memorial-moscow"
    samples = [sample_payload(e, fmt.style, moscow) for e in head if not e.empty]
    dictionary = train_dictionary(samples)
    if dictionary is not None and not packed_store.store_dictionary(conn, dictionary):
        dictionary = None  # another dictionary holds its id in this archive
    if dictionary is None:
        dictionary = packed_store.latest_dictionary(conn)
    return itertools.chain(head, it), dictionary


def _insert_batch(conn: Connection, report: ImportReport, rows: BatchRows) -> None:
    store.write_rows(conn, s.record, RECORD_COLUMNS, rows.records)
    store.write_rows(conn, s.record_locator, LOCATOR_COLUMNS, rows.locators)
    store.write_rows(conn, s.person, PERSON_COLUMNS, rows.persons)
    store.write_rows(conn, s.person_record, PERSON_RECORD_COLUMNS, rows.person_records)
    store.write_rows(conn, s.event, EVENT_COLUMNS, rows.events)
    store.write_rows(conn, search_tables.name_key, NAME_KEY_COLUMNS, rows.name_keys)
    report.records_created += len(rows.records)
    _count(report, rows)


def _count(report: ImportReport, rows: BatchRows, *, replaced: bool = False) -> None:
    if not replaced:  # records read again replace their events and keys
        report.events_created += len(rows.events)
        report.name_keys_created += len(rows.name_keys)
        report.places_linked += rows.burial_linked
    report.filled.update(rows.filled)
    for locator, line, warning in rows.warnings:
        report.warn(locator, line, warning)


def record_key(family: str, verbatim: str, occurrence: int) -> str:
    """Content hash: the same printed entry in the same list is the same record, in any
    version of the list; identical entries are told apart by their order of occurrence."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{family}\x00{occurrence}\x00".encode())
    h.update(verbatim.encode("utf-8"))
    return h.hexdigest()


__all__ = ["FORMATS", "import_sources", "record_key"]

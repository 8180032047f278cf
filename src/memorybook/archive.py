"""The library's front door for an archive: create it, load the reference data, import.

The CLI and the web call these functions; they hold no logic of their own."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine

from memorybook.ingest.importer import ProgressFn, import_sources
from memorybook.ingest.report import ImportReport
from memorybook.stats import summary
from memorybook.storage import archive_store as store
from memorybook.storage.engine import write_transaction
from memorybook.storage.migrate import upgrade


class _ProgressFactory(Protocol):
    def callback(self, label: str) -> ProgressFn | None: ...


def init_archive(engine: Engine) -> str:
    """Create or upgrade the schema, (re)load the authored reference data, and rebuild the
    name index if it was written by older code."""
    from memorybook.ingest.topography import canonical_place_rows
    from memorybook.reference import load_reference
    from memorybook.search import index as search_index

    upgrade(engine)
    ref = load_reference()
    with write_transaction(engine) as conn:
        # Only the authored kinds: items made from imports (the Politburo lists) stay.
        n = store.replace_reference_items(conn, reference_items(ref), kinds=REFERENCE_KINDS)
        store.upsert_places(conn, canonical_place_rows())
        # An index written by older code (or with another name table) is rebuilt here.
        reindexed = search_index.needs_rebuild(conn)
        if reindexed:
            search_index.rebuild(conn)
        # The reference data changes no chart and no person, the places' count it may.
        summary.refresh(conn, ("counts",))
    return f"{n} reference items loaded" + ("; name index rebuilt" if reindexed else "")


def reference_items(ref: Any) -> Iterable[tuple[str, str, Any]]:
    """(kind, key, data) for every authored item of the reference data."""
    for kind in REFERENCE_KINDS:
        collection: Mapping[str, Any] = getattr(ref, kind)
        for key, item in collection.items():
            data = asdict(item) if is_dataclass(item) and not isinstance(item, type) else item
            yield kind, str(key), data


REFERENCE_KINDS = (
    "sources",
    "orders",
    "operations",
    "groups",
    "quotas",
    "figures",
    "bodies",
    "body_info",
    "persons",
    "trials",
    "tables",
)


def import_into(
    engine: Engine,
    format_name: str,
    paths: Iterable[str | Path],
    **kwargs: Any,
) -> ImportReport:
    files = [Path(p) for p in paths]
    if format_name == "geocoded-addresses":
        from memorybook.ingest.topography import import_geocoded

        return import_geocoded(engine, files)
    report = import_sources(engine, format_name, files, **kwargs)
    if format_name == "memorial-moscow" and report.status == "imported":
        from memorybook.ingest.topography import link_addresses

        with write_transaction(engine) as conn:
            linked = link_addresses(conn)
            summary.carry(conn)  # records linked to houses: nothing counted here changes
        if linked:  # the geocoded houses were imported before this list
            report.places_linked += linked
            report.message += f"; {linked} linked to their geocoded house"
    return report


# What `import-all` looks for in a data folder laid out like ../shared/data.
# The Moscow list comes before its geocoded houses, so that importing the houses links the
# list's records to them (and says how many).
DATA_LAYOUT: tuple[tuple[str, str], ...] = (
    ("topography", "topography-of-terror"),
    ("memorial-moscow", "memorial-moscow/pages"),
    ("geocoded-addresses", "memorial-moscow/geocoded/addresses.csv"),
    ("memorial-lists", "memorial-lists-texts/texts.txt"),
    ("stalin-lists", "stalin-lists"),
)


# The formats of DATA_LAYOUT that import entries (and report progress while they do).
_ENTRY_FORMATS = frozenset({"memorial-moscow", "memorial-lists", "stalin-lists"})


def import_all(
    engine: Engine,
    data: Path,
    progress: _ProgressFactory | None = None,
    max_entry_bytes: int | None = None,
) -> list[ImportReport]:
    reports = []
    for fmt, rel in DATA_LAYOUT:
        path = data / rel
        if not path.exists():
            continue
        cb = progress.callback(fmt) if progress else None
        kwargs: dict[str, Any] = (
            {"progress": cb, "max_entry_bytes": max_entry_bytes} if fmt in _ENTRY_FORMATS else {}
        )
        reports.append(import_into(engine, fmt, [path], **kwargs))
    return reports

"""The archive's summary: its charts, its persons and its counts, counted once per version.

Every write transaction raises the archive's version (storage/engine.write_transaction). The
writes that change what is counted here (imports, linkage) store the summary of the version
they commit, inside their transaction (`refresh`), so that a web worker reads a few kilobytes
instead of counting millions of records and no visitor's request counts them. A part without
a stored count of the current version (an archive written before revision 0007) is counted
by the web once per worker and version, in the background (web/site.py).

    refresh(conn)                          # in a write transaction, after its last write
    refresh(conn, ("persons", "counts"))   # linkage: persons change, records (charts) do not
    carry(conn)                            # a write that changed nothing counted here
    load(conn) -> Summary                # the parts stored for the archive's version
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from memorybook.stats.charts import CHARTS, Chart, SetApart
from memorybook.stats.persons import PersonCount, count_by_family, count_persons
from memorybook.storage import read_store as rs
from memorybook.storage import summary_store as store

FORMAT = 1  # raise when what is stored changes shape: an older summary is then counted again
PARTS = ("charts", "persons", "counts")


@dataclass(slots=True)
class Summary:
    """What is known for `version`; a part is None when no count of that version is stored."""

    version: int
    charts: dict[str, Chart] | None = None
    persons: PersonCount | None = None
    families: dict[str, PersonCount] = field(default_factory=dict)
    counts: dict[str, int] | None = None  # read_store.archive_counts
    fill_rates: dict[int, dict[str, Any]] | None = None  # read_store.fill_rates


def refresh(conn: Connection, parts: tuple[str, ...] = PARTS) -> Summary:
    """Count `parts` of the archive as this write transaction leaves it and store them with
    its version; the other parts are ones the caller's write did not change (linkage groups
    persons but leaves the records, hence the charts): counted at the version before, they
    stay valid."""
    version = store.archive_version(conn)
    out = Summary(version)
    stored: dict[str, Any] = {}
    if "charts" in parts:
        out.charts = {key: fn(conn) for key, fn in CHARTS.items()}
        stored["charts"] = {k: dataclasses.asdict(c) for k, c in out.charts.items()}
    if "persons" in parts:
        out.persons, out.families = count_persons(conn), count_by_family(conn)
        stored["persons"] = {
            "whole": dataclasses.asdict(out.persons),
            "families": {k: dataclasses.asdict(c) for k, c in out.families.items()},
        }
    if "counts" in parts:
        out.counts, out.fill_rates = rs.archive_counts(conn), rs.fill_rates(conn)
        stored["counts"] = {
            "archive": out.counts,
            "fill_rates": {str(k): v for k, v in out.fill_rates.items()},
        }
    store.carry_parts(conn, version, [p for p in PARTS if p not in parts])
    store.write_parts(conn, version, {k: {"format": FORMAT, "data": v} for k, v in stored.items()})
    return out


def carry(conn: Connection, names: tuple[str, ...] = PARTS) -> None:
    """In a write transaction that changed nothing these parts count: they stay valid."""
    store.carry_parts(conn, store.archive_version(conn), list(names))


def load(conn: Connection) -> Summary:
    """The parts stored for the archive's current version (the others None)."""
    version = store.archive_version(conn)
    stored = {
        name: part["data"]
        for name, part in store.read_parts(conn, version).items()
        if isinstance(part, dict) and part.get("format") == FORMAT
    }
    out = Summary(version)
    if "charts" in stored:
        out.charts = {k: _chart(c) for k, c in stored["charts"].items()}
    if "persons" in stored:
        out.persons = PersonCount(**stored["persons"]["whole"])
        out.families = {k: PersonCount(**c) for k, c in stored["persons"]["families"].items()}
    if "counts" in stored:
        out.counts = {k: int(v) for k, v in stored["counts"]["archive"].items()}
        out.fill_rates = {int(k): v for k, v in stored["counts"]["fill_rates"].items()}
    return out


def _chart(data: dict[str, Any]) -> Chart:
    return Chart(**{**data, "set_apart": [SetApart(**a) for a in data["set_apart"]]})

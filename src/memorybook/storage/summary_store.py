"""The archive's version and the summary stored for it (memorybook.stats.summary)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from memorybook.storage import schema as s

_ROW = 1  # the one row of archive_version


def bump_version(conn: Connection) -> None:
    """Raise the archive's version (in the caller's write transaction). An archive at a
    revision before 0007 (being written before `memorybook init` upgrades it) has none."""
    t = s.archive_version
    if not conn.dialect.has_table(conn, t.name):
        return
    done = conn.execute(update(t).where(t.c.id == _ROW).values(version=t.c.version + 1))
    if done.rowcount == 0:  # a schema made without the migration's first row
        conn.execute(insert(t).values(id=_ROW, version=1))


def archive_version(conn: Connection) -> int:
    t = s.archive_version
    found = conn.execute(select(t.c.version).where(t.c.id == _ROW)).scalar()
    return int(found or 0)


def write_parts(conn: Connection, version: int, parts: dict[str, Any]) -> None:
    """Store each part (name -> JSON value) as counted at `version`."""
    t = s.archive_summary
    if not parts:
        return
    conn.execute(delete(t).where(t.c.name.in_(list(parts))))
    conn.execute(
        insert(t),
        [
            {"name": name, "version": version, "data_json": json.dumps(value, ensure_ascii=False)}
            for name, value in parts.items()
        ],
    )


def carry_parts(conn: Connection, version: int, names: list[str]) -> None:
    """Parts the write of `version` did not change: those counted at the version just before
    it stay valid (the others stay out of date)."""
    t = s.archive_summary
    conn.execute(
        update(t).where(t.c.name.in_(names), t.c.version == version - 1).values(version=version)
    )


def read_parts(conn: Connection, version: int) -> dict[str, Any]:
    """The stored parts counted at `version` (parts of older versions are out of date)."""
    t = s.archive_summary
    rows = conn.execute(select(t.c.name, t.c.data_json).where(t.c.version == version))
    return {str(name): json.loads(data) for name, data in rows}

"""The maps' SQL (SQLAlchemy Core, SQLite and PostgreSQL alike): places with coordinates and
how many records name each as their burial place, and the geocoded houses of last addresses
with the records linked to each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.sql.elements import ColumnElement

from memorybook.storage import schema as s

p, r, a, ra = s.place, s.record, s.address_point, s.record_address


def places(conn: Connection) -> list[dict[str, Any]]:
    """Every place with coordinates; `people` counts the records buried there by its key."""
    buried = (
        select(r.c.burial_place_key.label("key"), func.count().label("n"))
        .where(r.c.burial_place_key.is_not(None))
        .group_by(r.c.burial_place_key)
        .subquery()
    )
    q = (
        select(
            p.c.key,
            p.c.name,
            p.c.kind,
            p.c.lon,
            p.c.lat,
            p.c.address,
            p.c.extra_json,
            func.coalesce(buried.c.n, 0).label("people"),
        )
        .outerjoin(buried, buried.c.key == p.c.key)
        .where(p.c.lon.is_not(None), p.c.lat.is_not(None))
        .order_by(p.c.key)
    )
    return [dict(x._mapping) for x in conn.execute(q)]


def houses(conn: Connection) -> list[dict[str, Any]]:
    """Every geocoded house: `linked` records point to it; `repressed` is the geocoded
    list's own count of people who lived there."""
    linked = (
        select(ra.c.address_point_id.label("id"), func.count().label("n"))
        .group_by(ra.c.address_point_id)
        .subquery()
    )
    q = (
        select(
            a.c.id,
            a.c.street,
            a.c.house,
            a.c.lon,
            a.c.lat,
            a.c.repressed,
            func.coalesce(linked.c.n, 0).label("linked"),
        )
        .outerjoin(linked, linked.c.id == a.c.id)
        .order_by(a.c.id)
    )
    return [dict(x._mapping) for x in conn.execute(q)]


def house(conn: Connection, house_id: int) -> dict[str, Any] | None:
    if not s.is_id(house_id):
        return None
    row = conn.execute(
        select(a.c.id, a.c.street, a.c.house, a.c.lon, a.c.lat).where(a.c.id == house_id)
    ).first()
    return dict(row._mapping) if row else None


def lived_at(house_id: int) -> ColumnElement[bool]:
    """The records whose last address is this house (for `stats_store.selected_records`)."""
    return r.c.id.in_(select(ra.c.record_id).where(ra.c.address_point_id == house_id))

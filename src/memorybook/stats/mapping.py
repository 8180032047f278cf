"""What the map shows: one marker per place, wherever the sources list it.

Memorial's Topography of Terror lists one site in several layers (Butovo is a place of
shooting and a burial ground; a prison held a sharashka), and the gazetteer of burial sites
adds its own record of the same site. Places at the same coordinates (to about ten metres)
are one marker that keeps every name and kind it was listed under."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from memorybook.storage import map_store as ms

# The order in which a marker's kinds are named; the first decides its colour.
KINDS: tuple[str, ...] = ("shooting_site", "burial_site", "prison", "sharashka", "camp", "other")
GRID = 4  # decimal places of a degree: places closer than ~10 m are one marker


@dataclass(slots=True)
class ListedAs:
    name: str
    kind: str
    key: str
    name_en: str | None = None


@dataclass(slots=True)
class MapPlace:
    """One marker. `people` counts the records whose burial place is this place, `search`
    names the burial key a search can filter them by."""

    number: int
    lon: float
    lat: float
    name: str
    name_en: str | None
    kinds: list[str]
    listed: list[ListedAs] = field(default_factory=list)
    address: str | None = None
    people: int = 0
    burial_key: str | None = None


@dataclass(slots=True)
class House:
    id: int
    street: str
    house: str
    lon: float
    lat: float
    people: int  # records linked to the house; else the geocoded list's own count
    linked: int


def _norm(name: str) -> str:
    return re.sub(r"[\W_]+", " ", name.casefold().replace("ё", "е")).strip()


def _distinct_names(names: list[ListedAs]) -> list[ListedAs]:
    """Drop a name that another one of the same marker contains (a cut-off copy)."""
    out: list[ListedAs] = []
    for n in sorted(names, key=lambda x: (-len(_norm(x.name)), -len(x.name))):
        if not any(_norm(n.name) in _norm(o.name) for o in out):
            out.append(n)
    return sorted(out, key=lambda x: (_rank(x.kind), len(x.name)))


def _rank(kind: str) -> int:
    return KINDS.index(kind) if kind in KINDS else len(KINDS)


def map_places(conn: Connection) -> list[MapPlace]:
    groups: dict[tuple[float, float], list[dict[str, Any]]] = {}
    for row in ms.places(conn):
        k = (round(float(row["lon"]), GRID), round(float(row["lat"]), GRID))
        groups.setdefault(k, []).append(row)
    out: list[MapPlace] = []
    for rows in groups.values():
        listed = []
        canonical = None
        people, burial_key, address = 0, None, None
        for row in sorted(rows, key=lambda x: str(x["key"])):
            extra = json.loads(row["extra_json"] or "{}")
            item = ListedAs(
                str(row["name"]), str(row["kind"]), str(row["key"]), extra.get("name_en")
            )
            if "layer" not in extra:  # the gazetteer's own record of a site
                canonical = canonical or item
            listed.append(item)
            if int(row["people"]) > people:
                people, burial_key = int(row["people"]), str(row["key"])
            address = address or row["address"]
        kinds = sorted({x.kind for x in listed}, key=_rank)
        names = _distinct_names([x for x in listed if x is not canonical])
        title = canonical or names[0]
        out.append(
            MapPlace(
                number=0,
                lon=float(rows[0]["lon"]),
                lat=float(rows[0]["lat"]),
                name=title.name,
                name_en=title.name_en,
                kinds=kinds,
                listed=names,
                address=address,
                people=people,
                burial_key=burial_key if people else None,
            )
        )
    out.sort(key=lambda m: (_rank(m.kinds[0]), m.name))
    for i, m in enumerate(out, start=1):
        m.number = i
    return out


def map_houses(conn: Connection) -> list[House]:
    return [
        House(
            id=int(h["id"]),
            street=str(h["street"]),
            house=str(h["house"]),
            lon=float(h["lon"]),
            lat=float(h["lat"]),
            people=int(h["linked"]) or int(h["repressed"] or 0),
            linked=int(h["linked"]),
        )
        for h in ms.houses(conn)
    ]

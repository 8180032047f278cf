"""Map: the Topography of Terror places and the density of last addresses in Moscow, drawn
on the server (equirectangular, plain background, nothing fetched from elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from memorybook.storage import read_store as rs
from memorybook.web import svg
from memorybook.web.site import Site, json_response


@dataclass(slots=True)
class MapPlace:
    number: int
    key: str
    name: str
    kind: str
    lon: float
    lat: float
    address: str | None
    in_view: bool


@dataclass(slots=True)
class DensityCell:
    lon: float
    lat: float
    people: int


@dataclass(slots=True)
class MapContext:
    """`density` bins the geocoded last addresses into cells of `cell` degrees."""

    places: list[MapPlace] = field(default_factory=list)
    density: list[DensityCell] = field(default_factory=list)
    cell: float = 0.01
    addresses: int = 0
    people: int = 0


def build(site: Site) -> MapContext:
    def compute() -> MapContext:
        with site.read(5.0) as conn:
            places = rs.mapped_places(conn)
            points = rs.address_density(conn)
        ctx = MapContext(addresses=len(points), people=sum(n for *_, n in points))
        for i, p in enumerate(places, start=1):
            lon, lat = float(p["lon"]), float(p["lat"])
            ctx.places.append(
                MapPlace(
                    i,
                    str(p["key"]),
                    str(p["name"]),
                    str(p["kind"]),
                    lon,
                    lat,
                    p["address"],
                    svg.MOSCOW.contains(lon, lat),
                )
            )
        bins: dict[tuple[int, int], int] = {}
        for lon, lat, n in points:
            k = (int(lon // ctx.cell), int(lat // ctx.cell))
            bins[k] = bins.get(k, 0) + n
        ctx.density = [
            DensityCell(round((x + 0.5) * ctx.cell, 4), round((y + 0.5) * ctx.cell, 4), n)
            for (x, y), n in sorted(bins.items())
        ]
        return ctx

    return site.memoised("map", compute)


def router(site: Site) -> APIRouter:
    r = APIRouter()

    @r.get("/map.json", response_model=MapContext, tags=["pages"], summary="Places and addresses")
    def map_json() -> Response:
        return json_response(build(site))

    @r.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request) -> HTMLResponse:
        ctx = build(site)
        drawing = svg.map_svg(
            [
                {"lon": p.lon, "lat": p.lat, "kind": p.kind, "name": f"{p.number}. {p.name}"}
                for p in ctx.places
            ],
            [(c.lon, c.lat, c.people) for c in ctx.density],
            title="Moscow: places of the Topography of Terror and last addresses",
            desc="Numbered circles are places listed below; grey squares are last addresses.",
            numbered=True,
        )
        return site.render(request, "map.html", ctx, drawing=drawing)

    return r

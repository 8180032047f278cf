"""Map: the places of the Topography of Terror (one marker per place, however many layers
list it) and the houses of last addresses, on a Leaflet map (vendored) over the offline
base map, or over the tiles of a server the operator configured."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from memorybook import glossary
from memorybook.stats import mapping
from memorybook.storage import map_store as ms
from memorybook.storage import stats_store as ss
from memorybook.web.errors import ERROR_RESPONSES, ErrorBody
from memorybook.web.i18n import request_lang, translations
from memorybook.web.site import Site, json_response
from memorybook.web.views.stats import EntriesContext, entry_lines

BASEMAP = "/static/vendor/basemap/basemap.geojson"
KIND_LABELS = {
    "shooting_site": "place of shooting",
    "burial_site": "burial ground",
    "prison": "prison",
    "sharashka": "sharashka (prison design bureau)",
    "camp": "camp of the 1920s",
    "other": "other place",
    "address": "house of a last address",
    "birthplace": "place of birth",
}


@dataclass(slots=True)
class MapContext:
    """`places` are the markers (one per place, with every name the layers list it under);
    `layer_places` the places as the import read them from the layers (the same number the
    home and sources pages give); `houses` the distinct geocoded houses of last addresses,
    read from `address_rows` rows of the geocoded list; `people` the records linked to them."""

    places: list[mapping.MapPlace] = field(default_factory=list)
    layer_places: int = 0
    houses: int = 0
    address_rows: int = 0
    people: int = 0


def build(site: Site) -> MapContext:
    def compute() -> MapContext:
        with site.read(5.0) as conn:
            places = mapping.map_places(conn)
            houses = mapping.map_houses(conn)
            counts = ss.layer_counts(conn)
        return MapContext(
            places=places,
            layer_places=counts["places"],
            houses=counts["addresses"],
            address_rows=counts["address_rows"],
            people=sum(h.linked for h in houses),
        )

    return site.memoised("map", compute)


def _houses(site: Site) -> list[mapping.House]:
    def compute() -> list[mapping.House]:
        with site.read(5.0) as conn:
            return mapping.map_houses(conn)

    return site.memoised("map:houses", compute)


def place_url(p: mapping.MapPlace) -> str | None:
    return f"/search?{urlencode({'burial': p.burial_key})}" if p.burial_key else None


def places_geojson(ctx: MapContext) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": {
                    "number": p.number,
                    "name": p.name,
                    "name_en": p.name_en,
                    # read aloud on English pages where the place has no English name
                    "latin": glossary.romanise_name(p.name),
                    "kind": p.kinds[0],
                    "kinds": p.kinds,
                    "listed": [x.name for x in p.listed if x.name != p.name],
                    "address": p.address,
                    "people": p.people,
                    "url": place_url(p),
                },
            }
            for p in ctx.places
        ],
    }


def houses_geojson(houses: list[mapping.House]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [h.lon, h.lat]},
                "properties": {
                    "name": f"{h.street}, {h.house}",
                    "kind": "address",
                    "people": h.people,
                    "url": f"/map/houses/{h.id}" if h.linked else None,
                },
            }
            for h in houses
        ],
    }


def map_labels(lang: str) -> dict[str, Any]:
    """The words the map script writes, in the page's language."""
    _ = translations(lang).gettext
    return {
        "lang": lang,
        "kinds": {k: _(v) for k, v in KIND_LABELS.items()},
        "people": _("entries in this archive:"),
        "none": _("No entry in this archive names this place."),
        "list": _("List them"),
        "also": _("Also listed as:"),
        "places": _("Places of the Topography of Terror"),
        "houses": _("Houses of last addresses"),
        "rivers": _("Rivers and borders:"),
        "names": _("place names:"),
        "zoomIn": _("Zoom in"),
        "zoomOut": _("Zoom out"),
        "layers": _("Layers"),
    }


def map_attrs(site: Site, lang: str, **data: str) -> Markup:
    """The data-* attributes of a map element (escaped): where its layers come from, the
    tile server if one is configured, and the words its script writes."""
    values = {
        "basemap": BASEMAP,
        "tiles": site.settings.tile_url,
        "attribution": site.settings.tile_attribution,
        "labels": json.dumps(map_labels(lang), ensure_ascii=False),
        **data,
    }
    return Markup(" ".join(f'data-{k}="{escape(v)}"' for k, v in values.items() if v))


HouseId = Annotated[int, PathParam(ge=1, le=2**62)]


def house_context(site: Site, house_id: int, lang: str, offset: int = 0) -> EntriesContext:
    with site.read(5.0) as conn:
        h = ms.house(conn, house_id)
        if h is None:
            raise HTTPException(404, "There is no house with this number.")
        total, rows = ss.selected_records(conn, ms.lived_at(house_id), 200, offset)
    return EntriesContext(
        selection=f"house-{house_id}",
        title="People whose last address was this house",
        total=total,
        offset=offset,
        limit=200,
        subject=f"{h['street']}, {h['house']}",
        entries=entry_lines(site, rows, lang),
    )


def router(site: Site) -> APIRouter:
    r = APIRouter()

    @r.get("/map.json", response_model=MapContext, tags=["pages"], summary="Places and addresses")
    def map_json() -> Response:
        return json_response(build(site))

    @r.get(
        "/map/places.geojson",
        tags=["pages"],
        summary="The map's places as GeoJSON: one feature per place, with its kinds and people",
        response_class=Response,
        responses={200: {"content": {"application/geo+json": {}}}},
    )
    def places_json() -> Response:
        body = json.dumps(places_geojson(build(site)), ensure_ascii=False)
        return Response(body, media_type="application/geo+json")

    @r.get(
        "/map/houses.geojson",
        tags=["pages"],
        summary="The geocoded houses of last addresses as GeoJSON, with the people linked",
        response_class=Response,
        responses={200: {"content": {"application/geo+json": {}}}},
    )
    def houses_json() -> Response:
        body = site.memoised(
            "map:houses.geojson",
            lambda: json.dumps(houses_geojson(_houses(site)), ensure_ascii=False).encode(),
        )
        return Response(body, media_type="application/geo+json")

    @r.get(
        "/map/houses/{house_id}.json",
        response_model=EntriesContext,
        tags=["pages"],
        summary="The records whose last address is one geocoded house",
        responses={404: {"model": ErrorBody}, **ERROR_RESPONSES},
    )
    def house_json(house_id: HouseId) -> Response:
        return json_response(house_context(site, house_id, "en"))

    @r.get("/map/houses/{house_id}", response_class=HTMLResponse, include_in_schema=False)
    def house_page(
        house_id: HouseId,
        request: Request,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> HTMLResponse:
        lang = request_lang(request, site.settings.default_lang)
        return site.render(request, "entries.html", house_context(site, house_id, lang, offset))

    @r.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request) -> HTMLResponse:
        lang = request_lang(request, site.settings.default_lang)
        ctx = build(site)
        attrs = map_attrs(site, lang, places="/map/places.geojson", houses="/map/houses.geojson")
        return site.render(
            request,
            "map.html",
            ctx,
            map_attrs=attrs,
            kind_labels=KIND_LABELS,
            place_url=place_url,
        )

    return r

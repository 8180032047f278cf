"""Record / person: the printed entry with each parsed field beside it and its span marked,
the events on a timeline, places on the site's map, the source and a ready citation, similar
names, and schema.org Person JSON-LD."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from memorybook.ingest.entry import ENTRY_KEYS
from memorybook.search.api import Hit
from memorybook.storage import person_store
from memorybook.storage import read_store as rs
from memorybook.web.cite import citation, locator_text
from memorybook.web.errors import ERROR_RESPONSES, ErrorBody
from memorybook.web.site import LRU, Site, json_bytes
from memorybook.web.views.map import map_attrs

# Fields are shown beside the entry in the order of the entry contract.
FIELD_ORDER = ENTRY_KEYS


@dataclass(slots=True)
class Segment:
    """A piece of the verbatim text; `field` names the parsed field it was read as."""

    text: str
    field: str | None = None


@dataclass(slots=True)
class FieldRow:
    key: str
    value: str
    printed: str | None
    span: list[int] | None


@dataclass(slots=True)
class EventRow:
    kind: str
    label: str | None
    edtf: str | None
    earliest: str | None
    latest: str | None
    printed: str | None
    place: str | None
    body: str | None
    description: str | None
    place_key: str | None = None
    body_key: str | None = None


@dataclass(slots=True)
class PlacePoint:
    role: str  # birthplace | address | burial
    name: str
    lon: float
    lat: float
    kind: str
    key: str | None = None


@dataclass(slots=True)
class Locator:
    source_id: int
    source_key: str
    title: str
    file: str
    index: int
    locator: str
    citation: str
    licence: str | None
    url: str | None
    format: str | None = None


@dataclass(slots=True)
class SimilarName:
    """Another record the name search finds for this record's name; `why` is its reason."""

    record_id: int
    name: str | None
    birth: str | None
    death: str | None
    why: str | None = None


@dataclass(slots=True)
class PersonLink:
    """The person linkage holds this record to belong to: its id, how many records it has,
    and how many possible matches of this record wait for review."""

    id: str
    records: int
    possible: int = 0


@dataclass(slots=True)
class RecordContext:
    """One printed entry. `segments` rebuild the verbatim text exactly when joined."""

    id: int
    name: str | None
    verbatim: str
    segments: list[Segment] = field(default_factory=list)
    fields: list[FieldRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    places: list[PlacePoint] = field(default_factory=list)
    locators: list[Locator] = field(default_factory=list)
    similar: list[SimilarName] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)
    synthetic: bool = False
    jsonld: dict[str, Any] = field(default_factory=dict)
    # field -> key of the canonical item the printed value was linked to (burial_place ->
    # a gazetteer site, sentencing_body -> a reference body)
    canonical: dict[str, str] = field(default_factory=dict)
    person: PersonLink | None = None


def segments(verbatim: str, spans: dict[str, Any]) -> list[Segment]:
    """Cut the text at the parsed spans; where spans overlap, the earlier (then longer) wins,
    so every character appears exactly once."""
    cuts: list[tuple[int, int, str]] = []
    for key, span in spans.items():
        if not isinstance(span, list | tuple) or len(span) != 2:
            continue
        a, b = int(span[0]), int(span[1])
        if 0 <= a < b <= len(verbatim):
            cuts.append((a, b, key))
    cuts.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    out: list[Segment] = []
    pos = 0
    for a, b, key in cuts:
        if a < pos:
            continue
        if a > pos:
            out.append(Segment(verbatim[pos:a]))
        out.append(Segment(verbatim[a:b], key))
        pos = b
    if pos < len(verbatim):
        out.append(Segment(verbatim[pos:]))
    return out


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "; ".join(_value_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _jsonld(
    rec: dict[str, Any], loc: list[Locator], places: list[PlacePoint], url: str
) -> dict[str, Any]:
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Person", "url": url}
    if rec.get("name"):
        data["name"] = rec["name"]
    for k, prop in (("surname", "familyName"), ("given_name", "givenName")):
        if rec.get(k):
            data[prop] = rec[k]
    if rec.get("patronymic"):
        data["additionalName"] = rec["patronymic"]
    if rec.get("birth_from") and rec.get("birth_from") == rec.get("birth_to"):
        data["birthDate"] = str(rec["birth_from"])
    if rec.get("death_date"):
        data["deathDate"] = str(rec["death_date"])
    elif rec.get("death_year"):
        data["deathDate"] = str(rec["death_year"])
    if rec.get("nationality"):
        data["nationality"] = rec["nationality"]
    burial = next((p for p in places if p.role == "burial"), None)
    if burial:
        data["deathPlace"] = {
            "@type": "Place",
            "name": burial.name,
            "geo": {"@type": "GeoCoordinates", "latitude": burial.lat, "longitude": burial.lon},
        }
    if loc:
        data["subjectOf"] = {
            "@type": "CreativeWork",
            "name": loc[0].title,
            "citation": loc[0].citation,
        }
    return data


def _similar(
    site: Site, conn: Any, rec: dict[str, Any], record_id: int, limit: int = 10
) -> list[Hit]:
    """Other records the library's name search finds for this record's printed name (across
    scripts and spellings, as `memorybook search` would), best first."""
    name = " ".join(str(rec[k]) for k in ("surname", "given_name", "patronymic") if rec.get(k))
    if not name:
        return []
    found = site.searcher().search(name, None, limit + 1, 0, conn=conn).results
    # an entry without a printed name is reached by its list and by filters, never by a name
    return [h for h in found if h.record_id != record_id and (h.name or "").strip()][:limit]


def _field_rows(fields_: dict[str, Any], spans: dict[str, Any], verbatim: str) -> list[FieldRow]:
    """Each parsed field in the contract's order (then any others), with the printed words it
    was read from."""
    rows: list[FieldRow] = []
    for key in [*FIELD_ORDER, *sorted(set(fields_) - set(FIELD_ORDER))]:
        value = fields_.get(key)
        if value is None or value == "":
            continue
        raw = spans.get(key)
        ok = isinstance(raw, list | tuple) and len(raw) == 2
        span: list[int] = [int(raw[0]), int(raw[1])] if isinstance(raw, list | tuple) and ok else []
        rows.append(
            FieldRow(
                key=key,
                value=_value_text(value),
                printed=verbatim[span[0] : span[1]] if span else None,
                span=span or None,
            )
        )
    return rows


def _place_points(
    rec: dict[str, Any],
    address: dict[str, Any] | None,
    events: list[dict[str, Any]],
    places: dict[str, Any],
) -> list[PlacePoint]:
    """The record's places that have coordinates: burial site, last address, birthplace."""
    points: list[PlacePoint] = []
    bkey = rec.get("burial_place_key")
    if bkey and bkey in places and places[bkey]["lon"] is not None:
        p = places[bkey]
        points.append(
            PlacePoint(
                "burial", str(p["name"]), float(p["lon"]), float(p["lat"]), str(p["kind"]), bkey
            )
        )
    if address and address.get("lon") is not None:
        points.append(
            PlacePoint(
                "address",
                f"{address['street']}, {address['house']}",
                float(address["lon"]),
                float(address["lat"]),
                "address",
            )
        )
    for e in events:
        pk = e.get("place_key")
        if e["kind"] != "birth" or not pk or pk == bkey or pk not in places:
            continue
        p = places[pk]
        if p["lon"] is not None:
            points.append(
                PlacePoint(
                    "birthplace",
                    str(p["name"]),
                    float(p["lon"]),
                    float(p["lat"]),
                    "birthplace",
                    str(pk),
                )
            )
    return points


def _locator(loc: dict[str, Any], lang: str, printed_context: dict[str, Any] | None) -> Locator:
    return Locator(
        source_id=int(loc["source_id"]),
        source_key=str(loc["source_key"]),
        title=str(loc["title"]),
        file=str(loc["file"]),
        index=int(loc["idx"]),
        locator=locator_text(loc["file"], loc["idx"], lang, printed_context),
        citation=citation(str(loc["title"]), loc["file"], loc["idx"], lang, printed_context),
        licence=loc["licence"],
        url=loc["url"],
        format=loc.get("format"),
    )


def _event_row(e: dict[str, Any]) -> EventRow:
    return EventRow(
        kind=str(e["kind"]),
        label=e["custom_label"],
        edtf=e["edtf"],
        earliest=e["earliest"],
        latest=e["latest"],
        printed=e["printed"],
        place=e["place"],
        body=e["body"],
        description=e["description"],
        place_key=e.get("place_key"),
        body_key=e.get("body_key"),
    )


def build(site: Site, record_id: int, lang: str) -> RecordContext:
    with site.read() as conn:
        rec = rs.record(conn, record_id)
        if rec is None:
            raise HTTPException(404, "There is no record with this number.")
        locs = rs.record_locators(conn, record_id)
        events = rs.record_events(conn, record_id)
        address = rs.record_address(conn, record_id)
        keys = [k for k in {rec.get("burial_place_key"), *(e["place_key"] for e in events)} if k]
        places = rs.places_by_key(conn, keys)
        similar = _similar(site, conn, rec, record_id)
        held = person_store.persons_of_records(conn, [record_id]).get(record_id)
        possible = person_store.review_counts(conn, [record_id]).get(record_id, 0)
        if held is not None and held[1] > 1:  # the person's own records are not "similar"
            of = person_store.persons_of_records(conn, [h.record_id for h in similar])
            similar = [h for h in similar if of.get(h.record_id, ("",))[0] != held[0]]
        shown = rs.display_rows(conn, [h.record_id for h in similar])
    spans = rec["spans"] if isinstance(rec["spans"], dict) else {}
    verbatim = str(rec["verbatim"])
    points = _place_points(rec, address, events, places)
    printed_context = rec["context"] if isinstance(rec["context"], dict) else None
    locators = [_locator(loc, lang, printed_context) for loc in locs]
    url = site.settings.link(f"/records/{record_id}")
    return RecordContext(
        id=record_id,
        name=rec.get("name"),
        verbatim=verbatim,
        segments=segments(verbatim, spans),
        fields=_field_rows(
            rec["fields"] if isinstance(rec["fields"], dict) else {}, spans, verbatim
        ),
        events=[_event_row(e) for e in events],
        places=points,
        locators=locators,
        similar=[
            SimilarName(
                h.record_id,
                h.name,
                h.birth,
                (shown.get(h.record_id) or {}).get("death_edtf"),
                h.why,
            )
            for h in similar
        ],
        warnings=[str(w) for w in rec["warnings"]] if isinstance(rec["warnings"], list) else [],
        context=rec["context"] if isinstance(rec["context"], dict) else {},
        synthetic=bool(rec.get("synthetic")),
        jsonld=_jsonld(rec, locators, points, url),
        canonical={
            k: str(rec[c])
            for k, c in (("burial_place", "burial_place_key"), ("sentencing_body", "body_key"))
            if rec.get(c)
        },
        person=PersonLink(held[0], held[1], possible) if held else None,
    )


def jsonld_markup(data: dict[str, Any]) -> Markup:
    """JSON for a `<script type="application/ld+json">` block: `<`, `>` and `&` are written
    as \\u escapes, so no text in it can close the element."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


RecordId = Annotated[int, Path(ge=1, le=2**62)]


def router(site: Site) -> APIRouter:
    r = APIRouter()
    # Record pages are read far more often than the archive changes: keep the built contexts
    # and JSON bodies, so a repeated page costs no thread at all. Kept per archive version
    # (`Site.epoch`): an import or a linkage run changes what a record page shows of the
    # record's person and of the others with its name.
    contexts: LRU[tuple[int, int, str], RecordContext] = site.lru(site.settings.record_cache)
    bodies: LRU[tuple[int, int], bytes] = site.lru(site.settings.record_cache)

    async def context(record_id: int, lang: str) -> RecordContext:
        key = (site.epoch(), record_id, lang)
        ctx = contexts.get(key)
        if ctx is None:
            ctx = await site.compute(build, site, record_id, lang, short=True)
            contexts.put(key, ctx)
        return ctx

    @r.get(
        "/records/{record_id}.json",
        response_model=RecordContext,
        tags=["pages"],
        summary="One record: verbatim entry, parsed fields with spans, events, source",
        responses={404: {"model": ErrorBody}, **ERROR_RESPONSES},
    )
    async def record_json(record_id: RecordId) -> Response:
        key = (site.epoch(), record_id)
        body = bodies.get(key)
        if body is None:
            body = json_bytes(await context(record_id, "en"))
            bodies.put(key, body)
        return Response(body, media_type="application/json")

    @r.get("/records/{record_id}", response_class=HTMLResponse, include_in_schema=False)
    async def record(record_id: RecordId, request: Request) -> HTMLResponse:
        from memorybook.web.i18n import request_lang

        lang = request_lang(request, site.settings.default_lang)
        ctx = await context(record_id, lang)
        points = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": {"name": p.name, "kind": p.kind, "role": p.role},
            }
            for p in ctx.places
        ]
        attrs = (
            map_attrs(site, lang, points=json.dumps(points, ensure_ascii=False))
            if ctx.places
            else None
        )
        return site.render(
            request, "record.html", ctx, jsonld=jsonld_markup(ctx.jsonld), map_attrs=attrs
        )

    return r

"""Home: what the archive holds and where it comes from, the search box, the counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from memorybook.stats.persons import count_persons
from memorybook.storage import read_store as rs
from memorybook.storage import stats_store as ss
from memorybook.web.site import Site, json_response


@dataclass(slots=True)
class SourceLine:
    id: int
    title: str
    format: str | None
    author: str | None
    url: str | None
    licence: str | None
    records: int


@dataclass(slots=True)
class HomeContext:
    """The counts of the archive and the lists it was built from. `places` are the places
    read from the Topography of Terror layers and `addresses` the distinct geocoded houses,
    as the import reports count them; `address_rows` the rows of the geocoded list.
    `records` are printed entries, `persons` the persons they name (`stats.persons`)."""

    records: int
    persons: int
    sources: int
    places: int
    addresses: int
    with_death: int
    address_rows: int = 0
    lists: list[SourceLine] = field(default_factory=list)
    # Whether linkage has grouped the records of one person: `persons` counts each person
    # once then; before, every record counts as a person.
    linked: bool = False


COUNTS_SECONDS = 30.0


def build(site: Site) -> HomeContext:
    def compute() -> HomeContext:
        # The counts stored for the archive's version (stats.summary) where there are, else
        # counted once per process and version from fixed queries no visitor shapes: they
        # get the time a busy machine needs (within a page's 1 s the counts of 100,000
        # records ran out of time under load, and the home page answered "too heavy").
        stored = site.summary()
        with site.read(COUNTS_SECONDS) as conn:
            archive = stored.counts if stored.counts is not None else rs.archive_counts(conn)
            counts = {**archive, **ss.layer_counts(conn)}
            rates = stored.fill_rates if stored.fill_rates is not None else rs.fill_rates(conn)
            lines = [
                SourceLine(
                    id=int(s["id"]),
                    title=str(s["title"]),
                    format=s["format"],
                    author=s["author"],
                    url=s["url"],
                    licence=s["licence"],
                    records=int(rates.get(int(s["id"]), {}).get("records", s["record_count"] or 0)),
                )
                for s in rs.sources(conn)
            ]
        # The distinct persons of the whole archive, outside the page's time limit.
        named = stored.persons
        if named is None:
            with site.engine.connect() as conn:
                named = count_persons(conn)
        counts.update(records=named.records, persons=named.persons)
        return HomeContext(lists=lines, linked=named.linked, **counts)

    return site.memoised("home", compute)


def router(site: Site) -> APIRouter:
    r = APIRouter()

    @r.get("/index.json", response_model=HomeContext, tags=["pages"], summary="Home page data")
    def home_json() -> Response:
        return json_response(build(site))

    @r.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        return site.render(request, "home.html", build(site))

    return r

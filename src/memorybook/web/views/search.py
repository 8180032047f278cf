"""Search: the name search, facets with counts, paging, and CSV/JSON export."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from memorybook.export.csvfile import csv_chunks
from memorybook.search.api import SearchFilters
from memorybook.search.filters import nationality_key
from memorybook.search.persons import PersonGroup, group_records
from memorybook.storage import person_store
from memorybook.storage import read_store as rs
from memorybook.web.cite import citing_context, locator_text
from memorybook.web.errors import ERROR_RESPONSES
from memorybook.web.site import LRU, Loaded, Site, json_bytes

FACET_ORDER = ("birth_year", "death_year", "nationality", "burial", "body", "source", "sex")
EXPORT_COLUMNS = (
    "record_id",
    "name",
    "birth",
    "death",
    "nationality",
    "burial_place",
    "sentencing_body",
    "source",
    "locator",
    "url",
)


@dataclass(slots=True)
class Hit:
    """One entry found. `why` is the search's English reason; `match` the same as data, per
    name part (the library's `PartMatch`), which pages word in their own language."""

    record_id: int
    name: str | None
    birth: str | None
    death: str | None
    burial: str | None
    source: str | None
    locator: str
    score: float | None = None
    confident: bool | None = None
    why: str | None = None
    match: list[dict[str, Any]] = field(default_factory=list)
    alias: bool = False
    source_id: int | None = None
    file: str | None = None
    index: int | None = None
    burial_key: str | None = None
    # a dated list's date, page and printed entry number, which cite it (cite.citing_context)
    printed: dict[str, Any] | None = None
    # The person the entry belongs to (linkage), how many records that person has, and how
    # many of them this search found (a name search shows one row per person).
    person: str | None = None
    person_records: int = 1
    matched: int = 1


@dataclass(slots=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass(slots=True)
class Facet:
    name: str
    values: list[FacetValue] = field(default_factory=list)


@dataclass(slots=True)
class SearchContext:
    """One page of a search. `total` is None when counting would take too long;
    `facets_truncated` says the facets were left out for the same reason. Without a name
    and without filters the page is the archive to browse: the facets with their counts and
    no list of entries (`browse`). A name search gives one row per person: the entry that
    matched best, with how many records the person has (`total` counts persons, `entries`
    the entries found)."""

    query: str
    filters: dict[str, str]
    page: int
    size: int
    total: int | None
    pages: int | None
    hits: list[Hit] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    facets_truncated: bool = False
    candidates_capped: bool = False
    engine: str = "search"
    browse: bool = False
    # A name search counts persons (`total`) and the entries they were found by (`entries`).
    entries: int | None = None


def library_filters(filters: rs.Filters | None) -> SearchFilters | None:
    """The page's facet filters that the name search itself can apply."""
    if filters is None or not filters.values:
        return None
    given = filters.as_dict()
    born, died = given.get("birth_year"), given.get("death_year")
    nationality, burial = given.get("nationality"), given.get("burial")
    return SearchFilters(
        born=int(born) if born is not None else None,
        died=int(died) if died is not None else None,
        nationality=str(nationality) if nationality is not None else None,
        burial_place=str(burial) if burial is not None else None,
    )


@dataclass(frozen=True, slots=True)
class Reason:
    """What the name search says of one hit (nothing for a browsed entry)."""

    score: float | None = None
    confident: bool | None = None
    why: str | None = None
    match: list[dict[str, Any]] = field(default_factory=list)
    alias: bool = False

    @classmethod
    def of(cls, hit: Any) -> Reason:
        parts = getattr(hit, "match", None) or []
        return cls(
            score=hit.score,
            confident=hit.confident,
            why=hit.why,
            match=[m.to_json() if hasattr(m, "to_json") else dict(m) for m in parts],
            alias=bool(getattr(hit, "alias", False)),
        )


def _no_reason(record_id: int) -> Reason:
    return Reason()


@dataclass(frozen=True, slots=True)
class SearchParams:
    query: str
    filters: rs.Filters
    page: int
    size: int

    def key(self) -> tuple[Any, ...]:
        return (self.query, self.filters.values, self.page, self.size)


Q = Annotated[str, Query(max_length=200, description="A name as printed, in Cyrillic or Latin")]
Page = Annotated[int, Query(ge=1, le=10_000)]
Size = Annotated[int, Query(ge=1, le=100)]
Year = Annotated[int | None, Query(ge=1700, le=2100)]
Text = Annotated[str | None, Query(max_length=200)]
SourceId = Annotated[int | None, Query(ge=1, le=2**31)]


def make_params(
    site: Site,
    q: str,
    page: int,
    size: int,
    birth_year: int | None,
    death_year: int | None,
    nationality: str | None,
    burial: str | None,
    body: str | None,
    source: int | None,
    sex: str | None,
) -> SearchParams:
    cfg = site.settings
    size = min(size, cfg.max_page_size)
    if (page - 1) * size > cfg.max_offset:
        raise HTTPException(
            400, f"Results past the first {cfg.max_offset} are not paged: narrow the search."
        )
    filters = rs.Filters.of(
        birth_year=birth_year,
        death_year=death_year,
        # any printed form (`японка`, `японцы`) filters on its canonical word, the facets' value
        nationality=nationality_key(nationality) or None,
        burial=burial or None,
        body=body or None,
        source=source,
        sex=sex or None,
    )
    return SearchParams(" ".join(q.split())[: cfg.max_query_length], filters, page, size)


class SearchService:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.cache = site.search_cache
        self.contexts: LRU[tuple[Any, ...], SearchContext] = site.lru(site.settings.search_cache)

    def key(self, p: SearchParams) -> tuple[Any, ...]:
        """The cache key of `p`'s answer: the parameters and the archive version it is
        computed from (taken before computing, so a new version is never served an answer
        of an older one)."""
        return (self.site.epoch(), *p.key())

    def short(self, p: SearchParams) -> bool:
        """Whether answering `p` is short work (`Site.compute`): a name search, or browsing
        by filters when the facet index (with its browse order) is in memory — then a page
        is a few array operations and one indexed read of its 20 rows, never a table scan."""
        if p.query:
            return True
        index = self.site.facet_index()
        return index is not None and index.browse is not None

    def context(self, p: SearchParams, key: tuple[Any, ...]) -> SearchContext:
        hit = self.contexts.get(key)
        if hit is not None:
            return hit
        ctx = self._compute(p)
        self.contexts.put(key, ctx)
        return ctx

    def json(self, p: SearchParams, key: tuple[Any, ...]) -> bytes:
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        # The body alone is kept: a cached context is a few hundred objects for the
        # garbage collector to walk, and the JSON twin never needs it again.
        body = json_bytes(self.contexts.get(key) or self._compute(p))
        self.cache.put(key, body)
        return body

    # ---- the work ----------------------------------------------------------------------

    def candidates(
        self,
        query: str,
        filters: rs.Filters | None = None,
        conn: Any = None,
        loaded: Loaded | None = None,
    ) -> tuple[list[int], Callable[[int], Reason], str, bool]:
        """Record ids best first, from the library's name search (the `memorybook search`
        ranking), what the search says of one of them (worded when asked: a page words the
        20 it shows, not the 1,000 it ranks), the engine used, and whether the cap cut it.

        The filters the library knows go into the search itself, so a match beyond the
        first `cap` hits of the bare name is not lost; the library's filters are as wide as
        the page's exact facet values or wider (поляк also finds полька), and the caller
        applies the exact values afterwards. An entry without a printed name is never a
        name result: it is reached by the filters and by its list."""
        return self.ranked(query, filters, conn, loaded or self.site.loaded())[:4]

    def ranked(
        self, query: str, filters: rs.Filters | None, conn: Any, loaded: Loaded
    ) -> tuple[list[int], Callable[[int], Reason], str, bool, Any]:
        """`candidates` and their positions in the records of `loaded` (`Ranked.positions`)."""
        cap = self.site.settings.search_candidates
        # Ids only: the rows of the 20 shown are read by the page (`rs.display_rows`).
        result = loaded.searcher.ranked(query, library_filters(filters), cap + 1, conn)
        ids = result.ids
        found = set(ids)

        def reason(record_id: int) -> Reason:
            return Reason.of(result.reason(record_id)) if record_id in found else Reason()

        return ids[:cap], reason, "search", len(ids) > cap, result.positions[:cap]

    def _compute(self, p: SearchParams) -> SearchContext:
        site = self.site
        ctx = SearchContext(
            query=p.query,
            filters={k: str(v) for k, v in p.filters.values},
            page=p.page,
            size=p.size,
            total=None,
            pages=None,
        )
        offset = (p.page - 1) * p.size
        reason_of: Callable[[int], Reason] = _no_reason  # a browsed entry was not searched
        candidate_ids: list[int] | None = None
        page_ids: list[int] = []
        groups: dict[int, PersonGroup] = {}
        # One archive version's name index, facets and persons for the whole page (a new
        # version may be swapped in meanwhile: `Site.loaded`).
        loaded = site.loaded()
        positions = None  # the candidates' positions in `loaded`'s records, when aligned
        with site.read() as conn:
            if p.query:
                ordered, reason_of, ctx.engine, ctx.candidates_capped, positions = self.ranked(
                    p.query, p.filters, conn, loaded
                )
                if p.filters.values:
                    keep = self._filter_ids(conn, p.filters, ordered, loaded)
                    kept = [n for n, i in enumerate(ordered) if i in keep]
                    ordered = [ordered[n] for n in kept]
                    positions = positions[kept]
                if not loaded.aligned:
                    positions = None
                candidate_ids = ordered
                # One row per person, best entry first: folded in memory where the persons
                # are loaded (`Site.persons`), reading the keys of the page's persons only.
                known = loaded.persons
                persons = known.group(ordered, positions) if known is not None else None
                if persons is not None:
                    ctx.total = len(persons)
                    shown = persons.page(conn, offset, offset + p.size)
                else:
                    every = group_records(conn, ordered)
                    ctx.total = len(every)
                    shown = every[offset : offset + p.size]
                ctx.entries = len(ordered)
                groups = {g.best: g for g in shown}
                page_ids = [g.best for g in shown]
            else:
                ctx.engine = "browse"
                if p.filters.values:
                    ctx.total = self._count(conn, p.filters)
                    page_ids = self._page_ids(conn, p.filters, p.size, offset)
                else:  # the archive to browse: its facets, no list of 58,000 entries
                    ctx.browse = True
                    stored = site.summary().counts
                    ctx.total = (
                        stored["records"]
                        if stored is not None
                        else site.memoised("records", lambda: rs.archive_counts(conn)["records"])
                    )
            rows = rs.display_rows(conn, page_ids)
            if not groups and page_ids:  # entries listed by filters: say whose they are
                held = person_store.persons_of_records(conn, page_ids)
                groups = {i: PersonGroup(*held[i], [i]) for i in page_ids if i in held}
            titles = site.memoised("source_titles", lambda: rs.source_titles(conn))
            facets = self._facets(conn, p, candidate_ids, loaded, positions)
        if ctx.total is not None:
            ctx.pages = max(1, -(-ctx.total // p.size))
        ctx.facets_truncated = facets is None
        selected = {k: str(v) for k, v in p.filters.values}
        for name in FACET_ORDER:
            values = (facets or {}).get(name, [])
            ctx.facets.append(
                Facet(
                    name,
                    [
                        FacetValue(
                            value=str(v["value"]),
                            label=titles.get(int(v["value"]), str(v["value"]))
                            if name == "source"
                            else v["label"],
                            count=int(v["count"]),
                            selected=selected.get(name) == str(v["value"]),
                        )
                        for v in values
                    ],
                )
            )
        for rid in page_ids:
            r = rows.get(rid)
            if r is None:
                continue
            reason = reason_of(rid)
            group = groups.get(rid)
            printed = citing_context(r.get("context_json"))
            ctx.hits.append(
                Hit(
                    record_id=rid,
                    name=r["name"],
                    birth=r["birth_edtf"],
                    death=r["death_date"] or r["death_edtf"],
                    burial=r["burial_place"],
                    source=titles.get(int(r["source_id"])),
                    locator=locator_text(r["file"], r["idx"], context=printed),
                    score=reason.score,
                    confident=reason.confident,
                    why=reason.why,
                    match=reason.match,
                    alias=reason.alias,
                    source_id=int(r["source_id"]),
                    file=str(r["file"]),
                    index=int(r["idx"]),
                    burial_key=r.get("burial_place_key"),
                    printed=printed,
                    person=group.person if group else None,
                    person_records=group.records if group else 1,
                    matched=len(group.matched) if group else 1,
                )
            )
        return ctx

    def _bounded(self, fn: Any) -> Any:
        try:
            return fn()
        except HTTPException:
            return None

    def _filter_ids(
        self, conn: Any, filters: rs.Filters, ids: list[int], loaded: Loaded | None = None
    ) -> set[int]:
        index = (loaded or self.site.loaded()).facets
        if index is not None:
            return index.filter_ids(filters, ids)
        return rs.filter_ids(conn, filters, ids)

    def _page_ids(self, conn: Any, filters: rs.Filters, limit: int, offset: int) -> list[int]:
        """A browse page (no name): from the in-memory facet index when it is loaded."""
        index = self.site.facet_index()
        if index is not None and index.browse is not None:
            return index.page_ids(filters, limit, offset)
        return rs.page_ids(conn, filters, limit, offset)

    def _count(self, conn: Any, filters: rs.Filters) -> int | None:
        index = self.site.facet_index()
        if index is not None:
            return index.count(filters, None)
        return self._bounded(lambda: rs.count_records(conn, filters, None))

    def _facets(
        self,
        conn: Any,
        p: SearchParams,
        candidates: list[int] | None,
        loaded: Loaded,
        positions: Any = None,
    ) -> dict[str, list[dict[str, Any]]] | None:
        index = loaded.facets
        if index is not None:  # from memory: a few array operations, never truncated
            return index.facet_counts(p.filters, candidates, positions=positions)
        if candidates is None and not p.filters.values:
            cached = self.site.known("facets:all")
            if cached is not None:
                return cached
        try:
            with rs.time_limit(conn, self.site.settings.query_seconds / 2):
                facets = rs.facet_counts(conn, p.filters, candidates)
        except rs.QueryTimeout:
            if candidates is None and not p.filters.values:
                self.site.warm("facets:all", lambda c: rs.facet_counts(c, p.filters, None))
            return None
        if candidates is None and not p.filters.values:
            self.site.keep("facets:all", facets)
        return facets

    # ---- export ------------------------------------------------------------------------

    def export_part(self, p: SearchParams, start: int) -> ExportPart:
        """The record ids of one part of an export: at most `export_max` of them from row
        `start`, in the page's order (a name search: its ranking; browsing: name order)."""
        cap = self.site.settings.export_max
        with self.site.read() as conn:
            if p.query:
                ids, _, _, capped = self.candidates(p.query, p.filters, conn)
                if p.filters.values:
                    keep = self._filter_ids(conn, p.filters, ids)
                    ids = [i for i in ids if i in keep]
                return ExportPart(ids[start : start + cap], start, len(ids), capped)
            # One row beyond the part says whether another part follows, whether or not
            # the count is known in time.
            ids = self._page_ids(conn, p.filters, cap + 1, start)
            total = self._count(conn, p.filters)
            return ExportPart(ids[:cap], start, total, False, more=len(ids) > cap)

    def export_body(
        self, p: SearchParams, start: int, fmt: str, next_link: Callable[[int], str]
    ) -> tuple[bytes, ExportPart, str | None]:
        """One part of an export, whole (at most `export_max` rows, so a bounded body with
        its length known: a response cap answers it with a clear 400, never a cut file),
        with the address of the next part when one follows."""
        part = self.export_part(p, start)
        after = part.next_start()
        link = next_link(after) if after is not None else None
        rows = self.stream(part.ids)
        if fmt == "csv":
            text = "".join(_csv_lines(rows, part, link, self.site.settings.search_candidates))
        else:
            text = "".join(_json_chunks(p, rows, part, link))
        return text.encode(), part, link

    def stream(self, ids: list[int]) -> Iterator[dict[str, Any]]:
        titles: dict[int, str] | None = None
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            with self.site.read() as conn:
                if titles is None:
                    titles = self.site.memoised("source_titles", lambda: rs.source_titles(conn))
                rows = rs.display_rows(conn, chunk)
            for rid in chunk:
                r = rows.get(rid)
                if r is None:
                    continue
                yield {
                    "record_id": rid,
                    "name": r["name"],
                    "birth": r["birth_edtf"],
                    "death": r["death_date"] or r["death_edtf"],
                    "nationality": r["nationality"],
                    "burial_place": r["burial_place"],
                    "sentencing_body": r["sentencing_body"],
                    "source": titles.get(int(r["source_id"])),
                    "locator": locator_text(
                        r["file"], r["idx"], context=citing_context(r.get("context_json"))
                    ),
                    "url": self.site.settings.link(f"/records/{rid}"),
                }


@dataclass(frozen=True, slots=True)
class ExportPart:
    """One part of an export. `total` is the rows of the whole export (None when counting
    would take too long); `capped` says the name search stopped at its candidate limit, so
    entries beyond it are in no part (narrow the search); `more` that another part follows."""

    ids: list[int]
    start: int
    total: int | None
    capped: bool
    more: bool | None = None

    def next_start(self) -> int | None:
        """The first row of the next part, or None when this part is the last."""
        end = self.start + len(self.ids)
        more = self.more if self.more is not None else self.total is not None and end < self.total
        return end if more and self.ids else None


def _csv_lines(
    rows: Iterator[dict[str, Any]], part: ExportPart, link: str | None, candidates: int
) -> Iterator[str]:
    """The CSV of a part; lines after the rows, opening with #, say what it does not hold."""
    notes = []
    if link is not None:
        end = part.start + len(part.ids)
        of = f" of {part.total}" if part.total is not None else ""
        notes.append(
            f"# continued: this file holds rows {part.start + 1} to {end}{of};"
            f" the next part is at {link}"
        )
    if part.capped:
        notes.append(
            f"# truncated: the name search keeps its best {candidates} entries;"
            " narrow the search to reach the others"
        )
    return csv_chunks(
        EXPORT_COLUMNS, ([row[c] for c in EXPORT_COLUMNS] for row in rows), footer=notes
    )


def _json_chunks(
    p: SearchParams, rows: Iterator[dict[str, Any]], part: ExportPart, link: str | None
) -> Iterator[str]:
    head = {
        "query": p.query,
        "filters": p.filters.as_dict(),
        "start": part.start,
        "total": part.total,
        "truncated": part.capped,
        "next": link,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "records": ['
    first = True
    for row in rows:
        yield ("" if first else ",") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "]}"


def source_formats(site: Site) -> dict[str, str]:
    """Source id -> the format it was imported from (which names its title on pages)."""
    with site.read() as conn:
        return {str(s["id"]): str(s["format"]) for s in rs.sources(conn) if s["format"]}


async def params(
    request: Request,
    q: Q = "",
    page: Page = 1,
    size: Size = 20,
    birth_year: Year = None,
    death_year: Year = None,
    nationality: Text = None,
    burial: Text = None,
    body: Text = None,
    source: SourceId = None,
    sex: Annotated[str | None, Query(max_length=1)] = None,
) -> SearchParams:
    return make_params(
        request.app.state.site,
        q,
        page,
        size,
        birth_year,
        death_year,
        nationality,
        burial,
        body,
        source,
        sex,
    )


async def export_params(
    request: Request,
    q: Q = "",
    birth_year: Year = None,
    death_year: Year = None,
    nationality: Text = None,
    burial: Text = None,
    body: Text = None,
    source: SourceId = None,
    sex: Annotated[str | None, Query(max_length=1)] = None,
) -> SearchParams:
    """An export is the whole result up to its row limit: it takes no page or size (and so
    never refuses a page it would not use)."""
    site = request.app.state.site
    return make_params(
        site, q, 1, site.settings.page_size, birth_year, death_year, nationality, burial,
        body, source, sex,
    )  # fmt: skip


EXPORT_DOC = (
    "The whole result of a search or of a browse by filters, in the page's order, in parts"
    " of at most 1,000 rows (the server's `export_max`): a part after which more rows follow"
    ' carries a `Link: <…>; rel="next"` header with the address of the next part (the same'
    " request with `start` set). Nothing is left out silently."
)
Start = Annotated[
    int,
    Query(
        ge=0,
        le=10_000_000,
        description="The first row of this part, counted from 0 (the `next` link sets it)",
    ),
]
P = Annotated[SearchParams, Depends(params)]
ExportP = Annotated[SearchParams, Depends(export_params)]


def router(site: Site) -> APIRouter:
    r = APIRouter()
    svc = SearchService(site)
    site.memo["search_service"] = svc

    @r.get(
        "/search.json",
        response_model=SearchContext,
        tags=["pages"],
        summary="Name search with facets",
        responses=ERROR_RESPONSES,
    )
    async def search_json(p: P) -> Response:
        key = svc.key(p)
        cached = svc.cache.get(key)
        if cached is None:
            cached = await site.compute(svc.json, p, key, short=svc.short(p))
        return Response(cached, media_type="application/json")

    async def export(p: SearchParams, start: int, fmt: str, request: Request) -> Response:
        def next_link(after: int) -> str:
            # the same export from row `after`: the route's own path and the asked query
            query = request.url.include_query_params(start=after).query
            return site.settings.link(f"/search/export.{fmt}?{query}")

        # Heavy work for one request: in this worker's compute threads, so that the event
        # loop keeps answering; beyond `concurrency` of them a request waits its turn, then
        # gets 429 with Retry-After (`Site.compute`).
        body, part, link = await site.compute(svc.export_body, p, start, fmt, next_link, short=True)
        name = "memorybook-search"
        if start or link is not None:
            name += f"-{start + 1}-{start + len(part.ids)}"
        headers = {"content-disposition": f'attachment; filename="{name}.{fmt}"'}
        if link is not None:
            headers["link"] = f'<{link}>; rel="next"'
        media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
        return Response(body, media_type=media, headers=headers)

    @r.get(
        "/search/export.csv",
        tags=["export"],
        summary="The search result as CSV, in parts",
        description=EXPORT_DOC
        + " A CSV part names the next one (and a name search cut at its candidate limit"
        " says so) in lines after the rows that open with `#`.",
        responses={200: {"content": {"text/csv": {}}}, **ERROR_RESPONSES},
        response_class=Response,
    )
    async def export_csv(p: ExportP, request: Request, start: Start = 0) -> Response:
        return await export(p, start, "csv", request)

    @r.get(
        "/search/export.json",
        tags=["export"],
        summary="The search result as JSON, in parts",
        description=EXPORT_DOC
        + " A JSON part gives `start`, `total` (null when not counted in time), `next` (the"
        " next part's address, null for the last) and `truncated` (the name search stopped"
        " at its candidate limit: narrow the search to reach the other entries).",
        responses={200: {"content": {"application/json": {}}}, **ERROR_RESPONSES},
        response_class=Response,
    )
    async def export_json(p: ExportP, request: Request, start: Start = 0) -> Response:
        return await export(p, start, "json", request)

    @r.get("/search", response_class=HTMLResponse, include_in_schema=False)
    async def search(p: P, request: Request) -> HTMLResponse:
        started = time.perf_counter()
        key = svc.key(p)
        ctx = svc.contexts.get(key) or await site.compute(svc.context, p, key, short=svc.short(p))
        query = p.query
        return site.render(
            request,
            "search.html",
            ctx,
            query=query,
            elapsed=time.perf_counter() - started,
            export_query=str(request.url.query),
            formats=site.memoised("source_formats", lambda: source_formats(site)),
        )

    return r

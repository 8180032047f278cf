"""Sources: each imported list with provenance, licence, checksum, counts and fill rates;
the documents the reference data cites, each with its own page (/sources/<work>) listing
what the archive takes from it, paragraph by paragraph."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response

from memorybook.reference import ReferenceData, load_reference
from memorybook.reference.bibliography import cite, work_by_slug, works
from memorybook.storage import read_store as rs
from memorybook.web.errors import ERROR_RESPONSES, ErrorBody
from memorybook.web.site import Site, json_response


@dataclass(slots=True)
class ImportedSource:
    id: int
    key: str
    title: str
    kind: str
    format: str | None
    author: str | None
    year: int | None
    url: str | None
    licence: str | None
    sha256: str | None
    size: int | None
    imported_at: str | None
    entries: int | None
    records: int
    kept: int | None  # what the import kept: records of a list, places, distinct houses
    synthetic: bool
    files: list[dict[str, Any]] = field(default_factory=list)
    fill_rates: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class CitedDocument:
    """A document the reference data cites; `work` is its address (/sources/<work>) and
    `short` the form running citations use ("Werth 2010")."""

    key: str
    title: str
    author: str | None
    year: int | None
    file_name: str | None
    sha256: str | None
    work: str = ""
    short: str = ""
    kind: str = ""


@dataclass(slots=True)
class SourcesContext:
    """Fill rates are the share of a list's records in which the field is filled."""

    sources: list[ImportedSource] = field(default_factory=list)
    documents: list[CitedDocument] = field(default_factory=list)


@dataclass(slots=True)
class CitedItem:
    """One item of the reference data that cites a paragraph: `kind` is operation, order,
    figure, quota, body, person, trial or table; `key` its key."""

    kind: str
    key: str
    section: str | None = None


@dataclass(slots=True)
class CitedParagraph:
    para: int | None
    items: list[CitedItem] = field(default_factory=list)


@dataclass(slots=True)
class DocumentContext:
    document: CitedDocument
    paragraphs: list[CitedParagraph] = field(default_factory=list)


def _documents(ref: ReferenceData) -> list[CitedDocument]:
    known = works(ref)
    return [
        CitedDocument(
            d.key,
            d.title,
            d.author,
            d.year,
            d.file_name,
            d.sha256,
            work=known[d.key].slug,
            short=known[d.key].short,
            kind=str(d.kind),
        )
        for d in sorted(ref.sources.values(), key=lambda d: d.key)
    ]


def build_document(slug: str) -> DocumentContext:
    ref = load_reference()
    work = work_by_slug(ref, slug)
    if work is None:
        raise HTTPException(404, "There is no document with this name.")
    doc = next(d for d in _documents(ref) if d.key == work.key)
    by_para: dict[int | None, list[CitedItem]] = {}
    for item, citation in ref.citations():
        if citation.source_key != work.key:
            continue
        kind, _, key = item.partition(":")
        if kind == "person":
            key = key.split(":")[0]  # a person's dates cite too: name the person once
        where = cite(ref, citation)
        entry = CitedItem(kind, key, where.section)
        items = by_para.setdefault(where.para, [])
        if entry not in items:
            items.append(entry)
    paragraphs = [
        CitedParagraph(para, items)
        for para, items in sorted(by_para.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
    ]
    return DocumentContext(doc, paragraphs)


def build(site: Site) -> SourcesContext:
    def compute() -> SourcesContext:
        with site.read(10.0) as conn:
            rates = rs.fill_rates(conn)
            srcs = rs.sources(conn)
        ctx = SourcesContext()
        for s in srcs:
            info = rates.get(int(s["id"]), {})
            ctx.sources.append(
                ImportedSource(
                    id=int(s["id"]),
                    key=str(s["key"]),
                    title=str(s["title"]),
                    kind=str(s["kind"]),
                    format=s["format"],
                    author=s["author"],
                    year=s["year"],
                    url=s["url"],
                    licence=s["licence"],
                    sha256=s["sha256"],
                    size=s["size"],
                    imported_at=s["imported_at"],
                    entries=s["entry_count"],
                    records=int(info.get("records", 0)),
                    kept=s["record_count"],
                    synthetic=bool(s["synthetic"]),
                    files=[f for f in s["files"] if isinstance(f, dict)],
                    fill_rates=dict(info.get("rates", {})),
                )
            )
        # The cited documents as the reference data knows them (`memorybook.reference`).
        ctx.documents = _documents(load_reference())
        return ctx

    return site.memoised("sources", compute)


WorkSlug = Annotated[str, PathParam(max_length=80, pattern=r"^[a-z0-9\-]+$")]


def router(site: Site) -> APIRouter:
    r = APIRouter()

    @r.get("/sources.json", response_model=SourcesContext, tags=["pages"], summary="The sources")
    def sources_json() -> Response:
        return json_response(build(site))

    @r.get("/sources", response_class=HTMLResponse, include_in_schema=False)
    def sources(request: Request) -> HTMLResponse:
        return site.render(request, "sources.html", build(site))

    @r.get(
        "/sources/{work}.json",
        response_model=DocumentContext,
        tags=["pages"],
        summary="One cited document and what the reference data takes from each paragraph",
        responses={404: {"model": ErrorBody}, **ERROR_RESPONSES},
    )
    def document_json(work: WorkSlug) -> Response:
        return json_response(build_document(work))

    @r.get("/sources/{work}", response_class=HTMLResponse, include_in_schema=False)
    def document(work: WorkSlug, request: Request) -> HTMLResponse:
        return site.render(request, "document.html", build_document(work))

    return r

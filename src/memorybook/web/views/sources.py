"""Sources: each imported list with provenance, licence, checksum, counts and fill rates;
the documents the reference data cites."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from memorybook.reference import load_reference
from memorybook.storage import read_store as rs
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
    synthetic: bool
    files: list[dict[str, Any]] = field(default_factory=list)
    fill_rates: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class SeedDocument:
    key: str
    title: str
    author: str | None
    year: int | None
    file_name: str | None
    sha256: str | None


@dataclass(slots=True)
class SourcesContext:
    """Fill rates are the share of a list's records in which the field is filled."""

    sources: list[ImportedSource] = field(default_factory=list)
    documents: list[SeedDocument] = field(default_factory=list)


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
                    synthetic=bool(s["synthetic"]),
                    files=[f for f in s["files"] if isinstance(f, dict)],
                    fill_rates=dict(info.get("rates", {})),
                )
            )
        # The seed documents as the reference data knows them (`memorybook.reference`).
        for d in sorted(load_reference().sources.values(), key=lambda d: d.key):
            ctx.documents.append(
                SeedDocument(d.key, d.title, d.author, d.year, d.file_name, d.sha256)
            )
        return ctx

    return site.memoised("sources", compute)


def router(site: Site) -> APIRouter:
    r = APIRouter()

    @r.get("/sources.json", response_model=SourcesContext, tags=["pages"], summary="The sources")
    def sources_json() -> Response:
        return json_response(build(site))

    @r.get("/sources", response_class=HTMLResponse, include_in_schema=False)
    def sources(request: Request) -> HTMLResponse:
        return site.render(request, "sources.html", build(site))

    return r

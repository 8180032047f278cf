"""Autocomplete: `GET /api/suggest?q=` answers as someone types a name, from the library's
`Searcher.suggest` (at most 10 records; the last word of the query may be unfinished)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from memorybook.search.api import SUGGEST_LIMIT
from memorybook.web.errors import ERROR_RESPONSES
from memorybook.web.site import Site, json_response


@dataclass(slots=True)
class Suggestion:
    """One record whose printed name matches what was typed so far. `match` says per name
    part which rule matched (see `memorybook.search.why.PartMatch`)."""

    record_id: int
    url: str
    name: str
    birth: str | None
    confident: bool
    why: str
    match: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Suggestions:
    query: str
    suggestions: list[Suggestion] = field(default_factory=list)


Typed = Annotated[
    str, Query(max_length=200, description="What has been typed so far, in Cyrillic or Latin")
]
Limit = Annotated[int, Query(ge=1, le=SUGGEST_LIMIT)]


def suggestions(site: Site, q: str, limit: int) -> Suggestions:
    text = q[: site.settings.max_query_length]
    with site.read() as conn:
        found = site.searcher().suggest(text, limit=limit, conn=conn)
    out = Suggestions(query=text)
    for hit in found.results:
        data = hit.to_json()
        out.suggestions.append(
            Suggestion(
                record_id=hit.record_id,
                url=data["url"],
                name=hit.name,
                birth=hit.birth,
                confident=hit.confident,
                why=hit.why,
                match=data["match"],
            )
        )
    return out


def router(site: Site) -> APIRouter:
    r = APIRouter()

    @r.get(
        "/api/suggest",
        response_model=Suggestions,
        tags=["search"],
        summary="Names as they are typed (autocomplete), at most 10",
        responses=ERROR_RESPONSES,
    )
    async def suggest(q: Typed = "", limit: Limit = SUGGEST_LIMIT) -> Response:
        return json_response(await site.compute(suggestions, site, q, limit, short=True))

    return r

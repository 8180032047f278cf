"""Autocomplete: `GET /api/suggest?q=` answers as someone types a name: the library's search
of `Searcher.suggest` (the last word of the query may be unfinished), one row per person as
`search.persons` folds linked records (at most 10 persons)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from memorybook.search.api import SUGGEST_LIMIT
from memorybook.search.persons import search_persons
from memorybook.web.errors import ERROR_RESPONSES
from memorybook.web.site import Site, json_response


@dataclass(slots=True)
class Suggestion:
    """One person whose printed name matches what was typed so far, by the record that
    matched best (`record_id`, `url`). `person` is the person's id where linkage placed the
    record (None before any linkage run) and `records` how many records the person has.
    `match` says per name part which rule matched (see `memorybook.search.why.PartMatch`)."""

    record_id: int
    url: str
    name: str
    birth: str | None
    confident: bool
    why: str
    match: list[dict[str, Any]] = field(default_factory=list)
    person: str | None = None
    records: int = 1


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
    limit = max(0, min(limit, SUGGEST_LIMIT))
    with site.read() as conn:
        found = search_persons(site.searcher(), text, None, limit, conn=conn)
    out = Suggestions(query=text)
    for row in found.results:
        hit, data = row.hit, row.hit.to_json()
        out.suggestions.append(
            Suggestion(
                record_id=hit.record_id,
                url=data["url"],
                name=hit.name,
                birth=hit.birth,
                confident=hit.confident,
                why=hit.why,
                match=data["match"],
                person=row.person,
                records=row.records,
            )
        )
    return out


def router(site: Site) -> APIRouter:
    r = APIRouter()

    @r.get(
        "/api/suggest",
        response_model=Suggestions,
        tags=["search"],
        summary="Names as they are typed (autocomplete), at most 10 persons",
        responses=ERROR_RESPONSES,
    )
    async def suggest(q: Typed = "", limit: Limit = SUGGEST_LIMIT) -> Response:
        return json_response(await site.compute(suggestions, site, q, limit, short=True))

    return r

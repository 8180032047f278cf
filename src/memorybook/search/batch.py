"""One line of `memorybook search --batch`, checked before anything is searched.

    {"id": ..., "query": "...", "filters": {"birth_year": 1893 | [1889, 1899], ...},
     "limit": 10}

A line that cannot be answered as written raises `BadQuery` saying what is wrong with it:
a query that is not a string (`null` would otherwise be searched as the word "None"), filters
that are not an object, a year or limit that is not a whole number."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from memorybook.errors import BadQuery
from memorybook.search.api import SearchFilters

YEAR_FILTERS = ("born", "born_from", "born_to", "died")
TEXT_FILTERS = ("nationality", "burial_place", "source")
KNOWN_FILTERS = ("birth_year", *YEAR_FILTERS, *TEXT_FILTERS)
DEFAULT_LIMIT = 10
MAX_LIMIT = 1000
MAX_QUERY = 200


@dataclass(frozen=True, slots=True)
class BatchQuery:
    id: Any
    query: str
    filters: SearchFilters
    limit: int


def _whole(value: Any, what: str, low: int, high: int) -> int:
    if isinstance(value, bool):
        raise BadQuery(f"{what} must be a whole number, not {value!r}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise BadQuery(f"{what} must be a whole number, not {_shown(value)}")
    if not low <= number <= high:
        raise BadQuery(f"{what} must be between {low} and {high}, not {number}")
    return number


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _year(value: Any, what: str) -> int:
    return _whole(value, what, 1, 2100)


def parse_filters(data: Any) -> SearchFilters:
    if data is None:
        return SearchFilters()
    if not isinstance(data, dict):
        raise BadQuery(f'"filters" must be an object, not {_shown(data)}')
    unknown = sorted(set(data) - set(KNOWN_FILTERS))
    if unknown:
        raise BadQuery(f"unknown filter {unknown[0]!r} (known: {', '.join(KNOWN_FILTERS)})")
    out = SearchFilters()
    by = data.get("birth_year")
    if isinstance(by, list | tuple):
        if len(by) != 2:
            raise BadQuery('"birth_year" is a year or a [from, to] pair of years')
        out.born_from, out.born_to = _year(by[0], "birth_year"), _year(by[1], "birth_year")
    elif by is not None:
        out.born = _year(by, "birth_year")
    for key in YEAR_FILTERS:
        if data.get(key) is not None:
            setattr(out, key, _year(data[key], key))
    for key in TEXT_FILTERS:
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise BadQuery(f"{key} must be a string, not {_shown(value)}")
        setattr(out, key, value)
    return out


def parse_item(item: Any) -> BatchQuery:
    """A decoded JSON line → a checked query, or `BadQuery`."""
    if not isinstance(item, dict):
        raise BadQuery('each line is a JSON object {"id", "query", "filters"}')
    if "query" not in item:
        raise BadQuery('the line has no "query"')
    query = item["query"]
    if not isinstance(query, str):
        raise BadQuery(f'"query" must be a string, not {_shown(query)}')
    if not query.strip():
        raise BadQuery('"query" is empty')
    if len(query) > MAX_QUERY:
        raise BadQuery(f'"query" is longer than {MAX_QUERY} characters')
    limit = item.get("limit")
    return BatchQuery(
        id=item.get("id"),
        query=query,
        filters=parse_filters(item.get("filters")),
        limit=DEFAULT_LIMIT if limit is None else _whole(limit, "limit", 1, MAX_LIMIT),
    )

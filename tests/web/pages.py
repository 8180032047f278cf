"""Every page type of the site, as the browser checks walk them.

A page type is a name and an address in the test archive of `conftest.py`; a new family of
pages (persons, lists …) adds one line here and is then walked in both languages, checked
for keys, file names, machine dates and untranslated words, checked by axe-core and
photographed at 1280 and 360 pixels."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PageType:
    """`pending`: why the page is known to fail the checks today (the work that fixes it);
    the walk still runs and reports it, as an expected failure, until that work lands."""

    name: str
    path: str
    status: int = 200
    pending: str | None = None


PAGE_TYPES: tuple[PageType, ...] = (
    PageType("home", "/"),
    PageType("search-browse", "/search"),
    PageType("search-results", "/search?q=%D0%B8%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2"),  # иванов
    PageType("search-filtered", "/search?burial=butovo"),
    PageType("record", "/records/1"),
    PageType("record-without-name", "/records/5"),
    PageType("record-of-a-person", "/records/6"),  # a Politburo list entry, linked
    PageType("person", "/persons/p-k1"),  # three records, a disagreement, all kinds of link
    PageType("person-alone", "/persons/p-k8"),  # one record and a possible match
    PageType("operations", "/operations"),
    PageType("operation", "/operations/kulak"),
    PageType("statistics", "/statistics"),
    PageType("map", "/map"),
    PageType("entries", "/statistics/entries/births-doubtful"),
    PageType("house", "/map/houses/1"),
    PageType("sources", "/sources"),
    PageType("document", "/sources/werth-the-great-terror-1937-1938"),
    PageType("not-found", "/records/999999", status=404),
)

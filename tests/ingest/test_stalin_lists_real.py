"""The Politburo lists as published: every person entry of the 413 files, counted by an
independent reading of each layout, and the locators that name them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from memorybook.ingest.formats.stalin_lists import iter_entries
from memorybook.ingest.parser import parse_raw_entry

from ..conftest import STALIN_LISTS, needs_data

pytestmark = [needs_data]

LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def persons_by_layout(path: Path) -> list[dict[str, Any]]:
    """The person mappings of one list, read the way each layout nests them."""
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)
    out: list[dict[str, Any]] = []
    header = doc.get("sublists") or []
    if any("pages" in s for s in header):  # older: sublists → pages → persons
        for sub in header:
            for page in sub.get("pages") or []:
                out.extend(page.get("persons") or [])
    else:  # newer: pages → sublists → persons
        for page in doc.get("pages") or []:
            for sub in page.get("sublists") or []:
                out.extend(sub.get("persons") or [])
    return out


@pytest.fixture(scope="module")
def entries() -> list[Any]:
    return list(iter_entries(STALIN_LISTS))


def test_every_person_entry_once_in_document_order(entries: list[Any]) -> None:
    files = sorted((STALIN_LISTS / "lists").glob("list*.yaml"))
    assert len(files) == 413
    by_file: dict[str, list[Any]] = {}
    for e in entries:
        by_file.setdefault(e.locator["file"], []).append(e)
    total = 0
    for f in files:
        expected = persons_by_layout(f)
        got = by_file.get(f.name, [])
        assert [e.locator["index"] for e in got] == list(range(len(expected))), f.name
        assert [e.context["entry"]["id"] for e in got] == [p["id"] for p in expected], f.name
        assert [e.context["entry"].get("num") for e in got] == [p.get("num") for p in expected]
        total += len(expected)
    assert total == len(entries) == 45542
    assert len({e.context["entry"]["id"] for e in entries}) == 44660


def test_both_layouts_on_real_files(entries: list[Any]) -> None:
    index = {(e.locator["file"], e.locator["index"]): e for e in entries}
    # list100: pages → sublists → persons; the first person heads the Moscow-centre sublist.
    first = index[("list100.yaml", 0)]
    assert first.verbatim == "АЛЕКСАНДРОВСКИЙ Михаил Константинович"
    assert (first.context["page"], first.context["region"], first.context["category"]) == (
        "186",
        "Москва-центр",
        1,
    )
    assert first.context["list_date"] == "1937-11-13"
    # list151: sublists → pages → persons, an undated list.
    old = [e for (f, _), e in index.items() if f == "list151.yaml"]
    assert old[0].verbatim == "АВДЕЕВ Иван Ананьевич" and old[0].context["page"] == "373"
    assert "list_date" not in old[0].context
    assert len(old) == len(persons_by_layout(STALIN_LISTS / "lists" / "list151.yaml"))


def test_printed_names_parse_into_cased_parts(entries: list[Any]) -> None:
    with_surname = 0
    for e in entries:
        p = parse_raw_entry(e, "stalin")
        if p.values["surname"] is None:
            continue
        with_surname += 1
        a, b = p.spans["surname"]
        printed = e.verbatim[a:b]
        # The value is the printed surname, properly cased; the span shows it as printed.
        assert p.values["surname"].casefold() == printed.casefold(), e.locator
        assert p.values["surname"] != printed or not printed.isupper()
    # Only the two illegible entries ("[нрзб]") have no surname.
    assert with_surname == len(entries) - 2


def test_categories_follow_the_sublists(entries: list[Any]) -> None:
    cats = Counter(e.context.get("category") for e in entries)
    assert set(cats) == {1, 2, 3, None}
    for e in entries:
        c = e.context.get("category")
        if c is not None and e.context.get("categories"):
            assert c in e.context["categories"], e.locator

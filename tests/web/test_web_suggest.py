"""`GET /api/suggest`: the library's search folded by person over HTTP (wiring only; the
matching is tested in tests/search)."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import LINKED_PERSON

from memorybook.search.persons import search_persons


def test_suggest_answers_as_someone_types(client: Any) -> None:
    r = client.get("/api/suggest", params={"q": "Шмидт Ка"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    data = r.json()
    assert data["query"] == "Шмидт Ка"
    top = data["suggestions"][0]
    assert top["name"] == "Шмидт Карл Августович"
    assert top["url"] == f"/records/{top['record_id']}"
    assert client.get(top["url"]).status_code == 200
    assert top["confident"] is False  # "Ка" is the start of a name, not a name
    assert [m["rule"] for m in top["match"]] == ["exact", "prefix"]


def test_suggest_is_the_library_s_answer(client: Any) -> None:
    searcher = client.app.state.site.searcher()
    for q in ("Иван", "Ivanov Iv", "Ивано"):
        expected = [h.hit.record_id for h in search_persons(searcher, q, limit=10).results]
        got = [s["record_id"] for s in client.get("/api/suggest", params={"q": q}).json()[
            "suggestions"]]  # fmt: skip
        assert got == expected and got, q


def test_suggest_gives_one_row_per_person(client: Any) -> None:
    # Иванов Иван Иванович is printed three times (records 1, 6, 7), linked as one person.
    rows = client.get("/api/suggest", params={"q": "Иванов Иван Ив"}).json()["suggestions"]
    linked = [r for r in rows if r["person"] == LINKED_PERSON]
    assert len(linked) == 1 and linked[0]["records"] == 3
    assert len({r["person"] for r in rows}) == len(rows)


def test_suggest_bounds(client: Any) -> None:
    assert client.get("/api/suggest", params={"q": "zzzzqqq"}).json()["suggestions"] == []
    assert client.get("/api/suggest").json()["suggestions"] == []
    assert client.get("/api/suggest", params={"q": "x" * 500}).status_code == 400
    assert client.get("/api/suggest", params={"q": "Иванов", "limit": 11}).status_code == 400
    assert len(client.get("/api/suggest", params={"q": "Иванов", "limit": 1}).json()[
        "suggestions"]) == 1  # fmt: skip


def test_suggest_never_names_an_entry_without_a_name(client: Any) -> None:
    # Record 5 (texts.txt) prints no name.
    for q in ("Ив", "Иванова М", "Шмидт"):
        ids = [s["record_id"] for s in client.get("/api/suggest", params={"q": q}).json()[
            "suggestions"]]  # fmt: skip
        assert 5 not in ids

"""The name search follows the archive while the site serves: a worker loads its name index,
facet columns and persons once, and when the archive's version changes (an import or a
linkage run committed) it loads the new version's in the background while requests go on
with the old ones, then answers from the new ones — cached answers of the old version
included (a worker keeps at most two versions, and only while the new one loads)."""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from tests.web.conftest import version_following_client

from memorybook.archive import init_archive
from memorybook.ingest.importer import import_sources
from memorybook.web import site as site_mod

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

# Invented entries in the memorial-lists text format (synthetic, named as such).
LIST_A = """Синтетов Иван Петрович
Родился в 1890 г.
Расстрелян 21 октября 1937 г.
---
"""
LIST_B = """Синтетова Анна Ивановна
Родилась в 1901 г.
Расстреляна 3 марта 1938 г.
---
Тестов Пётр Ильич
Родился в 1885 г.
Расстрелян 10 декабря 1937 г.
---
"""


def _import(engine: Engine, folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    report = import_sources(engine, "memorial-lists", [path], synthetic=True)
    assert report.status == "imported"


def _names(client: TestClient, query: str) -> list[str]:
    answer = client.get("/search.json", params={"q": query})
    assert answer.status_code == 200
    return sorted(h["name"] for h in answer.json()["hits"])


def _eventually(check: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the new version was not loaded in time"
        time.sleep(0.05)


def test_search_finds_what_an_import_added_while_the_site_serves(
    engine: Engine, tmp_path: Path
) -> None:
    init_archive(engine)
    _import(engine, tmp_path, "a.txt", LIST_A)
    with version_following_client(engine) as c:
        assert _names(c, "Синтетов") == ["Синтетов Иван Петрович"]
        assert _names(c, "Тестов Пётр") == []  # and cached as such
        first = c.app.state.site.loaded()  # type: ignore[attr-defined]

        _import(engine, tmp_path, "b.txt", LIST_B)  # while the site serves

        _eventually(lambda: _names(c, "Тестов Пётр") == ["Тестов Пётр Ильич"])
        assert _names(c, "Синтетов") == ["Синтетов Иван Петрович", "Синтетова Анна Ивановна"]
        # The facets and the persons follow too: the new records are counted and grouped.
        page = c.get("/search.json", params={"q": "Синтетов", "birth_year": 1901}).json()
        assert [h["name"] for h in page["hits"]] == ["Синтетова Анна Ивановна"]
        assert page["total"] == 1 and page["hits"][0]["person"]
        years = {v["value"]: v["count"] for f in page["facets"] for v in f["values"]
                 if f["name"] == "birth_year"}  # fmt: skip
        assert years == {"1901": 1}
        found = c.get("/api/suggest", params={"q": "Тесто"}).json()["suggestions"]
        assert [s["name"] for s in found] == ["Тестов Пётр Ильич"]
        # The old version was let go (its connections closed), not kept beside the new one.
        assert c.app.state.site.loaded() is not first  # type: ignore[attr-defined]


def test_requests_are_answered_from_the_old_version_while_the_new_one_loads(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init_archive(engine)
    _import(engine, tmp_path, "a.txt", LIST_A)
    with version_following_client(engine) as c:
        assert _names(c, "Тестов") == []
        release = threading.Event()
        started = threading.Event()
        loads: list[int] = []
        load = site_mod.Site._load

        def slow_load(self: Any) -> Any:
            loads.append(1)
            started.set()
            assert release.wait(30)
            return load(self)

        monkeypatch.setattr(site_mod.Site, "_load", slow_load)
        _import(engine, tmp_path, "b.txt", LIST_B)
        assert _names(c, "Тестов") == []  # starts the load and is not kept waiting for it
        assert started.wait(10)
        for _ in range(5):  # while it loads: answered, from the old version, one load only
            assert _names(c, "Тестов") == []
        assert c.get("/search.json", params={"q": "Синтетов"}).status_code == 200
        assert len(loads) == 1
        release.set()
        _eventually(lambda: _names(c, "Тестов") == ["Тестов Пётр Ильич"])
        assert len(loads) == 1
        # An unchanged archive loads nothing more.
        for _ in range(3):
            assert _names(c, "Тестов") == ["Тестов Пётр Ильич"]
        assert len(loads) == 1

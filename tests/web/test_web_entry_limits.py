"""Issue 12's 50 MB entry, seen from the web: an entry cut at the import's size limit has a
small record page that says it was cut, in both languages; a record larger than the
response cap (an archive imported with a high limit) gets a 400, as HTML page and as JSON,
never a giant answer."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from sqlalchemy import select

from memorybook.archive import init_archive
from memorybook.ingest.importer import import_sources
from memorybook.storage import schema as s
from memorybook.storage.engine import open_archive

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ENTRY = "Родился в 1900 г.; поляк;\nПриговор: ВМН"
LONG = "Родился в 1900 г.; " + "поляк; " * 30_000  # ~ 400 KB


def _archive(tmp_path: Path) -> tuple[str, dict[str, int]]:
    path = str(tmp_path / "a.sqlite")
    engine = open_archive(path)
    init_archive(engine)
    cut = tmp_path / "cut" / "texts.txt"
    kept = tmp_path / "kept" / "texts.txt"
    for p, long in ((cut, LONG), (kept, LONG + "Приговор: ВМН")):
        p.parent.mkdir()
        p.write_text(f"{ENTRY}\n---\n{long}\n---\n", encoding="utf-8")
    import_sources(engine, "memorial-lists", [cut])  # the default limit, 64 KiB
    import_sources(engine, "memorial-lists", [kept], max_entry_bytes=1 << 20)
    with engine.connect() as conn:
        by_size = sorted(
            conn.execute(select(s.record.c.id, s.record.c.verbatim)), key=lambda r: len(r[1])
        )
    engine.dispose()
    return path, {"cut": int(by_size[-2][0]), "kept": int(by_size[-1][0])}


def _client(path: str, **settings: Any) -> TestClient:
    from memorybook.web.app import create_app
    from memorybook.web.settings import Settings

    return TestClient(create_app(Settings(archive=path, rate=0, **settings)))


def test_web_record_pages_of_long_entries_are_bounded(tmp_path: Path) -> None:
    path, ids = _archive(tmp_path)
    with _client(path, max_response_bytes=300_000) as client:
        for lang, note in (
            ("en", "The entry is too long to be read"),
            ("ru", "Запись слишком длинная, чтобы её прочитать"),
        ):
            page = client.get(f"/records/{ids['cut']}", params={"lang": lang})
            assert page.status_code == 200 and note in page.text
            assert len(page.content) < 300_000
        data = client.get(f"/records/{ids['cut']}.json")
        assert data.status_code == 200
        assert any(w.startswith("oversize_entry:") for w in data.json()["warnings"])
        # A record over the cap: refused in one sentence, as page and as JSON.
        for suffix in ("", ".json"):
            big = client.get(f"/records/{ids['kept']}{suffix}")
            assert big.status_code == 400, suffix
            assert len(big.content) < 1000 and "too large" in big.text
            assert big.headers["x-content-type-options"] == "nosniff"
    with _client(path) as roomy:  # the default cap lets it through
        assert roomy.get(f"/records/{ids['kept']}.json").status_code == 200

"""Imports at the same time as each other and as the site, on both backends: correct counts,
no errors (writers take turns; readers keep reading)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import pytest
from sqlalchemy import text

from memorybook.archive import init_archive
from memorybook.ingest.formats import memorial_lists
from memorybook.storage.engine import open_archive

from ..conftest import LISTS_TEXTS, Archives, needs_data

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = [needs_data, pytest.mark.slow]


def two_lists(folder: Path, entries: int = 1500) -> list[Path]:
    """Two different lists (different files, so different sources) cut from texts.txt."""
    pieces = LISTS_TEXTS.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n---\n")
    out = []
    for n, chunk in enumerate((pieces[:entries], pieces[entries : 2 * entries])):
        (folder / f"list{n}").mkdir()
        path = folder / f"list{n}" / f"region{n}.txt"
        path.write_text("\n---\n".join(chunk) + "\n---\n", encoding="utf-8")
        out.append(path)
    return out


def import_cmd(archive: str, path: Path) -> list[str]:
    return [
        sys.executable, "-m", "memorybook.cli.main", "import", "--archive", archive,
        "--format", "memorial-lists", "--quiet", "--json", str(path),
    ]  # fmt: skip


def records_of(archive: str) -> tuple[int, int]:
    engine = open_archive(archive)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT (SELECT count(*) FROM source), (SELECT count(*) FROM record)")
        ).one()
    engine.dispose()
    return int(row[0]), int(row[1])


def test_two_imports_of_different_sources_at_once(tmp_path: Path, archives: Archives) -> None:
    archive = archives.url("two")
    engine = open_archive(archive)
    init_archive(engine)
    engine.dispose()
    lists = two_lists(tmp_path)
    procs = [
        subprocess.Popen(import_cmd(archive, p), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for p in lists
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()
    expected = sum(1 for p in lists for e in memorial_lists.iter_entries(p) if not e.empty)
    assert records_of(archive) == (2, expected)


def test_an_import_while_the_site_serves(tmp_path: Path, archives: Archives) -> None:
    from memorybook.web.app import create_app
    from memorybook.web.settings import Settings

    archive = archives.url("serving")
    engine = open_archive(archive)
    init_archive(engine)
    first, second = two_lists(tmp_path, 1000)
    done = subprocess.run(import_cmd(archive, first), capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()
    _, before = records_of(archive)
    app = create_app(Settings(archive=archive, rate=0, search_cache=0))
    statuses: list[int] = []
    stop = threading.Event()

    def browse(client: TestClient) -> None:
        paths = ["/index.json", "/records/1.json", "/statistics.json", "/sources.json"]
        n = 0
        while not stop.is_set():
            statuses.append(client.get(paths[n % len(paths)]).status_code)
            n += 1

    with TestClient(app) as client:
        reader = threading.Thread(target=browse, args=(client,))
        reader.start()
        time.sleep(0.2)
        proc = subprocess.run(import_cmd(archive, second), capture_output=True, timeout=600)
        time.sleep(0.2)
        stop.set()
        reader.join(60)
    app.state.site.engine.dispose()
    engine.dispose()
    assert proc.returncode == 0, proc.stderr.decode()
    assert statuses and set(statuses) == {200}, sorted(set(statuses))
    sources, after = records_of(archive)
    assert sources == 2 and after > before

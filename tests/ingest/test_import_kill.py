"""An import killed with SIGKILL at any moment leaves the archive as it was, and none of its
worker processes outlives it: 20 trials on each backend (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from memorybook.storage import schema as s
from memorybook.storage.engine import open_archive
from memorybook.storage.migrate import upgrade

from ..conftest import LISTS_TEXTS, Archives, needs_data

KILLS = 20
# Entries of the real list used for the trials: enough for several batches, so the import
# runs its worker processes, and small enough for twenty trials in about a minute.
ENTRIES = 8_000
GRACE = 10.0  # seconds a killed import's workers get to notice and end


def _subset(tmp_path: Path) -> Path:
    """The first ENTRIES entries of texts.txt, byte for byte."""
    data = LISTS_TEXTS.read_bytes()
    pos, seen = 0, 0
    while seen < ENTRIES:
        pos = data.index(b"\r\n---\r\n", pos) + len(b"\r\n---")
        seen += 1
    out = tmp_path / "texts.txt"
    out.write_bytes(data[: pos + 2])
    return out


def _start(archive: str, source: Path, *, keep_stderr: bool = False) -> subprocess.Popen[bytes]:
    code = (
        "from memorybook.storage.engine import open_archive;"
        "from memorybook.ingest.importer import import_sources;"
        f"import_sources(open_archive({archive!r}), 'memorial-lists', [{str(source)!r}])"
    )
    env = dict(os.environ, MEMORYBOOK_IMPORT_WORKERS="2")
    stderr = subprocess.PIPE if keep_stderr else subprocess.DEVNULL
    return subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=stderr, env=env
    )


def _survivors(marker: str) -> list[int]:
    """Live (not zombie) processes whose command line names `marker`: the import and the
    workers it forked carry the same command line."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def _counts(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        return (
            conn.execute(select(func.count()).select_from(s.source)).scalar() or 0,
            conn.execute(select(func.count()).select_from(s.record)).scalar() or 0,
            conn.execute(text("select count(*) from name_key")).scalar() or 0,
        )


@needs_data
@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkill_at_random_moments_leaves_no_partial_import_and_no_worker(
    tmp_path: Path, archives: Archives
) -> None:
    source = _subset(tmp_path)
    archive = archives.url("kill")
    engine = open_archive(archive)
    upgrade(engine)
    # How long a whole import takes here, so the kills fall inside it.
    timing = archives.url("timing")
    timing_engine = open_archive(timing)
    upgrade(timing_engine)
    t0 = time.monotonic()
    full = _start(timing, source, keep_stderr=True)
    _, err = full.communicate(timeout=600)
    assert full.returncode == 0, err.decode()
    duration = time.monotonic() - t0
    expected = _counts(timing_engine)
    timing_engine.dispose()
    assert expected[1] > 2 * 2000  # more than two batches: the workers ran

    rng = random.Random(20261123)
    for i in range(KILLS):
        proc = _start(archive, source)
        time.sleep(rng.uniform(0.05, duration * 0.95))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + GRACE
        while (alive := _survivors(archive)) and time.monotonic() < deadline:
            time.sleep(0.05)
        for pid in alive:  # do not leave them behind even when the test fails
            os.kill(pid, signal.SIGKILL)
        assert not alive, f"kill {i}: workers {alive} outlived their import"
        engine.dispose()
        n_src, n_rec, n_key = _counts(engine)
        # All or nothing: either the import had committed before the kill, or nothing of it.
        assert (n_src, n_rec) in {(0, 0), expected[:2]}, f"kill {i}: {n_src}, {n_rec}"
        if n_rec == 0:
            assert n_key == 0
    proc = _start(archive, source, keep_stderr=True)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()
    assert _counts(engine)[:2] == expected[:2]
    engine.dispose()
    engine.dispose()

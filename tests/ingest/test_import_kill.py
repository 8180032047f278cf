"""An import killed with SIGKILL at any moment leaves the archive as it was."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from memorybook.storage import schema as s
from memorybook.storage.engine import open_archive
from memorybook.storage.migrate import upgrade

from ..conftest import LISTS_TEXTS, needs_data

KILLS = 5


def _start(archive: Path, *, keep_stderr: bool = False) -> subprocess.Popen[bytes]:
    code = (
        "import sys; from memorybook.storage.engine import open_archive;"
        "from memorybook.ingest.importer import import_sources;"
        f"import_sources(open_archive({str(archive)!r}), 'memorial-lists', [{str(LISTS_TEXTS)!r}])"
    )
    stderr = subprocess.PIPE if keep_stderr else subprocess.DEVNULL
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=stderr)


@needs_data
@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_no_partial_import(tmp_path: Path) -> None:
    archive = tmp_path / "kill.sqlite"
    engine = open_archive(str(archive))
    upgrade(engine)
    # How long a whole import takes here, so the kills fall inside it.
    timing = open_archive(str(tmp_path / "timing.sqlite"))
    upgrade(timing)
    timing.dispose()
    t0 = time.monotonic()
    full = _start(tmp_path / "timing.sqlite", keep_stderr=True)
    _, err = full.communicate(timeout=600)
    assert full.returncode == 0, err.decode()
    duration = time.monotonic() - t0
    rng = random.Random(20261123)
    for i in range(KILLS):
        proc = _start(archive)
        time.sleep(rng.uniform(0.05, duration * 0.95))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        engine.dispose()
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok", f"kill {i}"
            n_src = conn.execute(select(func.count()).select_from(s.source)).scalar()
            n_rec = conn.execute(select(func.count()).select_from(s.record)).scalar()
            n_key = conn.execute(text("select count(*) from name_key")).scalar()
        # All or nothing: either the import had committed before the kill, or nothing of it.
        assert (n_src, n_rec) in {(0, 0), (1, 46445)}, f"kill {i}: {n_src} sources, {n_rec} records"
        if n_rec == 0:
            assert n_key == 0
    proc = _start(archive, keep_stderr=True)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(s.record)).scalar() == 46445
        assert conn.execute(select(func.count()).select_from(s.source)).scalar() == 1

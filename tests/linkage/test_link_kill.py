"""`memorybook link` killed with SIGKILL leaves the previous persons intact, on each backend
(every trial runs on its own copy of one linked archive)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import Engine, text

from memorybook.linkage import link_archive
from memorybook.linkage.decisions import decision_row, record_decision
from memorybook.storage import link_store
from memorybook.storage.engine import open_archive
from tests.conftest import Archives

from . import small
from .test_link_archive import persons_by_locator, record_id

KILLS = 4


def _run(archive: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "memorybook.cli.main", "link", "--archive", archive],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _state(archive: str) -> dict[tuple[str, int], str]:
    engine = open_archive(archive)
    try:
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        return persons_by_locator(engine)
    finally:
        engine.dispose()


@pytest.mark.slow
def test_sigkill_during_link_leaves_the_previous_persons(
    small_archive: tuple[Engine, str], archives: Archives
) -> None:
    engine, archive = small_archive
    link_archive(engine)
    # A decision the next run applies, so that run rewrites persons.
    (a, b) = small.same_pairs()[0]
    ra, rb = record_id(engine, *a), record_id(engine, *b)
    with engine.connect() as conn:
        keys = link_store.record_keys(conn, [ra, rb])
    record_decision(engine, decision_row(keys[ra], keys[rb], "not_same", "tester"))
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    before = persons_by_locator(engine)
    engine.dispose()
    pristine = archives.copy(archive, "pristine")

    # A whole run: how long it takes here, and the persons it leaves.
    done = archives.copy(pristine, "done")
    t0 = time.monotonic()
    proc = _run(done)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()
    duration = time.monotonic() - t0
    after = _state(done)
    assert after != before

    rng = random.Random(1937)
    interrupted = 0
    for i in range(KILLS):
        victim = archives.copy(pristine, f"kill{i}")
        proc = _run(victim)
        time.sleep(rng.uniform(0.3, duration * 0.98))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert proc.stderr is not None
        proc.stderr.close()
        state = _state(victim)
        assert state in (before, after), f"kill {i}: persons half-written"
        interrupted += state == before
    assert interrupted >= 1, "no kill fell inside a run"

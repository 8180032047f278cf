"""Worker processes never outlive the process that started them, in every pool the library
starts: killed with SIGKILL in the middle of its work, the parent takes its workers with it.

The search index's key pool (used by an import once a source brings >= 10,000 new names)
once forked its workers without that guard. Killed while they worked, they stayed behind for
good: each finished its chunk and blocked writing the result to a full pipe the dead parent
would never read, holding the import's stdout and stderr open, so whatever waited for the
import's output (bench/national.py's 3 M run) waited forever."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

GRACE = 10.0  # seconds the workers get to notice and end

# Enough distinct names for the key pool (search.index._PARALLEL_FROM) and several chunks.
KEYS_CODE = """
import sys
from memorybook.search.index import _compute_keys
letters = "абвгдежзиклмнопрстуфхцчшщэюя"
names = [("s", "".join(letters[(i // 28 ** k) % 28] for k in range(4)) + "ов")
         for i in range(int(sys.argv[1]))]
_compute_keys(names)
"""


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int, cmdline: bytes) -> bool:
    """Alive, not a zombie, and still the process we saw (not a reused pid)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z" and Path(f"/proc/{pid}/cmdline").read_bytes() == cmdline
    except OSError:
        return False


def _kill_mid_work_and_collect_survivors(code: str, *args: str) -> list[int]:
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    workers: list[int] = []
    deadline = time.monotonic() + 120
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
        workers = _children(proc.pid)
    assert len(workers) >= 2, "the pool's workers never started"
    cmdlines = {}
    for pid in workers:
        try:
            cmdlines[pid] = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            cmdlines[pid] = b""
    time.sleep(0.5)  # the workers are busy with their first chunks
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + GRACE
    while (alive := [p for p in workers if _alive(p, cmdlines[p])]) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.05)
    for pid in alive:  # never leave them behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    # The parent's output pipes close once no process holds them: nothing waits forever.
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    proc.stderr.close()
    return alive


def test_search_key_workers_die_with_their_killed_parent() -> None:
    survivors = _kill_mid_work_and_collect_survivors(KEYS_CODE, "200000")
    assert not survivors, f"key workers {survivors} outlived their parent"

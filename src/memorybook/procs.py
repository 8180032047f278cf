"""Child processes that never outlive the process that started them.

On Linux a child asks the kernel for a signal when its parent dies (`prctl(PR_SET_PDEATHSIG)`),
so even a parent killed with SIGKILL takes its workers with it. Elsewhere, and as a second
line on Linux, a daemon thread watches a pipe whose write end only the parent holds: when the
parent is gone, the pipe reads end-of-file and the child ends itself."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1


def _prctl_pdeathsig(sig: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


class ParentWatch:
    """Made in the parent before it starts children; `die_with_parent` runs in each child."""

    def __init__(self) -> None:
        self.parent_pid = os.getpid()
        self._read, self._write = os.pipe()
        os.set_inheritable(self._read, True)

    def close_in_parent(self) -> None:
        """The parent keeps only the write end (its death closes it)."""
        with contextlib.suppress(OSError):
            os.close(self._read)

    def close(self) -> None:
        for fd in (self._read, self._write):
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> ParentWatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def die_with_parent(self, sig: int = signal.SIGKILL, grace: float | None = None) -> None:
        """In a child: end with `sig` when the parent ends, however it ends.

        A child that handles `sig` to end gracefully (uvicorn: SIGTERM finishes its start-up,
        then the requests in flight, then the application's shutdown) may take minutes when
        it is busy; with `grace` it is killed (SIGKILL) that many seconds after the parent
        ended if it has not ended by then."""
        os.close(self._write)  # only the parent may hold the write end open
        _prctl_pdeathsig(sig)
        read_fd = self._read

        def watch() -> None:
            try:
                while os.read(read_fd, 1):
                    pass
            except OSError:
                pass
            os.kill(os.getpid(), sig)
            if grace is not None and sig != signal.SIGKILL:
                time.sleep(grace)
                os.kill(os.getpid(), signal.SIGKILL)

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()
        if os.getppid() != self.parent_pid:  # the parent died before prctl took effect
            os.kill(os.getpid(), sig if grace is None else signal.SIGKILL)


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """In a child started by fork: end with `sig` when the parent dies (Linux only; use
    `ParentWatch` where a pipe is needed too)."""
    parent = os.getppid()
    _prctl_pdeathsig(sig)
    if os.getppid() != parent or parent == 1:
        os.kill(os.getpid(), sig)


@contextlib.contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of forked workers (they inherit the imported code and tables; they must never
    touch the parent's database connection) that die with the process that made it, however
    it ends, SIGKILL included.

    Every pool the library starts goes through here. A forked worker whose parent is gone
    would otherwise live on: it finishes its task and blocks for good writing the result to a
    pipe nobody reads, keeping open the parent's stdout and stderr, so whoever waits for the
    parent's output waits forever (tests/test_worker_pools.py). Leaving the block early (an
    error, an interrupt) drops the work not yet started instead of computing it first."""
    watch = ParentWatch()
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=mp.get_context("fork"), initializer=watch.die_with_parent
    )
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)
        watch.close()  # after the workers ended: its end of file would kill them

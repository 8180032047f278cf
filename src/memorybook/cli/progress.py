"""Progress for long work: a rich bar on a terminal, a line now and then otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class ProgressDisplay:
    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self._progress: Progress | None = None
        self._last = 0.0

    def __enter__(self) -> ProgressDisplay:
        if self.enabled and self.tty:
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("entries"),
                TimeElapsedColumn(),
                transient=False,
            )
            self._progress.start()
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def callback(self, label: str) -> Callable[[int, int], None] | None:
        if not self.enabled:
            return None
        if self._progress is not None:
            task = self._progress.add_task(label, total=None)
            progress = self._progress

            def update(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total or None)

            return update

        def log(done: int, total: int) -> None:
            now = time.monotonic()
            if total or now - self._last > 2:
                self._last = now
                sys.stderr.write(f"{label}: {done:,} entries read\n")

        return log

"""Row building in worker processes, in order, with a bounded number of batches in flight.

The writer (the importing process) keeps the database transaction; workers only parse and
build rows, so an import on this 2-core machine uses both cores. Small imports stay in one
process: starting workers would cost more than it saves."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future

from memorybook.ingest.formats import RawEntry
from memorybook.ingest.rows import BatchContext, BatchRows, build_batch
from memorybook.procs import worker_pool

Batch = list[tuple[RawEntry, str, int]]
# A plain entry on its way to a worker: (file, index, verbatim, raw or None when it is the
# verbatim text, raw_start, raw_end, line).
Compact = tuple[str, int, str, str | None, int, int, int]
_LOCATOR_KEYS = ["file", "index"]


def worker_count() -> int:
    env = os.environ.get("MEMORYBOOK_IMPORT_WORKERS")
    if env is not None:
        return max(0, int(env))
    return min(2, os.cpu_count() or 1)


def run_batches(ctx: BatchContext, batches: Iterable[Batch]) -> Iterator[BatchRows]:
    it = iter(batches)
    first = next(it, None)
    if first is None:
        return
    second = next(it, None)
    workers = worker_count()
    if second is None or workers == 0:
        yield build_batch(ctx, first)
        if second is not None:
            yield build_batch(ctx, second)
            for batch in it:
                yield build_batch(ctx, batch)
        return
    # Forked workers inherit the imported parser and tables; they never touch the database
    # connection the parent holds, and die with the parent however it ends (procs.py).
    with worker_pool(workers) as pool:
        inflight: deque[Future[BatchRows]] = deque()
        for batch in (first, second, *()):
            inflight.append(pool.submit(build_compact_batch, ctx, compact_batch(batch)))
        for batch in it:
            while len(inflight) >= workers * 2:
                yield inflight.popleft().result()
            inflight.append(pool.submit(build_compact_batch, ctx, compact_batch(batch)))
        while inflight:
            yield inflight.popleft().result()


def compact_batch(batch: Batch) -> list[tuple[RawEntry | Compact, str, int]]:
    """A batch as the writer hands it to a worker: plain entries (no context, warnings, given
    fields or size note, a locator of file and index) as tuples. Pickling a slotted
    dataclass goes through Python-level __getstate__/__setstate__: a tuple cost about a tenth
    of it, in the writer and in the worker (py-spy: ~5 us an entry each side)."""
    return [(_compact(entry), key, rid) for entry, key, rid in batch]


def _compact(e: RawEntry) -> RawEntry | Compact:
    loc = e.locator
    if e.context or e.warnings or e.given or e.oversize is not None or e.blank:
        return e
    if len(loc) != 2 or list(loc) != _LOCATOR_KEYS:
        return e
    raw = None if e.raw is e.verbatim else e.raw
    return (loc["file"], loc["index"], e.verbatim, raw, e.raw_start, e.raw_end, e.line)


def expand_batch(batch: list[tuple[RawEntry | Compact, str, int]]) -> Batch:
    """`compact_batch` undone: the same entries, field for field."""
    out: Batch = []
    for entry, key, rid in batch:
        if not isinstance(entry, RawEntry):
            file, index, verbatim, raw, start, end, line = entry
            entry = RawEntry(
                {"file": file, "index": index},
                verbatim,
                verbatim if raw is None else raw,
                start,
                end,
                line,
            )
        out.append((entry, key, rid))
    return out


def build_compact_batch(
    ctx: BatchContext, batch: list[tuple[RawEntry | Compact, str, int]]
) -> BatchRows:
    """The worker's function: `build_batch` of a compacted batch."""
    return build_batch(ctx, expand_batch(batch))

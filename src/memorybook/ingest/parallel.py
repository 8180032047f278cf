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
            inflight.append(pool.submit(build_batch, ctx, batch))
        for batch in it:
            while len(inflight) >= workers * 2:
                yield inflight.popleft().result()
            inflight.append(pool.submit(build_batch, ctx, batch))
        while inflight:
            yield inflight.popleft().result()

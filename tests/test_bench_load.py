"""bench/load.py's summary of repeated runs: medians of the latencies, sums of the counts."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH = Path(__file__).resolve().parents[1] / "bench" / "load.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_load", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(p99: float, fives: int, kind_p99: float) -> dict[str, Any]:
    return {
        "connections": 50, "requests": 100, "rps": 10.0, "p50_ms": p99 / 4, "p95_ms": p99 / 2,
        "p99_ms": p99, "status_5xx": fives, "status_429": 1, "status_other": 0,
        "connection_errors": 0, "errors": fives, "error_kinds": ["503"] if fives else [],
        "kinds": {"export": {"requests": 10, "p50_ms": 1.0, "p95_ms": 2.0, "p99_ms": kind_p99}},
    }  # fmt: skip


def test_bench_load_repeats_give_medians_and_summed_errors() -> None:
    load = _load()
    out = load._median_run([_run(300, 0, 50), _run(900, 2, 70), _run(400, 0, 60)])
    assert out["p99_ms"] == 400 and out["p50_ms"] == 100
    assert out["kinds"]["export"] == {"requests": 30, "p50_ms": 1.0, "p95_ms": 2.0, "p99_ms": 60}
    # one run's 5xx is not hidden by the median of the others
    assert (out["status_5xx"], out["status_429"], out["errors"]) == (2, 3, 2)
    assert out["requests"] == 300 and out["error_kinds"] == ["503"]
    assert len(out["runs"]) == 3

"""How long the reference model (orders, operations, bodies, figures …) takes to load from its
YAML files.

    python bench/reference_load.py [--runs 7]

Cold: each run is a fresh Python process that imports the loader (not timed) and then times
one load from the files, as the first request of a new web worker or CLI command meets it.
Warm: the loader's own cache answering in this process (the first load, which fills it, is
not timed). Prints the medians, the ratio of the cold median to the goal (0.3 s) and the load
average, and writes bench/out/reference_load.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from memorybook.reference import load_reference

REPO = Path(__file__).resolve().parents[1]
GOAL_S = 0.3

# Run in a fresh interpreter: imports first, then the one timed load from the files.
_COLD = """
import time
from memorybook.reference.loader import DATA_DIR, _load
t = time.perf_counter()
_load(DATA_DIR)
print(time.perf_counter() - t)
"""


def cold_seconds() -> float:
    out = subprocess.run(
        [sys.executable, "-c", _COLD], check=True, capture_output=True, text=True, timeout=120
    )
    return float(out.stdout.strip())


def warm_seconds(repeat: int = 1000) -> float:
    load_reference()  # fills the cache; not timed
    t = time.perf_counter()
    for _ in range(repeat):
        load_reference()
    return (time.perf_counter() - t) / repeat


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    cold = statistics.median(cold_seconds() for _ in range(args.runs))
    warm = warm_seconds()
    load = os.getloadavg()
    print(f"load average {load}")
    print(
        f"reference load: cold {cold * 1000:.0f} ms (median of {args.runs} fresh processes, "
        f"ratio to the {GOAL_S:.1f} s goal {cold / GOAL_S:.2f}); warm {warm * 1e6:.1f} µs"
    )
    out = REPO / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "reference_load.json").write_text(
        json.dumps(
            {"load_average": load, "runs": args.runs, "cold_s": cold, "warm_s": warm}, indent=2
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

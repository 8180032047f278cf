"""Parser accuracy on the dev sets (the original one and the one labelled blind), sentencing
bodies linked to the reference model (share unlinked, most frequent unlinked forms), fill rates
over both full lists, and parse speed.

python3 bench/parser_accuracy.py [--write-fill-rates]
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "parser"))

import realdata

from memorybook.ingest.parser import clear_caches, parse_entry


def main() -> None:
    if not realdata.available():
        sys.exit("the lists are not under ../shared/data")
    for name, path in (("original", realdata.DEVSET), ("blind", realdata.DEVSET_BLIND)):
        acc, full, misses = realdata.devset_accuracy(path)
        print(f"dev set {name} ({path.name}): {len(realdata.devset(path))} entries")
        for key, value in acc.items():
            print(f"  {key:20s} {value:.3f}")
        print(f"  fully correct: {full:.3f}")
        for loc, key, want, got in misses:
            print(f"  miss {loc} {key}: want {want!r} got {got!r}")
    total, linked, unlinked = realdata.body_linkage()
    n_unlinked = sum(unlinked.values())
    print(
        f"sentencing bodies: {total} entries print one; linked to a reference body"
        f" {total - n_unlinked} ({(total - n_unlinked) / total:.1%}), unlinked {n_unlinked}"
        f" ({n_unlinked / total:.1%})"
    )
    print("  by body: " + ", ".join(f"{k} {n}" for k, n in linked.most_common()))
    print("  most frequent unlinked forms:")
    for printed, n in unlinked.most_common(20):
        print(f"    {n:5d}  {printed}")
    rates = {style: realdata.fill_rates(style) for style in ("moscow", "lists")}
    print("fill rates:")
    for style, r in rates.items():
        print(f"  {style}: " + " ".join(f"{k}={v:.3f}" for k, v in r.items()))
    if "--write-fill-rates" in sys.argv:
        realdata.FILL_RATES.write_text(json.dumps(rates, indent=2, ensure_ascii=False) + "\n")
    for style in ("moscow", "lists"):
        data = [v for _, v in realdata.entries(style)]
        runs = []
        for _ in range(5):
            clear_caches()  # every run from cold memo caches, as one import pass
            t0 = time.perf_counter()
            for v in data:
                parse_entry(v, style)
            runs.append(len(data) / (time.perf_counter() - t0))
        print(f"speed {style}: {statistics.median(runs):,.0f} entries/s (median of 5)")


if __name__ == "__main__":
    main()

"""The fuzz target of the entry parser and the date reader (fuzz/fuzz_parser.py), run for a
bounded time: coverage-guided (atheris on libFuzzer), seeded with hand-written entries and
date phrases and, where ../shared/data is beside the repo, with real entries read from it
into a temporary corpus (never copied into the repository)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from itertools import islice
from pathlib import Path

import pytest

from tests.conftest import LISTS_TEXTS, MOSCOW_PAGES
from tests.parser.test_dates_table import CASES
from tests.parser.test_parser_golden import GOLDEN

REPO = Path(__file__).resolve().parents[1]
TARGET = REPO / "fuzz" / "fuzz_parser.py"
SECONDS = int(os.environ.get("MEMORYBOOK_FUZZ_SECONDS", "40"))
REAL_SEEDS = 300
# libFuzzer's -rss_limit_mb reads getrusage's peak RSS, and Linux carries the peak of the
# memory a process replaces at exec into it: started straight from a pytest process of
# ~1.1 GB, the target "used" 1.1 GB before its first input. A small launcher process forks
# the target, so the peak it reads is the target's own.
LAUNCHER = "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)"


def _corpus(path: Path) -> int:
    path.mkdir()
    seeds = [text for text, _, _ in GOLDEN] + [case[0] for case in CASES]
    if LISTS_TEXTS.exists():
        from memorybook.ingest.formats.memorial_lists import iter_entries as lists_entries

        seeds += [e.verbatim for _, e in enumerate(islice(lists_entries(LISTS_TEXTS), REAL_SEEDS))]
    if MOSCOW_PAGES.exists():
        from memorybook.ingest.formats.memorial_moscow import iter_entries as moscow_entries

        seeds += [
            e.verbatim for _, e in enumerate(islice(moscow_entries(MOSCOW_PAGES), REAL_SEEDS))
        ]
    for i, text in enumerate(seeds):
        (path / f"seed-{i:04d}").write_text(text, encoding="utf-8")
    return len(seeds)


@pytest.mark.slow
def test_fuzz_entry_parser_and_date_reader(tmp_path: Path) -> None:
    pytest.importorskip("atheris", reason="atheris (the project's test extras) is not installed")
    seeds = _corpus(tmp_path / "corpus")
    proc = subprocess.run(
        [
            sys.executable, "-c", LAUNCHER,
            sys.executable, str(TARGET), str(tmp_path / "corpus"),
            f"-max_total_time={SECONDS}", "-max_len=2048", "-timeout=10", "-rss_limit_mb=1024",
            "-print_final_stats=1", f"-artifact_prefix={tmp_path}/",
        ],
        capture_output=True,
        text=True,
        timeout=SECONDS + 120,
        cwd=tmp_path,
    )  # fmt: skip
    runs = re.search(r"stat::number_of_executed_units:\s*(\d+)", proc.stderr)
    crashes = sorted(p.name for p in tmp_path.glob("crash-*")) + sorted(
        p.name for p in tmp_path.glob("timeout-*")
    )
    summary = {
        "seconds": SECONDS,
        "seeds": seeds,
        "executions": int(runs.group(1)) if runs else None,
        "crashes": crashes,
    }
    out = REPO / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "fuzz.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(f"fuzz: {summary}")
    assert proc.returncode == 0 and not crashes, proc.stderr[-3000:]
    assert summary["executions"] and summary["executions"] > 1000, proc.stderr[-3000:]

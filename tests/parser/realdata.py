"""Reading the real lists under ../shared/data for the parser tests and bench (skip if absent)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from memorybook.ingest.entry import ENTRY_KEYS, ParsedEntry
from memorybook.ingest.parser import parse_entry

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
MOSCOW = DATA / "memorial-moscow" / "pages"
LISTS = DATA / "memorial-lists-texts" / "texts.txt"
DEVSET = ROOT / "tests" / "data" / "devset.jsonl"
# Labelled by reading only, no parse beside the entry (tests/data/README.md).
DEVSET_BLIND = ROOT / "tests" / "data" / "devset_blind.jsonl"
FILL_RATES = ROOT / "tests" / "data" / "fill_rates.json"


def available() -> bool:
    return MOSCOW.is_dir() and LISTS.is_file()


@cache
def entries(style: str) -> tuple[tuple[tuple[str, int], str], ...]:
    """((file, index), verbatim) of every entry of one list, via the source-format readers."""
    if style == "moscow":
        from memorybook.ingest.formats import memorial_moscow

        it = memorial_moscow.iter_entries(MOSCOW)
    else:
        from memorybook.ingest.formats import memorial_lists

        it = memorial_lists.iter_entries(LISTS)
    return tuple(((e.locator["file"], e.locator["index"]), e.verbatim) for e in it)


def devset(path: Path = DEVSET) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def devset_accuracy(
    path: Path = DEVSET,
) -> tuple[dict[str, float], float, list[tuple[dict[str, Any], str, Any, Any]]]:
    """Per-field accuracy, share of fully-correct entries, and the mismatches."""
    index = {s: dict(entries(s)) for s in ("moscow", "lists")}
    rows = devset(path)
    right = dict.fromkeys(ENTRY_KEYS, 0)
    full = 0
    misses: list[tuple[dict[str, Any], str, Any, Any]] = []
    for row in rows:
        loc = row["locator"]
        verbatim = index[row["style"]][(loc["file"], loc["index"])]
        got = parse_entry(verbatim, row["style"]).values
        ok_all = True
        for key in ENTRY_KEYS:
            want = row["expected"].get(key)
            if got[key] == want:
                right[key] += 1
            else:
                ok_all = False
                misses.append((loc, key, want, got[key]))
        full += ok_all
    n = len(rows)
    return {k: right[k] / n for k in ENTRY_KEYS}, full / n, misses


@cache
def parsed(style: str) -> tuple[tuple[tuple[str, int], str, ParsedEntry], ...]:
    """(locator, verbatim, parse) of every entry of one list, parsed once per test session."""
    return tuple((loc, verbatim, parse_entry(verbatim, style)) for loc, verbatim in entries(style))


def fill_rates(style: str) -> dict[str, float]:
    data = parsed(style)
    counts = dict.fromkeys(ENTRY_KEYS, 0)
    for _, _, entry in data:
        values = entry.values
        for key in ENTRY_KEYS:
            if values[key] is not None:
                counts[key] += 1
    return {k: round(counts[k] / len(data), 4) for k in ENTRY_KEYS}


def body_linkage() -> tuple[int, Counter[str], Counter[str]]:
    """Over both lists: how many entries print a sentencing body, how many of them link to
    each reference body, and the printed forms of those left unlinked."""
    total = 0
    linked: Counter[str] = Counter()
    unlinked: Counter[str] = Counter()
    for _, _, _, entry in iter_parsed():
        printed = entry.values["sentencing_body"]
        if printed is None:
            continue
        total += 1
        key = entry.extra.get("body_key")
        if key is None:
            unlinked[printed] += 1
        else:
            linked[key] += 1
    return total, linked, unlinked


def iter_all() -> Iterator[tuple[str, tuple[str, int], str]]:
    for style in ("moscow", "lists"):
        for loc, verbatim in entries(style):
            yield style, loc, verbatim


def iter_parsed() -> Iterator[tuple[str, tuple[str, int], str, ParsedEntry]]:
    for style in ("moscow", "lists"):
        for loc, verbatim, entry in parsed(style):
            yield style, loc, verbatim, entry

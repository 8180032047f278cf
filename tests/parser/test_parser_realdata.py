"""Over both full lists: no exceptions, spans round-trip, dev-set accuracy, fill-rate baseline."""

from __future__ import annotations

import json

import pytest

from memorybook.ingest.entry import DATE_KEYS
from memorybook.ingest.parser import parse_entry

from . import realdata

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not realdata.available(), reason="the lists are not in ../shared/data"),
]


def test_no_exceptions_and_spans_round_trip() -> None:
    bad: list[str] = []
    for style, loc, verbatim in realdata.iter_all():
        parsed = parse_entry(verbatim, style)
        if any(w.startswith("parser_error") for w in parsed.warnings):
            bad.append(f"{loc}: {parsed.warnings}")
            continue
        for key, (s, e) in parsed.spans.items():
            value = parsed.values[key]
            if key in DATE_KEYS:
                assert verbatim[s:e] == parsed.dates[key].printed, (loc, key)
            elif isinstance(value, str) and key != "sex" and verbatim[s:e] != value:
                bad.append(f"{loc} {key}: {verbatim[s:e]!r} != {value!r}")
    assert not bad, bad[:20]


def test_devset_accuracy() -> None:
    acc, full, misses = realdata.devset_accuracy()
    print("per-field accuracy:", json.dumps({k: round(v, 3) for k, v in acc.items()}))
    print(f"fully correct: {full:.3f} of {len(realdata.devset())}")
    assert len(realdata.devset()) >= 150
    low = {k: v for k, v in acc.items() if v < 0.97}
    assert not low, (low, misses[:20])


def test_fill_rates_do_not_drop() -> None:
    baseline = json.loads(realdata.FILL_RATES.read_text(encoding="utf-8"))
    for style, rates in baseline.items():
        now = realdata.fill_rates(style)
        dropped = {k: (v, now[k]) for k, v in rates.items() if now[k] < v - 0.005}
        assert not dropped, (style, dropped)

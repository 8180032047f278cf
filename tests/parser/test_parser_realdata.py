"""Over both full lists: no exceptions, spans round-trip, dev-set accuracy, fill-rate baseline."""

from __future__ import annotations

import json
import re

import pytest

from memorybook.dates.tables import QUALIFIERS
from memorybook.ingest.entry import DATE_KEYS

from . import realdata

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not realdata.available(), reason="the lists are not in ../shared/data"),
]


def test_no_exceptions_and_spans_round_trip() -> None:
    bad: list[str] = []
    for _, loc, verbatim, parsed in realdata.iter_parsed():
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


def test_no_date_field_drops_its_qualifier() -> None:
    """No date taken from the real lists has a qualifier word (`до`, `около`, `с` …) printed
    just before it and left out of its phrase: the reader took the word into the date or
    (`от` after a document's name) read it as dating a document."""
    words = sorted(QUALIFIERS, key=len, reverse=True)
    alt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words if w != "от")
    left = re.compile(r"(?:^|(?<=[\s(\[,;:]))(?:" + alt + r")(?:(?<=\.)\s*|\s+)$")
    dropped = []
    for _, loc, verbatim, parsed in realdata.iter_parsed():
        for key in parsed.dates:
            s, _ = parsed.spans[key]
            if left.search(verbatim[max(0, s - 30) : s]):
                dropped.append((loc, key, verbatim[max(0, s - 30) : s + 12]))
    assert not dropped, dropped[:10]


def test_sentencing_bodies_link_to_the_reference_model() -> None:
    """Nearly every printed sentencing body links to a canonical body of the reference data;
    the printed form is kept beside the key."""
    from memorybook.reference import load_reference

    total, linked, unlinked = realdata.body_linkage()
    assert total > 15_000
    assert set(linked) <= set(load_reference().bodies)
    share = sum(unlinked.values()) / total
    assert share < 0.04, (share, unlinked.most_common(10))
    for _, _, _, parsed in realdata.iter_parsed():
        if parsed.extra.get("body_key"):
            assert parsed.values["sentencing_body"]  # never a key without its printed form

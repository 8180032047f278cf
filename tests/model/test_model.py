"""The archive model: invariants and round trips of the pure dataclasses."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from memorybook.model import (
    Citation,
    Confidence,
    DateValue,
    Event,
    EventKind,
    FieldValue,
    Figure,
    Person,
    Record,
)


def d(edtf: str, a: str, b: str) -> DateValue:
    return DateValue(edtf, dt.date.fromisoformat(a), dt.date.fromisoformat(b))


def test_dates_compare_as_intervals() -> None:
    may_1938 = d("1938-05", "1938-05-01", "1938-05-31")
    assert may_1938.overlaps(d("1938-05-17", "1938-05-17", "1938-05-17"))
    assert not may_1938.overlaps(d("1938-06-01", "1938-06-01", "1938-06-01"))
    assert d("[1883,1889]", "1883-01-01", "1889-12-31").year is None
    assert d("1937", "1937-01-01", "1937-12-31").year == 1937
    assert not DateValue("194X", None, None).overlaps(may_1938)


def test_a_custom_event_keeps_its_printed_label() -> None:
    with pytest.raises(ValueError):
        Event(EventKind.CUSTOM)
    assert Event(EventKind.CUSTOM, custom_label="лишен избирательных прав").custom_label


def test_a_figure_needs_a_value_or_a_range() -> None:
    cite = Citation("seed-001", {"para": 4}, Confidence.HIGH)
    with pytest.raises(ValueError):
        Figure("f", "shot", cite)
    assert Figure("f", "shot", cite, value=111091).display() == "111,091"
    assert (
        Figure("g", "shot", cite, low=680000, high=750000, about=True).display()
        == "about 680,000–750,000"
    )
    assert Figure("h", "share", cite, value=12.5, unit="percent").display() == "12.5 %"


def test_citation_describes_its_locator() -> None:
    assert (
        Citation("seed-003", {"table": 1, "row": "поляки"}).describe()
        == "seed-003, table 1, row поляки"
    )


@given(
    verbatim=st.text(min_size=1, max_size=200),
    start=st.integers(min_value=0, max_value=200),
    length=st.integers(min_value=0, max_value=50),
)
def test_record_field_spans_round_trip(verbatim: str, start: int, length: int) -> None:
    start = min(start, len(verbatim))
    end = min(start + length, len(verbatim))
    printed = verbatim[start:end]
    rec = Record(
        "src",
        {"file": "x", "index": 0},
        verbatim,
        fields={"surname": FieldValue(printed, printed, (start, end))},
    )
    fv = rec.fields["surname"]
    assert fv.span is not None and rec.verbatim[fv.span[0] : fv.span[1]] == fv.printed
    assert rec.value("surname") == printed and rec.value("missing") is None
    assert (
        Record(**{k: getattr(rec, k) for k in ("source_key", "locator", "verbatim", "fields")})
        == rec
    )


def test_person_display_name_skips_missing_parts() -> None:
    assert Person("p1", "Крон", "Арнольд", None).display_name == "Крон Арнольд"
    assert asdict(Person("p2"))["record_keys"] == []

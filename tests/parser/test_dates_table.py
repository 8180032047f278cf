"""Table-driven tests of the Russian date parser; EDTF strings validated with `edtf`."""

from __future__ import annotations

import datetime as dt

import edtf
import pytest

from memorybook.dates import find_dates, parse_date

D = dt.date
CASES: list[tuple[str, int | None, str, dt.date, dt.date]] = [
    ("17.05.1938", None, "1938-05-17", D(1938, 5, 17), D(1938, 5, 17)),
    ("1.07.1937", None, "1937-07-01", D(1937, 7, 1), D(1937, 7, 1)),
    ("08.02.1938", None, "1938-02-08", D(1938, 2, 8), D(1938, 2, 8)),
    ("21 июля 1997 г.", None, "1997-07-21", D(1997, 7, 21), D(1997, 7, 21)),
    ("в июле 1998 г.", None, "1998-07", D(1998, 7, 1), D(1998, 7, 31)),
    ("в 1937 г.", None, "1937", D(1937, 1, 1), D(1937, 12, 31)),
    ("1942(?)", None, "1942?", D(1942, 1, 1), D(1942, 12, 31)),
    ("1942(?) г.", None, "1942?", D(1942, 1, 1), D(1942, 12, 31)),
    ("1883 (1889)", None, "[1883,1889]", D(1883, 1, 1), D(1889, 12, 31)),
    ("194-", None, "194X", D(1940, 1, 1), D(1949, 12, 31)),
    ("24.5.56", 19, "1956-05-24", D(1956, 5, 24), D(1956, 5, 24)),
    ("в 1937-1938 гг.", None, "[1937..1938]", D(1937, 1, 1), D(1938, 12, 31)),
    ("янв. 1939", None, "1939-01", D(1939, 1, 1), D(1939, 1, 31)),
    ("в дек. 1939 г.", None, "1939-12", D(1939, 12, 1), D(1939, 12, 31)),
    ("в феврале 1887", None, "1887-02", D(1887, 2, 1), D(1887, 2, 28)),
    ("мае 1937", None, "1937-05", D(1937, 5, 1), D(1937, 5, 31)),
    ("май 1937", None, "1937-05", D(1937, 5, 1), D(1937, 5, 31)),
    ("весной 1922", None, "1922-21", D(1922, 3, 1), D(1922, 5, 31)),
    ("в 05.1938", None, "1938-05", D(1938, 5, 1), D(1938, 5, 31)),
    ("1898 (по другим данным - в 1899)", None, "[1898,1899]", D(1898, 1, 1), D(1899, 12, 31)),
    (
        "10.05.1898 (по другим данным - 1899)",
        None,
        "[1898-05-10,1899]",
        D(1898, 5, 10),
        D(1899, 12, 31),
    ),
    (
        "12 июля (по другим данным - августа) 1898",
        None,
        "[1898-07-12,1898-08-12]",
        D(1898, 7, 12),
        D(1898, 8, 12),
    ),
    ("1926/1929", None, "[1926..1929]", D(1926, 1, 1), D(1929, 12, 31)),
    ("31 июня 1989 г.", None, "1989-06", D(1989, 6, 1), D(1989, 6, 30)),
]


@pytest.mark.parametrize(("text", "century", "want", "lo", "hi"), CASES)
def test_parse_date(text: str, century: int | None, want: str, lo: dt.date, hi: dt.date) -> None:
    value = parse_date(text, century)
    assert value is not None
    assert (value.edtf, value.earliest, value.latest) == (want, lo, hi)
    edtf.parse_edtf(want)  # a valid EDTF string


@pytest.mark.parametrize(
    "text", ["", "24.5.56", "58-10", "ст. 58-10", "кв. 19", "Иван", "1.13.1937"]
)
def test_not_a_date(text: str) -> None:
    assert parse_date(text) is None


def test_find_dates_spans() -> None:
    text = "Умер в 1942(?) г. в г.Чистополь. Реабилитирован 17.5.90. Закон от 18 октября 1991 г."
    found = find_dates(text, 19)
    assert [m.value.edtf for m in found] == ["1942?", "1990-05-17", "1991-10-18"]
    assert [text[m.start : m.end] for m in found] == ["1942(?) г.", "17.5.90", "18 октября 1991 г."]
    assert find_dates("вагон №550057, ст. 58-10") == []

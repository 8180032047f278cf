"""The one human date formatter: EDTF in words, in Russian and English."""

from __future__ import annotations

import datetime as dt
import re

import edtf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from memorybook.dates import parse_date
from memorybook.dates.display import (
    format_date_value,
    format_day,
    format_edtf,
    format_timestamp,
    month_label,
)
from memorybook.model.dates import DateValue

# (EDTF, English, Russian). Every EDTF here is valid for the `edtf` package (checked below).
CASES: list[tuple[str, str, str]] = [
    ("1878-03-16", "16 March 1878", "16 марта 1878"),
    ("1938-05", "May 1938", "май 1938"),
    ("1938", "1938", "1938"),
    (
        "[1878-03-16,1877-03-11]",
        "16 March 1878 (other sources: 11 March 1877)",
        "16 марта 1878 (по другим данным — 11 марта 1877)",
    ),
    ("[1896,1895]", "1896 (other sources: 1895)", "1896 (по другим данным — 1895)"),
    (
        "[1872-02-11,1870]",
        "11 February 1872 (other sources: 1870)",
        "11 февраля 1872 (по другим данным — 1870)",
    ),
    ("[1937,1938]", "1937 (other sources: 1938)", "1937 (по другим данным — 1938)"),
    ("{1937,1938}", "1937 and 1938", "1937 и 1938"),
    ("[1937..1938]", "1937–1938", "1937–1938"),
    ("[..1939]", "1939 or earlier", "не позднее 1939"),
    ("[1937..]", "1937 or later", "не ранее 1937"),
    ("1937-08/1938-11", "August 1937 – November 1938", "август 1937 – ноябрь 1938"),
    ("1937-08-05/1938-11", "5 August 1937 – November 1938", "5 августа 1937 – ноябрь 1938"),
    ("1938-03/1938-05", "March – May 1938", "март – май 1938"),
    ("1937-08-05/1937-08-17", "5–17 August 1937", "5–17 августа 1937"),
    ("1937/1938", "1937–1938", "1937–1938"),
    ("1938-21", "spring 1938", "весна 1938"),
    ("1938-22", "summer 1938", "лето 1938"),
    ("1938-23", "autumn 1938", "осень 1938"),
    ("1938-24", "winter 1938", "зима 1938"),
    ("1938-33", "first quarter of 1938", "I квартал 1938"),
    ("1938-40", "first half of 1938", "первая половина 1938"),
    ("../1939-12-31", "before 1940", "до 1940"),
    ("../1938-04-30", "before May 1938", "до мая 1938"),
    ("../1938-04-17", "not later than 17 April 1938", "не позднее 17 апреля 1938"),
    ("../1939", "not later than 1939", "не позднее 1939"),
    ("../1938-05", "not later than May 1938", "не позднее мая 1938"),
    ("../1939-12-31?", "possibly before 1940", "предположительно до 1940"),
    ("1937/1939-12-31", "1937–1939", "1937–1939"),
    ("1938-05/1938-07-31", "May – July 1938", "май – июль 1938"),
    ("[1937,1938]", "1937 (other sources: 1938)", "1937 (по другим данным — 1938)"),
    ("1937-21/..", "not earlier than spring 1937", "не ранее весны 1937"),
    ("1937/..", "not earlier than 1937", "не ранее 1937"),
    ("1938-01-01/..", "after 1937", "после 1937"),
    ("1938-06-01/..", "after May 1938", "после мая 1938"),
    ("1937-08-05/..", "not earlier than 5 August 1937", "не ранее 5 августа 1937"),
    ("1900~", "about 1900", "около 1900"),
    ("1938-05~", "about May 1938", "около мая 1938"),
    ("1900?", "possibly 1900", "предположительно 1900"),
    ("1942?", "possibly 1942", "предположительно 1942"),
    ("1900%", "possibly about 1900", "предположительно около 1900"),
    ("1938-?05-17", "possibly 17 May 1938", "предположительно 17 мая 1938"),
    ("194X", "1940s", "1940-е"),
    ("19XX", "1900s", "1900-е"),
    ("1938-XX", "1938", "1938"),
    ("1938-05-XX", "May 1938", "май 1938"),
    ("../..", "date unknown", "дата неизвестна"),
]


@pytest.mark.parametrize(("code", "en", "ru"), CASES)
def test_dates_display_table(code: str, en: str, ru: str) -> None:
    edtf.parse_edtf(code)  # the table holds real EDTF only
    assert format_edtf(code, "en") == en
    assert format_edtf(code, "ru") == ru


@pytest.mark.parametrize("code", ["", None, "not a date", "Y170000002"])
def test_dates_display_unknown_never_shows_the_string(code: str | None) -> None:
    assert format_edtf(code, "en") == "date unknown"
    assert format_edtf(code, "ru") == "дата неизвестна"


def test_dates_display_other_grammar_falls_back_to_bounds() -> None:
    # Forms our grammar does not read: the `edtf` package's bounds, in words.
    assert format_edtf("2004-06-11T10:20:30", "en") == "11 June 2004"
    assert format_edtf("1950S2", "ru") == "между 1 января 1950 и 31 декабря 1950"


def test_dates_display_or_comes_from_the_printed_words() -> None:
    value = DateValue("[1937,1938]", dt.date(1937, 1, 1), dt.date(1938, 12, 31), "1937 или 1938")
    assert format_date_value(value, "ru") == "1937 или 1938"
    assert format_date_value(value, "en") == "1937 or 1938"


def test_dates_display_julian_and_none() -> None:
    value = DateValue("1878-03-16", dt.date(1878, 3, 16), dt.date(1878, 3, 16), julian=True)
    assert format_date_value(value, "en") == "16 March 1878 (Old Style)"
    assert format_date_value(value, "ru") == "16 марта 1878 (по старому стилю)"
    assert format_date_value(None, "ru") == "дата неизвестна"


def test_dates_display_parsed_phrases_read_back() -> None:
    """What our parser makes of a printed phrase, in words again."""
    for phrase, en, ru in [
        ("16.03.1878 (по другим данным - 11 марта 1877)",
         "16 March 1878 (other sources: 11 March 1877)",
         "16 марта 1878 (по другим данным — 11 марта 1877)"),
        ("весной 1922", "spring 1922", "весна 1922"),
        ("в 1937-1938 гг.", "1937–1938", "1937–1938"),
        ("194-", "1940s", "1940-е"),
    ]:  # fmt: skip
        value = parse_date(phrase)
        assert value is not None, phrase
        assert format_date_value(value, "en") == en
        assert format_date_value(value, "ru") == ru


def test_dates_display_day_month_and_timestamp() -> None:
    assert format_day(dt.date(1937, 10, 21), "ru") == "21 октября 1937"
    assert month_label(1937, 8, "en") == "August 1937"
    assert month_label(1937, 8, "ru") == "август 1937"
    assert month_label(1937, 8, "en", short=True) == "Aug 1937"
    assert month_label(1937, 8, "ru", short=True) == "авг. 1937"
    assert month_label(1937, 5, "ru", short=True) == "май 1937"
    # an import time is shown as the local calendar date, in words
    stamp = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
    local = stamp.astimezone().date()
    assert format_timestamp(stamp.isoformat(), "en") == format_day(local, "en")
    assert format_timestamp("2026-01-15T12:00:00Z", "ru").endswith("января 2026")
    assert format_timestamp(None, "en") == "date unknown"


MACHINE = re.compile(r"\d{4}-\d\d|\.\.|[\[\]{}~%?/]|\d{3}X")


@st.composite
def _points(draw: st.DrawFn) -> str:
    year = draw(st.integers(1800, 2030))
    kind = draw(st.sampled_from(["y", "ym", "ymd", "season", "decade"]))
    if kind == "decade":
        text = f"{year // 10}X"
    elif kind == "season":
        text = f"{year}-{draw(st.integers(21, 24))}"
    elif kind == "y":
        text = str(year)
    else:
        month = draw(st.integers(1, 12))
        text = f"{year}-{month:02d}"
        if kind == "ymd":
            text += f"-{draw(st.integers(1, 28)):02d}"
    return text + draw(st.sampled_from(["", "", "~", "?", "%"]))


@st.composite
def _edtf(draw: st.DrawFn) -> str:
    shape = draw(st.sampled_from(["point", "interval", "open_end", "open_start", "set"]))
    a = draw(_points())
    if shape == "point":
        return a
    if shape == "open_end":
        return f"../{a}"
    if shape == "open_start":
        return f"{a}/.."
    b = draw(_points())
    return f"{a}/{b}" if shape == "interval" else f"[{a},{b}]"


@given(_edtf(), st.sampled_from(["ru", "en"]))
def test_dates_display_never_shows_machine_text(code: str, lang: str) -> None:
    text = format_edtf(code, lang)
    assert not MACHINE.search(text), (code, text)
    assert text != format_edtf(None, lang) or code.startswith("..")


def test_dates_display_periods() -> None:
    from memorybook.dates.display import format_period

    assert format_period("1937-08-05", "1938-11", "en") == "5 August 1937 – November 1938"
    assert format_period("1937-08-15", None, "en") == "from 15 August 1937"
    assert format_period("1937-08-15", None, "ru") == "с 15 августа 1937"
    assert format_period(None, "1938-11", "en") == "until November 1938"
    assert format_period(None, "1938-11-17", "ru") == "по 17 ноября 1938"
    assert format_period(None, None, "en") == "date unknown"

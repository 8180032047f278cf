"""Dates that keep their qualifiers: a table of printed phrases with their EDTF and bounds
(each EDTF validated by the `edtf` package and its bounds compared with the package's own),
and properties relating a qualified phrase to the bare date."""

from __future__ import annotations

import datetime as dt
import time

import edtf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memorybook.dates import find_dates, parse_date
from memorybook.dates.tables import MONTH_FORMS, MONTHS
from memorybook.ingest.events import entry_events
from memorybook.ingest.parser import parse_entry
from memorybook.model.events import EventKind

D = dt.date
N = None
# (printed phrase, EDTF, earliest, latest, warned): `warned` says the reading must carry a
# warning (a convention or a guess).
TABLE: list[tuple[str, str, dt.date | None, dt.date | None, bool]] = [
    # before / not after
    ("до 1940 г.", "../1939-12-31", N, D(1939, 12, 31), False),
    ("до 1940", "../1939-12-31", N, D(1939, 12, 31), False),
    ("до 1940 года", "../1939-12-31", N, D(1939, 12, 31), False),
    ("до мая 1938 г.", "../1938-04-30", N, D(1938, 4, 30), False),
    ("до 15.05.1938", "../1938-05-14", N, D(1938, 5, 14), False),
    ("до 1 марта 1938 г.", "../1938-02-28", N, D(1938, 2, 28), False),
    ("ранее 1937", "../1936-12-31", N, D(1936, 12, 31), False),
    ("не позднее 1940 г.", "../1940", N, D(1940, 12, 31), False),
    ("не позже мая 1938", "../1938-05", N, D(1938, 5, 31), False),
    ("по 1938", "../1938", N, D(1938, 12, 31), False),
    ("по 21.08.1943", "../1943-08-21", N, D(1943, 8, 21), False),
    ("вплоть до 1941 г.", "../1941", N, D(1941, 12, 31), False),
    ("до 1940(?)", "../1939-12-31?", N, D(1939, 12, 31), False),
    # after / not before / from
    ("после 1937", "1938-01-01/..", D(1938, 1, 1), N, False),
    ("после мая 1938 г.", "1938-06-01/..", D(1938, 6, 1), N, False),
    ("после 31.12.1937", "1938-01-01/..", D(1938, 1, 1), N, False),
    ("позднее 1945 г.", "1946-01-01/..", D(1946, 1, 1), N, False),
    ("не ранее 1937", "1937/..", D(1937, 1, 1), N, False),
    ("не ранее 10 октября 1937 г.", "1937-10-10/..", D(1937, 10, 10), N, False),
    ("не раньше 1936", "1936/..", D(1936, 1, 1), N, False),
    ("с 1937", "1937/..", D(1937, 1, 1), N, False),
    ("с 1937 г.", "1937/..", D(1937, 1, 1), N, False),
    ("С 1937 г.", "1937/..", D(1937, 1, 1), N, False),
    ("со 2.08.1937", "1937-08-02/..", D(1937, 8, 2), N, False),
    ("начиная с 1938 г.", "1938/..", D(1938, 1, 1), N, False),
    ("с 10.02.1940г.", "1940-02-10/..", D(1940, 2, 10), N, False),
    ("от 1937", "1937/..", D(1937, 1, 1), N, True),
    # approximately
    ("около 1900", "1900~", D(1899, 1, 1), D(1901, 12, 31), False),
    ("около 1930 г.", "1930~", D(1929, 1, 1), D(1931, 12, 31), False),
    ("ок. 1900", "1900~", D(1899, 1, 1), D(1901, 12, 31), False),
    ("ок.1900 г.", "1900~", D(1899, 1, 1), D(1901, 12, 31), False),
    ("примерно 1900 г.", "1900~", D(1899, 1, 1), D(1901, 12, 31), False),
    ("приблизительно 1905", "1905~", D(1904, 1, 1), D(1906, 12, 31), False),
    ("прибл. 1910", "1910~", D(1909, 1, 1), D(1911, 12, 31), False),
    ("около мая 1938", "1938-~05", D(1938, 4, 1), D(1938, 6, 30), False),
    ("около 17 мая 1938 г.", "1938-05-~17", D(1938, 5, 16), D(1938, 5, 18), False),
    ("около 1900(?)", "1900%", D(1899, 1, 1), D(1901, 12, 31), False),
    ("около 1930-х", "193X~", D(1929, 1, 1), D(1940, 12, 31), False),
    # doubt and alternatives
    ("1942(?)", "1942?", D(1942, 1, 1), D(1942, 12, 31), False),
    ("1900?", "1900?", D(1900, 1, 1), D(1900, 12, 31), False),
    ("1937 или 1938", "[1937,1938]", D(1937, 1, 1), D(1938, 12, 31), False),
    ("1937 г. или 1938 г.", "[1937,1938]", D(1937, 1, 1), D(1938, 12, 31), False),
    ("в 1937 или в 1938 г.", "[1937,1938]", D(1937, 1, 1), D(1938, 12, 31), False),
    ("1898 (по другим данным - в 1899)", "[1898,1899]", D(1898, 1, 1), D(1899, 12, 31), False),
    ("1898, по другим данным 1899", "[1898,1899]", D(1898, 1, 1), D(1899, 12, 31), False),
    ("1883 (1889)", "[1883,1889]", D(1883, 1, 1), D(1889, 12, 31), False),
    ("по другим данным 1899", "1899", D(1899, 1, 1), D(1899, 12, 31), True),
    # ranges and intervals
    ("в 1937–1938 гг.", "[1937..1938]", D(1937, 1, 1), D(1938, 12, 31), False),
    ("1937-1938", "[1937..1938]", D(1937, 1, 1), D(1938, 12, 31), False),
    ("между 1937 и 1938", "[1937..1938]", D(1937, 1, 1), D(1938, 12, 31), False),
    ("между 1937 и 1938 гг.", "[1937..1938]", D(1937, 1, 1), D(1938, 12, 31), False),
    ("между 1 и 15 мая 1938 г.", "[1938-05-01..1938-05-15]", D(1938, 5, 1), D(1938, 5, 15), False),
    ("1-15 мая 1938", "[1938-05-01..1938-05-15]", D(1938, 5, 1), D(1938, 5, 15), False),
    ("20-21.10.1939", "[1939-10-20..1939-10-21]", D(1939, 10, 20), D(1939, 10, 21), False),
    ("в мае–июне 1938 г.", "[1938-05..1938-06]", D(1938, 5, 1), D(1938, 6, 30), False),
    ("с 1937 по 1938", "1937/1938", D(1937, 1, 1), D(1938, 12, 31), False),
    ("с 1918 по 1924 г.", "1918/1924", D(1918, 1, 1), D(1924, 12, 31), False),
    ("с 1 по 15 мая 1938", "1938-05-01/1938-05-15", D(1938, 5, 1), D(1938, 5, 15), False),
    ("с мая по июль 1938 г.", "1938-05/1938-07", D(1938, 5, 1), D(1938, 7, 31), False),
    ("с 12.05.1937 по 01.06.1938", "1937-05-12/1938-06-01", D(1937, 5, 12), D(1938, 6, 1), False),
    ("от 1937 до 1940", "1937/1939-12-31", D(1937, 1, 1), D(1939, 12, 31), False),
    ("с 1925-1927", "1925/1927", D(1925, 1, 1), D(1927, 12, 31), False),
    # parts of a period
    ("в начале 1937 г.", "1937-01/1937-04", D(1937, 1, 1), D(1937, 4, 30), True),
    ("в середине 1937 г.", "1937-05/1937-08", D(1937, 5, 1), D(1937, 8, 31), True),
    ("в конце 1937 г.", "1937-09/1937-12", D(1937, 9, 1), D(1937, 12, 31), True),
    ("в начале мая 1938", "1938-05-01/1938-05-10", D(1938, 5, 1), D(1938, 5, 10), True),
    ("в середине мая 1937", "1937-05-11/1937-05-20", D(1937, 5, 11), D(1937, 5, 20), True),
    ("в конце февраля 1940 г.", "1940-02-21/1940-02-29", D(1940, 2, 21), D(1940, 2, 29), True),
    ("в конце 1930-х", "1937/1939", D(1937, 1, 1), D(1939, 12, 31), True),
    ("в первой половине 1937", "1937-01/1937-06", D(1937, 1, 1), D(1937, 6, 30), False),
    ("во второй половине 1938 г.", "1938-07/1938-12", D(1938, 7, 1), D(1938, 12, 31), False),
    ("в конце лета 1937", "1937-08", D(1937, 8, 1), D(1937, 8, 31), True),
    # seasons
    ("весной 1922", "1922-21", D(1922, 3, 1), D(1922, 5, 31), False),
    ("летом 1938 г.", "1938-22", D(1938, 6, 1), D(1938, 8, 31), False),
    ("осенью 1937 г.", "1937-23", D(1937, 9, 1), D(1937, 11, 30), False),
    ("зимой 1938", "1938-24", D(1938, 1, 1), D(1938, 12, 31), True),
    ("зимой 1937/38", "1937-12/1938-02", D(1937, 12, 1), D(1938, 2, 28), False),
    ("зимой 1941-1942 гг.", "1941-12/1942-02", D(1941, 12, 1), D(1942, 2, 28), False),
    ("с весны 1937", "1937-21/..", D(1937, 3, 1), N, False),
    # unknown words make a date doubtful, never plainly that date
    ("вроде 1937", "1937?", D(1937, 1, 1), D(1937, 12, 31), True),
    ("между 1937", "1937?", D(1937, 1, 1), D(1937, 12, 31), True),
]

# Readings whose bounds are our convention, not the `edtf` package's: a winter within one
# calendar year (the package reads "-24" as December alone), a decade widened by a year (the
# package: ten), doubt that does not widen an approximate date (the package doubles it).
_OWN_BOUNDS = {"1938-24", "193X~", "1900%"}


def _iso(t: time.struct_time | float) -> dt.date | None:
    if isinstance(t, float):  # the package's open end (±inf)
        return None
    return dt.date(t.tm_year, t.tm_mon, t.tm_mday)


@pytest.mark.parametrize(("printed", "want", "lo", "hi", "warned"), TABLE)
def test_qualified_phrase(
    printed: str, want: str, lo: dt.date | None, hi: dt.date | None, warned: bool
) -> None:
    value = parse_date(printed)
    assert value is not None, printed
    assert (value.edtf, value.earliest, value.latest) == (want, lo, hi)
    assert bool(value.warnings) == warned, value.warnings
    # the printed phrase keeps every word but a leading `в` before the date itself
    words = printed.split()
    plain_in = words[0] == "в" and (words[1][0].isdigit() or words[1].split("–")[0] in MONTHS)
    assert value.printed == (printed[2:] if plain_in else printed)
    parsed = edtf.parse_edtf(want)  # a valid EDTF string
    if want in _OWN_BOUNDS:
        return
    if value.approximate:
        # our padding of an approximate date is the package's fuzzy padding
        assert (_iso(parsed.lower_fuzzy()), _iso(parsed.upper_fuzzy())) == (lo, hi)
    else:
        assert (_iso(parsed.lower_strict()), _iso(parsed.upper_strict())) == (lo, hi)


def test_document_date_is_no_qualifier() -> None:
    """In running text `от` dates a document: the date itself, without `от` in the phrase."""
    text = "Реабилитирован по Закону от 18 октября 1991 г., Постановление ГКО СССР от 1941."
    found = find_dates(text)
    assert [(m.value.printed, m.value.edtf) for m in found] == [
        ("18 октября 1991 г.", "1991-10-18"),
        ("1941", "1941"),
    ]


def test_abbreviations_are_no_qualifiers() -> None:
    """`с/с` (village council) and a capital `С` inside a name are not `с` ("since")."""
    assert find_dates("пленума Осовицкого с/с 20 марта 1931 г.")[0].value.edtf == "1931-03-20"
    assert find_dates("Приговорен: ЧТП ВЧК по С 1 марта 1921 г.")[0].value.edtf == "1921-03-01"


def test_not_one_date() -> None:
    assert parse_date("1937 и 1938") is None  # two dates, no reading of them as one
    assert parse_date("до") is None
    assert parse_date("около года") is None


# ---- properties: a qualified phrase relates rightly to the bare date ---------------------

_YEARS = st.integers(min_value=1850, max_value=2020)


@st.composite
def bare_dates(draw: st.DrawFn) -> str:
    """A printed date of any precision: `1937`, `мая 1938`, `17.05.1938`, `17 мая 1938 г.`."""
    year = draw(_YEARS)
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    form = draw(st.sampled_from(MONTH_FORMS[month][1:2]))  # genitive: "мая"
    suffix = draw(st.sampled_from(["", " г.", " года"]))
    return draw(
        st.sampled_from(
            [
                f"{year}{suffix}",
                f"{form} {year}{suffix}",
                f"{day:02d}.{month:02d}.{year}",
                f"{day}.{month:02d}.{year}",
                f"{day} {form} {year}{suffix}",
            ]
        )
    )


@given(bare_dates(), st.sampled_from(["до", "ранее"]))
@settings(max_examples=150, deadline=None)
def test_before_ends_before_the_date(bare: str, word: str) -> None:
    d = parse_date(bare)
    v = parse_date(f"{word} {bare}")
    assert d is not None and v is not None and d.earliest is not None
    assert v.earliest is None and v.latest is not None and v.latest < d.earliest
    assert v.printed.startswith(word)


@given(bare_dates(), st.sampled_from(["не позднее", "не позже", "по"]))
@settings(max_examples=150, deadline=None)
def test_not_after_ends_at_or_before_the_date(bare: str, word: str) -> None:
    d = parse_date(bare)
    v = parse_date(f"{word} {bare}")
    assert d is not None and v is not None and d.latest is not None
    assert v.earliest is None and v.latest == d.latest


@given(bare_dates(), st.sampled_from(["после", "позднее"]))
@settings(max_examples=150, deadline=None)
def test_after_starts_after_the_date(bare: str, word: str) -> None:
    d = parse_date(bare)
    v = parse_date(f"{word} {bare}")
    assert d is not None and v is not None and d.latest is not None
    assert v.latest is None and v.earliest is not None and v.earliest > d.latest


@given(bare_dates(), st.sampled_from(["не ранее", "не раньше", "с", "начиная с"]))
@settings(max_examples=150, deadline=None)
def test_not_before_starts_at_or_after_the_date(bare: str, word: str) -> None:
    d = parse_date(bare)
    v = parse_date(f"{word} {bare}")
    assert d is not None and v is not None
    assert v.latest is None and v.earliest == d.earliest


@given(bare_dates(), st.sampled_from(["около", "ок.", "примерно", "приблизительно"]))
@settings(max_examples=150, deadline=None)
def test_about_contains_the_date_and_is_approximate(bare: str, word: str) -> None:
    d = parse_date(bare)
    v = parse_date(f"{word} {bare}")
    assert d is not None and v is not None
    assert d.earliest is not None and d.latest is not None
    assert v.earliest is not None and v.latest is not None
    assert v.earliest < d.earliest and d.latest < v.latest
    assert v.approximate and "~" in v.edtf and v.edtf.replace("~", "") == d.edtf


@given(bare_dates(), st.sampled_from(["вроде", "якобы", "будто"]))
@settings(max_examples=60, deadline=None)
def test_unknown_word_is_never_plainly_the_date(bare: str, word: str) -> None:
    d = parse_date(bare)
    v = parse_date(f"{word} {bare}")
    assert d is not None and v is not None
    assert v.edtf != d.edtf and v.uncertain
    assert any(word in w for w in v.warnings)
    assert v.printed.startswith(word)


@given(bare_dates())
@settings(max_examples=100, deadline=None)
def test_every_reading_is_valid_edtf(bare: str) -> None:
    for word in ("до", "не позднее", "после", "с", "около", "в начале", "в конце"):
        v = parse_date(f"{word} {bare}")
        assert v is not None
        edtf.parse_edtf(v.edtf)


# ---- the entry parser keeps the qualifiers in its dates and events ---------------------


def test_entry_dates_and_events_keep_qualifiers() -> None:
    text = (
        "Родился около 1900 г., г. Казань; русский;\nАрестован до 1938 г.\n"
        "Приговорен: тройка при УНКВД в конце 1937 г.\nРасстрелян не позднее 1938 г.\n"
        "Реабилитирован в 1989 г."
    )
    parsed = parse_entry(text, "lists")
    v = parsed.values
    assert (v["birth"], v["arrest"], v["sentence_date"], v["death"], v["rehabilitation"]) == (
        "1900~",
        "../1937-12-31",
        "1937-09/1937-12",
        "../1938",
        "1989",
    )
    assert v["sentencing_body"] == "тройка при УНКВД"
    for key in parsed.dates:
        s, e = parsed.spans[key]
        assert text[s:e] == parsed.dates[key].printed
    assert parsed.dates["arrest"].printed.startswith("до ")
    assert any("в конце" in w for w in parsed.warnings)  # the convention is said
    by_kind = {ev.kind: ev.date for ev in entry_events(parsed)}
    birth = by_kind[EventKind.BIRTH]
    assert birth is not None and birth.approximate and birth.printed == "около 1900 г."
    death = by_kind[EventKind.EXECUTION]
    assert death is not None and death.earliest is None and death.qualifier == "not_after"


def test_entry_date_after_an_unknown_word() -> None:
    moscow = (
        "Иванов Иван Иванович, род. ок 1900, г. Москва, русский, б/п, рабочий. "
        "Адрес: ул. Пушкина, д.1. Рассстрелян якобы 17.05.1938. Место захоронения: Бутово."
    )
    parsed = parse_entry(moscow, "moscow")
    assert parsed.values["birth"] == "1900~"
    assert parsed.values["death"] is None  # not read as plainly 17 May 1938
    assert any(w.startswith("unparsed_date") and "якобы" in w for w in parsed.warnings)
    lists = "Родился вроде 1900 г.\nАрестован повторно 1.5.42"
    parsed = parse_entry(lists, "lists")
    assert parsed.values["birth"] is None
    assert any("вроде" in w for w in parsed.warnings)
    assert parsed.values["arrest"] == "1942-05-01"  # "повторно" says nothing of the date
    # a short unknown word inside the slot: the date is kept, doubtful and said
    parsed = parse_entry("Умер ли 1942 г.", "lists")
    assert parsed.values["death"] == "1942?"
    assert any("'ли'" in w for w in parsed.warnings)

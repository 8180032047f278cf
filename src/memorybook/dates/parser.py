"""Find and parse Russian date phrases (`17.05.1938`, `21 июля 1997 г.`, `в июле 1998 г.`,
`1942(?)`, `1883 (1889)`, `194-`, `1930-е`) into EDTF with earliest/latest bounds.

Our own parser because the `edtf` package reads `10.07.1938` US-ordered and knows no Russian.
A single compiled regex finds date *atoms*; a few small regexes anchored at the atom's end
extend it with the year suffix (`г.`), a doubt mark (`(?)`), an alternative (`(1889)`,
`(по другим данным - 1899)`) or a range (`1937-1938`). Everything is table- and regex-driven
so that parsing stays in the tens of microseconds per entry.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from memorybook.dates.tables import MONTHS, SEASONS
from memorybook.model.dates import DateValue

# Bound of the memo caches (entries of one list share many phrases; large enough that a whole
# list's distinct phrases stay cached).
CACHE_SIZE = 1 << 18

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_SEASON_ALT = "|".join(sorted(SEASONS, key=len, reverse=True))


def _initials(words: Mapping[str, object]) -> str:
    """Every character a word of `words` may start with under re.IGNORECASE (both cases and
    the few historic Cyrillic letters that fold to the same one)."""
    out: set[str] = set()
    for first in {w[0] for w in words}:
        for c in (first, first.upper(), first.title(), *map(chr, range(0x1C80, 0x1C89))):
            if re.fullmatch(re.escape(first), c, re.IGNORECASE):
                out.add(c)
    return "".join(sorted(out))


_MONTH_INITIALS = _initials(MONTHS)
_SEASON_INITIALS = _initials(SEASONS)

# One atom. Order matters: the longest readings first. The lookaheads `(?-i:(?=[...]))` only
# reject early a position where no reading can start (a digit or a month/season initial is
# needed): they change no match, and they save trying the many month words case-insensitively
# at every position.
_ATOM = re.compile(
    r"(?-i:(?=[\d" + _MONTH_INITIALS + _SEASON_INITIALS + r"]))"
    r"(?<![\d,№])(?<!\d\.)(?<![А-Яа-яЁё])(?:"
    # 17.05.1938 / 1.07.1937 / 24.5.56 (two-digit year only used when the century is given)
    r"(?P<nd>\d{1,2})\.\s?(?P<nm>\d{1,2})\.\s?(?P<ny>\d{4}|\d{2})(?![\d])"
    # 12 июля (по другим данным - августа) 1898 / 21 июля 1997 / июле 1998 / янв. 1939
    r"|(?:(?P<wd>\d{1,2})\s*)?(?-i:(?=[" + _MONTH_INITIALS + r"]))(?P<mw>" + _MONTH_ALT + r")\b\.?"
    r"(?:\s*\(по другим данным\s*[-–—]?\s*(?:(?P<wd2>\d{1,2})\s+)?(?P<mw2>"
    + _MONTH_ALT
    + r")\))?\s*(?P<wy>\d{4})(?!\d)"
    # весной 1922
    r"|(?-i:(?=[" + _SEASON_INITIALS + r"]))(?P<season>" + _SEASON_ALT + r")\s+(?P<sy>\d{4})(?!\d)"
    # 05.1938 (month.year)
    r"|(?P<mm>\d{1,2})\.(?P<my>\d{4})(?!\d)"
    # 1930-е (decade)
    r"|(?P<dec>1[89]\d)0-[еx]\b"
    # 194- (unknown last digit)
    r"|(?P<yx>1[89]\d)-(?![\dА-Яа-яЁёA-Za-z])"
    # 1938
    r"|(?P<y>1[5-9]\d\d|20[0-2]\d)(?![\d])(?!-[а-яё])"
    r")",
    re.IGNORECASE,
)
# What may follow an atom and still belong to the phrase.
_YEAR_SUFFIX = re.compile(r"\s*(?:гг|г|года|году|год)\b\.?|\s*г\.?(?=$|[\s,;:)])")
_DOUBT = re.compile(r"\s?\(\?\)|\?")
_ALT_OPEN = re.compile(r"\s*\((?:по другим данным\s*[-–—]?\s*)?(?:в\s+)?")
_ALT_CLOSE = re.compile(r"\s*(?:гг|г)?\.?\s*\)")
_RANGE_SEP = re.compile(r"\s*[-–/]\s*")
_LEAD_WORDS = re.compile(r"^\s*(?:(?:в|во|около|примерно|с|до|от)\s+)?", re.IGNORECASE)
# Every reading of an atom contains a digit: a text without one holds no date.
_DIGIT = re.compile(r"\d")
# Where a two-digit year (`24.5.56`) may stand: only then does the century change the result.
_TWO_DIGIT_YEAR = re.compile(r"\d\.\s?\d{1,2}\.\s?\d{2}(?!\d)")


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date phrase found in a longer text: `text[start:end]` is the printed phrase."""

    start: int
    end: int
    value: DateValue
    note: str | None = None  # e.g. "invalid_day: 31.06.1989" (the day was dropped)


@dataclass(slots=True)
class _Atom:
    edtf: str
    earliest: dt.date
    latest: dt.date
    end: int
    note: str | None = None


@lru_cache(maxsize=CACHE_SIZE)
def _ymd(year: int, month: int | None, day: int | None) -> tuple[str, dt.date, dt.date, str | None]:
    """EDTF and bounds for a calendar date of any precision; an impossible day degrades to the
    month (we never invent a correction)."""
    note = None
    if month is not None and not 1 <= month <= 12:
        return f"{year:04d}", dt.date(year, 1, 1), dt.date(year, 12, 31), "invalid_month"
    if month is None:
        return f"{year:04d}", dt.date(year, 1, 1), dt.date(year, 12, 31), None
    last = calendar.monthrange(year, month)[1]
    if day is not None and 1 <= day <= last:
        d = dt.date(year, month, day)
        return f"{year:04d}-{month:02d}-{day:02d}", d, d, None
    if day is not None:
        note = "invalid_day"
    return f"{year:04d}-{month:02d}", dt.date(year, month, 1), dt.date(year, month, last), note


def _atom_at(text: str, pos: int, century: int | None, anchored: bool) -> _Atom | None:
    m = _ATOM.match(text, pos) if anchored else _ATOM.search(text, pos)
    if m is None:
        return None
    return _convert(m, century)


def _convert(m: re.Match[str], century: int | None) -> _Atom | None:
    g = m.group
    end = m.end()
    if g("nd") is not None:
        ys = g("ny")
        if len(ys) == 2:
            if century is None:
                return None
            year = century * 100 + int(ys)
        else:
            year = int(ys)
        edtf, lo, hi, note = _ymd(year, int(g("nm")), int(g("nd")))
        if note == "invalid_month":
            return None  # 58.10.1937 is no date
        return _Atom(edtf, lo, hi, end, note)
    if g("mw") is not None:
        year = int(g("wy"))
        month = MONTHS[g("mw").lower()]
        day = int(g("wd")) if g("wd") else None
        edtf, lo, hi, note = _ymd(year, month, day)
        if g("mw2") is not None:
            day2 = int(g("wd2")) if g("wd2") else day
            edtf2, lo2, hi2, _ = _ymd(year, MONTHS[g("mw2").lower()], day2)
            return _Atom(f"[{edtf},{edtf2}]", min(lo, lo2), max(hi, hi2), end, note)
        return _Atom(edtf, lo, hi, end, note)
    if g("season") is not None:
        code, m1, m2 = SEASONS[g("season").lower()]
        year = int(g("sy"))
        lo = dt.date(year, m1, 1)
        hi_year = year + 1 if m2 < m1 else year
        hi = dt.date(hi_year, m2, calendar.monthrange(hi_year, m2)[1])
        return _Atom(f"{year:04d}-{code}", lo, hi, end)
    if g("mm") is not None:
        month = int(g("mm"))
        if not 1 <= month <= 12:
            return None
        edtf, lo, hi, note = _ymd(int(g("my")), month, None)
        return _Atom(edtf, lo, hi, end, note)
    if g("dec") is not None:
        base = int(g("dec")) * 10
        return _Atom(f"{g('dec')}X", dt.date(base, 1, 1), dt.date(base + 9, 12, 31), end)
    if g("yx") is not None:
        base = int(g("yx")) * 10
        return _Atom(f"{g('yx')}X", dt.date(base, 1, 1), dt.date(base + 9, 12, 31), end)
    year = int(g("y"))
    return _Atom(f"{year:04d}", dt.date(year, 1, 1), dt.date(year, 12, 31), end)


def _extend(text: str, atom: _Atom, century: int | None) -> tuple[str, dt.date, dt.date, int, bool]:
    """Grow an atom by range, doubt mark, year suffix and alternative; return the phrase."""
    edtf, lo, hi, end = atom.edtf, atom.earliest, atom.latest, atom.end
    uncertain = False
    simple_year = len(edtf) == 4 and edtf.isdigit()
    # 1937-1938, 1926/1929: one of the years of a short span.
    if simple_year:
        r = _RANGE_SEP.match(text, end)
        if r:
            other = _atom_at(text, r.end(), century, anchored=True)
            if (
                other is not None
                and len(other.edtf) == 4
                and other.edtf.isdigit()
                and 0 < int(other.edtf) - int(edtf) < 30
            ):
                edtf = f"[{edtf}..{other.edtf}]"
                hi = other.latest
                end = other.end
                simple_year = False
    d = _DOUBT.match(text, end)
    if d and (d.group(0) != "?" or end == len(text) or text[end : end + 2] != "?)"):
        uncertain = True
        end = d.end()
    s = _YEAR_SUFFIX.match(text, end)
    if s:
        end = s.end()
        if text[end - 1] == "." and text[end - 2 : end] != "г." and text[end - 3 : end] != "гг.":
            end -= 1
    if not uncertain:
        d = _DOUBT.match(text, end)
        if d and d.group(0) != "?":
            uncertain = True
            end = d.end()
    # 1883 (1889), 10.05.1898 (по другим данным - 1899)
    a = _ALT_OPEN.match(text, end)
    if a:
        other = _atom_at(text, a.end(), century, anchored=True)
        if other is not None:
            close = _YEAR_SUFFIX.match(text, other.end)
            close_at = close.end() if close else other.end
            c = _ALT_CLOSE.match(text, close_at) or _ALT_CLOSE.match(text, other.end)
            if c:
                first = edtf.strip("[]")
                edtf = f"[{first},{other.edtf.strip('[]')}]"
                lo, hi = min(lo, other.earliest), max(hi, other.latest)
                end = c.end()
    if uncertain and not edtf.startswith("["):
        edtf += "?"
    return edtf, lo, hi, end, uncertain


def find_dates(text: str, century: int | None = None) -> list[DateMatch]:
    """Every date phrase in `text`, left to right, with its span. Two-digit years are read only
    when `century` is given (the caller knows the entry's century: `19`)."""
    out: list[DateMatch] = []
    if _DIGIT.search(text) is None:
        return out
    pos = 0
    n = len(text)
    while pos < n:
        # every reading holds a digit: none left, no date left (saves the failing scan)
        if _DIGIT.search(text, pos) is None:
            break
        m = _ATOM.search(text, pos)
        if m is None:
            break
        atom = _convert(m, century)
        if atom is None:
            pos = m.end()
            continue
        edtf, lo, hi, end, uncertain = _extend(text, atom, century)
        value = DateValue(edtf, lo, hi, text[m.start() : end], uncertain)
        out.append(DateMatch(m.start(), end, value, atom.note))
        pos = end
    return out


def parse_date(text: str, century: int | None = None) -> DateValue | None:
    """The date a short phrase states (`17.05.1938`, `в июле 1998 г.`, `1883 (1889)`), or None
    when the phrase is not exactly one date."""
    if not text:
        return None
    lead = _LEAD_WORDS.match(text)
    start = lead.end() if lead else 0
    m = _ATOM.match(text, start)
    if m is None:
        return None
    atom = _convert(m, century)
    if atom is None:
        return None
    edtf, lo, hi, end, uncertain = _extend(text, atom, century)
    if text[end:].strip(" .,;") != "":
        return None
    return DateValue(edtf, lo, hi, text[start:end], uncertain)


# Memoised lookups for the entry parser: the same short phrases (`в 1937 г.`, `Приговор: ВМН`)
# recur thousands of times in a list. Bounded (CACHE_SIZE), and the results are immutable
# tuples.


@lru_cache(maxsize=CACHE_SIZE)
def find_dates_cached(text: str, century: int | None = None) -> tuple[DateMatch, ...]:
    """`find_dates` as a tuple, memoised on (text, century)."""
    return tuple(find_dates(text, century))


@lru_cache(maxsize=CACHE_SIZE)
def find_dates_any_century(text: str) -> tuple[DateMatch, ...] | None:
    """The dates of `text` when they do not depend on the century (no two-digit year can be
    read in it), else None: the caller then asks `find_dates_cached(text, century)`."""
    if _TWO_DIGIT_YEAR.search(text) is not None:
        return None
    return tuple(find_dates(text, None))


def clear_caches() -> None:
    find_dates_cached.cache_clear()
    find_dates_any_century.cache_clear()
    _ymd.cache_clear()

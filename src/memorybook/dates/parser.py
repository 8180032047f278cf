"""Find and parse Russian date phrases (`17.05.1938`, `21 июля 1997 г.`, `в июле 1998 г.`,
`1942(?)`, `1883 (1889)`, `194-`, `1930-е`, `до 1940 г.`, `около 1900`, `с 1 по 15 мая 1938`)
into EDTF with earliest/latest bounds.

Our own parser because the `edtf` package reads `10.07.1938` US-ordered and knows no Russian.
A single compiled regex finds date *atoms*. Small regexes then look just before an atom for a
qualifier word (`до`, `не ранее`, `около`, `в конце` … tables.QUALIFIERS) or the first half of
a range whose second half is the atom (`с 1 по 15 мая 1938`, `1–15 мая`), and just after it
for the year suffix (`г.`), a doubt mark (`(?)`), the second date of a pair (`с 1937 по 1938`,
`между 1937 и 1938`, `1937-1938`, `1937 или 1938`) or an alternative (`(1889)`, `(по другим
данным - 1899)`). How a qualifier moves the bounds is in dates/qualifiers.py. A qualifier word is
kept in the printed phrase; where the reading is a convention or unsure, the value carries a
warning. Everything is table- and regex-driven so that parsing stays in the tens of
microseconds per entry.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from memorybook.dates import qualifiers as q
from memorybook.dates.qualifiers import Reading
from memorybook.dates.tables import MONTHS, PAIR_CLOSERS, PAIR_OPENERS, QUALIFIERS, SEASONS, WINTER
from memorybook.model.dates import DateValue
from memorybook.text.memo import short_text_memo

# Bound of the memo caches (entries of one list share many phrases; large enough that a whole
# list's distinct phrases stay cached).
CACHE_SIZE = 1 << 18


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of words, longest first, spaces matching any run of spaces."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


_MONTH_ALT = _alternation(MONTHS)
_SEASON_ALT = _alternation(SEASONS)
_QUAL_ALT = _alternation(QUALIFIERS)


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
    # весной 1922 / зимой 1937/38
    r"|(?-i:(?=[" + _SEASON_INITIALS + r"]))(?P<season>" + _SEASON_ALT + r")\s+(?P<sy>\d{4})(?!\d)"
    r"(?:\s*[-–/]\s*(?P<sy2>\d{4}|\d{2})(?!\d))?"
    # 05.1938 (month.year)
    r"|(?P<mm>\d{1,2})\.(?P<my>\d{4})(?!\d)"
    # 1930-е, 1930-х, 1930-ые (decade)
    r"|(?P<dec>1[89]\d)0-(?:ые|ых|е|х|x)\b"
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
# An alternative in parentheses (`1883 (1889)`, `(по другим данным - в 1899)`) or after a comma
# (`1898, по другим данным 1899`).
_ALT_OPEN = re.compile(
    r"\s*(?P<paren>\()(?:по\s+(?:другим|др\.)\s+данным\s*[-–—:,]?\s*)?(?:в\s+)?"
    r"|[\s,;]*по\s+(?:другим|др\.)\s+данным\s*[-–—:,]?\s*(?:в\s+)?",
    re.IGNORECASE,
)
_ALT_CLOSE = re.compile(r"\s*(?:гг|г)?\.?\s*\)")
_RANGE_SEP = re.compile(r"\s*[-–—/]\s*")
_OR = re.compile(r"\s+или\s+(?:в\s+)?", re.IGNORECASE)
# The word closing a pair opened by `с`/`от`/`между` (`с 1937 по 1938`).
_PAIR_CLOSE = re.compile(r"\s*(?:(?P<w>по|до|и)\s+|(?P<d>[-–—])\s*)(?:в\s+)?", re.IGNORECASE)
# A qualifier word ending just before an atom (searched in a short window before it).
_QUAL_BEFORE = re.compile(
    r"(?:^|(?<=[\s(\[,;:]))(?P<q>" + _QUAL_ALT + r")(?:(?<=\.)\s*|\s+)$", re.IGNORECASE
)
# Where a capitalised qualifier may stand: at the start of a text, line or sentence (`С 1918 по
# 1923 служил`); elsewhere `С` is an abbreviation (`ЧТП ВЧК по С 1 марта 1921 г.`).
_SENTENCE_END = re.compile(r"(?:^|[.!?(\n;:])\s*$")
# The first half of a range whose second half is the atom: `с 1 по `, `1–`, `1 мая - `,
# `между маем и `; the qualifier before it is optional for a dash.
_PARTIAL_BEFORE = re.compile(
    r"(?:(?<![А-Яа-яЁёA-Za-z])(?P<q>с|со|от|между|начиная\s+с)\s+)?"
    r"(?<![\d.,№А-Яа-яЁёA-Za-z])(?:(?P<pd>\d{1,2})(?:\s+(?P<pm>" + _MONTH_ALT + r")\b\.?)?"
    r"|(?P<pm2>" + _MONTH_ALT + r")\b\.?)"
    r"\s*(?:(?P<w>по|до|и)\s+|(?P<d>[-–—])\s*)(?:в\s+)?$",
    re.IGNORECASE,
)
_LOOK_BACK = 48  # characters before an atom where its qualifier or first half may stand
# Every reading of an atom contains a digit: a text without one holds no date.
_DIGIT = re.compile(r"\d")
# Where a two-digit year (`24.5.56`) may stand: only then does the century change the result.
_TWO_DIGIT_YEAR = re.compile(r"\d\.\s?\d{1,2}\.\s?\d{2}(?!\d)")
# What may stand before the date of a one-date phrase without changing it (`в 1937 г.`).
_FILLER = re.compile(r"[\s:,.\-–—]*(?:(?:в|во)\s+)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date phrase found in a longer text: `text[start:end]` is the printed phrase."""

    start: int
    end: int
    value: DateValue
    note: str | None = None  # e.g. "invalid_day: 31.06.1989" (the day was dropped)


@dataclass(slots=True)
class _Atom:
    reading: Reading
    end: int
    year: int
    month: int | None = None
    day: int | None = None
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


@lru_cache(maxsize=CACHE_SIZE)
def _calendar_reading(
    year: int, month: int | None, day: int | None
) -> tuple[Reading, int | None, str | None]:
    """The reading of a calendar date (memoised: dates recur), the day kept, and a note."""
    edtf, lo, hi, note = _ymd(year, month, day)
    precision = "year" if len(edtf) == 4 else "month" if len(edtf) == 7 else "day"
    return Reading(edtf, lo, hi, precision), day if precision == "day" else None, note


def _calendar(year: int, month: int | None, day: int | None, end: int) -> _Atom:
    reading, day, note = _calendar_reading(year, month, day)
    return _Atom(reading, end, year, month, day, note)


def _atom_at(text: str, pos: int, century: int | None) -> _Atom | None:
    m = _ATOM.match(text, pos)
    return _convert(m, century) if m is not None else None


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
        atom = _calendar(year, int(g("nm")), int(g("nd")), end)
        if atom.note == "invalid_month":
            return None  # 58.10.1937 is no date
        return atom
    if g("mw") is not None:
        year = int(g("wy"))
        month = MONTHS[g("mw").lower()]
        day = int(g("wd")) if g("wd") else None
        atom = _calendar(year, month, day, end)
        if g("mw2") is not None:
            day2 = int(g("wd2")) if g("wd2") else day
            other = _calendar(year, MONTHS[g("mw2").lower()], day2, end)
            atom.reading = q.one_of(atom.reading, other.reading)
            atom.month = atom.day = None
        return atom
    if g("season") is not None:
        return _season(m)
    if g("mm") is not None:
        month = int(g("mm"))
        if not 1 <= month <= 12:
            return None
        return _calendar(int(g("my")), month, None, end)
    if g("dec") is not None or g("yx") is not None:
        digits = g("dec") or g("yx")
        base = int(digits) * 10
        r = Reading(f"{digits}X", dt.date(base, 1, 1), dt.date(base + 9, 12, 31), "decade")
        return _Atom(r, end, base)
    return _calendar(int(g("y")), None, None, end)


def _season(m: re.Match[str]) -> _Atom:
    code, m1, m2 = SEASONS[m.group("season").lower()]
    year = int(m.group("sy"))
    sy2 = m.group("sy2")
    if sy2 is not None and code == WINTER:
        second = int(sy2) if len(sy2) == 4 else year // 100 * 100 + int(sy2)
        if second == year + 1:  # зимой 1937/38: December 1937 to February 1938
            lo, hi = dt.date(year, 12, 1), dt.date(second, 2, calendar.monthrange(second, 2)[1])
            r = Reading(f"{year:04d}-12/{second:04d}-02", lo, hi, "compound", qualifier="season")
            return _Atom(r, m.end(), year)
    end = m.end("sy")
    lo = dt.date(year, m1, 1)
    hi = dt.date(year, m2, calendar.monthrange(year, m2)[1])
    r = Reading(f"{year:04d}-{code}", lo, hi, "season")
    if code == WINTER:
        r = r.warn(
            f"season: {m.group('season')!r} {year} may be January–February or December of"
            " that year; bounds cover the whole year"
        )
    return _Atom(r, end, year)


def _marks(text: str, end: int) -> tuple[int, bool]:
    """Extend past a doubt mark and the year suffix (`1942(?) г.`, `1937 г.`): new end, and
    whether the date is marked doubtful."""
    uncertain = False
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
    return end, uncertain


def _doubt(r: Reading, uncertain: bool) -> Reading:
    if not uncertain or r.uncertain:
        return r
    return replace(r, uncertain=True)


def _second(text: str, pos: int, century: int | None) -> tuple[Reading, int, _Atom] | None:
    """The date starting at `pos` with its marks: (reading, end, atom)."""
    other = _atom_at(text, pos, century)
    if other is None:
        return None
    end, uncertain = _marks(text, other.end)
    return _doubt(other.reading, uncertain), end, other


def _pair(
    text: str, kind: str, first: Reading, end: int, century: int | None
) -> tuple[Reading, int] | None:
    """The second date of a pair opened by `с`/`от`/`между` (`с 1937 по 1938`)."""
    c = _PAIR_CLOSE.match(text, end)
    if c is None:
        return None
    word = (c.group("w") or "-").lower()
    include = PAIR_CLOSERS[kind].get(word)
    if include is None:
        return None
    found = _second(text, c.end(), century)
    if found is None:
        return None
    second, end2, _ = found
    if second.lo is None or first.lo is None or second.lo < first.lo:
        return None
    if kind == "between":
        return q.one_of_range(first, second), end2
    return q.interval(first, second, include), end2


def _follow(text: str, first: Reading, end: int, century: int | None) -> tuple[Reading, int] | None:
    """A second date joined without a qualifier before the first: `1937-1938`, `1926/1929`,
    `17-20.05.1938`, `1937 или 1938`."""
    r = _RANGE_SEP.match(text, end)
    if r and first.simple:
        found = _second(text, r.end(), century)
        if found is not None:
            second, end2, _ = found
            if (
                second.simple
                and first.hi is not None
                and second.lo is not None
                and second.lo > first.hi
                and second.lo.year - first.lo.year < 30  # type: ignore[union-attr]
            ):
                return q.one_of_range(first, second), end2
    o = _OR.match(text, end)
    if o:
        found = _second(text, o.end(), century)
        if found is not None:
            return q.one_of(first, found[0]), found[1]
    return None


def _alternative(
    text: str, first: Reading, end: int, century: int | None
) -> tuple[Reading, int] | None:
    """`1883 (1889)`, `10.05.1898 (по другим данным - 1899)`, `1898, по другим данным 1899`."""
    a = _ALT_OPEN.match(text, end)
    if a is None:
        return None
    other = _atom_at(text, a.end(), century)
    if other is None:
        return None
    close_at = other.end
    if a.group("paren") is not None:
        suffix = _YEAR_SUFFIX.match(text, other.end)
        c = _ALT_CLOSE.match(text, suffix.end() if suffix else other.end) or _ALT_CLOSE.match(
            text, other.end
        )
        if c is None:
            return None
        close_at = c.end()
    else:
        close_at, _ = _marks(text, other.end)
    return q.one_of(first, other.reading), close_at


def _partial_before(text: str, start: int, floor: int, atom: _Atom) -> tuple[Reading, int] | None:
    """A range whose first half, printed without what the atom supplies, stands just before
    it: `с 1 по 15 мая 1938`, `1–15 мая 1938`, `между маем и июнем 1938`."""
    window_start = max(floor, start - _LOOK_BACK)
    p = _PARTIAL_BEFORE.search(text, window_start, start)
    if p is None or p.end() != start:
        return None
    if p.group("q") and not _may_start(text, p.group("q"), p.start()):
        return None
    qual = (p.group("q") or "").lower()
    kind = QUALIFIERS.get(re.sub(r"\s+", " ", qual)) if qual else None
    word = (p.group("w") or "-").lower()
    if kind is None:
        if word != "-":
            return None
        include = True
    else:
        closers = PAIR_CLOSERS.get(kind, {})
        if word not in closers:
            return None
        include = closers[word]
    pm = p.group("pm") or p.group("pm2")
    month = MONTHS[pm.lower()] if pm else atom.month
    day = int(p.group("pd")) if p.group("pd") else None
    if month is None or (day is not None and atom.day is None):
        return None
    first = _calendar(atom.year, month, day, start)
    if first.note is not None or atom.reading.lo is None or first.reading.lo is None:
        return None
    if first.reading.hi is None or not first.reading.hi < atom.reading.lo:
        return None
    if kind == "between" or kind is None:
        return q.one_of_range(first.reading, atom.reading), p.start()
    return q.interval(first.reading, atom.reading, include), p.start()


def _qualifier_before(text: str, start: int, floor: int) -> tuple[str, str, int] | None:
    """(kind, printed word, start of the word) of a qualifier just before `start`."""
    window_start = max(floor, start - _LOOK_BACK)
    m = _QUAL_BEFORE.search(text, window_start, start)
    if m is None or m.end() != start:
        return None
    word = m.group("q")
    if not _may_start(text, word, m.start()):
        return None
    return QUALIFIERS[re.sub(r"\s+", " ", word.lower())], word, m.start()


# The last word of every qualifier and of every range connector, for a cheap test before the
# regexes run (lower case; a dash stands for itself).
_QUALIFIER_LAST_WORDS = frozenset(w.split()[-1] for w in QUALIFIERS)
_PAIR_WORDS = frozenset({"по", "до", "и", "-", "–", "—"})
_DASHES = frozenset("-–—")


def _word_before(text: str, start: int) -> str:
    """The word (letters and a final dot) or dash just before `start`, lower case; "" when
    there is none."""
    i = start
    while i > 0 and text[i - 1] in " \t\r\n":
        i -= 1
    if i == 0:
        return ""
    if text[i - 1] in _DASHES:
        return text[i - 1]
    end = i
    if text[i - 1] == ".":
        i -= 1
    while i > 0 and text[i - 1].isalpha():
        i -= 1
    if i == end or (end - i == 1 and text[i] == "."):
        return ""
    return text[i:end].lower()


def _may_start(text: str, word: str, at: int) -> bool:
    """A qualifier printed with a capital stands only where a sentence may begin."""
    if not word[:1].isupper():
        return True
    return _SENTENCE_END.search(text[max(0, at - 8) : at]) is not None


def _dates_a_document(text: str, at: int) -> bool:
    """`от` after a word on the same line (`Закон от 18 октября 1991 г.`, `Постановление ГКО
    от 1941`) dates a document: it says nothing about the bounds."""
    line_start = text.rfind("\n", 0, at) + 1
    return any(ch.isalnum() for ch in text[max(line_start, at - _LOOK_BACK) : at])


def _read(
    text: str, m: re.Match[str], atom: _Atom, floor: int, century: int | None
) -> tuple[int, Reading, int]:
    """The whole phrase around one atom: (start, reading, end)."""
    start = m.start()
    end, uncertain = _marks(text, atom.end)
    reading = _doubt(atom.reading, uncertain)
    # the cheap test first: most dates follow neither a range connector nor a qualifier
    before = _word_before(text, start) if start > floor else ""
    partial = _partial_before(text, start, floor, atom) if before in _PAIR_WORDS else None
    if partial is not None:
        return partial[1], partial[0], end
    qual = _qualifier_before(text, start, floor) if before in _QUALIFIER_LAST_WORDS else None
    kind = qual[0] if qual else None
    if kind in PAIR_OPENERS:
        assert qual is not None
        paired = _pair(text, kind, reading, end, century)
        if paired is not None:
            return qual[2], paired[0], paired[1]
    if kind is None:
        joined = _follow(text, reading, end, century)
        if joined is not None:
            reading, end = joined
    alt = _alternative(text, reading, end, century)
    if alt is not None:
        reading, end = alt
    if qual is None:
        return start, reading, end
    kind, word, qstart = qual
    if kind == "from" and _dates_a_document(text, qstart):
        return start, reading, end
    return qstart, q.qualify(kind, reading, word), end


def _value(text: str, start: int, end: int, r: Reading) -> DateValue:
    return DateValue(
        r.text,
        r.lo,
        r.hi,
        text[start:end],
        r.uncertain,
        approximate=r.approximate,
        qualifier=r.qualifier,
        warnings=r.warnings,
    )


def find_dates(text: str, century: int | None = None) -> list[DateMatch]:
    """Every date phrase in `text`, left to right, with its span (qualifier words included).
    Two-digit years are read only when `century` is given (the caller knows the entry's
    century: `19`)."""
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
        start, reading, end = _read(text, m, atom, pos, century)
        note = f"{atom.note}: {text[m.start() : atom.end]}" if atom.note else None
        out.append(DateMatch(start, end, _value(text, start, end, reading), note))
        pos = end
    return out


def parse_date(text: str, century: int | None = None) -> DateValue | None:
    """The date a short phrase states (`17.05.1938`, `в июле 1998 г.`, `до 1940 г.`,
    `1883 (1889)`), or None when the phrase is not exactly one date. Words before the date
    that the reader does not know make it doubtful (`?`) with a warning; it is never read as
    plainly that date."""
    if not text or _DIGIT.search(text) is None:
        return None
    found = find_dates(text, century)
    if not found:
        return None
    first = found[0]
    if text[first.end :].strip(" .,;") != "":
        return None
    value = first.value
    lead = text[: first.start]
    if _FILLER.match(lead) is None:
        words = lead.strip(" :,.-–—")
        lead_start = len(lead) - len(lead.lstrip(" :,.-–—"))
        return replace(doubtful_value(value, words), printed=text[lead_start : first.end])
    return value


def _precision(edtf: str) -> str:
    return {4: "year", 7: "month", 10: "day"}.get(len(edtf), "compound")


def doubtful_value(value: DateValue, words: str) -> DateValue:
    """`value` marked doubtful because of `words` the reader does not know before it (the
    entry parser's date slots use this: `Родился вроде 1900`)."""
    plain = value.edtf.replace("-", "").isdigit()
    r = Reading(
        value.edtf,
        value.earliest,
        value.latest,
        _precision(value.edtf) if plain else "compound",
        value.uncertain,
        approximate=value.approximate,
        qualifier=value.qualifier,
        warnings=value.warnings,
    )
    r = q.doubtful(r, f"{words!r} before the date")
    return replace(value, edtf=r.text, uncertain=True, warnings=r.warnings)


# Memoised lookups for the entry parser: the same short phrases (`в 1937 г.`, `Приговор: ВМН`)
# recur thousands of times in a list. Bounded (CACHE_SIZE), and the results are immutable
# tuples.


@short_text_memo(CACHE_SIZE)
def find_dates_cached(text: str, century: int | None = None) -> tuple[DateMatch, ...]:
    """`find_dates` as a tuple, memoised on (text, century)."""
    return tuple(find_dates(text, century))


@short_text_memo(CACHE_SIZE)
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
    _calendar_reading.cache_clear()

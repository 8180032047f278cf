"""How a printed qualifier changes a date: EDTF and earliest/latest bounds.

A `Reading` is one calendar date as printed (`1940`, `мая 1938`, `17.05.1938`, `весной 1922`,
`1930-е`) or a compound of two (`1937-1938`, `1883 (1889)`). The functions here turn it into
what a qualified phrase says:

| printed | kind | EDTF | bounds |
| --- | --- | --- | --- |
| до 1940 | before | `../1939-12-31` | open .. 1939-12-31 |
| не позднее 1940, по 1940 | not_after | `../1940` | open .. 1940-12-31 |
| после 1937 | after | `1938-01-01/..` | 1938-01-01 .. open |
| не ранее 1937, с 1937 | not_before | `1937/..` | 1937-01-01 .. open |
| около 1900, около мая 1938 | about | `1900~`, `1938-~05` | 1899-01-01 .. 1901-12-31 |
| в начале 1937 | early | `1937-01/1937-04` | first third of the period |
| с 1937 по 1938 | interval | `1937/1938` | 1937-01-01 .. 1938-12-31 |
| между 1937 и 1938, 1937-1938 | one of a range | `[1937..1938]` | 1937-01-01 .. 1938-12-31 |
| 1937 или 1938 | one of two | `[1937,1938]` | 1937-01-01 .. 1938-12-31 |

An approximate date is widened by one unit of its precision on each side (a day, a month, a
year; a month for a season, a year for a decade): for a day, month or year these are the
bounds the `edtf` package computes for the EDTF we write (`1900~`, `1938-~05`, `1938-05-~17`),
so both readings agree. Doubt (`?`) does not widen: it doubts the reading, not its width.
Parts of a period ("в начале/в середине/в конце") are read as thirds (of a year:
January–April, May–August, September–December; of a month: days 1–10, 11–20, 21 to the end, as
the Russian "декада"; of a decade: years 0–3, 4–6, 7–9; of a season: its months) and always
carry a warning that this is a convention.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field, replace

ONE_DAY = dt.timedelta(days=1)
_MONTHS_EN = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True, slots=True)
class Reading:
    """One printed date. `precision` is "day", "month", "year", "season", "decade" or
    "compound" (an interval, a range or a set); `lo`/`hi` its bounds (None: open). For a
    compound `edtf` is the whole EDTF string; otherwise it is the bare date and the marks
    (`?`, `~`, `%`) come from `uncertain`/`approximate`: see `text`."""

    edtf: str
    lo: dt.date | None
    hi: dt.date | None
    precision: str
    uncertain: bool = False
    approximate: bool = False
    qualifier: str | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        """The EDTF string of the reading."""
        if self.precision == "compound":
            return self.edtf
        if self.precision == "season":  # EDTF marks no season: say it with its months
            if self.uncertain and self.lo is not None and self.hi is not None:
                return f"{self.lo:%Y-%m}?/{self.hi:%Y-%m}?"
            return self.edtf
        return _mark(self.edtf, self.uncertain, self.approximate)

    @property
    def simple(self) -> bool:
        """A plain calendar date (day, month or year), the only kind EDTF may qualify
        directly (`1900~`, `../1940`)."""
        return self.precision in ("day", "month", "year")

    def warn(self, text: str) -> Reading:
        return replace(self, warnings=(*self.warnings, text))


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _mark(edtf: str, uncertain: bool, approximate: bool) -> str:
    """EDTF qualification of a plain date: `?` doubtful (the whole date), `~` approximate,
    `%` both. Approximation is put on the last component printed (`1900~`, `1938-~05`,
    `1938-05-~17`: "about May 1938" is not "about 1938"); for a year it is the whole date."""
    if not approximate:
        return edtf + "?" if uncertain else edtf
    sign = "%" if uncertain else "~"
    if len(edtf) == 4 or not edtf[:4].isdigit():
        return edtf + sign
    return f"{edtf[:-2]}{sign}{edtf[-2:]}"


def _end(r: Reading, lower: bool) -> str:
    """EDTF of one end of an interval built on `r` (the date itself when EDTF can say it, else
    the ISO day of its bound)."""
    if r.simple:
        return _mark(r.edtf, r.uncertain, r.approximate)
    if r.precision == "season":
        return r.edtf
    d = r.lo if lower else r.hi
    assert d is not None
    return _iso(d)


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _pad(r: Reading) -> tuple[dt.date, dt.date]:
    """Bounds of an approximate date: one unit of its precision wider on each side."""
    assert r.lo is not None and r.hi is not None
    if r.precision == "day":
        return r.lo - ONE_DAY, r.hi + ONE_DAY
    if r.precision in ("month", "season"):
        lo = _add_months(r.lo, -1)
        hi = _add_months(r.hi.replace(day=1), 1)
        return lo, hi.replace(day=calendar.monthrange(hi.year, hi.month)[1])
    return r.lo.replace(year=r.lo.year - 1), r.hi.replace(year=r.hi.year + 1)


def qualify(kind: str, r: Reading, printed: str) -> Reading:
    """`r` as qualified by a word of `kind` (a value of tables.QUALIFIERS); `printed` is the
    word as printed, for the warnings."""
    if r.lo is None or r.hi is None:
        return r.warn(f"date_qualifier: {printed!r} on an open date was not applied")
    if kind == "before":
        hi = r.lo - ONE_DAY
        return replace(r, edtf=f"../{_mark(_iso(hi), r.uncertain, False)}", lo=None, hi=hi,
                       precision="compound", qualifier=kind)  # fmt: skip
    if kind == "not_after":
        return replace(r, edtf=f"../{_end(r, lower=False)}", lo=None, precision="compound",
                       qualifier=kind)  # fmt: skip
    if kind == "after":
        lo = r.hi + ONE_DAY
        return replace(r, edtf=f"{_mark(_iso(lo), r.uncertain, False)}/..", lo=lo, hi=None,
                       precision="compound", qualifier=kind)  # fmt: skip
    if kind in ("not_before", "from"):
        out = replace(r, edtf=f"{_end(r, lower=True)}/..", hi=None, precision="compound",
                      qualifier=kind)  # fmt: skip
        if kind == "from":
            out = out.warn(
                f"ambiguous_qualifier: {printed!r} read as 'from'; it may also date a document"
            )
        return out
    if kind == "about":
        return about(r)
    if kind in _PARTS:
        return part_of(kind, r, printed)
    if kind == "alternative":
        return r.warn(f"alternative_reading: {printed!r}: the source gives this as another reading")
    if kind == "between":
        return doubtful(r, f"{printed!r} without its second date")
    return doubtful(r, f"unknown qualifier {printed!r}")


def about(r: Reading) -> Reading:
    lo, hi = _pad(r)
    if r.simple or r.precision == "decade":
        edtf = r.edtf  # `text` adds the mark
    elif r.precision == "season":
        edtf = f"{lo:%Y-%m}~/{hi:%Y-%m}~"
    else:
        edtf = f"{_iso(lo)}~/{_iso(hi)}~"
    precision = r.precision if r.simple or r.precision == "decade" else "compound"
    return replace(r, edtf=edtf, lo=lo, hi=hi, precision=precision, approximate=True,
                   qualifier="about")  # fmt: skip


def doubtful(r: Reading, why: str) -> Reading:
    """A date whose leading word(s) the reader does not know: marked doubtful (`?`) rather
    than read as plainly that date, with a warning."""
    return replace(r, uncertain=True).warn(f"unknown_word: {why}; read as doubtful")


# kind -> (thirds or halves, index): how a part of a period is cut.
_PARTS: dict[str, tuple[int, int]] = {
    "early": (3, 0),
    "mid": (3, 1),
    "late": (3, 2),
    "first_half": (2, 0),
    "second_half": (2, 1),
}
_PART_WORDS = {3: ("first third", "middle third", "last third"), 2: ("first half", "second half")}


def part_of(kind: str, r: Reading, printed: str) -> Reading:
    """`в начале / в середине / в конце / в первой половине` of a year, month or decade."""
    parts, k = _PARTS[kind]
    assert r.lo is not None and r.hi is not None
    spring_to_autumn = r.precision == "season" and r.lo.year == r.hi.year and r.lo.month > 1
    if r.precision == "year" or (spring_to_autumn and parts == 3):
        # thirds (halves) of the months: of a year, January–April …; of a season, its months
        first, count = r.lo.month, r.hi.month - r.lo.month + 1
        size = count // parts
        m1, m2 = first + k * size, first + (k + 1) * size - 1
        y = r.lo.year
        lo = dt.date(y, m1, 1)
        hi = dt.date(y, m2, calendar.monthrange(y, m2)[1])
        edtf = f"{y:04d}-{m1:02d}" if m1 == m2 else f"{y:04d}-{m1:02d}/{y:04d}-{m2:02d}"
        said = f"{_MONTHS_EN[m1]} {y}" if m1 == m2 else f"{_MONTHS_EN[m1]}–{_MONTHS_EN[m2]} {y}"
    elif r.precision == "month":
        last = r.hi.day
        days = {3: ((1, 10), (11, 20), (21, last)), 2: ((1, 15), (16, last))}[parts][k]
        lo, hi = r.lo.replace(day=days[0]), r.lo.replace(day=days[1])
        edtf = f"{_iso(lo)}/{_iso(hi)}"
        said = f"days {days[0]}–{days[1]} of {_MONTHS_EN[r.lo.month]} {r.lo.year}"
    elif r.precision == "decade":
        years = {3: ((0, 3), (4, 6), (7, 9)), 2: ((0, 4), (5, 9))}[parts][k]
        base = r.lo.year
        lo, hi = dt.date(base + years[0], 1, 1), dt.date(base + years[1], 12, 31)
        edtf = f"{lo.year:04d}/{hi.year:04d}"
        said = f"{lo.year}–{hi.year}"
    else:
        return r.warn(f"date_qualifier: {printed!r} does not apply to a {r.precision}; not applied")
    precision = "month" if len(edtf) == 7 else "compound"
    out = replace(r, edtf=edtf, lo=lo, hi=hi, precision=precision, qualifier=kind)
    if parts == 3:
        out = out.warn(f"part_of_period: {printed!r} read as the {_PART_WORDS[3][k]}: {said}")
    return out


def interval(a: Reading, b: Reading, include_end: bool) -> Reading:
    """`с A по B` (B included) / `с A до B` (B excluded): an interval `A/B`."""
    assert a.lo is not None and b.lo is not None and b.hi is not None
    if include_end:
        hi, end = b.hi, _end(b, lower=False)
    else:
        hi = b.lo - ONE_DAY
        end = _iso(hi)
    return Reading(
        f"{_end(a, lower=True)}/{end}",
        a.lo,
        hi,
        "compound",
        a.uncertain or b.uncertain,
        qualifier="interval",
        warnings=a.warnings + b.warnings,
    )


def one_of_range(a: Reading, b: Reading) -> Reading:
    """`между A и B`, `A-B`: one date in the range, `[A..B]`."""
    assert a.lo is not None and b.hi is not None
    first = a.text if a.simple else _iso(a.lo)
    last = b.text if b.simple else _iso(b.hi)
    return Reading(
        f"[{first}..{last}]",
        a.lo,
        b.hi,
        "compound",
        a.uncertain or b.uncertain,
        qualifier="range",
        warnings=a.warnings + b.warnings,
    )


def one_of(a: Reading, b: Reading) -> Reading:
    """`A или B`, `A (по другим данным B)`: one of two dates, `[A,B]`."""
    assert a.lo is not None and a.hi is not None and b.lo is not None and b.hi is not None
    first = a.text.strip("[]") if a.precision != "season" else _iso(a.lo)
    second = b.text.strip("[]") if b.precision != "season" else _iso(b.lo)
    return Reading(
        f"[{first},{second}]",
        min(a.lo, b.lo),
        max(a.hi, b.hi),
        "compound",
        a.uncertain or b.uncertain,
        qualifier="one_of",
        warnings=a.warnings + b.warnings,
    )

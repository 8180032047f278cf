"""Dates for people: EDTF (and `DateValue`) in words, in Russian or English.

EDTF is for machines. Every page and chart of the site shows dates through this module:

    1878-03-16                "16 March 1878"            "16 марта 1878"
    [1878-03-16,1877-03-11]   "16 March 1878 (other sources: 11 March 1877)"
                              "16 марта 1878 (по другим данным — 11 марта 1877)"
    1937-08/1938-11           "August 1937 – November 1938"   "август 1937 – ноябрь 1938"
    1938-21                   "spring 1938"              "весна 1938"
    ../1939-12-31             "before 1940"              "до 1940"
    1937/..                   "not earlier than 1937"    "не ранее 1937"
    1900~                     "about 1900"               "около 1900"
    194X                      "1940s"                    "1940-е"
    (nothing)                 "date unknown"             "дата неизвестна"

Month and day names come from Babel (CLDR). Russian needs two month forms: a date with a
day or a month governed by a preposition takes the genitive ("16 марта", "до мая 1938"),
a bare month-year the stand-alone nominative ("май 1938"). EDTF is read here with a small
grammar of the forms Books of Memory give rise to (levels 0–2 as our parser writes them);
anything else falls back to the bounds the `edtf` package computes, so a machine string is
never shown.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from babel.dates import format_date, get_month_names

from memorybook.model.dates import DateValue

__all__ = [
    "format_date_value",
    "format_day",
    "format_edtf",
    "format_period",
    "format_timestamp",
    "month_label",
]

LANGS = ("ru", "en")

# Words that are not in CLDR. Russian values are (nominative, genitive).
_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "unknown": "date unknown",
        "other": "{main} (other sources: {others})",
        "or": " or ",
        "and": " and ",
        "before": "before {x}",
        "after": "after {x}",
        "not_later": "not later than {x}",
        "not_earlier": "not earlier than {x}",
        "or_earlier": "{x} or earlier",
        "or_later": "{x} or later",
        "about": "about {x}",
        "uncertain": "possibly {x}",
        "uncertain_about": "possibly about {x}",
        "between": "between {a} and {b}",
        "decade": "{x}0s",
        "century": "{x}00s",
        "old_style": "{x} (Old Style)",
        "from": "from {x}",
        "until": "until {x}",
    },
    "ru": {
        "unknown": "дата неизвестна",
        "other": "{main} (по другим данным — {others})",
        "or": " или ",
        "and": " и ",
        "before": "до {x}",
        "after": "после {x}",
        "not_later": "не позднее {x}",
        "not_earlier": "не ранее {x}",
        "or_earlier": "не позднее {x}",
        "or_later": "не ранее {x}",
        "about": "около {x}",
        "uncertain": "предположительно {x}",
        "uncertain_about": "предположительно около {x}",
        "between": "между {a} и {b}",
        "decade": "{x}0-е",
        "decade_gen": "{x}0-х",
        "century": "{x}00-е",
        "century_gen": "{x}00-х",
        "old_style": "{x} (по старому стилю)",
        "from": "с {x}",
        "until": "по {x}",
    },
}

# EDTF level-2 sub-year groupings (21-24 are the level-1 seasons).
_SUBYEAR_EN = {
    21: "spring", 22: "summer", 23: "autumn", 24: "winter",
    25: "spring", 26: "summer", 27: "autumn", 28: "winter",
    29: "spring", 30: "summer", 31: "autumn", 32: "winter",
    33: "first quarter of", 34: "second quarter of", 35: "third quarter of",
    36: "fourth quarter of", 37: "first third of", 38: "second third of",
    39: "last third of", 40: "first half of", 41: "second half of",
}  # fmt: skip
_SEASONS_RU = {
    0: ("весна", "весны"),
    1: ("лето", "лета"),
    2: ("осень", "осени"),
    3: ("зима", "зимы"),
}
_SUBYEAR_RU = {
    **{code: _SEASONS_RU[(code - 21) % 4] for code in range(21, 33)},
    33: ("I квартал", "I квартала"), 34: ("II квартал", "II квартала"),
    35: ("III квартал", "III квартала"), 36: ("IV квартал", "IV квартала"),
    37: ("первая треть", "первой трети"), 38: ("вторая треть", "второй трети"),
    39: ("последняя треть", "последней трети"),
    40: ("первая половина", "первой половины"), 41: ("вторая половина", "второй половины"),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Point:
    """One EDTF date: a year (maybe with unspecified digits), month or sub-year, day."""

    year: str  # "1938", "194X", "19XX"
    month: int | None = None  # 1-12, or 21-41 for a season / sub-year grouping
    day: int | None = None
    approximate: bool = False
    uncertain: bool = False

    @property
    def exact_year(self) -> int | None:
        return int(self.year) if self.year.lstrip("-").isdigit() else None

    def date(self) -> dt.date | None:
        y = self.exact_year
        if y is None or self.month is None or self.month > 12 or self.day is None:
            return None
        try:
            return dt.date(y, self.month, self.day)
        except ValueError:
            return None


_POINT = re.compile(
    r"^(?P<pre>[?~%])?(?P<year>-?\d{4}|\d{3}X|\d{2}XX)"
    r"(?:-(?P<mpre>[?~%])?(?P<month>\d\d|XX)"
    r"(?:-(?P<dpre>[?~%])?(?P<day>\d\d|XX))?)?(?P<q>[?~%])?$"
)


def _point(text: str) -> _Point | None:
    m = _POINT.match(text.strip())
    if m is None:
        return None
    quals = "".join(m.group(g) or "" for g in ("pre", "mpre", "dpre", "q"))
    month = m.group("month")
    day = m.group("day")
    mnum = int(month) if month and month != "XX" else None
    dnum = int(day) if day and day != "XX" and mnum is not None else None
    if mnum is not None and not (1 <= mnum <= 12 or 21 <= mnum <= 41):
        return None
    if dnum is not None and (mnum is None or mnum > 12 or not 1 <= dnum <= 31):
        return None
    return _Point(
        year=m.group("year"),
        month=mnum,
        day=dnum,
        approximate=any(q in quals for q in "~%"),
        uncertain=any(q in quals for q in "?%"),
    )


# ---- words for one point ---------------------------------------------------------------------


def _month_name(month: int, lang: str, genitive: bool) -> str:
    names = get_month_names("wide", "format" if genitive else "stand-alone", locale=lang)
    return str(names[month])


def _year_words(p: _Point, lang: str, genitive: bool) -> str:
    y = p.year
    w = _WORDS[lang]
    if y.endswith("XX"):
        key = "century_gen" if genitive and lang == "ru" else "century"
        return w[key].format(x=y[:-2])
    if y.endswith("X"):
        key = "decade_gen" if genitive and lang == "ru" else "decade"
        return w[key].format(x=y[:-1])
    return y


def _bare(p: _Point, lang: str, genitive: bool = False) -> str:
    """The point without its qualifiers. `genitive`: Russian after a preposition."""
    year = _year_words(p, lang, genitive)
    if p.month is None or p.exact_year is None:
        return year
    if p.month > 12:
        if lang == "ru":
            return f"{_SUBYEAR_RU[p.month][1 if genitive else 0]} {year}"
        return f"{_SUBYEAR_EN[p.month]} {year}"
    day = p.date()
    if day is not None:
        return format_day(day, lang)
    # no day, or an impossible one (30 February): the month and the year
    return f"{_month_name(p.month, lang, genitive)} {year}"


def _qualified(p: _Point, lang: str, genitive: bool = False) -> str:
    w = _WORDS[lang]
    # "около" and "предположительно около" govern the genitive in Russian
    if p.approximate and p.uncertain:
        return w["uncertain_about"].format(x=_bare(p, lang, True))
    if p.approximate:
        return w["about"].format(x=_bare(p, lang, True))
    text = _bare(p, lang, genitive)
    return w["uncertain"].format(x=text) if p.uncertain else text


# ---- open and closed intervals -----------------------------------------------------------------


def _open_end(end: _Point, lang: str) -> str:
    """`../end`: up to and including `end`. A doubt on the end is a doubt on the whole:
    `../1939-12-31?` is "possibly before 1940"."""
    w = _WORDS[lang]
    if end.approximate or end.uncertain:
        plain = _open_end(_Point(end.year, end.month, end.day), lang)
        key = (
            "uncertain_about"
            if end.approximate and end.uncertain
            else ("about" if end.approximate else "uncertain")
        )
        return w[key].format(x=plain)
    d = end.date()
    if d is not None:
        if (d.month, d.day) == (12, 31):
            return w["before"].format(x=str(d.year + 1))
        if d.day == calendar.monthrange(d.year, d.month)[1]:
            nxt = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
            return w["before"].format(x=_bare(_Point(str(nxt.year), nxt.month), lang, True))
    return w["not_later"].format(x=_qualified(end, lang, True))


def _open_start(start: _Point, lang: str) -> str:
    """`start/..`: from `start` on."""
    w = _WORDS[lang]
    d = start.date()
    if d is not None and d.day == 1 and not (start.approximate or start.uncertain):
        if d.month == 1:
            return w["after"].format(x=str(d.year - 1))
        prev = dt.date(d.year - (d.month == 1), (d.month - 2) % 12 + 1, 1)
        return w["after"].format(x=_bare(_Point(str(prev.year), prev.month), lang, True))
    return w["not_earlier"].format(x=_qualified(start, lang, True))


def _closed(a: _Point, b: _Point, lang: str) -> str:
    if a == b:
        return _qualified(a, lang)
    # "от 1937 до 1940" is 1937/1939-12-31: an end on the last day of a year (of a month)
    # reads at the start's precision, "1937–1939"
    d = b.date()
    plain_b = not (b.approximate or b.uncertain)
    if d is not None and plain_b and a.month is None and (d.month, d.day) == (12, 31):
        b = _Point(str(d.year))
    elif (
        d is not None
        and plain_b
        and a.month is not None
        and a.day is None
        and d.day == calendar.monthrange(d.year, d.month)[1]
    ):
        b = _Point(str(d.year), d.month)
    plain = not (a.approximate or a.uncertain or b.approximate or b.uncertain)
    ya, yb = a.exact_year, b.exact_year
    if plain and a.month is None and b.month is None and ya and yb:
        return f"{ya}–{yb}" if ya != yb else str(ya)
    months = a.month is not None and b.month is not None and a.month <= 12 and b.month <= 12
    if plain and ya is not None and ya == yb and months:
        assert a.month is not None and b.month is not None
        if a.day is None and b.day is None:  # August – November 1938
            return f"{_month_name(a.month, lang, False)} – {_bare(b, lang)}"
        if a.day is not None and b.day is not None and a.month == b.month:  # 5–17 August 1937
            return f"{a.day}–{_bare(b, lang)}"
    return f"{_qualified(a, lang)} – {_qualified(b, lang)}"


def _interval(text: str, lang: str) -> str | None:
    left, _, right = text.partition("/")
    open_a = left in ("..", "")
    open_b = right in ("..", "")
    a = None if open_a else _point(left)
    b = None if open_b else _point(right)
    if (not open_a and a is None) or (not open_b and b is None):
        return None
    if a is None and b is None:
        return _WORDS[lang]["unknown"]
    if a is None:
        assert b is not None
        return _open_end(b, lang)
    if b is None:
        return _open_start(a, lang)
    return _closed(a, b, lang)


# ---- sets ---------------------------------------------------------------------------------------


def _set_item(text: str, lang: str) -> str | None:
    w = _WORDS[lang]
    if ".." in text:
        left, _, right = text.partition("..")
        a = _point(left) if left else None
        b = _point(right) if right else None
        if (left and a is None) or (right and b is None):
            return None
        if a is None and b is not None:
            return w["or_earlier"].format(x=_qualified(b, lang, True))
        if b is None and a is not None:
            return w["or_later"].format(x=_qualified(a, lang, True))
        assert a is not None and b is not None
        return _closed(a, b, lang)
    p = _point(text)
    return None if p is None else _qualified(p, lang)


def _set(text: str, lang: str, printed: str | None) -> str | None:
    one_of = text.startswith("[")
    inner = text[1:-1]
    items = [_set_item(i.strip(), lang) for i in inner.split(",") if i.strip()]
    if not items or any(i is None for i in items):
        return None
    words: list[str] = [i for i in items if i is not None]
    w = _WORDS[lang]
    if len(words) == 1:
        return words[0]
    if not one_of:
        return w["and"].join([", ".join(words[:-1]), words[-1]])
    if printed and re.search(r"\bили\b|\bor\b", printed, re.IGNORECASE):
        return w["or"].join([", ".join(words[:-1]), words[-1]])
    # Our parser writes a one-of set for "1883 (1889)" and "(по другим данным - …)": the
    # first reading is the entry's own, the others are what other sources say.
    return w["other"].format(main=words[0], others=", ".join(words[1:]))


# ---- the entry points -----------------------------------------------------------------------


def _lang(lang: str) -> str:
    return lang if lang in LANGS else "en"


@lru_cache(maxsize=65_536)
def format_edtf(
    edtf: str | None, lang: str = "en", *, printed: str | None = None, julian: bool = False
) -> str:
    """An EDTF string in words. `printed` (the date as the source prints it) only chooses
    between "or" and "other sources" for a one-of set; `julian` adds "(Old Style)"."""
    lang = _lang(lang)
    text = (edtf or "").strip()
    if not text:
        return _WORDS[lang]["unknown"]
    words: str | None
    if text[0] in "[{" and text[-1] in "]}":
        words = _set(text, lang, printed)
    elif "/" in text:
        words = _interval(text, lang)
    else:
        p = _point(text)
        words = None if p is None else _qualified(p, lang)
    if words is None:
        words = _fallback(text, lang)
    return _WORDS[lang]["old_style"].format(x=words) if julian else words


def _fallback(text: str, lang: str) -> str:
    """What our grammar does not read: the bounds the `edtf` package computes, in words."""
    try:
        import edtf as edtf_lib

        parsed = edtf_lib.parse_edtf(text)
        lo = dt.date(*parsed.lower_strict()[:3])
        hi = dt.date(*parsed.upper_strict()[:3])
    except Exception:  # not EDTF at all: say so in words, never show the string
        return _WORDS[lang]["unknown"]
    if lo == hi:
        return format_day(lo, lang)
    return _WORDS[lang]["between"].format(a=format_day(lo, lang), b=format_day(hi, lang))


def format_period(start: str | None, end: str | None, lang: str = "en") -> str:
    """A span of time with its two ends as EDTF (either may be missing): "August 1937 –
    November 1938", "from 15 August 1937" / "с 15 августа 1937"."""
    lang = _lang(lang)
    a = _point(start) if start else None
    b = _point(end) if end else None
    if a is not None and b is not None:
        return _closed(a, b, lang)
    if a is not None:
        return _WORDS[lang]["from"].format(x=_qualified(a, lang, True))
    if b is not None:
        return _WORDS[lang]["until"].format(x=_qualified(b, lang, lang == "en"))
    return format_edtf(f"{start}/{end}" if start or end else None, lang)


def format_date_value(value: DateValue | None, lang: str = "en") -> str:
    """A parsed date in words (its printed wording helps only to choose "or")."""
    if value is None:
        return _WORDS[_lang(lang)]["unknown"]
    return format_edtf(value.edtf, lang, printed=value.printed or None, julian=value.julian)


def format_day(day: dt.date, lang: str = "en") -> str:
    """16 March 1878 / 16 марта 1878."""
    return str(format_date(day, "d MMMM y", locale=_lang(lang)))


def month_label(year: int, month: int, lang: str = "en", *, short: bool = False) -> str:
    """A chart's month: "August 1937" / "август 1937", or short "Aug 1937" / "авг. 1937"."""
    lang = _lang(lang)
    if short:
        name = str(get_month_names("abbreviated", "stand-alone", locale=lang)[month])
        if (
            lang == "ru"
            and not name.endswith(".")
            and len(name) < len(_month_name(month, lang, False))
        ):
            name += "."
        return f"{name} {year}"
    return f"{_month_name(month, lang, False)} {year}"


def format_timestamp(value: str | dt.datetime | None, lang: str = "en") -> str:
    """A stored time (ISO 8601, UTC) as the local calendar date in words."""
    if value is None or value == "":
        return _WORDS[_lang(lang)]["unknown"]
    when = value if isinstance(value, dt.datetime) else _parse_time(str(value))
    if when is None:
        return _WORDS[_lang(lang)]["unknown"]
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return format_day(when.astimezone().date(), lang)


def _parse_time(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None

"""Dates as the charts and their lists write them, in the page's language ("October 1937",
"21 октября 1937"): the project's one formatter (`memorybook.dates.display`), plus the short
month name a chart's axis needs. Nothing here is shown as EDTF."""

from __future__ import annotations

import datetime as dt
from functools import cache

from babel.dates import get_month_names

from memorybook.dates.display import format_day, format_edtf, month_label


@cache
def month_short(month: int, lang: str) -> str:
    """An axis tick: "Oct" / "окт"."""
    return str(get_month_names("abbreviated", "stand-alone", locale=lang)[month]).rstrip(".")


def month_year(year: int, month: int, lang: str) -> str:
    return month_label(year, month, lang)


def day_text(day: dt.date, lang: str) -> str:
    return format_day(day, lang)


def period_text(start: str | None, end: str | None, lang: str) -> str:
    """'1937–1938' for whole years, else 'August 1937 – November 1938'."""
    if not start or not end:
        return ""
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    if (a.month, a.day, b.month, b.day) == (1, 1, 12, 31):
        return format_edtf(f"{a.year}/{b.year}" if a.year != b.year else str(a.year), lang)
    return format_edtf(f"{a.year:04d}-{a.month:02d}/{b.year:04d}-{b.month:02d}", lang)


def date_text(edtf: str | None, lang: str) -> str:
    """A stored date (EDTF) in words; nothing for no date."""
    return format_edtf(edtf, lang) if edtf else ""

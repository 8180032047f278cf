"""One function per chart: what was counted, over which period, and what was set apart.

A chart's bars hold only believable readings inside its period. Everything else is counted
beside it, never dropped: entries outside the period, entries dated too coarsely for the
chart, and doubtful readings (`model.plausible`), each with the name of the selection that
lists them (`entries`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from memorybook.model.plausible import BOUNDS, PERIOD_END, PERIOD_START, Plausible
from memorybook.storage import stats_store as ss

RECORDS_NOT_PERSONS = (
    "Counts records (printed entries), not yet persons: one person printed in two lists"
    " counts twice."
)


@dataclass(slots=True)
class SetApart:
    """A count shown beside a chart instead of in it. `reason` is an English sentence with
    `%(name)s` placeholders filled from `params`; `selection` names the list of the entries
    (empty when there is none to show)."""

    kind: str  # outside | coarse | doubtful
    reason: str
    n: int
    selection: str = ""
    params: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Chart:
    """A small table of counts: `columns` name the fields of each row; `series` names the
    column that splits bars into groups (burial site), if any; `period_start`/`period_end`
    (ISO dates) bound what the bars show."""

    key: str
    title: str
    counted: str
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    x: str = ""
    y: str = "n"
    series: str | None = None
    total: int = 0
    unit: str = "records"
    period_start: str | None = None
    period_end: str | None = None
    set_apart: list[SetApart] = field(default_factory=list)

    def as_csv_rows(self) -> list[list[Any]]:
        def cell(v: Any) -> Any:
            if isinstance(v, list):
                return "; ".join(f"{x['printed']} ({x['n']})" for x in v)
            return v

        return [self.columns, *([cell(r.get(c)) for c in self.columns] for r in self.rows)]


def _total(rows: list[dict[str, Any]]) -> int:
    return sum(int(r.get("n") or 0) for r in rows)


def _months(start: dt.date, end: dt.date) -> list[str]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _executions(
    conn: Connection, b: Plausible, start: dt.date, end: dt.date
) -> tuple[list[dict[str, Any]], list[SetApart]]:
    """The dated executions inside the period (not doubtful), and what was set apart."""
    rows = ss.executions_by_day(conn, b)
    inside = [r for r in rows if not r["doubt"] and start <= r["day"] <= end]
    before = sum(r["n"] for r in rows if not r["doubt"] and r["day"] < start)
    after = sum(r["n"] for r in rows if not r["doubt"] and r["day"] > end)
    doubtful = sum(r["n"] for r in rows if r["doubt"])
    apart = [
        SetApart(
            "outside", "shot before %(year)s", before, "executions-before", {"year": start.year}
        ),
        SetApart("outside", "shot after %(year)s", after, "executions-after", {"year": end.year}),
        SetApart("coarse", "dated only to the month or the year", ss.executions_without_day(conn)),
        SetApart(
            "doubtful",
            "date of execution before the year of birth in the same entry, or outside"
            " %(from)s–%(to)s",
            doubtful,
            "executions-doubtful",
            {"from": b.soviet_from, "to": b.soviet_to},
        ),
    ]
    return inside, [a for a in apart if a.n]


COUNTED_EXECUTIONS = (
    "Records saying the person was shot, with the day printed; the bars show the period of"
    " the mass operations, the rest is counted below the chart."
)
COUNTED_EXECUTION_DAYS = (
    "Records saying the person was shot, with the day printed; the calendar shows the period"
    " of the mass operations, one square a day, the rest is counted below it."
)


def executions_per_month(
    conn: Connection,
    b: Plausible = BOUNDS,
    start: dt.date = PERIOD_START,
    end: dt.date = PERIOD_END,
) -> Chart:
    inside, apart = _executions(conn, b, start, end)
    counts: dict[tuple[str, str], int] = {}
    for r in inside:
        k = (r["day"].isoformat()[:7], r["site"])
        counts[k] = counts.get(k, 0) + r["n"]
    sites = sorted(
        {s for _, s in counts},
        key=lambda s: (s == "", -sum(n for (_, s2), n in counts.items() if s2 == s), s),
    )
    rows = [
        {"period": m, "site": s, "n": counts[(m, s)]}
        for m in _months(start, end)
        for s in sites
        if (m, s) in counts
    ]
    return Chart(
        key="executions-per-month",
        title="Executions per month, by burial site",
        counted=f"{COUNTED_EXECUTIONS} {RECORDS_NOT_PERSONS}",
        columns=["period", "site", "n"],
        rows=rows,
        x="period",
        series="site",
        total=_total(rows),
        period_start=start.isoformat(),
        period_end=end.isoformat(),
        set_apart=apart,
    )


def executions_per_day(
    conn: Connection,
    b: Plausible = BOUNDS,
    start: dt.date = PERIOD_START,
    end: dt.date = PERIOD_END,
) -> Chart:
    inside, apart = _executions(conn, b, start, end)
    per_day: dict[str, int] = {}
    for r in inside:
        day = r["day"].isoformat()
        per_day[day] = per_day.get(day, 0) + r["n"]
    rows = [{"day": d, "n": n} for d, n in sorted(per_day.items())]
    return Chart(
        key="executions-per-day",
        title="Executions per day",
        counted=f"{COUNTED_EXECUTION_DAYS} {RECORDS_NOT_PERSONS}",
        columns=["day", "n"],
        rows=rows,
        x="day",
        total=_total(rows),
        period_start=start.isoformat(),
        period_end=end.isoformat(),
        set_apart=apart,
    )


def _doubtful(
    rows: list[dict[str, Any]], reason: str, selection: str, **params: int
) -> list[SetApart]:
    n = sum(r["n"] for r in rows if r["doubt"])
    return [SetApart("doubtful", reason, n, selection, params)] if n else []


def _span(rows: list[dict[str, Any]], x: str) -> tuple[str | None, str | None]:
    """The period a chart of years covers: its first and last year with a bar."""
    if not rows:
        return None, None
    first, last = int(rows[0][x]), int(rows[-1][x])
    step = 9 if x == "decade" else 0
    return f"{first:04d}-01-01", f"{last + step:04d}-12-31"


def ages_at_death(conn: Connection, b: Plausible = BOUNDS) -> Chart:
    raw = ss.ages_at_execution(conn, b)
    rows = [{"age": r["age"], "n": r["n"]} for r in raw if not r["doubt"]]
    return Chart(
        key="ages-at-death",
        title="Age at execution",
        counted=(
            "Records saying the person was shot that give an exact year of birth; the age is"
            f" the year of execution less the year of birth. {RECORDS_NOT_PERSONS}"
        ),
        columns=["age", "n"],
        rows=rows,
        x="age",
        total=_total(rows),
        set_apart=_doubtful(
            raw,
            "age under %(low)s or over %(high)s",
            "ages-doubtful",
            low=b.age_from,
            high=b.age_to,
        ),
    )


def _kept_counts(raw: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Counts by `key` of the rows not marked doubtful (those are set apart, not counted)."""
    kept: dict[Any, int] = {}
    for r in raw:
        if not r["doubt"]:
            kept[r[key]] = kept.get(r[key], 0) + r["n"]
    return [{key: k, "n": n} for k, n in sorted(kept.items())]


def birth_decades(conn: Connection, b: Plausible = BOUNDS) -> Chart:
    raw = ss.birth_decades(conn, b)
    rows = _kept_counts(raw, "decade")
    start, end = _span(rows, "decade")
    return Chart(
        key="birth-decades",
        title="Decade of birth",
        counted=f"Records whose year of birth is known to within a decade. {RECORDS_NOT_PERSONS}",
        columns=["decade", "n"],
        rows=rows,
        x="decade",
        total=_total(rows),
        period_start=start,
        period_end=end,
        set_apart=_doubtful(
            raw,
            "born before %(low)s or after %(high)s, or after the arrest, execution, death or"
            " rehabilitation dated in the same entry",
            "births-doubtful",
            low=b.born_from,
            high=b.soviet_to,
        ),
    )


def rehabilitation_years(conn: Connection, b: Plausible = BOUNDS) -> Chart:
    raw = ss.rehabilitation_years(conn, b)
    rows = _kept_counts(raw, "year")
    start, end = _span(rows, "year")
    return Chart(
        key="rehabilitation-years",
        title="Year of rehabilitation",
        counted=f"Records giving a year of rehabilitation. {RECORDS_NOT_PERSONS}",
        columns=["year", "n"],
        rows=rows,
        x="year",
        total=_total(rows),
        period_start=start,
        period_end=end,
        set_apart=_doubtful(
            raw,
            "rehabilitated before %(low)s, or before the arrest or sentence dated in the same"
            " entry",
            "rehabilitations-doubtful",
            low=b.rehabilitated_from,
        ),
    )


def sentencing_bodies(conn: Connection, variants: int = 6) -> Chart:
    """Per body of the reference model (its key; '' gathers the printed bodies the importer
    could not link to one), with its most frequent printed forms."""
    bodies: dict[str, dict[str, Any]] = {}
    for r in ss.sentencing_bodies(conn, variants):
        body = bodies.setdefault(
            r["body"], {"body": r["body"], "n": r["total"], "forms": r["forms"], "variants": []}
        )
        body["variants"].append({"printed": r["printed"], "n": r["n"]})
    rows = sorted(bodies.values(), key=lambda b: (b["body"] == "", -b["n"], b["body"]))
    return Chart(
        key="sentencing-bodies",
        title="Sentencing bodies",
        counted=(
            "Records naming the body that passed the sentence, counted by the body of the"
            " reference model the printed name was read as; under each, the printed forms"
            f" most often found. {RECORDS_NOT_PERSONS}"
        ),
        columns=["body", "n", "forms", "variants"],
        rows=rows,
        x="body",
        total=_total(rows),
    )


CHARTS: dict[str, Callable[[Connection], Chart]] = {
    "executions-per-month": executions_per_month,
    "executions-per-day": executions_per_day,
    "ages-at-death": ages_at_death,
    "birth-decades": birth_decades,
    "sentencing-bodies": sentencing_bodies,
    "rehabilitation-years": rehabilitation_years,
}

SELECTION_TITLES: dict[str, str] = {
    "executions-doubtful": "Doubtful dates of execution",
    "executions-before": "Executions dated before the period of the chart",
    "executions-after": "Executions dated after the period of the chart",
    "births-doubtful": "Doubtful years of birth",
    "ages-doubtful": "Doubtful ages at execution",
    "rehabilitations-doubtful": "Doubtful years of rehabilitation",
}


def compute(conn: Connection) -> list[Chart]:
    return [fn(conn) for fn in CHARTS.values()]


def entries(
    conn: Connection,
    selection: str,
    limit: int = 50,
    offset: int = 0,
    b: Plausible = BOUNDS,
    start: dt.date = PERIOD_START,
    end: dt.date = PERIOD_END,
) -> tuple[int, list[dict[str, Any]]]:
    """The entries behind a count set apart from a chart (a name of `SELECTION_TITLES`):
    how many, and one page of them. Raises KeyError for an unknown name."""
    where = ss.selection(selection, b, start, end)
    return ss.selected_records(conn, where, limit, offset)

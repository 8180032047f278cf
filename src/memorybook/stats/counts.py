"""One function per chart: rows counted from the records, plus what exactly was counted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from memorybook.storage import read_store as rs

RECORDS_NOT_PERSONS = (
    "Counts records (printed entries), not yet persons: one person printed in two lists"
    " counts twice."
)


@dataclass(slots=True)
class Chart:
    """A small table of counts: `columns` name the fields of each row; `series` names the
    column that splits bars into groups (burial site), if any."""

    key: str
    title: str
    counted: str
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    x: str = ""
    y: str = "n"
    series: str | None = None
    total: int = 0

    def as_csv_rows(self) -> list[list[Any]]:
        return [self.columns, *([r.get(c) for c in self.columns] for r in self.rows)]


def _total(rows: list[dict[str, Any]]) -> int:
    return sum(int(r.get("n") or 0) for r in rows)


def _executions(conn: Connection, period: str) -> Chart:
    labels = rs.burial_labels(conn)
    rows = [
        {
            "period": r["period"],
            "site": r["site"] or "unknown",
            "site_label": labels.get(r["site"], ""),
            "n": int(r["n"]),
        }
        for r in rs.executions_by_period(conn, period)
    ]
    word = "month" if period == "month" else "day"
    return Chart(
        key=f"executions-per-{word}",
        title=f"Executions per {word}, by burial site",
        counted=(
            f"Records with an exact printed date of execution, per {word} and burial site"
            f" (unknown where the entry names none). {RECORDS_NOT_PERSONS}"
        ),
        columns=["period", "site", "site_label", "n"],
        rows=rows,
        x="period",
        series="site",
        total=_total(rows),
    )


def executions_per_month(conn: Connection) -> Chart:
    return _executions(conn, "month")


def executions_per_day(conn: Connection) -> Chart:
    return _executions(conn, "day")


def ages_at_death(conn: Connection) -> Chart:
    rows = [{"age": int(r["age"]), "n": int(r["n"])} for r in rs.ages_at_death(conn)]
    return Chart(
        key="ages-at-death",
        title="Age at death",
        counted=(
            "Records giving both an exact year of birth and a year of death; age is the"
            f" difference of the years. {RECORDS_NOT_PERSONS}"
        ),
        columns=["age", "n"],
        rows=rows,
        x="age",
        total=_total(rows),
    )


def birth_decades(conn: Connection) -> Chart:
    rows = [{"decade": int(r["decade"]), "n": int(r["n"])} for r in rs.birth_decades(conn)]
    return Chart(
        key="birth-decades",
        title="Decade of birth",
        counted=f"Records whose year of birth is known to within a decade. {RECORDS_NOT_PERSONS}",
        columns=["decade", "n"],
        rows=rows,
        x="decade",
        total=_total(rows),
    )


def sentencing_bodies(conn: Connection) -> Chart:
    rows = [
        {"body": str(r["body"]), "label": str(r["label"]), "n": int(r["n"])}
        for r in rs.sentencing_bodies(conn)
    ]
    return Chart(
        key="sentencing-bodies",
        title="Sentencing bodies",
        counted=(
            "Records naming the body that passed the sentence; the fifteen most frequent, as"
            f" normalised by the importer. {RECORDS_NOT_PERSONS}"
        ),
        columns=["body", "label", "n"],
        rows=rows,
        x="label",
        total=_total(rows),
    )


def rehabilitation_years(conn: Connection) -> Chart:
    rows = [{"year": int(r["year"]), "n": int(r["n"])} for r in rs.rehab_years(conn)]
    return Chart(
        key="rehabilitation-years",
        title="Year of rehabilitation",
        counted=f"Records giving a year of rehabilitation. {RECORDS_NOT_PERSONS}",
        columns=["year", "n"],
        rows=rows,
        x="year",
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


def compute(conn: Connection) -> list[Chart]:
    return [fn(conn) for fn in CHARTS.values()]

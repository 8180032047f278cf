"""The figures ledger: every source's number for the same thing, side by side.

One row per (operation, measure, nationality, region). Each value keeps its source, citation,
period and hedge; `disagree` marks a row whose sources print different numbers, and
`compatible` says whether the numbers could still all be true (e.g. "over 1.5 million" and
1,548,366). Nothing is averaged and no value is preferred.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from memorybook.model.history import Figure
from memorybook.reference.intervals import bounds, display, qualifier
from memorybook.reference.measures import normalise_measure
from memorybook.reference.types import ReferenceData


@dataclass(frozen=True, slots=True)
class LedgerValue:
    source_key: str
    figure_key: str
    display: str
    low: float
    high: float
    citation: str
    about: bool = False
    qualifier: str | None = None
    period: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class LedgerRow:
    operation: str | None
    measure: str
    nationality: str | None
    region: str | None
    unit: str
    values: tuple[LedgerValue, ...]
    disagree: bool
    compatible: bool

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.source_key for v in self.values))

    @property
    def scope(self) -> str:
        parts = [p for p in (self.nationality, self.region) if p]
        return ", ".join(parts) if parts else "not stated"


def ledger(
    ref: ReferenceData,
    operation: str | None = None,
    measure: str | None = None,
    *,
    include_tables: bool = True,
) -> list[LedgerRow]:
    """Rows for one operation (key, alias or order number) and/or one measure, or all."""
    op_key = ref.operation(operation).key if operation else None
    want = normalise_measure(measure) if measure else None
    groups: dict[tuple[str | None, str, str | None, str | None, str], list[Figure]]
    groups = defaultdict(list)
    for fig in ref.figures.values():
        if op_key is not None and fig.operation != op_key:
            continue
        if want is not None and fig.measure != want:
            continue
        if not include_tables and "table" in fig.tags:
            continue
        groups[(fig.operation, fig.measure, fig.nationality, fig.region, fig.unit)].append(fig)
    order = {key: i for i, key in enumerate(ref.operations)}
    rows = [_row(ref, key, figs) for key, figs in groups.items()]
    rows.sort(key=lambda r: (order.get(r.operation or "", len(order)), r.operation or "",
                             r.measure, r.nationality or "", r.region or ""))  # fmt: skip
    return rows


def _row(
    ref: ReferenceData,
    key: tuple[str | None, str, str | None, str | None, str],
    figs: list[Figure],
) -> LedgerRow:
    values = tuple(
        LedgerValue(
            source_key=f.citation.source_key,
            figure_key=f.key,
            display=display(f),
            low=bounds(f)[0],
            high=bounds(f)[1],
            citation=_cite(ref, f),
            about=f.about,
            qualifier=qualifier(f),
            period=f.period,
            note=f.note,
        )
        for f in sorted(figs, key=lambda f: (f.citation.source_key, f.key))
    )
    intervals = {(v.low, v.high) for v in values}
    lo = max(v.low for v in values)
    hi = min(v.high for v in values)
    operation, measure, nationality, region, unit = key
    return LedgerRow(
        operation=operation,
        measure=measure,
        nationality=nationality,
        region=region,
        unit=unit,
        values=values,
        disagree=len(intervals) > 1,
        compatible=lo <= hi,
    )


def _cite(ref: ReferenceData, fig: Figure) -> str:
    src = ref.sources[fig.citation.source_key]
    loc = ", ".join(f"{k} {v}" for k, v in fig.citation.locator.items() if k != "section")
    return f"{src.file_name}, {loc}" if loc else str(src.file_name)


def _mark(row: LedgerRow) -> str:
    if not row.disagree:
        return "agree" if len(row.values) > 1 else ""
    return "DISAGREE" if not row.compatible else "differ (compatible)"


def render_ledger_text(rows: list[LedgerRow]) -> str:
    """A plain-text table: a heading per (operation, measure), a block per scope, a line per
    source's value, so that differently scoped counts of one thing stand next to each other."""
    if not rows:
        return "No figures match.\n"
    lines: list[str] = []
    heading: tuple[str | None, str] | None = None
    for row in rows:
        if (row.operation, row.measure) != heading:
            heading = (row.operation, row.measure)
            if lines:
                lines.append("")
            lines.append(f"{row.operation or '(no operation)'} — {row.measure}")
        scope = f"scope {row.scope}" + (f", unit {row.unit}" if row.unit != "persons" else "")
        mark = _mark(row)
        lines.append(f"  {scope}" + (f"   [{mark}]" if mark else ""))
        width = max(len(v.display) for v in row.values)
        for v in row.values:
            extra = f"  period {v.period}" if v.period else ""
            note = f"  ({v.note})" if v.note else ""
            lines.append(f"    {v.display:>{width}}  {v.source_key:<9} {v.citation}{extra}{note}")
    return "\n".join(lines) + "\n"


def ledger_json(rows: list[LedgerRow]) -> list[dict[str, Any]]:
    """Plain dicts for JSON; open bounds become null."""

    def num(x: float) -> float | int | None:
        if math.isinf(x):
            return None
        return int(x) if float(x).is_integer() else x

    return [
        {
            "operation": r.operation,
            "measure": r.measure,
            "nationality": r.nationality,
            "region": r.region,
            "unit": r.unit,
            "disagree": r.disagree,
            "compatible": r.compatible,
            "values": [
                {
                    "source": v.source_key,
                    "figure": v.figure_key,
                    "display": v.display,
                    "low": num(v.low),
                    "high": num(v.high),
                    "about": v.about,
                    "qualifier": v.qualifier,
                    "period": v.period,
                    "citation": v.citation,
                    "note": v.note,
                }
                for v in r.values
            ],
        }
        for r in rows
    ]

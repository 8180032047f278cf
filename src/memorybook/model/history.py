"""The documented machinery of the mass operations: orders, operations, quotas and figures.

This is history to be documented with its sources, never a workflow to run."""

from __future__ import annotations

from dataclasses import dataclass, field

from memorybook.model.sources import Citation


@dataclass(frozen=True, slots=True)
class Order:
    key: str
    title: str
    number: str | None = None  # "00447"; None for letters and resolutions without a number
    date: str | None = None  # EDTF
    issuer: str | None = None
    kind: str = "order"  # order, resolution, circular, letter, decree, minutes
    targets: str | None = None  # as historians describe them
    summary: str | None = None
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class Operation:
    key: str
    name: str
    orders: tuple[str, ...] = ()
    start: str | None = None  # EDTF
    end: str | None = None
    targets: str | None = None
    procedure: str | None = None
    aliases: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class Quota:
    key: str
    region: str
    category: str  # "1" shooting, "2" camps, "total"
    limit: int
    date: str | None = None
    decision: str | None = None  # key of the Order that set or raised it
    increase: bool = False
    operation: str | None = None
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class Figure:
    """A number a source states. `value` or `low`..`high`; `about` where the source hedges.
    Scope: operation, nationality, region, period; what it counts: `measure`."""

    key: str
    measure: str
    citation: Citation
    value: float | None = None
    low: float | None = None
    high: float | None = None
    about: bool = False
    operation: str | None = None
    nationality: str | None = None
    region: str | None = None
    period: str | None = None  # EDTF interval, e.g. "1937-08/1938-11"
    unit: str = "persons"  # persons, percent, ratio
    note: str | None = None
    tags: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.value is None and (self.low is None or self.high is None):
            raise ValueError(f"figure {self.key}: a value or a range is required")

    @property
    def scope(self) -> tuple[str | None, str | None, str | None, str | None]:
        return (self.operation, self.nationality, self.region, self.period)

    def display(self) -> str:
        if self.value is not None:
            text = _fmt(self.value)
        else:
            assert self.low is not None and self.high is not None
            text = f"{_fmt(self.low)}–{_fmt(self.high)}"
        if self.unit == "percent":
            text += " %"
        return ("about " if self.about else "") + text


def _fmt(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,}"

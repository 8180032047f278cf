"""Operations: each operation and order with its dates, targets and procedure as the seeds
describe them; the figures ledger with disagreements side by side; the consistency findings;
quota increases on a timeline.

Everything here comes from the library: `load_reference()` for the authored data,
`ledger()` / `ledger_json()` for the figures (so the page shows exactly the rows and marks of
`memorybook figures`) and `run_checks()` for the findings (those of `memorybook check`). This
module only reshapes them into page contexts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response

from memorybook.errors import BadQuery
from memorybook.model.sources import Citation as ModelCitation
from memorybook.reference import ReferenceData, load_reference, run_checks
from memorybook.reference.bibliography import cite, works
from memorybook.reference.ledger import ledger, ledger_json
from memorybook.web import svg
from memorybook.web.chart_dates import month_year
from memorybook.web.errors import ERROR_RESPONSES, ErrorBody
from memorybook.web.site import Site, json_response
from memorybook.web.words import Words


@dataclass(slots=True)
class Citation:
    """Where a cited document says it: `work` is the document's address on the site
    (/sources/<work>), `short` its running form ("Werth 2010"), `document` its file name."""

    source: str
    document: str
    title: str
    para: int | None
    section: str | None
    work: str = ""
    short: str = ""


@dataclass(slots=True)
class Document:
    """A document the ledger cites, by its source key (`work`: its address on the site)."""

    key: str
    title: str
    document: str
    work: str = ""
    short: str = ""


@dataclass(slots=True)
class Operation:
    key: str
    name: str
    start: str | None
    end: str | None
    part_of: str | None
    targets: str | None
    procedure: str | None
    orders: list[str] = field(default_factory=list)
    cite: list[Citation] = field(default_factory=list)


@dataclass(slots=True)
class Order:
    key: str
    title: str
    kind: str | None
    date: str | None
    issuer: str | None
    targets: str | None
    summary: str | None
    cite: list[Citation] = field(default_factory=list)


@dataclass(slots=True)
class Quota:
    key: str
    operation: str | None
    decision: str | None
    date: str | None
    increase: bool
    region: str | None
    category: str | None
    limit: int | None
    printed: str | None
    cite: list[Citation] = field(default_factory=list)


@dataclass(slots=True)
class LedgerValue:
    """One source's number, exactly as `ledger_json` gives it (open bounds are null)."""

    source: str
    figure: str
    display: str
    low: float | None
    high: float | None
    about: bool
    qualifier: str | None
    period: str | None
    citation: str
    note: str | None


@dataclass(slots=True)
class LedgerRow:
    """All the sources' numbers for one measure of one operation in one scope, as
    `memorybook figures --json` prints them. `disagree`: the sources print different
    numbers; `compatible`: they could still all be true ("over 1.5 million" and 1,548,366)."""

    operation: str | None
    measure: str
    nationality: str | None
    region: str | None
    unit: str
    disagree: bool
    compatible: bool
    values: list[LedgerValue] = field(default_factory=list)


@dataclass(slots=True)
class Finding:
    """A consistency finding of `memorybook check`: reported, never corrected."""

    kind: str
    severity: str
    message: str
    figures: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class OperationsContext:
    operations: list[Operation] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    quotas: list[Quota] = field(default_factory=list)
    ledger: list[LedgerRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)


@dataclass(slots=True)
class OperationContext:
    operation: Operation
    parts: list[Operation] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    quotas: list[Quota] = field(default_factory=list)
    ledger: list[LedgerRow] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)


# ---- from the library's types to the page's ----------------------------------------------------


def _cites(ref: ReferenceData, citations: tuple[ModelCitation, ...]) -> list[Citation]:
    out = []
    for c in citations:
        src = ref.sources.get(c.source_key)
        doc = (src.file_name if src else None) or c.source_key
        author = src.author if src else None
        title = f"{author}, {src.title}" if src and author else (src.title if src else doc)
        where = cite(ref, c)
        out.append(
            Citation(
                source=c.source_key,
                document=doc,
                title=title,
                para=where.para,
                section=where.section,
                work=where.work.slug,
                short=where.work.short,
            )
        )
    return out


def _documents(ref: ReferenceData) -> dict[str, Document]:
    known = works(ref)
    return {
        key: Document(
            key=key,
            title=f"{s.author}, {s.title}" if s.author else s.title,
            document=s.file_name or key,
            work=known[key].slug,
            short=known[key].short,
        )
        for key, s in ref.sources.items()
    }


def _ledger(ref: ReferenceData, operation: str | None = None) -> list[LedgerRow]:
    out = []
    for r in ledger_json(ledger(ref, operation=operation)):
        head = {k: v for k, v in r.items() if k != "values"}
        out.append(LedgerRow(**head, values=[LedgerValue(**v) for v in r["values"]]))
    return out


def _operations(ref: ReferenceData) -> list[Operation]:
    parent = {part: g.key for g in ref.groups.values() for part in g.parts}
    return [
        Operation(
            key=o.key,
            name=o.name,
            start=o.start,
            end=o.end,
            part_of=parent.get(o.key),
            targets=o.targets,
            procedure=o.procedure,
            orders=list(o.orders),
            cite=_cites(ref, o.citations),
        )
        for o in ref.operations.values()
    ]


def _orders(ref: ReferenceData) -> list[Order]:
    out = [
        Order(
            key=o.key,
            title=o.title,
            kind=o.kind,
            date=o.date,
            issuer=o.issuer,
            targets=o.targets,
            summary=o.summary,
            cite=_cites(ref, o.citations),
        )
        for o in ref.orders.values()
    ]
    return sorted(out, key=lambda o: (o.date or "9999", o.key))


def _quotas(ref: ReferenceData) -> list[Quota]:
    out = []
    for q in ref.quotas.values():
        decided = ref.orders.get(q.decision or "")
        out.append(
            Quota(
                key=q.key,
                operation=q.operation,
                decision=q.decision,
                # a quota the seeds do not date takes the date of the decision that set it
                date=q.date or (decided.date if decided else None),
                increase=q.increase,
                region=q.region,
                category=q.category,
                limit=q.limit,
                printed=ref.printed.get(q.key),
                cite=_cites(ref, q.citations),
            )
        )
    return sorted(out, key=lambda q: (q.date or "9999", q.key))


def build(site: Site) -> OperationsContext:
    def compute() -> OperationsContext:
        ref = load_reference()
        return OperationsContext(
            operations=_operations(ref),
            orders=_orders(ref),
            quotas=_quotas(ref),
            ledger=_ledger(ref),
            findings=[
                Finding(
                    f.kind,
                    f.severity,
                    f.message,
                    list(f.figures),
                    list(f.citations),
                    dict(f.detail),
                )
                for f in run_checks(ref)
            ],
            documents=_documents(ref),
        )

    return site.memoised("operations", compute)


def build_one(site: Site, key: str) -> OperationContext:
    all_ = build(site)
    op = next((o for o in all_.operations if o.key == key), None)
    if op is None:
        raise HTTPException(404, "There is no operation with this key.")

    def rows() -> list[LedgerRow]:
        try:
            return _ledger(load_reference(), operation=key)
        except BadQuery:  # cannot happen for a listed key; a 404 rather than a 500 if it did
            raise HTTPException(404, "There is no operation with this key.") from None

    return OperationContext(
        operation=op,
        parts=[o for o in all_.operations if o.part_of == key],
        orders=[o for o in all_.orders if o.key in op.orders],
        quotas=[q for q in all_.quotas if q.operation == key],
        ledger=site.memoised(f"ledger:{key}", rows),
        documents=all_.documents,
    )


class Shown(Protocol):
    qualifier: str | None
    about: bool


def shown(v: Shown, gettext: Callable[[str], str]) -> str:
    """The library's display of a value (`display`, or `value` on the statistics page) in the
    page's language: its hedge words translated, its digits grouped by thin spaces as
    everywhere on the site."""
    text = str(getattr(v, "display", None) or getattr(v, "value", ""))
    words = []
    for word in (v.qualifier, "about" if v.about else None):
        if word and text.startswith(word + " "):
            words.append(gettext(word))
            text = text[len(word) + 1 :]
    return " ".join([*words, text.replace(",", "\u202f")])


QUOTA_DESC = (
    "Each stem is a limit or an increase the sources date; its height is the number of people."
)


# One colour per quota category (Okabe–Ito): shooting vermillion, camps blue, both grey.
QUOTA_COLOURS = {"1": svg.PALETTE[3], "2": svg.PALETTE[0], "total": svg.UNKNOWN}


def quota_legend(quotas: list[Quota], w: Words) -> list[dict[str, str]]:
    """The categories the quota chart shows, in its colours."""
    shown = {q.category for q in quotas if q.date and q.limit}
    return [
        {"label": w.label("category", k), "colour": c}
        for k, c in QUOTA_COLOURS.items()
        if k in shown
    ]


def quota_chart(quotas: list[Quota], w: Words) -> Any:
    """Quota limits and increases on a time axis from July 1937 to December 1938, ticks at
    the quarters, written as months of the page's language; a colour per category."""
    start, months = (1937, 7), 17  # July 1937 to December 1938

    def position(date: str) -> float:
        y, m = int(date[:4]), int(date[5:7])
        day = int(date[8:10]) if len(date) >= 10 else 1
        return ((y - start[0]) * 12 + m - start[1] + (day - 1) / 31) / months

    points = [
        (
            position(q.date),
            float(q.limit),
            f"{w.date(q.date)} · {w.scope(q.region)} · {w.label('category', q.category)}:"
            f" {w.num(q.limit)}",
            str(q.category),
        )
        for q in quotas
        if q.date and q.limit and len(q.date) >= 7
    ]
    ticks = [
        (
            i / months,
            month_year(start[0] + (start[1] - 1 + i) // 12, (start[1] - 1 + i) % 12 + 1, w.lang),
        )
        for i in range(0, months, 3)
    ]
    if not points:
        return None
    return svg.timeline(
        points,
        ticks,
        title=w._("Quota limits and increases"),
        desc=w._(QUOTA_DESC),
        lang=w.lang,
        series={k: c for k, c in QUOTA_COLOURS.items() if any(p[3] == k for p in points)},
    )


OpKey = Annotated[str, PathParam(max_length=80, pattern=r"^[A-Za-z0-9_.\-]+$")]


def router(site: Site) -> APIRouter:
    r = APIRouter()

    @r.get(
        "/operations.json",
        response_model=OperationsContext,
        tags=["pages"],
        summary="Operations, orders, quotas, the figures ledger and its consistency findings",
    )
    def operations_json() -> Response:
        return json_response(build(site))

    @r.get(
        "/operations/{key}.json",
        response_model=OperationContext,
        tags=["pages"],
        summary="One operation",
        responses={404: {"model": ErrorBody}, **ERROR_RESPONSES},
    )
    def operation_json(key: OpKey) -> Response:
        return json_response(build_one(site, key))

    @r.get("/operations", response_class=HTMLResponse, include_in_schema=False)
    def operations(request: Request) -> HTMLResponse:
        ctx = build(site)
        words = site.words(request)
        chart = quota_chart(ctx.quotas, words)
        legend = quota_legend(ctx.quotas, words)
        return site.render(request, "operations.html", ctx, chart=chart, legend=legend, shown=shown)

    @r.get("/operations/{key}", response_class=HTMLResponse, include_in_schema=False)
    def operation(key: OpKey, request: Request) -> HTMLResponse:
        ctx = build_one(site, key)
        words = site.words(request)
        chart = quota_chart(ctx.quotas, words)
        legend = quota_legend(ctx.quotas, words)
        return site.render(request, "operation.html", ctx, chart=chart, legend=legend, shown=shown)

    return r

"""Operations: each operation and order with its dates, targets and procedure as the seeds
describe them; the figures ledger with disagreements side by side; quota increases on a
timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response

from memorybook.storage import read_store as rs
from memorybook.web import svg
from memorybook.web.errors import ERROR_RESPONSES, ErrorBody
from memorybook.web.site import Site, json_response

KINDS = ("operations", "orders", "quotas", "figures", "sources")
YAML_DIR = Path(__file__).resolve().parents[2] / "reference" / "data"


@dataclass(slots=True)
class Citation:
    document: str
    title: str
    para: int | None
    section: str | None


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
    note: str | None
    cite: list[Citation] = field(default_factory=list)


@dataclass(slots=True)
class Figure:
    key: str
    operation: str | None
    measure: str
    value: str
    printed: str | None
    qualifier: str | None
    about: bool
    period: str | None
    region: str | None
    note: str | None
    cite: list[Citation] = field(default_factory=list)


@dataclass(slots=True)
class LedgerRow:
    """All the figures the seeds give for one measure of one operation, side by side."""

    operation: str
    measure: str
    region: str | None
    disagree: bool
    figures: list[Figure] = field(default_factory=list)


@dataclass(slots=True)
class OperationsContext:
    operations: list[Operation] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    quotas: list[Quota] = field(default_factory=list)
    ledger: list[LedgerRow] = field(default_factory=list)


@dataclass(slots=True)
class OperationContext:
    operation: Operation
    parts: list[Operation] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    quotas: list[Quota] = field(default_factory=list)
    ledger: list[LedgerRow] = field(default_factory=list)


def _s(v: Any) -> str | None:
    return None if v is None or v == "" else str(v)


def _items(site: Site) -> dict[str, list[dict[str, Any]]]:
    def load() -> dict[str, list[dict[str, Any]]]:
        with site.read() as conn:
            items = {k: rs.reference_items(conn, k) for k in KINDS}
        if not items["operations"]:  # an archive made before the reference data was loaded
            for k in KINDS:
                path = YAML_DIR / f"{k}.yaml"
                if path.exists():
                    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
                    items[k] = [i for i in data.get(k, []) if isinstance(i, dict)]
        return items

    return site.memoised("reference", load)


def _cites(raw: Any, titles: dict[str, str]) -> list[Citation]:
    if isinstance(raw, dict):
        raw = [raw]
    out = []
    for c in raw if isinstance(raw, list) else []:
        if isinstance(c, dict):
            doc = str(c.get("file") or c.get("source") or "")
            out.append(
                Citation(
                    document=doc,
                    title=titles.get(doc, doc),
                    para=c.get("para") if isinstance(c.get("para"), int) else None,
                    section=_s(c.get("section")),
                )
            )
    return out


def _value(f: dict[str, Any]) -> str:
    if f.get("value") is not None:
        return (
            f"{f['value']:,}".replace(",", "\u202f")
            if isinstance(f["value"], int)
            else str(f["value"])
        )
    if f.get("low") is not None or f.get("high") is not None:
        lo = f"{f.get('low'):,}".replace(",", "\u202f") if isinstance(f.get("low"), int) else "?"
        hi = f"{f.get('high'):,}".replace(",", "\u202f") if isinstance(f.get("high"), int) else "?"
        return f"{lo}–{hi}"
    return "?"


def _numeric(f: dict[str, Any]) -> tuple[Any, Any]:
    return (f.get("value"), (f.get("low"), f.get("high")))


def build(site: Site) -> OperationsContext:
    def compute() -> OperationsContext:
        items = _items(site)
        titles = {
            str(
                d.get("file_name")
            ): f"{d.get('author') or ''}{', ' if d.get('author') else ''}{d.get('title')}"
            for d in items["sources"]
        }
        ctx = OperationsContext()
        for o in items["operations"]:
            ctx.operations.append(
                Operation(
                    key=str(o.get("key")),
                    name=str(o.get("name") or o.get("key")),
                    start=_s(o.get("start")),
                    end=_s(o.get("end")),
                    part_of=_s(o.get("part_of")),
                    targets=_s(o.get("targets")),
                    procedure=_s(o.get("procedure")),
                    orders=[str(x) for x in o.get("orders") or []],
                    cite=_cites(o.get("cite"), titles),
                )
            )
        for o in items["orders"]:
            ctx.orders.append(
                Order(
                    key=str(o.get("key")),
                    title=str(o.get("title") or o.get("key")),
                    kind=_s(o.get("kind")),
                    date=_s(o.get("date")),
                    issuer=_s(o.get("issuer")),
                    targets=_s(o.get("targets")),
                    summary=_s(o.get("summary")),
                    cite=_cites(o.get("cite"), titles),
                )
            )
        ctx.orders.sort(key=lambda o: (o.date or "9999", o.key))
        order_dates = {o.key: o.date for o in ctx.orders}
        for q in items["quotas"]:
            decision = _s(q.get("decision"))
            ctx.quotas.append(
                Quota(
                    key=str(q.get("key")),
                    operation=_s(q.get("operation")),
                    decision=decision,
                    date=_s(q.get("date")) or order_dates.get(decision or ""),
                    increase=bool(q.get("increase")),
                    region=_s(q.get("region")),
                    category=_s(q.get("category")),
                    limit=q.get("limit") if isinstance(q.get("limit"), int) else None,
                    printed=_s(q.get("printed")),
                    note=_s(q.get("note")),
                    cite=_cites(q.get("cite"), titles),
                )
            )
        ctx.quotas.sort(key=lambda q: (q.date or "9999", q.key))
        groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for f in items["figures"]:
            k = (
                str(f.get("operation") or ""),
                str(f.get("measure") or ""),
                str(f.get("region") or ""),
            )
            groups.setdefault(k, []).append(f)
        for (op, measure, region), figs in groups.items():
            ctx.ledger.append(
                LedgerRow(
                    operation=op,
                    measure=measure,
                    region=region or None,
                    disagree=len({repr(_numeric(f)) for f in figs}) > 1,
                    figures=[
                        Figure(
                            key=str(f.get("key")),
                            operation=_s(f.get("operation")),
                            measure=str(f.get("measure") or ""),
                            value=_value(f),
                            printed=_s(f.get("printed")),
                            qualifier=_s(f.get("qualifier")),
                            about=bool(f.get("about")),
                            period=_s(f.get("period")),
                            region=_s(f.get("region")),
                            note=_s(f.get("note")),
                            cite=_cites(f.get("cite"), titles),
                        )
                        for f in figs
                    ],
                )
            )
        return ctx

    return site.memoised("operations", compute)


def quota_chart(quotas: list[Quota], title: str, desc: str) -> Any:
    points = [
        (q.date, float(q.limit), f"{q.region or ''} · {q.category or ''}: {q.printed or q.limit}")
        for q in quotas
        if q.date and q.limit and len(q.date) >= 7
    ]
    return svg.timeline(points, title=title, desc=desc) if points else None


def build_one(site: Site, key: str) -> OperationContext:
    all_ = build(site)
    op = next((o for o in all_.operations if o.key == key), None)
    if op is None:
        raise HTTPException(404, "There is no operation with this key.")
    return OperationContext(
        operation=op,
        parts=[o for o in all_.operations if o.part_of == key],
        orders=[o for o in all_.orders if o.key in op.orders],
        quotas=[q for q in all_.quotas if q.operation == key],
        ledger=[row for row in all_.ledger if row.operation == key],
    )


OpKey = Annotated[str, PathParam(max_length=80, pattern=r"^[A-Za-z0-9_.\-]+$")]


def router(site: Site) -> APIRouter:
    r = APIRouter()

    @r.get(
        "/operations.json",
        response_model=OperationsContext,
        tags=["pages"],
        summary="Operations, orders, quotas and the figures ledger",
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
        chart = quota_chart(
            ctx.quotas,
            "Quota limits and increases",
            "Each stem is a limit or an increase the seeds date; its height is the number.",
        )
        return site.render(request, "operations.html", ctx, chart=chart)

    @r.get("/operations/{key}", response_class=HTMLResponse, include_in_schema=False)
    def operation(key: OpKey, request: Request) -> HTMLResponse:
        ctx = build_one(site, key)
        chart = quota_chart(ctx.quotas, "Quota limits and increases", "")
        return site.render(request, "operation.html", ctx, chart=chart)

    return r

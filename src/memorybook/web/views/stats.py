"""Statistics: charts computed from the records, each with what it counts and its data as CSV,
and the published figures beside the counted ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from memorybook import stats
from memorybook.export.csvfile import csv_text
from memorybook.reference import load_reference
from memorybook.reference.ledger import ledger
from memorybook.storage import read_store as rs
from memorybook.web import svg
from memorybook.web.errors import ERROR_RESPONSES, ErrorBody
from memorybook.web.site import Site, json_response
from memorybook.web.views import operations


@dataclass(slots=True)
class ChartData:
    key: str
    title: str
    counted: str
    columns: list[str]
    rows: list[dict[str, Any]]
    total: int
    csv_url: str
    available: bool = True


@dataclass(slots=True)
class Published:
    """One source's figure as the reference ledger gives it."""

    key: str
    value: str
    qualifier: str | None
    about: bool
    period: str | None
    source: str
    citation: str


@dataclass(slots=True)
class Comparison:
    """A number counted from the records beside the numbers the cited documents publish."""

    measure: str
    counted: int
    counted_what: str
    published: list[Published] = field(default_factory=list)


@dataclass(slots=True)
class StatsContext:
    charts: list[ChartData] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)


def _chart(site: Site, key: str) -> stats.Chart | None:
    cache_key = f"chart:{key}"
    cached = site.memo.get(cache_key)
    if cached is not None:
        return cached
    fn = stats.CHARTS[key]
    try:
        with site.engine.connect() as conn, rs.time_limit(conn, site.settings.query_seconds):
            chart = fn(conn)
    except rs.QueryTimeout:
        site.warm(cache_key, fn)  # a large archive: computed once in the background
        return None
    site.memo[cache_key] = chart
    return chart


def build(site: Site) -> StatsContext:
    ctx = StatsContext()
    for key, fn in stats.CHARTS.items():
        chart = _chart(site, key)
        if chart is None:
            doc = (fn.__doc__ or key).strip()
            ctx.charts.append(
                ChartData(key, key, doc, [], [], 0, f"/statistics/{key}.csv", available=False)
            )
            continue
        ctx.charts.append(
            ChartData(
                key=chart.key,
                title=chart.title,
                counted=chart.counted,
                columns=chart.columns,
                rows=chart.rows,
                total=chart.total,
                csv_url=f"/statistics/{chart.key}.csv",
            )
        )
    ctx.comparisons = comparisons(site)
    return ctx


def comparisons(site: Site) -> list[Comparison]:
    def compute() -> list[Comparison]:
        month = _chart(site, "executions-per-month")
        counted = (
            sum(int(r["n"]) for r in month.rows if str(r["period"])[:4] in ("1937", "1938"))
            if month
            else 0
        )
        # The same rows `memorybook figures --operation great_terror --measure shot` prints.
        rows = ledger(load_reference(), operation="great_terror", measure="shot")
        published = [
            Published(
                key=v.figure_key,
                value=v.display,
                qualifier=v.qualifier,
                about=v.about,
                period=v.period,
                source=v.source_key,
                citation=v.citation,
            )
            for row in rows
            if row.nationality is None and row.region is None
            for v in row.values
        ]
        return [
            Comparison(
                measure="shot, 1937–1938",
                counted=counted,
                counted_what=(
                    "records in this archive with an exact date of execution in 1937 or 1938"
                    " (the lists imported here, mostly Moscow: a small part of the whole)"
                ),
                published=published,
            )
        ]

    return site.memoised("comparisons", compute)


ChartKey = Annotated[str, PathParam(max_length=40, pattern=r"^[a-z\-]+$")]


def router(site: Site) -> APIRouter:
    r = APIRouter()

    @r.get(
        "/statistics.json",
        response_model=StatsContext,
        tags=["pages"],
        summary="Charts counted from the records, with published figures beside them",
    )
    def stats_json() -> Response:
        return json_response(build(site))

    @r.get(
        "/statistics/{key}.csv",
        tags=["export"],
        summary="One chart's data as CSV",
        responses={
            200: {"content": {"text/csv": {}}},
            404: {"model": ErrorBody},
            **ERROR_RESPONSES,
        },
        response_class=Response,
    )
    def chart_csv(key: ChartKey) -> Response:
        if key not in stats.CHARTS:
            raise HTTPException(404, "There is no chart with this name.")
        chart = _chart(site, key)
        if chart is None:
            raise HTTPException(503, "This chart is still being computed: try again shortly.")
        header, *rows = chart.as_csv_rows()
        return Response(
            csv_text(header, rows),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{key}.csv"'},
        )

    @r.get("/statistics", response_class=HTMLResponse, include_in_schema=False)
    def statistics(request: Request) -> HTMLResponse:
        from memorybook.web.i18n import request_lang, translations

        _ = translations(request_lang(request, site.settings.default_lang)).gettext
        ctx = build(site)
        svgs: dict[str, Markup] = {}
        legends: dict[str, list[dict[str, str]]] = {}
        for c in ctx.charts:
            if not c.available or not c.rows:
                continue
            if c.key.startswith("executions"):
                labels = {str(r["site"]): str(r["site_label"] or _("unknown")) for r in c.rows}
                svgs[c.key] = svg.bar_chart(
                    c.rows,
                    "period",
                    series="site",
                    series_labels=labels,
                    title=_(c.title),
                    desc=_(c.counted),
                    max_ticks=9,
                )
                keys = list(dict.fromkeys(str(r["site"]) for r in c.rows))
                legends[c.key] = svg.legend(keys, labels)
            else:
                x = {"sentencing-bodies": "label"}.get(c.key, c.columns[0])
                svgs[c.key] = svg.bar_chart(c.rows, x, title=_(c.title), desc=_(c.counted))
        return site.render(
            request, "statistics.html", ctx, svgs=svgs, legends=legends, shown=operations.shown
        )

    return r

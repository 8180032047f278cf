"""Statistics: charts computed from the records, each with the period it is about, what it
counts, its numbers as a table and as CSV, what was set apart from it (outside the period,
doubtful readings) with the entries behind that, and the published figures beside."""

from __future__ import annotations

import calendar
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from memorybook import stats
from memorybook.export.csvfile import csv_text
from memorybook.ingest.gazetteer import burial_places
from memorybook.reference import load_reference
from memorybook.reference.ledger import ledger
from memorybook.stats.persons import count_by_family, count_persons
from memorybook.storage import read_store as rs
from memorybook.web import svg
from memorybook.web.chart_dates import date_text, day_text, month_short, month_year, period_text
from memorybook.web.errors import ERROR_RESPONSES, ErrorBody
from memorybook.web.i18n import request_lang, translations
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
    period_start: str | None = None
    period_end: str | None = None
    set_apart: list[stats.SetApart] = field(default_factory=list)
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
class PersonCounts:
    """Records (printed entries) and the persons they name, once linkage grouped the
    records of one person; `by_source` per source family (a person named in two lists
    counts in both there, and once in the archive's count)."""

    records: int
    persons: int
    linked: bool
    linked_at: str | None = None
    by_source: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class StatsContext:
    charts: list[ChartData] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    persons: PersonCounts | None = None


@dataclass(slots=True)
class EntryLine:
    """One entry of a list: `where` says in which list and at which entry it is printed."""

    id: int
    name: str | None
    birth: str | None
    death: str | None
    rehab_year: int | None
    url: str
    where: str = ""


def entry_lines(site: Site, rows: list[dict[str, Any]], lang: str) -> list[EntryLine]:
    from memorybook.web.cite import locator_text
    from memorybook.web.words import Words

    w = Words(lang)
    sources = site.memoised("entries:sources", lambda: _sources(site))
    out = []
    for r in rows:
        fmt, title = sources.get(int(r["source_id"]), (None, ""))
        out.append(
            EntryLine(
                id=int(r["id"]),
                name=r["name"],
                birth=date_text(r["birth_edtf"], lang) or None,
                death=date_text(r["death_edtf"], lang) or None,
                rehab_year=r["rehab_year"],
                url=f"/records/{int(r['id'])}",
                where=f"{w.source_title(fmt, title)}, {locator_text(r['file'], r['idx'], lang)}",
            )
        )
    return out


def _sources(site: Site) -> dict[int, tuple[str | None, str]]:
    with site.read() as conn:
        return {int(s["id"]): (s["format"], str(s["title"])) for s in rs.sources(conn)}


@dataclass(slots=True)
class EntriesContext:
    """The entries behind one count set apart from a chart (`selection`), a page at a time."""

    selection: str
    title: str
    total: int
    offset: int
    limit: int
    entries: list[EntryLine] = field(default_factory=list)
    subject: str | None = None  # what the list is of, as printed (a house's address)


def _chart(site: Site, key: str, seconds: float | None = None) -> stats.Chart | None:
    """A chart as stored for the archive's version by the import or linkage that made it
    (stats.summary), else counted once per process and version, however many visitors ask
    at once; None while it is being counted for longer than a page waits (`seconds`,
    default the query time limit)."""
    stored = site.summary().charts
    if stored is not None and key in stored:
        return stored[key]
    wait = site.settings.query_seconds if seconds is None else seconds
    chart: stats.Chart | None = site.warmed(f"chart:{key}", stats.CHARTS[key], wait)
    return chart


def warm_charts(site: Site) -> None:
    """Start counting in the background every chart the archive has no stored count of for
    its version (an archive written before the summaries were stored)."""
    stored = site.summary().charts or {}
    for key, fn in stats.CHARTS.items():
        if key not in stored:
            site.warm(f"chart:{key}", fn)


def build(site: Site) -> StatsContext:
    ctx = StatsContext()
    warm_charts(site)  # all of them counted at once; the page waits once, not per chart
    deadline = time.monotonic() + site.settings.query_seconds
    for key in stats.CHARTS:
        chart = _chart(site, key, max(0.0, deadline - time.monotonic()))
        if chart is None:  # its title and what it counts are known once it is computed
            ctx.charts.append(
                ChartData(key, "", "", [], [], 0, f"/statistics/{key}.csv", available=False)
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
                period_start=chart.period_start,
                period_end=chart.period_end,
                set_apart=chart.set_apart,
            )
        )
    ctx.comparisons = comparisons(site)
    ctx.persons = site.memoised("stats:persons", lambda: person_counts(site))
    return ctx


def person_counts(site: Site) -> PersonCounts:
    # As stored for the archive's version, else counted once per process and version,
    # outside the page's time limit (fixed queries no visitor shapes).
    stored = site.summary()
    with site.engine.connect() as conn:
        if stored.persons is not None:
            whole, families = stored.persons, stored.families
        else:
            whole, families = count_persons(conn), count_by_family(conn)
        sources = rs.sources(conn)
    first: dict[str, dict[str, Any]] = {}
    for s in sources:  # the family's first source names it (its format and title)
        first.setdefault(str(s["family"]), s)
    return PersonCounts(
        records=whole.records,
        persons=whole.persons,
        linked=whole.linked,
        linked_at=whole.linked_at,
        by_source=[
            {
                "family": fam,
                "format": (first.get(fam) or {}).get("format"),
                "title": str((first.get(fam) or {}).get("title") or fam),
                "records": c.records,
                "persons": c.persons,
            }
            for fam, c in families.items()
        ],
    )


def comparisons(site: Site) -> list[Comparison]:
    month = _chart(site, "executions-per-month")
    counted = month.total if month else 0

    def compute() -> list[Comparison]:
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
                    "records in this archive saying the person was shot, with a day of"
                    " execution in 1937 or 1938 (the lists imported here, mostly Moscow: a small"
                    " part of the whole)"
                ),
                published=published,
            )
        ]

    if month is None:  # still being counted: not kept, the next page asks again
        return compute()
    return site.memoised("comparisons", compute)


# ---- what a page shows of a chart --------------------------------------------------------------


@dataclass(slots=True)
class Apart:
    text: str
    n: int
    url: str
    kind: str


@dataclass(slots=True)
class BodyView:
    label: str
    n: int
    forms: int
    variants: list[dict[str, Any]]


@dataclass(slots=True)
class ChartView:
    """A chart as a page shows it: drawing, legend, table, and what was set apart."""

    data: ChartData
    title: str
    period: str
    drawing: Markup | None = None
    legend: list[dict[str, str]] = field(default_factory=list)
    head: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)
    apart: list[Apart] = field(default_factory=list)
    bodies: list[BodyView] = field(default_factory=list)


def site_labels(lang: str, unknown: str) -> dict[str, str]:
    labels = {p.key: (p.name if lang == "ru" else p.name_en) for p in burial_places()}
    labels[""] = unknown
    return labels


def body_labels(lang: str) -> dict[str, str]:
    return {
        key: (b.name_ru or b.name) if lang == "ru" else b.name
        for key, b in load_reference().bodies.items()
    }


def _months_of(start: str, end: str) -> list[tuple[int, int]]:
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    out, y, m = [], a.year, a.month
    while (y, m) <= (b.year, b.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def view(c: ChartData, lang: str, _: Callable[[str], str]) -> ChartView:
    title = _(c.title) if c.title else _("A chart still being computed")
    v = ChartView(c, title, period_text(c.period_start, c.period_end, lang))
    for a in c.set_apart:
        url = f"/statistics/entries/{a.selection}" if a.selection else ""
        v.apart.append(Apart(_(a.reason) % a.params, a.n, url, a.kind))
    if not c.available or not c.rows:
        return v
    desc = _(c.counted)
    if c.key == "executions-per-month" and c.period_start and c.period_end:
        labels = site_labels(lang, _("burial place not given"))
        keys = list(dict.fromkeys(str(r["site"]) for r in c.rows))
        series = svg.Series(keys, {k: labels.get(k, k) for k in keys}, svg.colours(keys, ""))
        by: dict[tuple[str, str], int] = {(r["period"], r["site"]): int(r["n"]) for r in c.rows}
        cols = []
        for y, m in _months_of(c.period_start, c.period_end):
            p = f"{y:04d}-{m:02d}"
            values = {k: float(by.get((p, k), 0)) for k in keys}
            cols.append(svg.Column(month_short(m, lang), month_year(y, m, lang), values, str(y)))
        v.drawing = svg.bar_chart(cols, series, title=v.title, desc=desc, lang=lang)
        v.legend = [{"label": series.labels[k], "colour": series.colours[k]} for k in keys]
        v.head = [_("Month"), *(series.labels[k] for k in keys), _("All")]
        v.table = [
            [col.tip, *(svg.fmt(col.values[k], lang) for k in keys), svg.fmt(col.total, lang)]
            for col in cols
        ]
    elif c.key == "executions-per-day" and c.period_start and c.period_end:
        per_day = {dt.date.fromisoformat(str(r["day"])): int(r["n"]) for r in c.rows}
        months = []
        for y, m in _months_of(c.period_start, c.period_end):
            days = calendar.monthrange(y, m)[1]
            amounts = {d: per_day.get(dt.date(y, m, d), 0) for d in range(1, days + 1)}
            tips = {d: day_text(dt.date(y, m, d), lang) for d in range(1, days + 1)}
            months.append(svg.CalendarMonth(month_year(y, m, lang), days, amounts, tips))
        v.drawing = svg.calendar(
            months,
            title=v.title,
            desc=desc,
            legend_title=_("Executions in a day"),
            none_label=_("none"),
            lang=lang,
        )
        v.head = [_("Month"), *(str(d) for d in range(1, 32))]
        v.table = [
            [m.label, *(svg.fmt(m.values[d], lang) if d <= m.days else "" for d in range(1, 32))]
            for m in months
        ]
    elif c.key == "sentencing-bodies":
        names = body_labels(lang)
        for r in c.rows:
            label = names.get(str(r["body"])) or _("not linked to a body of the reference model")
            v.bodies.append(BodyView(label, int(r["n"]), int(r["forms"]), list(r["variants"])))
        v.drawing = svg.row_chart(
            [svg.Row(b.label, b.n) for b in v.bodies], title=v.title, desc=desc, lang=lang
        )
        v.head = [_("Sentencing body"), _("Entries"), _("Printed forms")]
        v.table = [[b.label, svg.fmt(b.n, lang), svg.fmt(b.forms, lang)] for b in v.bodies]
    else:
        x = c.columns[0]
        heads = {"age": _("Age"), "decade": _("Decade"), "year": _("Year")}
        ticks = {"age": 10, "decade": 1, "year": 5}
        vals = {int(r[x]): float(r["n"]) for r in c.rows}
        lo, hi = min(vals), max(vals)
        step = 10 if x == "decade" else 1
        cols = []
        for k in range(lo, hi + 1, step):
            name = _("%(decade)ss") % {"decade": k} if x == "decade" else str(k)
            tick = name if k % ticks[x] == 0 or x == "decade" else ""
            cols.append(svg.Column(tick, name, {"n": vals.get(k, 0.0)}))
        v.drawing = svg.bar_chart(cols, title=v.title, desc=desc, lang=lang)
        v.head = [heads[x], _("Entries")]
        v.table = [[col.tip, svg.fmt(col.total, lang)] for col in cols if col.total]
    return v


ChartKey = Annotated[str, PathParam(max_length=40, pattern=r"^[a-z\-]+$")]


def entries_context(
    site: Site, selection: str, offset: int, limit: int, lang: str
) -> EntriesContext:
    if selection not in stats.SELECTION_TITLES:
        raise HTTPException(404, "There is no such list of entries.")
    with site.read(5.0) as conn:
        total, rows = stats.entries(conn, selection, limit, offset)
    return EntriesContext(
        selection=selection,
        title=stats.SELECTION_TITLES[selection],
        total=total,
        offset=offset,
        limit=limit,
        entries=entry_lines(site, rows, lang),
    )


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

    @r.get(
        "/statistics/entries/{selection}.json",
        response_model=EntriesContext,
        tags=["pages"],
        summary="The entries behind a count set apart from a chart (doubtful, out of period)",
        responses={404: {"model": ErrorBody}, **ERROR_RESPONSES},
    )
    def entries_json(
        selection: ChartKey,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> Response:
        return json_response(entries_context(site, selection, offset, limit, "en"))

    @r.get("/statistics/entries/{selection}", response_class=HTMLResponse, include_in_schema=False)
    def entries_page(
        selection: ChartKey,
        request: Request,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> HTMLResponse:
        lang = request_lang(request, site.settings.default_lang)
        ctx = entries_context(site, selection, offset, 50, lang)
        return site.render(request, "entries.html", ctx)

    @r.get("/statistics", response_class=HTMLResponse, include_in_schema=False)
    def statistics(request: Request) -> HTMLResponse:
        lang = request_lang(request, site.settings.default_lang)
        _ = translations(lang).gettext
        ctx = build(site)
        views = [view(c, lang, _) for c in ctx.charts]
        return site.render(request, "statistics.html", ctx, views=views, shown=operations.shown)

    return r

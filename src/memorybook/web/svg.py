"""Charts drawn on the server as plain SVG: no script, no external request.

Colours a colour-blind reader can tell apart: categories take the Okabe–Ito palette (in an
order that keeps its pale yellow last), amounts on a calendar take steps of viridis. Every
bar and cell carries its number as a tooltip (`<title>`); the pages put the same numbers in
a table beside each chart. No label is shortened: texts that could be long get a line of
their own.

Every text that reaches the markup is escaped here; the results are `Markup` so templates
insert them without `|safe`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

# Okabe & Ito (2008), "Color Universal Design": blue, orange, bluish green, vermillion,
# reddish purple, sky blue, yellow. Grey is kept for "unknown".
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442")
UNKNOWN = "#5F5F5F"
# Six steps of viridis from light to dark (the calendar: the darker, the more).
SEQUENTIAL = ("#FDE725", "#7AD151", "#22A884", "#2A788E", "#414487", "#440154")
EMPTY = "#EFECE6"
INK, FAINT, GRID = "#2b2b2b", "#595959", "#dedad2"
FONT = 12


def _e(value: Any) -> str:
    return str(escape(str(value)))


def fmt(n: float, lang: str = "en") -> str:
    """A whole number in the page's locale: 12,345 (en), 12 345 (ru)."""
    from memorybook.web.words import format_number

    return format_number(int(n), lang)


def text_width(text: str, size: float = FONT) -> float:
    """A generous estimate of a text's width in the site's sans-serif font."""
    return len(text) * size * 0.58


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(v))
    for step in (1, 2, 2.5, 5, 10):
        if v <= step * mag:
            return step * mag
    return 10 * mag


def colours(keys: Sequence[str], unknown: str = "") -> dict[str, str]:
    """A colour per series key, in order; the `unknown` key is grey."""
    out: dict[str, str] = {}
    i = 0
    for k in keys:
        if k == unknown:
            out[k] = UNKNOWN
        else:
            out[k] = PALETTE[i % len(PALETTE)]
            i += 1
    return out


def _open(width: float, height: float, title: str, desc: str, css: str = "chart") -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}"'
        f' role="img" class="{css}" aria-label="{_e(title)}"><title>{_e(title)}</title>'
        f"<desc>{_e(desc)}</desc>"
    )


def _text(
    x: float, y: float, s: str, anchor: str = "middle", size: int = 11, fill: str = FAINT
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"'
        f' fill="{fill}">{_e(s)}</text>'
    )


@dataclass(slots=True)
class Column:
    """One bar: `values` per series key, `tick` under it (and `group`, a second line such as
    the year, where it changes), `tip` the name of the bar in its tooltips."""

    tick: str
    tip: str
    values: dict[str, float]
    group: str = ""

    @property
    def total(self) -> float:
        return sum(self.values.values())


@dataclass(slots=True)
class Series:
    keys: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    colours: dict[str, str] = field(default_factory=dict)


def bar_chart(
    columns: Sequence[Column],
    series: Series | None = None,
    *,
    title: str = "",
    desc: str = "",
    width: int = 720,
    height: int = 260,
    every: int = 1,
    lang: str = "en",
) -> Markup:
    """Vertical bars, stacked by series; every `every`-th tick is written, totals are written
    above the bars where they fit, and every piece of a bar has its number as a tooltip."""
    series = series or Series(["n"], {"n": ""}, {"n": PALETTE[0]})
    left, right, top = 52, 8, 18
    bottom = 46 if any(c.group for c in columns) else 30
    pw, ph = width - left - right, height - top - bottom
    peak = max(4.0, _nice_max(max((c.total for c in columns), default=0)))
    out = [_open(width, height, title, desc)]
    for i in range(5):
        yy = top + ph - ph * i / 4
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="{GRID}"/>'
        )
        out.append(_text(left - 6, yy + 4, fmt(peak * i / 4, lang), "end"))
    n = max(len(columns), 1)
    slot = pw / n
    bw = max(1.0, slot * 0.78)
    totals_fit = all(text_width(fmt(c.total, lang), 10) <= slot + 2 for c in columns)
    last_group = None
    for i, c in enumerate(columns):
        bx = left + i * slot + (slot - bw) / 2
        base = float(top + ph)
        for k in series.keys:
            v = c.values.get(k, 0.0)
            if v <= 0:
                continue
            h = ph * v / peak
            base -= h
            name = series.labels.get(k, "")
            tip = f"{c.tip}{' · ' + name if name else ''}: {fmt(v, lang)}"
            out.append(
                f'<rect x="{bx:.1f}" y="{base:.1f}" width="{bw:.1f}" height="{h:.1f}"'
                f' fill="{series.colours.get(k, PALETTE[0])}" stroke="#ffffff" stroke-width="0.5">'
                f"<title>{_e(tip)}</title></rect>"
            )
        cx = left + i * slot + slot / 2
        if totals_fit and c.total > 0:
            out.append(_text(cx, base - 3, fmt(c.total, lang), size=10, fill=INK))
        if i % every == 0 and c.tick:
            out.append(_text(cx, top + ph + 14, c.tick))
        if c.group and c.group != last_group:
            out.append(_text(left + i * slot, top + ph + 30, c.group, "start", 11, INK))
            out.append(
                f'<line x1="{left + i * slot:.1f}" x2="{left + i * slot:.1f}" y1="{top + ph}"'
                f' y2="{top + ph + 34}" stroke="{FAINT}"/>'
            )
        last_group = c.group or last_group
    out.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + ph}" y2="{top + ph}" stroke="{FAINT}"/>'
    )
    out.append("</svg>")
    return Markup("".join(out))


@dataclass(slots=True)
class Row:
    label: str
    value: float
    tip: str = ""


def row_chart(
    rows: Sequence[Row], *, title: str = "", desc: str = "", width: int = 720, lang: str = "en"
) -> Markup:
    """Horizontal bars, each with its label on a line of its own above it (so no label is
    ever cut) and its number at its end."""
    line, gap = 34, 6
    height = 8 + len(rows) * (line + gap)
    peak = max((r.value for r in rows), default=1) or 1
    room = width - 16 - text_width(fmt(peak, lang), 11) - 8
    out = [_open(width, height, title, desc)]
    for i, r in enumerate(rows):
        y = 8 + i * (line + gap)
        out.append(_text(8, y + 12, r.label, "start", FONT, INK))
        w = max(1.0, room * r.value / peak)
        out.append(
            f'<rect x="8" y="{y + 17}" width="{w:.1f}" height="14" fill="{PALETTE[0]}">'
            f"<title>{_e(r.tip or r.label)}: {_e(fmt(r.value, lang))}</title></rect>"
        )
        out.append(_text(8 + w + 6, y + 28, fmt(r.value, lang), "start", 11, INK))
    out.append("</svg>")
    return Markup("".join(out))


def steps(values: Sequence[int], classes: int = len(SEQUENTIAL)) -> list[int]:
    """Lower bounds of the colour classes of a calendar: 1, then round numbers (1, 2, 5 × 10ⁿ)
    near the quantiles of the non-zero values, so each colour holds a share of the days."""
    nonzero = sorted(v for v in values if v > 0)
    if not nonzero:
        return [1]
    bounds = [1]
    for q in (0.5, 0.75, 0.9, 0.97, 0.995)[: classes - 1]:
        v = nonzero[min(len(nonzero) - 1, int(q * len(nonzero)))]
        mag = 10 ** math.floor(math.log10(max(v, 1)))
        nice = max(m * mag for m in (1, 2, 5) if m * mag <= v) if v >= 1 else 1
        if nice > bounds[-1]:
            bounds.append(int(nice))
    return bounds


def step_labels(bounds: Sequence[int], maximum: int, lang: str = "en") -> list[str]:
    out = []
    for i, lo in enumerate(bounds):
        hi = bounds[i + 1] - 1 if i + 1 < len(bounds) else maximum
        out.append(fmt(lo, lang) if hi <= lo else f"{fmt(lo, lang)}–{fmt(hi, lang)}")
    return out


@dataclass(slots=True)
class CalendarMonth:
    label: str
    days: int  # days in the month
    values: dict[int, int]  # day of month -> amount
    tips: dict[int, str]  # day of month -> the day written out


def calendar(
    months: Sequence[CalendarMonth],
    *,
    title: str = "",
    desc: str = "",
    legend_title: str = "",
    none_label: str = "",
    lang: str = "en",
) -> Markup:
    """A calendar heat map: a row per month, a column per day of the month; the darker the
    cell, the more. Its scale is drawn under it."""
    label_w = max((text_width(m.label, 11) for m in months), default=60) + 12
    cell, pad, top = 19, 2, 22
    width = label_w + 31 * cell + 8
    values = [v for m in months for v in m.values.values()]
    bounds = steps(values)
    peak = max(values, default=0)
    grid_h = top + len(months) * cell
    height = grid_h + 56
    out = [_open(width, height, title, desc)]
    for d in range(1, 32):
        if d == 1 or d % 5 == 0:
            out.append(_text(label_w + (d - 1) * cell + cell / 2, 14, str(d), size=10))
    for row, m in enumerate(months):
        y = top + row * cell
        out.append(_text(label_w - 8, y + cell / 2 + 4, m.label, "end", 11, INK))
        for d in range(1, m.days + 1):
            v = m.values.get(d, 0)
            fill = EMPTY
            if v > 0:
                cls = max(i for i, lo in enumerate(bounds) if v >= lo)
                fill = SEQUENTIAL[cls]
            out.append(
                f'<rect x="{label_w + (d - 1) * cell:.1f}" y="{y:.1f}" width="{cell - pad}"'
                f' height="{cell - pad}" fill="{fill}"><title>{_e(m.tips.get(d, str(d)))}:'
                f" {_e(fmt(v, lang))}</title></rect>"
            )
    # the scale
    y = grid_h + 14
    out.append(_text(label_w, y + 10, legend_title, "start", 11, INK))
    x = label_w
    y += 18
    items = [(EMPTY, none_label), *zip(SEQUENTIAL, step_labels(bounds, peak, lang), strict=False)]
    for fill, lab in items:
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="14" height="14" fill="{fill}"/>')
        out.append(_text(x + 18, y + 11, lab, "start", 11, INK))
        x += 18 + text_width(lab, 11) + 16
    out.append("</svg>")
    return Markup("".join(out))


def timeline(
    points: Sequence[tuple[float, float, str] | tuple[float, float, str, str]],
    ticks: Sequence[tuple[float, str]],
    *,
    title: str = "",
    desc: str = "",
    width: int = 720,
    height: int = 220,
    lang: str = "en",
    series: dict[str, str] | None = None,
) -> Markup:
    """Dated amounts as stems on a time axis: `points` are (position 0..1, amount, tooltip)
    or (…, series key), `ticks` (position 0..1, label). `series` gives each key its colour
    (the page shows them in a legend); the stems of one date stand side by side, one per
    series, so that none hides another."""
    left, right, top, bottom = 64, 48, 16, 36
    pw, ph = width - left - right, height - top - bottom
    peak = _nice_max(max((p[1] for p in points), default=0))
    out = [_open(width, height, title, desc)]
    base = top + ph
    for i in range(5):
        yy = top + ph - ph * i / 4
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="{GRID}"/>'
        )
        out.append(_text(left - 6, yy + 4, fmt(peak * i / 4, lang), "end"))
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{base}" y2="{base}" stroke="{FAINT}"/>')
    for pos, label in ticks:
        xx = left + pw * pos
        out.append(
            f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{base}" y2="{base + 4}" stroke="{FAINT}"/>'
        )
        out.append(_text(xx, base + 18, label))
    order = list(series or {})
    for point in points:
        pos, value, label = point[0], point[1], point[2]
        key = point[3] if len(point) > 3 else ""
        xx = left + pw * min(max(pos, 0.0), 1.0)
        if key in order:  # side by side around the date
            xx += (order.index(key) - (len(order) - 1) / 2) * 8
        stem = (series or {}).get(key, PALETTE[0])
        dot = stem if series else PALETTE[3]
        h = ph * value / peak
        out.append(
            f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{base}" y2="{base - h:.1f}"'
            f' stroke="{stem}" stroke-width="3"><title>{_e(label)}</title></line>'
            f'<circle cx="{xx:.1f}" cy="{base - h:.1f}" r="4" fill="{dot}">'
            f"<title>{_e(label)}</title></circle>"
        )
    out.append("</svg>")
    return Markup("".join(out))

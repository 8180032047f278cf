"""`topography`: Memorial's Topography of Terror layers (shapefiles) → places with coordinates,
and `geocoded-addresses`: house-level coordinates of the Moscow list's last addresses.

Each shapefile carries lon/lat centroid fields (WGS84) beside its Web-Mercator geometry; we
read the centroids. The layer's file name says what kind of place it holds."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import time
from pathlib import Path
from typing import Any

import shapefile  # pyshp
from sqlalchemy import Connection, Engine

from memorybook.errors import ImportFailed
from memorybook.ingest.formats.decoding import decode_bytes, read_bytes
from memorybook.ingest.gazetteer import burial_places, fold
from memorybook.ingest.report import ImportReport
from memorybook.stats import summary
from memorybook.storage import archive_store as store
from memorybook.storage import schema as s
from memorybook.storage.engine import write_transaction

LAYER_KINDS = {
    "mesta_massovyh_rasstrelov": "shooting_site",
    "mesta_zahoroneniya_rasstrelyannyh": "burial_site",
    "mesta_zaklyucheniya": "prison",
    "sharashki": "sharashka",
    "konclagerya_1920h": "camp",
}


def _layers(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        out.extend(sorted(p.glob("*.shp")) if p.is_dir() else [p])
    return out


def _source_row(
    family: str, files: list[Path], title: str, **extra: Any
) -> tuple[dict[str, Any], str]:
    infos: list[dict[str, Any]] = []
    for f in files:
        data = read_bytes(f)
        infos.append(
            {"name": f.name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        )
    digest = hashlib.sha256(
        "\n".join(f"{i['name']}:{i['sha256']}" for i in infos).encode()
    ).hexdigest()
    row = {
        "family": family,
        "title": title,
        "kind": "dataset",
        "files_json": json.dumps(infos, ensure_ascii=False),
        "sha256": digest,
        "size": sum(i["size"] for i in infos),
        "imported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **extra,
    }
    return row, digest


def _begin_source(conn: Connection, report: ImportReport, row: dict[str, Any]) -> int | None:
    existing = store.find_source_version(conn, report.family, row["sha256"])
    if existing is not None:
        report.status, report.source_key, report.version = (
            "unchanged",
            existing["key"],
            existing["version"],
        )
        report.message = "already imported: the same files are in the archive; nothing created"
        return None
    report.version = store.next_source_version(conn, report.family)
    report.source_key = f"{report.family}@{report.version}"
    return store.insert_source(conn, {**row, "key": report.source_key, "version": report.version})


def import_topography(engine: Engine, paths: list[Path]) -> ImportReport:
    started = time.perf_counter()
    layers = _layers(paths)
    if not layers:
        raise ImportFailed("no shapefiles (*.shp) found in " + ", ".join(map(str, paths)))
    report = ImportReport(
        format="topography", family="topography:" + ",".join(sorted(p.name for p in paths))
    )
    companions = [f for layer in layers for f in sorted(layer.parent.glob(layer.stem + ".*"))]
    row, _ = _source_row(
        report.family,
        companions,
        "Memorial, Topography of Terror: Moscow (topos.memo.ru)",
        author="Memorial Society",
        url="https://topos.memo.ru",
        licence="ODbL",
        format="topography",
    )
    places: list[dict[str, Any]] = []
    for layer in layers:
        kind = LAYER_KINDS.get(layer.stem, "other")
        encoding = _layer_encoding(layer)
        try:
            reader = shapefile.Reader(str(layer), encoding=encoding)
            records = reader.records()
        except Exception as exc:  # pyshp raises plain exceptions on broken files
            raise ImportFailed(f"{layer}: not a readable shapefile ({exc})") from exc
        for i, rec in enumerate(records):
            d = rec.as_dict()
            report.entries += 1
            name = (d.get("name") or d.get("descrip") or "").strip()
            lon, lat = _num(d.get("X_centroid")), _num(d.get("Y_centroid"))
            if not name or lon is None or lat is None:
                report.warn(
                    {"file": layer.name, "index": i},
                    i + 1,
                    "unusable_place: no name or coordinates",
                )
                continue
            # linkToInfo repeats within a layer (one page for several buildings): the row
            # order of the layer is the stable identity.
            places.append(
                {
                    "key": f"topos:{layer.stem}:{i}",
                    "name": name,
                    "normalised": fold(name),
                    "kind": kind,
                    "lon": lon,
                    "lat": lat,
                    "address": (d.get("adress") or "").strip() or None,
                    "description": (d.get("descrip") or "").strip() or None,
                    "extra_json": json.dumps(
                        {"layer": layer.stem, "type": d.get("Type"), "link": d.get("linkToInfo")},
                        ensure_ascii=False,
                    ),
                }
            )
    with write_transaction(engine) as conn:
        source_id = _begin_source(conn, report, row)
        if source_id is None:
            report.seconds = time.perf_counter() - started
            summary.carry(conn)  # already imported: nothing written
            return report
        for p in places:
            p["source_id"] = source_id
        report.records_created = store.upsert_places(conn, places)
        report.places_linked = store.upsert_places(conn, _canonical_places(places, source_id))
        store.update_source(conn, source_id, entry_count=report.entries, record_count=len(places))
        summary.refresh(conn, ("counts",))  # places: no chart or person changes
    report.status = "imported"
    report.message = f"{len(places)} places from {len(layers)} layers"
    report.seconds = time.perf_counter() - started
    return report


def _layer_encoding(layer: Path) -> str:
    cpg = layer.with_suffix(".cpg")
    return cpg.read_text().strip() if cpg.exists() else "utf-8"


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if f not in (-1.0, 0.0) else None


def canonical_place_rows(source_id: int | None = None) -> list[dict[str, Any]]:
    """The gazetteer's burial sites as places (coordinates come from the topography layers)."""
    return [
        {
            "key": g.key,
            "name": g.name,
            "normalised": fold(g.name),
            "kind": g.kind,
            "source_id": source_id,
            "extra_json": json.dumps({"name_en": g.name_en}, ensure_ascii=False),
        }
        for g in burial_places()
    ]


def _canonical_places(places: list[dict[str, Any]], source_id: int) -> list[dict[str, Any]]:
    out = canonical_place_rows(source_id)
    by_key = {r["key"]: r for r in out}
    for g in burial_places():
        if not g.topography:
            continue
        match = next(
            (p for p in places if g.topography in p["name"] and p["kind"] == "burial_site"),
            None,
        ) or next((p for p in places if g.topography in p["name"]), None)
        if match:
            by_key[g.key].update(lon=match["lon"], lat=match["lat"], address=match["address"])
            by_key[g.key]["extra_json"] = json.dumps(
                {"name_en": g.name_en, "same_as": match["key"]}, ensure_ascii=False
            )
    return out


# --- geocoded last addresses ------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def address_key(street: str | None, house: str | None) -> tuple[str, str]:
    return (
        _SPACE.sub(" ", fold(street or "")).strip(),
        _SPACE.sub("", fold(house or "")),
    )


def import_geocoded(engine: Engine, paths: list[Path]) -> ImportReport:
    started = time.perf_counter()
    files = [f for p in paths for f in (sorted(p.glob("*.csv")) if p.is_dir() else [p])]
    if not files:
        raise ImportFailed("no geocoded address CSV found in " + ", ".join(map(str, paths)))
    report = ImportReport(
        format="geocoded-addresses",
        family="geocoded-addresses:" + ",".join(sorted(p.name for p in paths)),
    )
    row, _ = _source_row(
        report.family,
        files,
        "House-level coordinates of the Moscow execution lists' addresses",
        author="D. Skougarevsky (geocoding of mos.memo.ru)",
        url="http://mos.memo.ru",
        format="geocoded-addresses",
    )
    points: dict[tuple[str, str], dict[str, Any]] = {}
    for f in files:
        text = decode_bytes(read_bytes(f), "utf-8", str(f))
        for i, rec in enumerate(csv.DictReader(io.StringIO(text))):
            report.entries += 1
            lon, lat = _num(rec.get("longitude")), _num(rec.get("latitude"))
            street, house = (rec.get("street") or "").strip(), (rec.get("house") or "").strip()
            if lon is None or lat is None or not street:
                report.warn(
                    {"file": f.name, "index": i},
                    i + 2,
                    "unusable_address: no street or coordinates",
                )
                continue
            key = address_key(street, house)
            if key in points:
                continue
            points[key] = {
                "street": street,
                "house": house,
                "street_key": key[0],
                "house_key": key[1],
                "lon": lon,
                "lat": lat,
                "repressed": int(rec["repressed"])
                if (rec.get("repressed") or "").isdigit()
                else None,
            }
    with write_transaction(engine) as conn:
        source_id = _begin_source(conn, report, row)
        if source_id is None:
            report.seconds = time.perf_counter() - started
            summary.carry(conn)  # already imported: nothing written
            return report
        known = store.address_points(conn)
        new = [{**p, "source_id": source_id} for k, p in points.items() if k not in known]
        store.insert_many(conn, s.address_point, new)
        report.records_created = len(new)
        report.places_linked = link_addresses(conn)
        store.update_source(conn, source_id, entry_count=report.entries, record_count=len(new))
        summary.refresh(conn, ("counts",))  # houses: no chart or person changes
    report.status = "imported"
    report.message = f"{len(points)} geocoded houses; " + (
        f"{report.places_linked} Moscow record{'s' if report.places_linked != 1 else ''}"
        " linked to their house"
        if report.places_linked
        else "no Moscow records to link yet (they are linked when the Moscow list is imported)"
    )
    report.seconds = time.perf_counter() - started
    return report


def link_addresses(conn: Connection) -> int:
    """Give Moscow records whose street and house are geocoded their address point."""
    points = store.address_points(conn)
    if not points:
        return 0
    rows = []
    for record_id, context_json in store.records_without_address(conn, "memorial-moscow:"):
        ctx = json.loads(context_json or "{}")
        pid = points.get(address_key(ctx.get("street"), ctx.get("house")))
        if pid is not None:
            rows.append({"record_id": record_id, "address_point_id": pid})
    store.insert_many(conn, s.record_address, rows)
    return len(rows)

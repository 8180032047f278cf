"""The Politburo lists as documents of the machinery: one reference item per list.

Each list of the catalogue (`lists.csv`) becomes a `politburo_list` item: its date, title,
archive reference and pages, the signatures as printed, how many person entries it holds by
category, and the file its entries were imported from (so the item leads to its records).
Items are built inside the import's transaction from the records just written, and cite the
seeds' figures on these lists (`reference/data/figures.yaml`, measures `stalin_lists*`)."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import Connection

from memorybook.ingest.formats.base import FileInput
from memorybook.ingest.formats.stalin_lists import CATALOGUE, list_number, read_catalogue
from memorybook.storage import archive_store as store

KIND = "politburo_list"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The measures of the seeds' figures on these lists (reference/measures.py).
FIGURE_MEASURES = ("stalin_lists", "stalin_lists_persons", "stalin_lists_shot_share")
# lists.csv's signature columns, as the site names the signatories.
SIGNATURE_COLUMNS = {
    "signstalin": "stalin",
    "signmolotov": "molotov",
    "signjdanov": "jdanov",
    "signkaganovic": "kaganovic",
    "signvoroshilov": "voroshilov",
    "signmikoyan": "mikoyan",
    "signejov": "ejov",
    "signkosior": "kosior",
}


def list_items(
    inputs: list[FileInput], contexts: list[tuple[str, dict[str, Any]]], family: str
) -> list[tuple[str, dict[str, Any]]]:
    """(key, data) of every list the catalogue names or the data holds. `contexts` are the
    (file, context) of the source's records."""
    files = {fi.name for fi in inputs if fi.name != CATALOGUE}
    catalogue = next((fi for fi in inputs if fi.name == CATALOGUE), None)
    rows = {r["listid"].strip(): r for r in read_catalogue(catalogue.text)} if catalogue else {}
    per_file: dict[str, Counter[str]] = defaultdict(Counter)
    ids: dict[str, set[str]] = defaultdict(set)
    header: dict[str, dict[str, Any]] = {}
    for file, ctx in contexts:
        cat = ctx.get("category")
        per_file[file][str(cat) if cat is not None else "unknown"] += 1
        pid = (ctx.get("entry") or {}).get("id")
        if pid is not None:
            ids[file].add(str(pid))
        header.setdefault(file, ctx)
    figure_keys = seed_figures()
    keys = set(rows) | {str(n) for f in files if (n := list_number(f)) is not None}
    items = []
    for key in sorted(keys, key=lambda k: (not k.isdigit(), int(k) if k.isdigit() else 0, k)):
        file = f"list{key}.yaml"
        row = rows.get(key, {})
        ctx = header.get(file, {})
        counts = per_file.get(file, Counter())
        date = (row.get("adate") or "").strip()
        if not _ISO.match(date) or date.startswith("0000"):
            date = ""
        items.append(
            (
                key,
                {
                    "key": key,
                    "file": file,
                    "in_data": file in files,
                    "family": family,
                    "title": ctx.get("list_title") or (row.get("listtitle") or "").strip() or None,
                    "date": ctx.get("list_date") or date or None,
                    "date_printed": (row.get("datetext") or "").strip()
                    or ctx.get("list_date_printed"),
                    "archive": ctx.get("archive") or _archive_ref(row),
                    "pages": _pages(row),
                    "signatures_printed": (row.get("politsigns") or "").strip() or None,
                    "signed": _signed(row, ctx),
                    "real_list": (row.get("reallist") or "").strip() == "1" if row else None,
                    "persons": sum(counts.values()),
                    "persons_by_category": dict(sorted(counts.items())),
                    "distinct_person_ids": len(ids.get(file, ())),
                    "figures": figure_keys,
                    "citation": "Memorial, «Сталинские расстрельные списки» (stalin.memo.ru), "
                    + (f"{file}; " if file in files else "")
                    + (_archive_ref(row) or ctx.get("archive") or ""),
                },
            )
        )
    return items


def seed_figures() -> list[str]:
    """Keys of the seeds' figures on these lists (the reference data's `stalin_lists*`)."""
    from memorybook.reference import load_reference

    ref = load_reference()
    return sorted(k for k, f in ref.figures.items() if f.measure in FIGURE_MEASURES)


def _archive_ref(row: dict[str, str]) -> str | None:
    if not row or not row.get("fond"):
        return None
    return f"РГАСПИ, ф.{row['fond']}, оп.{row.get('opis', '')}, дело {row.get('ed_hr', '')}"


def _pages(row: dict[str, str]) -> str | None:
    a, b = (row.get("page1") or "").strip(), (row.get("page2") or "").strip()
    if not a:
        return None
    return a if not b or b == a else f"{a}–{b}"


def _signed(row: dict[str, str], ctx: dict[str, Any]) -> list[str]:
    """Who signed: the catalogue's signature columns, else the list file's `signs`."""
    if any(col in row for col in SIGNATURE_COLUMNS):
        return [name for col, name in SIGNATURE_COLUMNS.items() if row.get(col, "0") == "1"]
    return list(ctx.get("signed") or [])


def finish(conn: Connection, source_id: int, family: str, inputs: list[FileInput]) -> int:
    """Build and store the lists' reference items from the records of this source version."""
    contexts = [
        (file, json.loads(ctx) if ctx else {})
        for file, ctx in store.source_record_contexts(conn, source_id)
    ]
    items = list_items(inputs, contexts, family)
    store.replace_reference_kind(conn, KIND, items)
    return len(items)

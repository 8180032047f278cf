"""Human decisions about pairs of records: "same person" / "not the same person".

A decision is keyed by the two records' content ids (record.key), so it survives
re-imports and re-linking; it records who decided, when and why. CSV is the exchange
format (`memorybook link decisions --export/--import`)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Engine

from memorybook.errors import BadQuery
from memorybook.stats import summary
from memorybook.storage import link_store as store
from memorybook.storage.engine import write_transaction

VERDICTS = ("same", "not_same")
CSV_FIELDS = ("key_a", "key_b", "verdict", "origin", "who", "decided_at", "why", "citation")


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def decision_row(
    key_a: str, key_b: str, verdict: str, who: str, why: str | None = None,
    decided_at: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    if verdict not in VERDICTS:
        raise BadQuery(f"a decision is one of {', '.join(VERDICTS)}, not {verdict!r}")
    if key_a == key_b:
        raise BadQuery("a decision joins two different records")
    if not who.strip():
        raise BadQuery("a decision says who made it")
    a, b = sorted((key_a, key_b))
    return {
        "key_a": a,
        "key_b": b,
        "verdict": verdict,
        "origin": "human",
        "who": who.strip(),
        "decided_at": decided_at or now(),
        "why": (why or "").strip() or None,
        "citation": None,
    }


def record_decision(engine: Engine, row: dict[str, Any]) -> bool:
    with write_transaction(engine) as conn:
        known = store.record_ids_by_key(conn, [row["key_a"], row["key_b"]])
        if len(known) != 2:
            raise BadQuery("a decision names records that are not in the archive")
        summary.carry(conn)  # a decision counts once linkage runs again
        return store.upsert_decision(conn, row)


def export_csv(engine: Engine, out: TextIO) -> int:
    with engine.connect() as conn:
        rows = store.decisions(conn)
    w = csv.DictWriter(out, fieldnames=list(CSV_FIELDS), lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: r.get(k) if r.get(k) is not None else "" for k in CSV_FIELDS})
    return len(rows)


def read_csv(path: Path) -> list[dict[str, Any]]:
    """Read and check a decisions CSV entirely before anything is written."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadQuery(f"{path}: cannot read the decisions file ({exc})") from None
    reader = csv.DictReader(text.splitlines())
    missing = [
        f for f in ("key_a", "key_b", "verdict", "who") if f not in (reader.fieldnames or [])
    ]
    if missing:
        raise BadQuery(f"{path}: the CSV lacks the column(s) {', '.join(missing)}")
    rows = []
    for n, raw in enumerate(reader, start=2):
        origin = (raw.get("origin") or "human").strip()
        if origin == "source":
            continue  # the source's identities are derived again from the records
        try:
            rows.append(
                decision_row(
                    (raw.get("key_a") or "").strip(), (raw.get("key_b") or "").strip(),
                    (raw.get("verdict") or "").strip(), raw.get("who") or "",
                    raw.get("why"), (raw.get("decided_at") or "").strip() or None,
                )
            )  # fmt: skip
        except BadQuery as exc:
            raise BadQuery(f"{path}: line {n}: {exc}") from None
    return rows


def import_rows(engine: Engine, rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Store decisions in one transaction; every record they name must be in the archive."""
    rows = list(rows)
    with write_transaction(engine) as conn:
        keys = {k for r in rows for k in (r["key_a"], r["key_b"])}
        known = store.record_ids_by_key(conn, keys)
        unknown = sorted(keys - set(known))
        if unknown:
            raise BadQuery(
                f"{len(unknown)} record key(s) of the decisions are not in the archive "
                f"(first: {unknown[0]}); nothing imported"
            )
        stored = sum(1 for r in rows if store.upsert_decision(conn, r))
        summary.carry(conn)  # decisions count once linkage runs again
    return {"read": len(rows), "stored": stored, "unchanged": len(rows) - stored}

"""`memorybook link review`: the review queue in a terminal.

Each pair the model was unsure of is shown side by side (each record as printed, with its
source and locator) with the evidence; the reviewer answers same / not same / skip, adds a
note saying why, or quits. Decisions are stored at once (keyed by record content ids) and
take effect at the next `memorybook link`. Input and output are plain streams, so the loop
runs the same under a test driving stdin."""

from __future__ import annotations

import json
import textwrap
from typing import TextIO

from sqlalchemy import Engine

from memorybook.linkage.decisions import decision_row, record_decision
from memorybook.linkage.explain import explain
from memorybook.linkage.source_rows import link_record
from memorybook.storage import link_store as store
from memorybook.storage import read_store

PROMPT = "[s] same person  [n] not the same  [k] skip  [q] quit > "
WIDTH = 48


def _column(title: str, text: str) -> list[str]:
    lines = [title[:WIDTH], "-" * min(WIDTH, max(len(title), 8))]
    for para in text.splitlines() or [""]:
        lines.extend(textwrap.wrap(para, WIDTH) or [""])
    return lines


def _side_by_side(left: list[str], right: list[str]) -> str:
    n = max(len(left), len(right))
    left += [""] * (n - len(left))
    right += [""] * (n - len(right))
    return "\n".join(f"{a:<{WIDTH}}  | {b}" for a, b in zip(left, right, strict=True))


def review(
    engine: Engine, who: str, stdin: TextIO, stdout: TextIO, limit: int | None = None
) -> dict[str, int]:
    counts = {"shown": 0, "same": 0, "not_same": 0, "skipped": 0}
    with engine.connect() as conn:
        queue = store.review_queue(conn, limit)
    if not queue:
        stdout.write("The review queue is empty.\n")
        return counts
    stdout.write(f"{len(queue)} pair(s) to review. Decisions are kept and used by the next link.\n")
    for link in queue:
        a, b = int(link["record_a"]), int(link["record_b"])
        with engine.connect() as conn:
            ra, rb = read_store.record(conn, a), read_store.record(conn, b)
            rows = {int(r["id"]): r for r in store.link_rows(conn, [a, b])}
        if ra is None or rb is None or a not in rows or b not in rows:
            continue
        counts["shown"] += 1
        la, lb = link_record(rows[a]), link_record(rows[b])
        why = explain(la, lb, json.loads(link["gamma_json"]), link["probability"])
        stdout.write("\n" + "=" * (2 * WIDTH + 3) + "\n")
        stdout.write(
            _side_by_side(
                _column(f"{ra['file']} #{ra['idx']}", ra["verbatim"]),
                _column(f"{rb['file']} #{rb['idx']}", rb["verbatim"]),
            )
            + "\n"
        )
        stdout.write(f"\nmatch probability {link['probability']:.3f}\n  {why.en}\n  {why.ru}\n")
        while True:
            stdout.write(PROMPT)
            stdout.flush()
            answer = stdin.readline()
            if not answer:  # end of input: stop as if quit
                return counts
            choice = answer.strip().lower()[:1]
            if choice in ("s", "n"):
                stdout.write("note (why; Enter for none) > ")
                stdout.flush()
                note = stdin.readline().strip()
                verdict = "same" if choice == "s" else "not_same"
                record_decision(
                    engine, decision_row(str(ra["key"]), str(rb["key"]), verdict, who, note)
                )
                counts[verdict] += 1
                break
            if choice == "k":
                counts["skipped"] += 1
                break
            if choice == "q":
                return counts
            stdout.write("answer s, n, k or q\n")
    return counts

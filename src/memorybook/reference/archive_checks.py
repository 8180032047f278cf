"""Checks of the reference figures against what the archive holds. They report, never correct.

source_not_imported   a figure describes a source the archive does not hold, so it cannot be
                      compared (the Politburo lists: import `stalin-lists`)
imported_vs_seed      the count made from the imported source beside the seed's figure, with
                      the difference
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Engine

from memorybook.model.history import Figure
from memorybook.reference.checks import Finding
from memorybook.reference.intervals import bounds, display
from memorybook.reference.measures import MEASURES
from memorybook.reference.types import ReferenceData

POLITBURO_LIST_KIND = "politburo_list"  # the reference items the stalin-lists import makes
LISTS_MEASURE = "stalin_lists"
PERSONS_MEASURE = "stalin_lists_persons"
SIGNATORY = "stalin"  # the figures count the lists Stalin signed


def _cite(ref: ReferenceData, fig: Figure) -> str:
    src = ref.sources[fig.citation.source_key]
    loc = ", ".join(f"{k} {v}" for k, v in fig.citation.locator.items() if k != "section")
    return f"{src.file_name}, {loc}"


def _years(period: str | None) -> tuple[int, int] | None:
    years = [int(y) for y in re.findall(r"\d{4}", period or "")]
    return (min(years), max(years)) if years else None


def _n(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"


def _difference(ours: int, fig: Figure) -> str:
    low, high = bounds(fig)
    if low <= ours <= high:
        return "the same number"
    ref = low if ours < low else high
    diff = ours - ref
    pct = f" ({diff / ref:+.1%})" if ref else ""
    return f"{_n(abs(diff))} {'more' if diff > 0 else 'fewer'}{pct}"


def check_politburo_lists(
    ref: ReferenceData,
    lists: Iterable[Mapping[str, Any]] | None,
    person_ids: Mapping[str, set[str]] | None = None,
) -> list[Finding]:
    """Compare the seeds' figures on the lists Stalin signed (how many lists, how many
    persons) with the imported lists. `lists` are the archive's `politburo_list` items (None
    when no archive is open); `person_ids` maps a list file to the site's person ids on it,
    so persons on several lists count once."""
    figs = [f for f in ref.figures.values() if f.measure in (LISTS_MEASURE, PERSONS_MEASURE)]
    if not figs:
        return []
    keys = tuple(f.key for f in figs)
    cites = tuple(dict.fromkeys(_cite(ref, f) for f in figs))
    items = list(lists or [])
    if not items:
        said = "; ".join(f"{MEASURES.get(f.measure, f.measure)}: {display(f)}" for f in figs)
        return [
            Finding(
                "source_not_imported",
                "info",
                "the Politburo lists are not imported into this archive, so the seeds' "
                f"figures on them ({said}) are not compared with the lists themselves; "
                "import them with `memorybook import --format stalin-lists DIR`",
                keys,
                cites,
            )
        ]
    present = [i for i in items if i.get("in_data")]
    missing = [str(i["key"]) for i in items if not i.get("in_data")]
    entries = sum(int(i.get("persons") or 0) for i in present)
    out: list[Finding] = []
    for fig in figs:
        years = _years(fig.period)
        chosen = [
            i
            for i in items
            if SIGNATORY in (i.get("signed") or [])
            and i.get("date")
            and (years is None or years[0] <= int(str(i["date"])[:4]) <= years[1])
        ]
        when = f"dated {years[0]}–{years[1]}" if years else "of any date"
        scope = f"lists signed by Stalin and {when}"
        if fig.measure == LISTS_MEASURE:
            ours = len(chosen)
            absent = [str(i["key"]) for i in chosen if not i.get("in_data")]
            message = (
                f"{_n(ours)} {scope} are in the catalogue of the imported lists"
                + (f" ({len(absent)} of them not in the data)" if absent else "")
                + f"; {fig.citation.source_key} says {display(fig)}: {_difference(ours, fig)}"
            )
        else:
            files = {str(i.get("file")) for i in chosen if i.get("in_data")}
            n_entries = sum(int(i.get("persons") or 0) for i in chosen if i.get("in_data"))
            first = sum(
                int((i.get("persons_by_category") or {}).get("1", 0))
                for i in chosen
                if i.get("in_data")
            )
            distinct: set[str] = set()
            for f in files:
                distinct |= (person_ids or {}).get(f, set())
            ours = len(distinct) if person_ids is not None else n_entries
            counted = "distinct persons (by the site's ids)" if person_ids else "person entries"
            message = (
                f"the {scope} hold {_n(n_entries)} person entries, {_n(len(distinct))} distinct "
                f"persons by the site's ids, {_n(first)} entries in the 1st category (shooting); "
                f"{fig.citation.source_key} says {display(fig)} persons: the {counted} are "
                f"{_difference(ours, fig)}"
            )
        out.append(Finding("imported_vs_seed", "info", message, (fig.key,), (_cite(ref, fig),)))
    out.append(
        Finding(
            "imported_vs_seed",
            "info",
            f"the archive holds {len(present)} of the {len(items)} Politburo lists the catalogue "
            f"names, {_n(entries)} person entries"
            + (f"; missing from the data: lists {', '.join(missing)}" if missing else ""),
            keys,
            cites,
        )
    )
    return out


def archive_findings(ref: ReferenceData, engine: Engine | None) -> list[Finding]:
    """The checks that need the archive; with no archive (None) they say what they lack."""
    if engine is None:
        return check_politburo_lists(ref, None)
    from memorybook.storage import read_store

    with engine.connect() as conn:
        lists = read_store.reference_items(conn, POLITBURO_LIST_KIND)
        families = {str(i.get("family")) for i in lists}
        ids: dict[str, set[str]] = defaultdict(set)
        if lists:
            for row in read_store.records_with_source_ids(conn):
                if row["family"] in families:
                    ids[row["locator"]["file"]].add(row["source_person_id"])
    return check_politburo_lists(ref, lists, ids)

"""Consistency checks over the reference data. They report; they never correct.

part_exceeds_whole    within one seed and scope, a part is larger than its whole
                      (shot > arrested; shot + camps > arrested; an explicit `part_of`;
                      quota categories above their total)
parts_exceed_whole    the parts of an operation group add up to more than the group's total
total_mismatch        an exhaustive group's parts do not add up to its stated total
total_reproduced      they do, but only with a particular choice among differing seeds
same_value_twice      one seed gives the same number for two different things
same_value_across     two seeds give the same non-round number for different things
table_share           a printed share does not follow from the table's counts
table_overrep         a printed over-representation does not follow from the shares
table_sum             a table's column does not add up to its total row
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from memorybook.model.history import Figure
from memorybook.reference.intervals import bounds, display
from memorybook.reference.measures import DISJOINT_OUTCOMES, PART_OF_MEASURE
from memorybook.reference.types import NationalityTable, ReferenceData

_MAX_COMBINATIONS = 4096


@dataclass(frozen=True, slots=True)
class Finding:
    """`message` is the English sentence of the CLI; `detail` says the same as data (figure
    and item keys, numbers), so that a page can word it in its own language:

    part_exceeds_whole  {"parts": [figure], "whole": figure}  or, for quotas,
                        {"decision", "region", "sum", "total"}
    parts_exceed_whole  {"within": source | None, "group", "whole": figure, "at_least",
                         "missing": [operation]}
    total_mismatch      {"within", "group", "whole", "low", "high"}  or, for quotas,
                        {"decision", "region", "sum", "total"}
    total_reproduced    {"within", "group", "whole", "picks": [[operation, figure]],
                         "others_low", "others_high"}  (others_* null without other choices)
    same_value_twice / same_value_across   {"value", "a": figure, "b": figure}
    table_sum           {"table", "column", "sum", "expected"}
    table_share         {"table", "row", "arrested", "total", "exact", "printed"}
    table_overrep       {"table", "row", "share", "population_share", "low", "high", "printed"}
    """

    kind: str
    severity: str  # "warning" or "info"
    message: str
    figures: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()
    detail: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "figures": list(self.figures),
            "citations": list(self.citations),
            "detail": dict(self.detail),
        }


def run_checks(ref: ReferenceData) -> list[Finding]:
    findings: list[Finding] = []
    findings += check_parts_within_scope(ref)
    findings += check_explicit_parts(ref)
    findings += check_quotas(ref)
    findings += check_group_sums(ref)
    findings += check_same_values(ref)
    for table in ref.tables.values():
        findings += check_table(ref, table)
    return findings


def render_findings_text(findings: Iterable[Finding]) -> str:
    items = list(findings)
    if not items:
        return "No findings.\n"
    lines = []
    for f in items:
        lines.append(f"[{f.severity}] {f.kind}: {f.message}")
        if f.citations:
            lines.append("    cited: " + "; ".join(f.citations))
    return "\n".join(lines) + "\n"


# ---- helpers --------------------------------------------------------------------------------


def _cite(ref: ReferenceData, fig: Figure) -> str:
    src = ref.sources[fig.citation.source_key]
    loc = ", ".join(f"{k} {v}" for k, v in fig.citation.locator.items() if k != "section")
    return f"{src.file_name}, {loc}"


def _n(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"


def _persons(fig: Figure) -> bool:
    return fig.unit == "persons"


# ---- parts and wholes within one seed ---------------------------------------------------------


def check_parts_within_scope(ref: ReferenceData) -> list[Finding]:
    """Within one seed and one scope (operation, nationality, region): shot <= sentenced to
    death <= sentenced <= arrested, and shot + camps <= arrested (or sentenced)."""
    by_scope: dict[tuple[str, str | None, str | None, str | None], dict[str, list[Figure]]] = (
        defaultdict(lambda: defaultdict(list))
    )
    for fig in ref.figures.values():
        if _persons(fig):
            scope = (fig.citation.source_key, fig.operation, fig.nationality, fig.region)
            by_scope[scope][fig.measure].append(fig)
    out: list[Finding] = []
    for (source, _op, _nat, _region), measures in by_scope.items():
        for part_m, whole_m in PART_OF_MEASURE:
            for part in measures.get(part_m, []):
                for whole in measures.get(whole_m, []):
                    if bounds(part)[0] > bounds(whole)[1]:
                        out.append(_exceeds(ref, [part], whole, source))
        for parts_m, whole_m in DISJOINT_OUTCOMES:
            lists = [measures.get(m, []) for m in parts_m]
            for parts in itertools.product(*lists):
                for whole in measures.get(whole_m, []):
                    if sum(bounds(p)[0] for p in parts) > bounds(whole)[1]:
                        out.append(_exceeds(ref, list(parts), whole, source))
    return out


def _exceeds(ref: ReferenceData, parts: list[Figure], whole: Figure, source: str) -> Finding:
    what = " + ".join(f"{p.measure} {display(p)}" for p in parts)
    scope = whole.operation or whole.nationality or "(no operation)"
    if whole.region:
        scope += f" ({whole.region})"
    return Finding(
        kind="part_exceeds_whole",
        severity="warning",
        message=f"{source}: {scope}: {what} exceeds {whole.measure} {display(whole)}",
        figures=(*(p.key for p in parts), whole.key),
        citations=tuple(dict.fromkeys(_cite(ref, f) for f in (*parts, whole))),
        detail={"parts": [p.key for p in parts], "whole": whole.key},
    )


def check_explicit_parts(ref: ReferenceData) -> list[Finding]:
    out = []
    for part_key, whole_key in ref.part_of.items():
        part, whole = ref.figures[part_key], ref.figures[whole_key]
        if bounds(part)[0] > bounds(whole)[1]:
            out.append(_exceeds(ref, [part], whole, part.citation.source_key))
    return out


def check_quotas(ref: ReferenceData) -> list[Finding]:
    """Category limits set by one decision may not exceed, and together must equal, its total."""
    by_decision: dict[tuple[str | None, str], dict[str, int]] = defaultdict(dict)
    keys: dict[tuple[str | None, str], list[str]] = defaultdict(list)
    for q in ref.quotas.values():
        by_decision[(q.decision, q.region)][q.category] = q.limit
        keys[(q.decision, q.region)].append(q.key)
    out = []
    for (decision, region), cats in by_decision.items():
        total = cats.get("total")
        if total is None:
            continue
        parts = {c: v for c, v in cats.items() if c != "total"}
        s = sum(parts.values())
        where = f"quotas of {decision} ({region})"
        cites = tuple(
            dict.fromkeys(
                c.describe() for k in keys[(decision, region)] for c in ref.quotas[k].citations
            )
        )
        detail = {"decision": decision, "region": region, "sum": s, "total": total}
        if s > total:
            out.append(Finding("part_exceeds_whole", "warning",
                               f"{where}: categories add up to {s:,}, above the total {total:,}",
                               tuple(keys[(decision, region)]), cites, detail))  # fmt: skip
        elif len(parts) == 2 and s != total:
            out.append(Finding("total_mismatch", "warning",
                               f"{where}: categories add up to {s:,}, not the total {total:,}",
                               tuple(keys[(decision, region)]), cites, detail))  # fmt: skip
    return out


# ---- operation groups ------------------------------------------------------------------------


def _candidates(
    ref: ReferenceData, op: str, measure: str, region: str | None, source: str | None
) -> list[Figure]:
    return [
        f
        for f in ref.figures.values()
        if f.operation == op
        and f.measure == measure
        and f.nationality is None
        and f.region == region
        and _persons(f)
        and (source is None or f.citation.source_key == source)
    ]


def _contribution(
    ref: ReferenceData, op: str, measure: str, region: str | None, source: str | None
) -> list[list[Figure]] | None:
    """The alternative ways a part can be counted: its own figures (one per seed), else the
    sum of its own parts when it is a group; None when nothing is known."""
    own = _candidates(ref, op, measure, region, source)
    if own:
        return [[f] for f in own]
    group = ref.groups.get(op)
    if group is None:
        return None
    pieces = [_contribution(ref, p, measure, region, source) for p in group.parts]
    known = [p for p in pieces if p]
    if not known:
        return None
    # For a partial group only the smallest known sum is a safe lower bound.
    return [[f for alt in known for f in min(alt, key=lambda a: sum(bounds(x)[0] for x in a))]]


def check_group_sums(ref: ReferenceData) -> list[Finding]:
    out: list[Finding] = []
    for group in ref.groups.values():
        wholes = [
            f
            for f in ref.figures.values()
            if f.operation == group.key and f.nationality is None and _persons(f)
        ]
        # A seed may print the same total twice (seed 003: para 3 and para 7); check it once.
        seen: set[tuple[object, ...]] = set()
        for whole in wholes:
            for source in (whole.citation.source_key, None):
                said = (whole.citation.source_key, whole.measure, whole.region, bounds(whole))
                if (*said, source) in seen:
                    continue
                seen.add((*said, source))
                finding = _group_sum(ref, group.key, group.exhaustive, whole, source)
                # Across seeds repeats "within" when one seed supplied every part.
                if finding is not None and not any(
                    (f.kind, f.figures) == (finding.kind, finding.figures) for f in out
                ):
                    out.append(finding)
    return out


def _group_sum(
    ref: ReferenceData, group_key: str, exhaustive: bool, whole: Figure, source: str | None
) -> Finding | None:
    parts = ref.groups[group_key].parts
    contributions = {p: _contribution(ref, p, whole.measure, whole.region, source) for p in parts}
    known = {p: alts for p, alts in contributions.items() if alts}
    if not known:
        return None
    w_low, w_high = bounds(whole)
    where = "within " + source if source else "across seeds"
    label = f"{group_key} {whole.measure} {display(whole)} ({whole.citation.source_key})"
    min_sum = sum(min(sum(bounds(f)[0] for f in alt) for alt in alts) for alts in known.values())
    min_figs = tuple(
        f.key
        for alts in known.values()
        for f in min(alts, key=lambda a: sum(bounds(x)[0] for x in a))
    )
    complete = exhaustive and len(known) == len(parts)
    if min_sum > w_high:
        missing = [p for p in parts if p not in known]
        return Finding(
            "parts_exceed_whole",
            "warning",
            f"{where}: the parts of {label} add up to at least {_n(min_sum)}"
            + (f" without {', '.join(missing)}" if missing else ""),
            (*min_figs, whole.key),
            tuple(dict.fromkeys(_cite(ref, ref.figures[k]) for k in (*min_figs, whole.key))),
            {"within": source, "group": group_key, "whole": whole.key, "at_least": min_sum,
             "missing": missing},
        )  # fmt: skip
    if not complete:
        return None
    combos = list(itertools.islice(itertools.product(*known.values()), _MAX_COMBINATIONS))
    exact = [c for c in combos if _sum_bounds(c) == (w_low, w_high)]
    all_figs = tuple(dict.fromkeys(f.key for alts in known.values() for a in alts for f in a))
    cites = tuple(dict.fromkeys(_cite(ref, ref.figures[k]) for k in (*all_figs, whole.key)))
    if not exact:
        lo = min(_sum_bounds(c)[0] for c in combos)
        hi = max(_sum_bounds(c)[1] for c in combos)
        rng = _n(lo) if lo == hi else f"{_n(lo)} to {_n(hi)}"
        return Finding("total_mismatch", "warning",
                       f"{where}: the parts of {label} add up to {rng}, not to the total",
                       (*all_figs, whole.key), cites,
                       {"within": source, "group": group_key, "whole": whole.key, "low": lo,
                        "high": hi})  # fmt: skip
    if len(combos) > 1:
        picks = "; ".join(
            f"{p} {display(alt[0])} ({alt[0].citation.source_key})"
            for p, alt in zip(known, exact[0], strict=True)
            if len(alt) == 1
        )
        others = [c for c in combos if c not in exact]
        miss = ""
        olo: float | None = None
        ohi: float | None = None
        if others:
            olo = min(_sum_bounds(c)[0] for c in others)
            ohi = max(_sum_bounds(c)[1] for c in others)
            miss = f"; other choices give {_n(olo)}" + ("" if olo == ohi else f" to {_n(ohi)}")
        chosen = [[p, alt[0].key] for p, alt in zip(known, exact[0], strict=True) if len(alt) == 1]
        return Finding("total_reproduced", "info",
                       f"{where}: {label} is reproduced only by taking {picks}{miss}",
                       (*all_figs, whole.key), cites,
                       {"within": source, "group": group_key, "whole": whole.key,
                        "picks": chosen, "others_low": olo, "others_high": ohi})  # fmt: skip
    return None


def _sum_bounds(combo: Iterable[list[Figure]]) -> tuple[float, float]:
    lo = hi = 0.0
    for alt in combo:
        for f in alt:
            b = bounds(f)
            lo, hi = lo + b[0], hi + b[1]
    return lo, hi


# ---- one number for two things ---------------------------------------------------------------


def check_same_values(ref: ReferenceData) -> list[Finding]:
    """A number a seed uses twice for different things (warning), or two seeds' identical
    non-round numbers for different things (info: possibly a number copied to the wrong row)."""
    by_value: dict[float, list[Figure]] = defaultdict(list)
    for f in ref.figures.values():
        if f.value is not None and _persons(f) and f.value >= 100 and "table" not in f.tags:
            by_value[f.value].append(f)
    out = []
    for value, figs in by_value.items():
        for a, b in itertools.combinations(figs, 2):
            if (a.measure, a.operation, a.nationality, a.region) == (
                b.measure, b.operation, b.nationality, b.region,
            ):  # fmt: skip
                continue
            same = a.citation.source_key == b.citation.source_key
            if not same and value % 100 == 0:
                continue  # round numbers recur by chance
            what = f"{_thing(a)} and {_thing(b)}"
            if same:
                msg = f"{a.citation.source_key} gives {_n(value)} for both {what}"
            else:
                msg = (f"{_n(value)} is {_thing(a)} in {a.citation.source_key} but "
                       f"{_thing(b)} in {b.citation.source_key}")  # fmt: skip
            out.append(Finding("same_value_twice" if same else "same_value_across",
                               "warning" if same else "info", msg, (a.key, b.key),
                               (_cite(ref, a), _cite(ref, b)),
                               {"value": value, "a": a.key, "b": b.key}))  # fmt: skip
    return out


def _thing(f: Figure) -> str:
    scope = [s for s in (f.operation, f.nationality, f.region) if s]
    return f"{f.measure} ({', '.join(scope) or 'no operation'})"


# ---- the nationality table ---------------------------------------------------------------------


def _half_unit(printed: str) -> Decimal:
    """Half a unit in the last printed place: "46.30" -> 0.005, "5.3" -> 0.05, "1" -> 0.5."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return Decimal(5) / (Decimal(10) ** (decimals + 1))


def check_table(ref: ReferenceData, table: NationalityTable) -> list[Finding]:
    out: list[Finding] = []
    total = table.total.arrested
    cite = ref.sources[table.citation.source_key].file_name

    def finding(
        kind: str, msg: str, detail: dict[str, Any], row: str | None = None, para: object = None
    ) -> Finding:
        loc = f"{cite}, table {table.citation.locator.get('table')}"
        loc += f", row {row}, para {para}" if row else ""
        detail = {"table": table.key, **({"row": row} if row else {}), **detail}
        return Finding(kind, "warning", f"{table.key}: {msg}", (), (loc,), detail)

    count_sum = sum(r.arrested for r in table.rows)
    if count_sum != total:
        detail = {"column": "arrested", "sum": count_sum, "expected": total}
        out.append(finding("table_sum", f"the rows add up to {count_sum:,}, not {total:,}", detail))
    for column, label, measure in (
        ("share_printed", "share of arrested", "share_of_arrested"),
        ("population_share_printed", "share of population", "share_of_population"),
    ):
        cells = [getattr(r, column) for r in table.rows]
        s = sum(Decimal(c) for c in cells)
        slack = sum(_half_unit(c) for c in cells)
        if abs(s - Decimal(100)) > slack:
            out.append(finding("table_sum", f"the printed {label} adds up to {s}%, not 100%",
                               {"column": measure, "sum": float(s), "expected": 100}))  # fmt: skip
    for row in table.rows:
        para = row.citation.locator.get("para")
        exact = Decimal(row.arrested) * 100 / Decimal(total)
        if abs(exact - row.share) > _half_unit(row.share_printed):
            out.append(finding("table_share",
                               f"{row.nationality}: {row.arrested:,} of {total:,} is "
                               f"{exact:.3f}%, printed {row.share_printed}%",
                               {"arrested": row.arrested, "total": total,
                                "exact": round(float(exact), 3), "printed": row.share_printed},
                               row.nationality, para))  # fmt: skip
        # The population share is printed to few places, so the ratio it allows is a range.
        pop, h = row.population_share, _half_unit(row.population_share_printed)
        lo = exact / (pop + h)
        hi = exact / (pop - h) if pop > h else Decimal(math.inf)
        over, oh = row.overrepresentation, _half_unit(row.overrepresentation_printed)
        if over + oh < lo or over - oh > hi:
            out.append(finding("table_overrep",
                               f"{row.nationality}: {row.share_printed}% / "
                               f"{row.population_share_printed}% allows {lo:.2f} to {hi:.2f}, "
                               f"printed {row.overrepresentation_printed}",
                               {"share": row.share_printed,
                                "population_share": row.population_share_printed,
                                "low": round(float(lo), 2),
                                "high": None if hi.is_infinite() else round(float(hi), 2),
                                "printed": row.overrepresentation_printed},
                               row.nationality, para))  # fmt: skip
    return out

"""Consistency checks fire on the real seed figures where they should, and on small
hand-made data where they should and should not."""

from __future__ import annotations

from decimal import Decimal

import pytest
from reference_helpers import fig, make_ref

from memorybook.model.sources import Citation
from memorybook.reference import (
    NationalityRow,
    NationalityTable,
    OperationGroup,
    load_reference,
    render_findings_text,
    run_checks,
)
from memorybook.reference.checks import check_table


@pytest.fixture(scope="module")
def findings():
    return run_checks(load_reference())


def _kinds(findings, kind):
    return [f for f in findings if f.kind == kind]


# ---- on the real seeds -----------------------------------------------------------------------


def test_executed_above_sentenced_to_death_in_seed_001(findings) -> None:
    (f,) = [f for f in _kinds(findings, "part_exceeds_whole") if "seed-001" in f.message]
    assert set(f.figures) == {"great_terror.shot.s001", "great_terror.sentenced_death.s001"}


def test_seed_003_list_exceeds_its_own_total(findings) -> None:
    found = [
        f for f in _kinds(findings, "parts_exceed_whole") if f.message.startswith("within seed-003")
    ]
    assert len(found) == 1
    assert "national.shot.s003" in found[0].figures[-1]


def test_national_arrests_do_not_add_up(findings) -> None:
    found = [f for f in _kinds(findings, "parts_exceed_whole") if "national arrested" in f.message]
    assert len(found) == 1
    ref = load_reference()
    parts = [ref.figures[k] for k in found[0].figures[:-1]]
    whole = ref.figures[found[0].figures[-1]]
    assert sum(p.value or 0 for p in parts) > (whole.value or 0)


def test_national_shot_total_needs_the_111091_reading(findings) -> None:
    (f,) = _kinds(findings, "total_reproduced")
    assert "polish 111,091" in f.message
    assert f.severity == "info"


def test_number_used_for_two_things_across_seeds(findings) -> None:
    values = {f.message.split(" ")[0] for f in _kinds(findings, "same_value_across")}
    assert {"4,672", "3,932"} <= values


def test_nationality_table_sums(findings) -> None:
    sums = _kinds(findings, "table_sum")
    assert any("1,420,711" in f.message for f in sums)
    ref = load_reference()
    table = ref.tables["arrests-by-nationality-1936-1938"]
    assert sum(r.arrested for r in table.rows) != table.total.arrested  # as the seed prints it


def test_nationality_rows_reproduce(findings) -> None:
    # Recomputed independently of the check: every printed share is within its rounding.
    table = load_reference().tables["arrests-by-nationality-1936-1938"]
    for row in table.rows:
        exact = Decimal(row.arrested) * 100 / Decimal(table.total.arrested)
        places = len(row.share_printed.split(".")[1]) if "." in row.share_printed else 0
        assert abs(exact - row.share) <= Decimal(5) / 10 ** (places + 1)
    assert not _kinds(findings, "table_share")
    assert not _kinds(findings, "table_overrep")


def test_render(findings) -> None:
    text = render_findings_text(findings)
    assert text.count("\n[") + 1 == len(findings)
    assert render_findings_text([]) == "No findings.\n"


# ---- on hand-made data -------------------------------------------------------------------------


def test_parts_within_one_source() -> None:
    bad = make_ref(
        [
            fig("arr", "arrested", 100, operation="x"),
            fig("shot", "shot", 70, operation="x"),
            fig("camps", "camps", 40, operation="x"),
        ],
        operations=["x"],
    )
    (f,) = run_checks(bad)
    assert f.kind == "part_exceeds_whole" and set(f.figures) == {"arr", "shot", "camps"}
    ok = make_ref(
        [
            fig("arr", "arrested", 100, operation="x"),
            fig("shot", "shot", 60, operation="x"),
            fig("camps", "camps", 40, operation="x"),
            fig("other", "camps", 90, source="s2", operation="x"),  # another seed: not mixed
        ],
        operations=["x"],
    )
    assert run_checks(ok) == []


def test_different_regions_are_not_mixed() -> None:
    ref = make_ref(
        [fig("a", "arrested", 100, operation="x", region="Russia"),
         fig("s", "shot", 150, operation="x", region="USSR")],
        operations=["x"],
    )  # fmt: skip
    assert run_checks(ref) == []


def _group_ref(total: float, parts: list[float], exhaustive: bool = True):
    figures = [fig("tot", "shot", total, operation="g")]
    figures += [fig(f"p{i}", "shot", v, operation=f"o{i}") for i, v in enumerate(parts)]
    ops = ["g", *(f"o{i}" for i in range(len(parts)))]
    group = OperationGroup("g", tuple(ops[1:]), exhaustive)
    return make_ref(figures, operations=ops, groups=[group])


def test_group_sum_mismatch_and_match() -> None:
    (f,) = run_checks(_group_ref(100, [60, 30]))
    assert f.kind == "total_mismatch" and "90" in f.message
    assert run_checks(_group_ref(100, [60, 40])) == []
    assert run_checks(_group_ref(100, [60, 30], exhaustive=False)) == []
    (f,) = run_checks(_group_ref(100, [60, 50], exhaustive=False))
    assert f.kind == "parts_exceed_whole"


def test_same_value_for_two_things_in_one_source() -> None:
    ref = make_ref(
        [fig("a", "shot", 4672, operation="x"), fig("b", "camps", 4672, operation="y")],
        operations=["x", "y"],
    )
    (f,) = run_checks(ref)
    assert f.kind == "same_value_twice" and f.severity == "warning"
    again = make_ref(
        [fig("a", "shot", 4672, operation="x"), fig("b", "shot", 4672, source="s2", operation="x")],
        operations=["x"],
    )
    assert run_checks(again) == []  # two seeds agreeing on one thing is not a finding
    rounded = make_ref(
        [fig("a", "shot", 40000, operation="x"), fig("b", "arrested", 40000, "s2", operation="y")],
        operations=["x", "y"],
    )
    assert run_checks(rounded) == []  # round numbers recur by chance


def _table(rows: list[tuple[str, int, str, str, str]], total: int) -> NationalityTable:
    cite = Citation("s1", {"table": 1})

    def row(r):
        return NationalityRow(r[0], r[1], r[2], r[3], r[4], cite)

    return NationalityTable(
        key="t", title="t", period="1936/1938", citation=cite,
        rows=tuple(row(r) for r in rows), total=row(("Total", total, "100", "100", "1")),
    )  # fmt: skip


def test_table_check_reports_rows_that_do_not_reproduce() -> None:
    ref = make_ref([fig("z", "shot", 1)])
    good = _table([("A", 250, "25.0", "50", "0.50"), ("B", 750, "75.0", "50", "1.50")], 1000)
    assert check_table(ref, good) == []
    bad = _table([("A", 250, "26.0", "50", "0.50"), ("B", 750, "74.0", "50", "3.00")], 1000)
    kinds = sorted(f.kind for f in check_table(ref, bad))
    assert kinds == ["table_overrep", "table_share", "table_share"]
    short = _table([("A", 250, "25.0", "50", "0.50"), ("B", 700, "75.0", "50", "1.50")], 1000)
    assert "table_sum" in {f.kind for f in check_table(ref, short)}


def test_politburo_list_check_reports_difference_or_absence() -> None:
    from memorybook.reference.archive_checks import check_politburo_lists

    ref = load_reference()
    (absent,) = check_politburo_lists(ref, None)
    assert absent.kind == "source_not_imported" and "not imported" in absent.message
    lists = [
        {"key": str(n), "file": f"list{n}.yaml", "in_data": True, "signed": ["stalin"],
         "date": "1937-09-01", "persons": 120, "persons_by_category": {"1": 100, "2": 20}}
        for n in range(360)
    ] + [{"key": "999", "file": "list999.yaml", "in_data": False, "signed": [],
          "date": "1950-01-01", "persons": 0}]  # fmt: skip
    ids = {f"list{n}.yaml": {str(n * 1000 + k) for k in range(115)} for n in range(360)}
    findings = check_politburo_lists(ref, lists, ids)
    text = " | ".join(f.message for f in findings)
    assert "360 lists signed by Stalin" in text and "3 more (+0.8%)" in text
    assert "43,200 person entries, 41,400 distinct persons" in text
    assert "1,400 more (+3.5%)" in text
    assert "missing from the data: lists 999" in text


def test_findings_carry_their_detail_as_data() -> None:
    """Each finding says what its message says as keys and numbers, so that pages can word
    it in their own language; the figures it names exist."""
    from memorybook.reference import load_reference, run_checks

    ref = load_reference()
    wanted = {
        "part_exceeds_whole": {"parts", "whole"},
        "parts_exceed_whole": {"within", "group", "whole", "at_least", "missing"},
        "total_reproduced": {"within", "group", "whole", "picks", "others_low", "others_high"},
        "same_value_across": {"value", "a", "b"},
        "table_sum": {"table", "column", "sum", "expected"},
    }
    findings = run_checks(ref)
    assert {f.kind for f in findings} >= set(wanted)
    for f in findings:
        if f.kind in wanted:
            assert set(f.detail) == wanted[f.kind], f
        named = [f.detail[k] for k in ("whole", "a", "b") if k in f.detail]
        named += list(f.detail.get("parts", [])) + [k for _, k in f.detail.get("picks", [])]
        assert all(k in ref.figures for k in named), (f.kind, named)

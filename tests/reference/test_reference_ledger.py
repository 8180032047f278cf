"""The ledger sets every seed's number side by side and marks where they differ."""

from __future__ import annotations

import json

import pytest
from reference_helpers import fig, make_ref

from memorybook.errors import BadQuery
from memorybook.reference import OperationGroup, ledger, ledger_json, load_reference
from memorybook.reference import render_ledger_text as render


@pytest.fixture(scope="module")
def ref():
    return load_reference()


def _row(rows, measure, region=None, nationality=None):
    (row,) = [
        r
        for r in rows
        if r.measure == measure and r.region == region and r.nationality == nationality
    ]
    return row


def test_polish_shot_disagreement_is_flagged(ref) -> None:
    row = _row(ledger(ref, "polish", "shot"), "shot")
    by_source = {}
    for v in row.values:
        by_source.setdefault(v.source_key, set()).add(v.low)
    assert by_source == {"seed-001": {111_071}, "seed-002": {111_091}, "seed-003": {111_091}}
    assert row.disagree and not row.compatible


def test_polish_by_order_number_and_synonym(ref) -> None:
    assert ledger(ref, "00485", "executed") == ledger(ref, "polish", "shot")


def test_polish_arrests_agree(ref) -> None:
    row = _row(ledger(ref, "polish", "arrested"), "arrested")
    assert {v.low for v in row.values} == {143_810}
    assert len(row.sources) == 2 and not row.disagree


def test_kulak_figures_side_by_side(ref) -> None:
    rows = ledger(ref, "kulak", "arrested")
    unscoped = _row(rows, "arrested")
    assert {(v.source_key, v.low) for v in unscoped.values} == {
        ("seed-001", 767_000),
        ("seed-002", 669_929),
    }
    assert unscoped.disagree
    assert [v.low for v in _row(rows, "arrested", region="USSR").values] == [831_892]
    assert [v.low for v in _row(rows, "arrested", region="Russia").values] == [704_248]
    shot = ledger(ref, "kulak", "shot")
    assert {v.low for v in _row(shot, "shot").values} == {387_000, 376_202}
    assert [v.low for v in _row(shot, "shot", region="USSR").values] == [443_220]
    text = render(rows + shot)
    # Every value appears, none is averaged away.
    for number in ("767,000", "669,929", "831,892", "704,248", "387,000", "376,202", "443,220"):
        assert number in text
    assert text.index("767,000") < text.index("831,892")  # the scopes of one measure stay together


def test_bounds_make_over_compatible(ref) -> None:
    row = _row(ledger(ref, "great_terror", "arrested"), "arrested")
    assert row.disagree and row.compatible  # "over 1.5 million" and 1,548,366


def test_unknown_operation() -> None:
    with pytest.raises(BadQuery):
        ledger(load_reference(), "nonexistent")


def test_json_is_serialisable(ref) -> None:
    data = ledger_json(ledger(ref))
    text = json.dumps(data)
    assert json.loads(text) == data
    over = next(d for d in data if d["operation"] == "great_terror" and d["measure"] == "arrested")
    assert any(v["qualifier"] == "over" and v["high"] is None for v in over["values"])


def test_synthetic_agreement_and_disagreement() -> None:
    figures = [
        fig("a1", "shot", 10, "s1", operation="x"),
        fig("a2", "shot", 10, "s2", operation="x", about=True),
        fig("b1", "arrested", 20, "s1", operation="x"),
        fig("b2", "arrested", 21, "s2", operation="x"),
        fig("c1", "arrested", 5, "s1", operation="y"),
    ]
    ref = make_ref(figures, operations=["x", "y"], groups=[OperationGroup("x", (), False)])
    rows = ledger(ref, "x")
    assert not _row(rows, "shot").disagree  # a hedge on the same number is not a difference
    assert _row(rows, "arrested").disagree
    assert all(r.operation == "x" for r in rows)
    assert render([]) == "No figures match.\n"

"""Linking a small archive end to end: persons, stability, decisions, review, CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from memorybook.cli.main import main
from memorybook.linkage import link_archive, person, person_counts, person_of_record, resolve
from memorybook.linkage.decisions import decision_row, record_decision
from memorybook.linkage.review import review
from memorybook.linkage.run import settled
from memorybook.storage import link_store, link_tables
from memorybook.storage import schema as s
from tests.conftest import Archives, location

from . import small


def persons_by_locator(engine: Engine) -> dict[tuple[str, int], str]:
    from memorybook.linkage import persons_json

    with engine.connect() as conn:
        rows = list(persons_json(conn))
    out: dict[tuple[str, int], str] = {}
    for p in rows:
        for loc in p["records"]:
            assert (loc["file"], loc["index"]) not in out, "a record in two persons"
            out[(loc["file"], loc["index"])] = p["person"]
    return out


def record_id(engine: Engine, file: str, index: int) -> int:
    with engine.connect() as conn:
        (rid,) = link_store.record_by_locator(conn, file, index)
    return rid


def snapshot(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        return {
            t.name: sorted(tuple(r) for r in conn.execute(select(t)))
            for t in (
                s.person, s.person_record, link_tables.record_link, link_tables.link_run,
                link_tables.person_redirect, link_tables.link_decision,
            )
        }  # fmt: skip


def test_persons_json_puts_every_record_in_exactly_one_person(
    small_archive: tuple[Engine, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, archive = small_archive
    assert main(["link", "--archive", archive]) == 0
    capsys.readouterr()
    assert main(["persons", "--json", "--archive", archive]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    locators = [(loc["file"], loc["index"]) for p in lines for loc in p["records"]]
    assert len(locators) == len(set(locators)) == 58
    assert all(set(p) == {"person", "records", "decided"} for p in lines)
    assert len({p["person"] for p in lines}) == len(lines)


def test_reprinted_people_join_and_namesakes_stay_apart(small_archive: tuple[Engine, str]) -> None:
    engine, _ = small_archive
    link_archive(engine)
    of = persons_by_locator(engine)
    exact = [
        (a, b)
        for (a, b), (_, change) in zip(small.same_pairs(), small.SAME_IN_B, strict=True)
        if not change
    ]
    assert all(of[a] == of[b] for a, b in exact)
    joined = sum(of[a] == of[b] for a, b in small.same_pairs())
    assert joined >= len(small.same_pairs()) - 2
    assert all(of[a] != of[b] for a, b in small.namesake_pairs())


def test_relinking_an_unchanged_archive_changes_nothing(small_archive: tuple[Engine, str]) -> None:
    engine, _ = small_archive
    first = link_archive(engine)
    assert not first.unchanged
    before = snapshot(engine)
    again = link_archive(engine)
    assert again.unchanged
    assert snapshot(engine) == before


def test_a_model_differing_in_the_last_bits_is_the_same_model() -> None:
    # DuckDB sums in parallel: two trainings on the same records can differ by 1e-15
    trained = {"comparisons": [{"m_probability": 0.7810996632481713, "label": "x"}], "n": 3}
    again = {"comparisons": [{"m_probability": 0.7810996632481706, "label": "x"}], "n": 3}
    assert trained != again
    assert settled(trained) == settled(again)
    assert settled(trained)["comparisons"][0] == {"m_probability": 0.7810996632, "label": "x"}
    # a real change of the model still shows
    assert settled({"m": 0.78110}) != settled({"m": 0.78111})


def test_decisions_override_the_model_and_survive_relinking(
    small_archive: tuple[Engine, str],
) -> None:
    engine, _ = small_archive
    link_archive(engine)
    (a, b) = small.same_pairs()[0]
    ra, rb = record_id(engine, *a), record_id(engine, *b)
    with engine.connect() as conn:
        keys = link_store.record_keys(conn, [ra, rb])
        joined = person_of_record(conn, ra)
        assert joined == person_of_record(conn, rb)
    record_decision(
        engine, decision_row(keys[ra], keys[rb], "not_same", "tester", "different fathers")
    )
    link_archive(engine)
    with engine.connect() as conn:
        pa, pb = person_of_record(conn, ra), person_of_record(conn, rb)
        assert pa != pb
        assert joined in (pa, pb)  # the person keeping the anchor record keeps its id
        assert person(conn, pa)["decided"] is True
    # A namesake pair the model keeps apart is joined by a "same" decision; the id that goes
    # redirects to the merged person.
    (c, d) = small.namesake_pairs()[0]
    rc, rd = record_id(engine, *c), record_id(engine, *d)
    with engine.connect() as conn:
        kc = link_store.record_keys(conn, [rc, rd])
        pc, pd = person_of_record(conn, rc), person_of_record(conn, rd)
    assert pc != pd
    record_decision(engine, decision_row(kc[rc], kc[rd], "same", "tester", "same case file"))
    link_archive(engine)
    with engine.connect() as conn:
        merged = person_of_record(conn, rc)
        assert merged == person_of_record(conn, rd)
        gone = pd if merged == pc else pc
        assert resolve(conn, gone) == merged
        page = person(conn, gone)
        assert page is not None and page["id"] == merged and page["requested"] == gone
        assert {d["verdict"] for d in page["decisions"]} == {"same"}
        assert "birth_edtf" in page["disagreements"]
    # Re-linking again keeps all of it.
    assert link_archive(engine).unchanged


def test_decisions_export_and_import_as_csv(
    small_archive: tuple[Engine, str], archives: Archives, tmp_path: Path
) -> None:
    engine, archive = small_archive
    link_archive(engine)
    (a, b) = small.same_pairs()[1]
    ra, rb = record_id(engine, *a), record_id(engine, *b)
    with engine.connect() as conn:
        keys = link_store.record_keys(conn, [ra, rb])
    record_decision(engine, decision_row(keys[ra], keys[rb], "not_same", "Анна", "разные отцы"))
    out = tmp_path / "decisions.csv"
    assert main(["link", "decisions", "--export", str(out), "--archive", archive]) == 0
    rows = list(csv.DictReader(out.read_text("utf-8").splitlines()))
    assert [(r["verdict"], r["who"], r["why"]) for r in rows] == [
        ("not_same", "Анна", "разные отцы")
    ]
    # A fresh archive of the same lists (a re-import) takes the decision back.
    other = tmp_path / "other"
    other.mkdir()
    engine2 = archives.engine("other")
    small.build(engine2, other)
    assert main(["link", "decisions", "--import", str(out), "--archive", location(engine2)]) == 0
    with engine2.connect() as conn:
        got = link_store.decisions(conn)
    assert [(d["key_a"], d["key_b"], d["verdict"], d["who"]) for d in got] == [
        (rows[0]["key_a"], rows[0]["key_b"], "not_same", "Анна")
    ]
    # Importing it again stores nothing new.
    assert main(["link", "decisions", "--import", str(out), "--archive", location(engine2)]) == 0
    with engine2.connect() as conn:
        assert len(link_store.decisions(conn)) == 1
    engine2.dispose()


def test_a_decisions_file_naming_unknown_records_changes_nothing(
    small_archive: tuple[Engine, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine, archive = small_archive
    bad = tmp_path / "bad.csv"
    bad.write_text("key_a,key_b,verdict,who\nnope1,nope2,same,x\n", encoding="utf-8")
    assert main(["link", "decisions", "--import", str(bad), "--archive", archive]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not in the archive" in err
    with engine.connect() as conn:
        assert link_store.decisions(conn) == []


def test_review_in_a_terminal_driven_by_stdin(small_archive: tuple[Engine, str]) -> None:
    engine, _ = small_archive
    link_archive(engine)
    with engine.connect() as conn:
        queue = link_store.review_queue(conn)
    assert queue, "the small lists leave at least one pair for review"
    answers = io.StringIO("x\nn\nother initials\n" + "k\n" * (len(queue) - 1))
    shown = io.StringIO()
    counts = review(engine, "tester", answers, shown)
    text = shown.getvalue()
    assert "answer s, n, k or q" in text and "match probability" in text
    assert counts["not_same"] == 1 and counts["shown"] == len(queue)
    with engine.connect() as conn:
        (d,) = link_store.decisions(conn)
        keys = link_store.record_keys(conn, [queue[0]["record_a"], queue[0]["record_b"]])
    assert (d["key_a"], d["key_b"]) == tuple(sorted(keys.values()))
    assert (d["verdict"], d["who"], d["why"]) == ("not_same", "tester", "other initials")
    # Decided pairs leave the queue at the next run.
    link_archive(engine)
    with engine.connect() as conn:
        assert len(link_store.review_queue(conn)) == len(queue) - 1


def test_person_counts(small_archive: tuple[Engine, str]) -> None:
    engine, _ = small_archive
    with engine.connect() as conn:
        assert person_counts(conn) == {"records": 58, "persons": 58}
    report = link_archive(engine)
    with engine.connect() as conn:
        counts = person_counts(conn)
        fam = conn.execute(select(s.record.c.family).distinct()).scalars().all()
        per_list = [person_counts(conn, family=f) for f in fam]
    assert counts == {"records": 58, "persons": report.persons}
    assert counts["persons"] < 58
    assert sorted(c["records"] for c in per_list) == [18, 40]

"""The person layers of the library on the web tests' hand-made archive: search folded by
person (`search.persons`), person counts (`stats.persons`), and the CLI's extra "person" key.
Records 1, 6 and 7 are one person there (tests/web/conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select

from memorybook.cli.main import main
from memorybook.search.api import Searcher
from memorybook.search.persons import group_records, person_ids, search_persons
from memorybook.stats.persons import count_by_family, count_persons
from memorybook.storage import schema as s
from memorybook.storage.engine import write_transaction
from tests.web.conftest import LINKED_PERSON, build_archive


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    path = tmp_path / "persons.sqlite"
    engine = build_archive(path)
    yield engine, path
    engine.dispose()


def test_group_records_keeps_the_order_and_the_best_record(archive: tuple[Engine, Path]) -> None:
    engine, _ = archive
    with engine.connect() as conn:
        groups = group_records(conn, [7, 2, 1, 8, 6])
    assert [(g.person, g.records, g.matched) for g in groups] == [
        (LINKED_PERSON, 3, [7, 1, 6]),  # where its first record stood; 7 is its best match
        ("p-k2", 1, [2]),
        ("p-k8", 1, [8]),
    ]
    assert groups[0].best == 7


@pytest.mark.parametrize(
    "ids", [[7, 2, 1, 8, 6], [1, 6, 7], [8], [], [2, 999, 7, 999, 1], [999, 6, 2, 6]]
)
def test_the_person_map_groups_as_group_records_does(
    archive: tuple[Engine, Path], ids: list[int]
) -> None:
    # The web folds a search's candidates in memory (PersonMap); 999 is no record, and a
    # record no person holds (record 2 below) counts as its own, as in the archive.
    from memorybook.search.persons import PersonMap

    engine, _ = archive
    with write_transaction(engine) as conn:
        conn.execute(delete(s.person_record).where(s.person_record.c.record_id == 2))
    with engine.connect() as conn:
        expected = [(g.person, g.records, g.matched) for g in group_records(conn, ids)]
        grouped = PersonMap.load(conn).group(ids)
        assert len(grouped) == len(expected)
        for start, stop in ((0, len(ids) + 1), (1, 3), (2, 2)):
            page = [(g.person, g.records, g.matched) for g in grouped.page(conn, start, stop)]
            assert page == expected[start:stop]
    assert ids != [7, 2, 1, 8, 6] or expected[0] == (LINKED_PERSON, 3, [7, 1, 6])


@pytest.mark.parametrize("every_record_placed", [True, False])
@pytest.mark.parametrize("ids", [[7, 2, 1, 8, 6], [1, 6, 7], [8], [], [6, 2, 6, 1]])
def test_the_person_map_aligned_to_the_records_groups_by_position_alike(
    archive: tuple[Engine, Path], ids: list[int], every_record_placed: bool
) -> None:
    # The web gives the map the candidates' positions among all records (the name index's
    # order) once it is aligned to them: the same persons, order and pages as by id.
    import numpy as np

    from memorybook.search.persons import PersonMap

    engine, _ = archive
    if not every_record_placed:
        with write_transaction(engine) as conn:
            conn.execute(delete(s.person_record).where(s.person_record.c.record_id == 2))
    with engine.connect() as conn:
        expected = [(g.person, g.records, g.matched) for g in group_records(conn, ids)]
        records = np.array(
            sorted(i for (i,) in conn.execute(select(s.record.c.id))), dtype=np.int64
        )
        aligned = PersonMap.load(conn)
        aligned.align(records)
        grouped = aligned.group(ids, np.searchsorted(records, np.array(ids, dtype=np.int64)))
        page = [(g.person, g.records, g.matched) for g in grouped.page(conn, 0, len(ids) + 1)]
    assert page == expected and len(grouped) == len(expected)


def test_search_persons_folds_records_of_one_person(archive: tuple[Engine, Path]) -> None:
    engine, _ = archive
    searcher = Searcher.open(engine)
    records = searcher.search("Иванов", None, 50).results
    found = search_persons(searcher, "Иванов", limit=50)
    assert found.complete
    persons = [r.person for r in found.results]
    assert len(persons) == len(set(persons))
    # every record hit is in exactly one person row, and nothing else is
    assert sorted(i for r in found.results for i in r.matched) == sorted(
        h.record_id for h in records
    )
    linked = next(r for r in found.results if r.person == LINKED_PERSON)
    assert linked.records == 3 and sorted(linked.matched) == [1, 6, 7]
    # the row is its best record's hit, reason and all, in the library's ranking
    first_of_person = next(h for h in records if h.record_id in (1, 6, 7))
    assert linked.hit.record_id == first_of_person.record_id
    assert linked.hit.why == first_of_person.why
    row = linked.to_json()
    assert row["person"] == LINKED_PERSON and row["records"] == 3 and "why" in row
    # paging is over persons
    page2 = search_persons(searcher, "Иванов", limit=1, offset=1)
    assert [r.person for r in page2.results] == persons[1:2]
    searcher.close()


def test_counts_of_records_and_persons(archive: tuple[Engine, Path]) -> None:
    engine, _ = archive
    with engine.connect() as conn:
        whole = count_persons(conn)
        families = count_by_family(conn)
    assert (whole.records, whole.persons, whole.repeated, whole.linked) == (8, 6, 2, True)
    assert (
        families["memorial-moscow:pages"].records,
        families["memorial-moscow:pages"].persons,
    ) == (5, 4)
    # a record no linkage run has placed yet counts as a person of its own
    with write_transaction(engine) as conn:
        conn.execute(delete(s.person_record).where(s.person_record.c.record_id == 8))
    with engine.connect() as conn:
        after = count_persons(conn)
    assert (after.records, after.persons, after.unplaced) == (8, 6, 1)


def test_cli_search_json_names_each_records_person(
    archive: tuple[Engine, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    engine, path = archive
    assert main(["search", "--json", "--archive", str(path), "Иванов Иван Иванович"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = out["results"]
    assert rows, "the search found the records"
    with engine.connect() as conn:
        expected = person_ids(conn, [1, 6, 7, 8, 2])
    # record-level results as before, each with its person as an extra key
    assert all({"locator", "name", "score", "confident", "why", "person"} <= set(r) for r in rows)
    by_loc = {(r["locator"]["file"], r["locator"]["index"]): r["person"] for r in rows}
    assert by_loc[("1.htm", 0)] == by_loc[("list100.yaml", 3)] == expected[1] == LINKED_PERSON
    batch = tmp_path / "q.jsonl"
    batch.write_text(json.dumps({"id": "a", "query": "Иванов Иван"}) + "\n", encoding="utf-8")
    assert main(["search", "--archive", str(path), "--batch", str(batch)]) == 0
    line = json.loads(capsys.readouterr().out.splitlines()[0])
    assert line["id"] == "a" and all("person" in r for r in line["results"])
    assert LINKED_PERSON in {r["person"] for r in line["results"]}

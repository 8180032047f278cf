"""Widening an evaluation set's expected records to an archive of several lists."""

from __future__ import annotations

from typing import Any

from memorybook.search.evaluate import same_name_expected


def _rec(file: str, idx: int, s: str, g: str | None, p: str | None) -> dict[str, Any]:
    return {"file": file, "idx": idx, "surname": s, "given_name": g, "patronymic": p}


RECORDS = [
    _rec("1.htm", 0, "Кузнецов", "Василий", "Николаевич"),
    _rec("list9.yaml", 4, "КУЗНЕЦОВ", "Василий", "Николаевич"),  # the same man, another list
    _rec("list9.yaml", 5, "Кузнецов", "Василий", "Петрович"),
    _rec("list9.yaml", 6, "Кузнецов", "Иван", "Петрович"),
    _rec("list9.yaml", 7, "Забелин", "Петр", "Иванович"),
    _rec("texts.txt", 8, "", None, None),  # no printed name: never expected
]


def test_same_name_in_as_many_parts_as_typed() -> None:
    items = [
        {"kind": "cyr_typo", "query": "Кузнеуов Василий", "expected": [["1.htm", 0]]},
        {"kind": "cyr_exact", "query": "Кузнецов Василий Николаевич", "expected": [["1.htm", 0]]},
        {"kind": "initials", "query": "Кузнецов В. Н.", "expected": [["1.htm", 0]]},
        {"kind": "prefix", "query": "Забе*", "expected": []},
        {"kind": "absent", "query": "Кузнецов Тарас", "expected": []},
        {"kind": "alias", "query": "Кузнец Василий", "expected": [["1.htm", 0]]},
    ]
    added = same_name_expected(items, RECORDS)
    got = [sorted(tuple(e) for e in i["expected"]) for i in items]
    assert got[0] == [("1.htm", 0), ("list9.yaml", 4), ("list9.yaml", 5)]
    assert got[1] == [("1.htm", 0), ("list9.yaml", 4)]
    assert got[2] == [("1.htm", 0), ("list9.yaml", 4)]  # initials: the same full name only
    assert got[3] == [("list9.yaml", 7)]
    assert got[4] == [] and got[5] == [("1.htm", 0)]
    assert added == 2 + 1 + 1 + 1

"""The generic csv/jsonl importer: a column mapping to the entry fields, rows kept verbatim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from memorybook.errors import ImportFailed
from memorybook.ingest.formats.tabular import parse_mapping
from memorybook.ingest.importer import import_sources
from memorybook.storage import read_store as rs
from memorybook.storage import schema as s

CSV = (
    "Фамилия,Имя,Отчество,Год рождения,Расстрелян,Текст\n"
    'Милевский,Сигизмунд,Иосифович,1898,"20.09.1937","Родился в 1898 г.; поляк;\nПриговор: ВМН"\n'
    ",,,,,\n"
    "Шмидт,Генрих,,1901,,\n"
)
MAPPING = [
    "surname=Фамилия",
    "given_name=Имя",
    "patronymic=Отчество",
    "birth=Год рождения",
    "death=Расстрелян",
    "text=Текст",
]


def stored(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as conn:
        rows = conn.execute(select(s.record).order_by(s.record.c.id)).mappings().all()
    return [dict(r) for r in rows]


def test_csv_rows_with_a_mapping(tmp_path: Path, engine: Engine) -> None:
    path = tmp_path / "list.csv"
    path.write_text(CSV, encoding="utf-8")
    report = import_sources(engine, "csv", [path], options={"mapping": MAPPING})
    rows = stored(engine)
    assert report.records_created == 2 and [r["idx"] for r in rows] == [0, 2]
    first = rows[0]
    assert first["verbatim"] == CSV.splitlines()[1] + "\n" + CSV.splitlines()[2]
    assert (first["surname"], first["given_name"], first["patronymic"]) == (
        "Милевский",
        "Сигизмунд",
        "Иосифович",
    )
    with engine.connect() as conn:
        rec = rs.record(conn, int(str(first["id"])))
    assert rec is not None
    fields = rec["fields"]
    assert fields["birth"] == "1898" and fields["death"] == "1937-09-20"
    assert fields["nationality"] == "поляк" and fields["sentence"] == "ВМН"  # from the text column
    spans = rec["spans"]
    verbatim = str(first["verbatim"])
    for key in ("surname", "given_name", "nationality", "sentence"):
        a, b = spans[key]
        assert verbatim[a:b] == fields[key], key
    assert rows[1]["surname"] == "Шмидт" and rows[1]["patronymic"] is None


def test_jsonl_keeps_a_bad_line_verbatim(tmp_path: Path, engine: Engine) -> None:
    path = tmp_path / "list.jsonl"
    lines = [
        json.dumps({"fam": "Крон", "im": "Арнольд", "born": 1884}, ensure_ascii=False),
        "{not json",
        json.dumps(["a list"]),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_sources(
        engine, "jsonl", [path], options={"mapping": ["surname=fam", "given_name=im", "birth=born"]}
    )
    rows = stored(engine)
    assert [r["verbatim"] for r in rows] == lines
    assert rows[0]["surname"] == "Крон" and rows[0]["birth_edtf"] == "1884"
    assert report.warnings_by_kind["bad_json"] == 2


def test_mapping_names_only_known_fields() -> None:
    assert parse_mapping(["surname=Фамилия"]) == {"surname": "Фамилия"}
    with pytest.raises(ImportFailed, match="unknown entry field"):
        parse_mapping(["ethnicity=Национальность"])
    with pytest.raises(ImportFailed, match="FIELD=COLUMN"):
        parse_mapping(["surname"])


def test_a_nationality_the_vocabulary_does_not_know_is_reported_and_kept_apart(
    tmp_path: Path, engine: Engine
) -> None:
    """An unknown nationality is kept as printed, filtered under all its own words (never
    merged into the known nationality its first word names) and named in the report."""
    path = tmp_path / "list.csv"
    path.write_text(
        "Фамилия,Имя,Национальность\n"
        "Крон,Арнольд,латыш марсианин\n"
        "Шмидт,Генрих,латышка\n"
        "Берг,Карл,марсианин (по другим данным - немец)\n",
        encoding="utf-8",
    )
    mapping = ["surname=Фамилия", "given_name=Имя", "nationality=Национальность"]
    report = import_sources(engine, "csv", [path], options={"mapping": mapping})
    assert report.warnings_by_kind["unknown_nationality"] == 2
    keys = [r["nationality_key"] for r in stored(engine)]
    assert keys == ["латыш марсианин", "латыш", "марсианин"]
    with engine.connect() as conn:
        latvians = rs.count_records(conn, rs.Filters.of(nationality="латыш"), None)
    assert latvians == 1

"""Issue 12, "bad input gets one clear line, and changes nothing", the importer's items, each
as it was reproduced, on SQLite and PostgreSQL:

1. a file without a single entry (empty, or another format's) fails and writes nothing;
2. the same page in another encoding (its charset declaration changed or gone), or under
   another name, is the source already imported;
3. a CSV's mapping and delimiter are part of the import's identity: another mapping is a new
   version that reads the same records again;
4. control characters are reported, and an entry of nothing else is not a record;
5. an entry over the size limit is kept unparsed, pointing at its whole span in the file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from memorybook.errors import ConfigurationError, ImportFailed
from memorybook.ingest import entry_checks
from memorybook.ingest.formats import get_format
from memorybook.ingest.identity import reading_of
from memorybook.ingest.importer import import_sources
from memorybook.storage import read_store as rs
from memorybook.storage import schema as s
from memorybook.storage import search_tables

from ..conftest import Archives, location
from ..test_cli_errors import one_line_error, run

LIST_ENTRIES = [
    "Родилась в 1874 г., г. Казань; русская;\nмонахиня.\nАрестована 7 марта 1932 г.",
    "Родился в 1901 г.; поляк;\nПриговор: ВМН",
]
META = '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=windows-1251">'
PAGE = (
    f"<HTML><HEAD>{META}</HEAD><BODY>\r\n<p class=Street>Даев   пер.</p><Table border=1>\r\n"
    "<tr><td rowspan=1><h4>д.6</h4></td><td><h5>&nbsp;кв.7</h5></td><td>"
    "<p class=pers><B>Волков Григорий Иванович</B>, род. 1892, г. Александрия, еврей, "
    "член ВКП(б) с 1919, преподаватель. Адрес: Даев пер., д.6, кв. 7. Рассстрелян 08.02.1938. "
    "Место захоронения: Коммунарка.</p></td></tr></table></BODY></HTML>\r\n"
)
TABLES = (s.source, s.import_run, s.record, s.record_locator, s.event, s.person)


def lists_bytes(entries: list[str]) -> bytes:
    return "".join(e.replace("\n", "\r\n") + "\r\n---\r\n" for e in entries).encode("utf-8")


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        out = {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
            for t in (*TABLES, search_tables.name_key)
        }
    return out


def records(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(s.record).order_by(s.record.c.id)).mappings().all()
    return [dict(r) for r in rows]


# 1. No entry found: a clear failure, nothing written ------------------------------------


@pytest.mark.parametrize(
    ("case", "name", "data", "fmt", "found"),
    [
        ("empty file", "texts.txt", b"", "memorial-lists", ""),
        ("separators only", "texts.txt", b"---\r\n  \r\n---\r\n", "memorial-lists", "2 empty"),
        (
            "texts.txt as Moscow pages",
            "texts.txt",
            lists_bytes(LIST_ENTRIES),
            "memorial-moscow",
            "",
        ),
        ("a header without rows", "list.csv", "Фамилия,Имя\r\n".encode(), "csv", ""),
        ("blank lines", "list.jsonl", b"\n\n  \n", "jsonl", ""),
    ],
)
def test_an_import_that_finds_no_entry_fails_and_writes_nothing(
    tmp_path: Path, engine: Engine, case: str, name: str, data: bytes, fmt: str, found: str
) -> None:
    path = write(tmp_path / name, data)
    with pytest.raises(ImportFailed) as info:
        import_sources(engine, fmt, [path], options={"mapping": ["surname=Фамилия"]})
    message = str(info.value)
    assert f"no {fmt} entry found" in message and "nothing imported" in message, case
    assert found in message and "\n" not in message, case
    assert set(counts(engine).values()) == {0}, case  # no source, no import run, no record


def test_cli_an_empty_file_is_one_line_and_the_archive_stays_empty(
    tmp_path: Path, engine: Engine
) -> None:
    empty = write(tmp_path / "texts.txt", b"")
    proc = run("import", "--archive", location(engine), "--format", "memorial-lists", str(empty))
    one_line_error(proc, "texts.txt: no memorial-lists entry found")
    assert proc.stdout == b""
    assert set(counts(engine).values()) == {0}


# 2. The same text in another encoding, or under another name, is the same source ---------


def test_the_same_page_in_another_encoding_is_already_imported(
    tmp_path: Path, engine: Engine
) -> None:
    first = import_sources(
        engine, "memorial-moscow", [write(tmp_path / "a/1.htm", PAGE.encode("cp1251"))]
    )
    assert first.status == "imported" and first.records_created == 1
    before = counts(engine)
    variants = {
        "UTF-8 without its meta tag": PAGE.replace(META, "").encode("utf-8"),
        "UTF-8 with an HTML 5 declaration, LF": PAGE.replace(META, '<meta charset="utf-8">')
        .replace("\r\n", "\n")
        .encode("utf-8"),
        "UTF-8 with a BOM": b"\xef\xbb\xbf" + PAGE.replace(META, "").encode("utf-8"),
    }
    for case, data in variants.items():
        again = import_sources(engine, "memorial-moscow", [write(tmp_path / "b/1.htm", data)])
        assert again.status == "unchanged", case
        assert "already imported" in again.message and "nothing created" in again.message, case
        assert again.source_key == first.source_key, case
        assert counts(engine) == before, case


def test_a_changed_page_in_another_encoding_is_a_new_version(
    tmp_path: Path, engine: Engine
) -> None:
    import_sources(engine, "memorial-moscow", [write(tmp_path / "a/1.htm", PAGE.encode("cp1251"))])
    changed = PAGE.replace(META, "").replace("Коммунарка", "Бутово").encode("utf-8")
    report = import_sources(engine, "memorial-moscow", [write(tmp_path / "b/1.htm", changed)])
    assert report.status == "imported" and report.version == 2 and report.records_created == 1


def test_the_same_page_under_another_name_is_not_imported_twice(
    tmp_path: Path, engine: Engine
) -> None:
    write(tmp_path / "pages/1.htm", PAGE.encode("cp1251"))
    first = import_sources(engine, "memorial-moscow", [tmp_path / "pages"])
    before = counts(engine)
    utf8 = PAGE.replace(META, "").encode("utf-8")
    # All of it already there (as part of another source): nothing created.
    copy = import_sources(engine, "memorial-moscow", [write(tmp_path / "copy/1.htm", utf8)])
    assert copy.status == "unchanged" and copy.source_key == first.source_key
    assert counts(engine) == before
    # Only part of it: refused, naming the file and where it already is.
    write(tmp_path / "more/1.htm", utf8)
    other = PAGE.replace("Волков Григорий", "Волкова Мария").encode("cp1251")
    write(tmp_path / "more/2.htm", other)
    with pytest.raises(ImportFailed) as info:
        import_sources(engine, "memorial-moscow", [tmp_path / "more"])
    assert f"1.htm: its text is already in the archive as part of {first.source_key}" in str(
        info.value
    )
    assert counts(engine) == before


# 3. A CSV's reading (mapping, delimiter) is part of its identity -------------------------

CSV = (
    "Фамилия,Имя,Год рождения,Текст\r\n"
    'Милевский,Сигизмунд,1898,"Родился в 1898 г.; поляк;\r\nПриговор: ВМН"\r\n'
    "Шмидт,Генрих,1901,\r\n"
)
WRONG = ["surname=Имя", "birth=Фамилия"]
RIGHT = ["surname=Фамилия", "given_name=Имя", "birth=Год рождения", "text=Текст"]
DERIVED = ("name", "surname", "given_name", "birth_edtf", "birth_from", "nationality", "parsed")


def _derived(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        keys = {
            rid: sorted(norms)
            for rid, norms in _group(
                conn.execute(
                    select(search_tables.name_key.c.record_id, search_tables.name_key.c.norm)
                )
            ).items()
        }
        events = _group(conn.execute(select(s.event.c.record_id, s.event.c.kind)))
    return [
        (
            *(r[c] for c in DERIVED),
            keys.get(r["id"], []),
            sorted(events.get(r["id"], [])),
            json.loads(r["fields_json"]),
        )
        for r in records(engine)
    ]


def _group(rows: Any) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for rid, value in rows:
        out.setdefault(int(rid), []).append(value)
    return out


def test_a_corrected_mapping_reads_the_same_records_again(
    tmp_path: Path, archives: Archives
) -> None:
    path = write(tmp_path / "list.csv", CSV.encode("utf-8"))
    fresh = archives.engine("fresh")
    engine = archives.engine("fixed")
    try:
        _correct_a_mapping(path, fresh, engine)
    finally:
        fresh.dispose()
        engine.dispose()


def _correct_a_mapping(path: Path, fresh: Engine, engine: Engine) -> None:
    import_sources(fresh, "csv", [path], options={"mapping": RIGHT})
    wrong = import_sources(engine, "csv", [path], options={"mapping": WRONG})
    assert wrong.records_created == 2 and records(engine)[0]["surname"] == "Сигизмунд"
    ids = [r["id"] for r in records(engine)]
    same = import_sources(engine, "csv", [path], options={"mapping": list(reversed(WRONG))})
    assert same.status == "unchanged" and "nothing created" in same.message

    fixed = import_sources(engine, "csv", [path], options={"mapping": RIGHT})
    assert fixed.status == "imported" and fixed.version == 2
    assert (fixed.records_created, fixed.records_reused, fixed.records_reread) == (0, 2, 2)
    assert [r["id"] for r in records(engine)] == ids  # the same records, not a second set
    # Read exactly as a first import with the right mapping reads them.
    assert _derived(engine) == _derived(fresh)
    assert records(engine)[0]["surname"] == "Милевский"
    again = import_sources(engine, "csv", [path], options={"mapping": RIGHT})
    assert again.status == "unchanged" and again.source_key == fixed.source_key

    # Back to the first mapping: a third version, and the records follow it.
    back = import_sources(engine, "csv", [path], options={"mapping": WRONG})
    assert back.status == "imported" and back.version == 3 and back.records_reread == 2
    assert records(engine)[0]["surname"] == "Сигизмунд"
    with engine.connect() as conn:
        sources = rs.sources(conn)
    assert [x["version"] for x in sources] == [1, 2, 3]
    assert len({x["sha256"] for x in sources}) == 3


def test_another_delimiter_is_another_reading(tmp_path: Path, engine: Engine) -> None:
    path = write(tmp_path / "list.csv", "Фамилия;Имя\r\nШмидт;Генрих\r\n".encode())
    mapping = ["surname=Фамилия", "given_name=Имя"]
    first = import_sources(engine, "csv", [path], options={"mapping": mapping})
    assert first.warnings_by_kind["missing_column"] == 1 and records(engine)[0]["surname"] is None
    second = import_sources(engine, "csv", [path], options={"mapping": mapping, "delimiter": ";"})
    assert second.status == "imported" and second.records_reread == 1
    [record] = records(engine)
    assert (record["surname"], record["given_name"]) == ("Шмидт", "Генрих")


def test_the_reading_is_canonical() -> None:
    csv_format = get_format("csv")
    a = reading_of(csv_format, {"mapping": ["surname=A", "given_name=B"]})
    b = reading_of(csv_format, {"mapping": ["given_name=B", "surname=A"], "delimiter": ","})
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert reading_of(get_format("memorial-lists"), {"mapping": ["surname=A"]}) == {}
    with pytest.raises(ImportFailed, match="one character"):
        reading_of(csv_format, {"delimiter": ";;"})


# 4. Control characters -------------------------------------------------------------------


def test_control_characters_are_reported_and_only_they_are_no_record(
    tmp_path: Path, engine: Engine
) -> None:
    entries = ["Родился в 1901 г.\x00; поляк;\x1b\nПриговор: ВМН", "\x00\x01\x02", " \x7f\t\x85 "]
    path = write(tmp_path / "texts.txt", lists_bytes(entries))
    report = import_sources(engine, "memorial-lists", [path])
    assert (report.entries, report.empty, report.records_created) == (3, 2, 1)
    assert report.warnings_by_kind["control_characters"] == 1
    assert report.warnings_by_kind["control_characters_only"] == 2
    listed: dict[int, list[str]] = {}
    for w in report.warnings:
        listed.setdefault(w["locator"]["index"], []).append(w["warning"])
    assert "control_characters: 1 × U+0000, 1 × U+001B" in listed[0]
    assert listed[1] == [
        "control_characters_only: 1 × U+0000, 1 × U+0001, 1 × U+0002 and no text: not a record"
    ]
    assert listed[2] == [
        "control_characters_only: 1 × U+007F, 1 × U+0085 and no text: not a record"
    ]
    [record] = records(engine)
    assert record["verbatim"] == "Родился в 1901 г.␀; поляк;␛\nПриговор: ВМН"
    assert record["nationality"] == "поляк"
    with engine.connect() as conn:
        [(_, _, start, end, raw, _)] = list(rs.iter_raw_slices(conn))
    assert raw == entries[0] == path.read_bytes().decode().replace("\r\n", "\n")[start:end]


def test_control_characters_in_csv_cells(tmp_path: Path, engine: Engine) -> None:
    path = write(tmp_path / "list.csv", "Фамилия,Имя\r\nШми\x00дт,Генрих\r\n\x00,\x01\r\n".encode())
    report = import_sources(engine, "csv", [path], options={"mapping": ["surname=Фамилия"]})
    assert (report.records_created, report.empty) == (1, 1)
    [record] = records(engine)
    assert record["surname"] == "Шми␀дт"


def test_the_parse_command_reports_control_characters(tmp_path: Path) -> None:
    path = write(tmp_path / "texts.txt", lists_bytes(["Родился в 1901 г.\x00", "\x00"]))
    proc = run("parse", "--format", "memorial-lists", str(path))
    assert proc.returncode == 0, proc.stderr
    [line] = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert line["verbatim"] == "Родился в 1901 г.␀" and line["birth"] == "1901"
    assert line["warnings"][0].startswith("control_characters: 1 × U+0000")


# 5. The size limit -----------------------------------------------------------------------


def test_an_oversize_entry_is_kept_unparsed_with_its_span(tmp_path: Path, engine: Engine) -> None:
    long = "Родился в 1900 г.; " + "поляк; " * 2_000 + "Приговор: ВМН"  # ~ 27 KB
    path = write(tmp_path / "texts.txt", lists_bytes([LIST_ENTRIES[0], long, LIST_ENTRIES[1]]))
    report = import_sources(engine, "memorial-lists", [path], max_entry_bytes=4096)
    assert report.records_created == 3 and report.warnings_by_kind["oversize_entry"] == 1
    big = records(engine)[1]
    size = len(long.encode("utf-8"))
    assert not big["parsed"] and big["birth_edtf"] is None and big["nationality"] is None
    assert len(big["verbatim"].encode("utf-8")) <= 4096 and long.startswith(big["verbatim"])
    oversize = json.loads(big["extra_json"])["oversize"]
    assert oversize == {
        "bytes": size,
        "shown_bytes": len(big["verbatim"].encode("utf-8")),
        "sha256": hashlib.sha256(long.encode("utf-8")).hexdigest(),
    }
    decoded = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    assert decoded[big["raw_start"] : big["raw_end"]] == long  # the whole entry, in the file
    assert f"oversize_entry: {size} bytes, over the limit of 4096" in big["warnings_json"]
    # The neighbours are read as usual; a re-import changes nothing.
    assert records(engine)[2]["nationality"] == "поляк"
    again = import_sources(engine, "memorial-lists", [path], max_entry_bytes=4096)
    assert again.status == "unchanged"
    # Two long entries that begin alike are two entries (the key covers the whole text).
    tail = long[:-3] + "ВМН!"
    write(path, lists_bytes([LIST_ENTRIES[0], tail, LIST_ENTRIES[1]]))
    changed = import_sources(engine, "memorial-lists", [path], max_entry_bytes=4096)
    assert (changed.records_created, changed.records_reused) == (1, 2)


def test_a_csv_row_beyond_the_csv_modules_own_limit(tmp_path: Path, engine: Engine) -> None:
    cell = "слово " * 40_000  # 480 KB, over the csv module's 128 KiB field limit
    path = write(tmp_path / "list.csv", f"Фамилия,Текст\r\nИванов,{cell}\r\nПетров,\r\n".encode())
    report = import_sources(engine, "csv", [path], options={"mapping": ["surname=Фамилия"]})
    assert report.records_created == 2 and report.warnings_by_kind["oversize_entry"] == 1
    first, second = records(engine)
    assert first["surname"] is None and len(first["verbatim"].encode()) <= 65536
    assert second["surname"] == "Петров"


def test_the_limit_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(entry_checks.MAX_ENTRY_BYTES_ENV, raising=False)
    assert entry_checks.max_entry_bytes() == entry_checks.DEFAULT_MAX_ENTRY_BYTES == 65536
    assert entry_checks.max_entry_bytes(10_000) == 10_000
    monkeypatch.setenv(entry_checks.MAX_ENTRY_BYTES_ENV, "200000")
    assert entry_checks.max_entry_bytes() == 200_000
    for bad in ("lots", "12"):
        monkeypatch.setenv(entry_checks.MAX_ENTRY_BYTES_ENV, bad)
        with pytest.raises(ConfigurationError):
            entry_checks.max_entry_bytes()
    with pytest.raises(ConfigurationError):
        entry_checks.max_entry_bytes(0)


def test_cli_max_entry_bytes(tmp_path: Path, engine: Engine) -> None:
    path = write(tmp_path / "texts.txt", lists_bytes(["Родился в 1900 г.; " + "поляк; " * 400]))
    base = ("import", "--archive", location(engine), "--format", "memorial-lists", "--json")
    proc = run(*base, "--max-entry-bytes", "1024", str(path))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["warnings_by_kind"] == {"oversize_entry": 1}
    bad = run(*base, "--max-entry-bytes", "12", str(path))
    one_line_error(bad, "at least 1024 bytes")

"""Bad input gets a clear error or a warning, never a crash or a silent loss."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from memorybook.errors import DecodeError
from memorybook.ingest.importer import import_sources
from memorybook.storage import read_store as rs
from memorybook.storage import schema as s

LIST_ENTRIES = [
    "Родилась в 1874 г., г. Казань; русская;\nмонахиня.\nАрестована 7 марта 1932 г.",
    "Родился в 1901 г.; поляк;\nПриговор: ВМН",
]
PAGE = (
    '<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=windows-1251">'
    "</HEAD><BODY>\r\n<p class=Street>Даев   пер.</p><Table border=1>\r\n"
    "<tr><td rowspan=1><h4>д.6</h4></td><td><h5>&nbsp;кв.7</h5></td><td>"
    "<p class=pers><B>Волков Григорий Иванович</B>, род. 1892, г. Александрия, еврей, "
    "член ВКП(б) с 1919, преподаватель. Адрес: Даев пер., д.6, кв. 7. Рассстрелян 08.02.1938. "
    "Место захоронения: Коммунарка.</p></td></tr></table></BODY></HTML>\r\n"
)


def lists_bytes(entries: list[str], newline: str = "\r\n", encoding: str = "utf-8") -> bytes:
    body = "".join(e.replace("\n", newline) + newline + "---" + newline for e in entries)
    return body.encode(encoding)


def records(engine: Engine) -> list[tuple[str, str | None]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(s.record.c.verbatim, s.record.c.warnings_json).order_by(s.record.c.id)
            )
        ]  # type: ignore[misc]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize(
    ("case", "name", "data", "fmt", "encoding", "expect"),
    [
        ("utf8 list, CRLF", "texts.txt", lists_bytes(LIST_ENTRIES), "memorial-lists", None, 2),
        (
            "utf8 list with BOM",
            "texts.txt",
            b"\xef\xbb\xbf" + lists_bytes(LIST_ENTRIES),
            "memorial-lists",
            None,
            2,
        ),
        ("LF only", "texts.txt", lists_bytes(LIST_ENTRIES, "\n"), "memorial-lists", None, 2),
        (
            "CR/LF mix",
            "texts.txt",
            lists_bytes(LIST_ENTRIES[:1], "\r\n") + lists_bytes(LIST_ENTRIES[1:], "\n"),
            "memorial-lists",
            None,
            2,
        ),
        (
            "empty pieces",
            "texts.txt",
            lists_bytes(["", LIST_ENTRIES[0], "   ", LIST_ENTRIES[1]]),
            "memorial-lists",
            None,
            2,
        ),
        (
            "no final separator",
            "texts.txt",
            lists_bytes(LIST_ENTRIES) + "Родился в 1900 г.".encode(),
            "memorial-lists",
            None,
            3,
        ),
        ("cp1251 page from meta", "1.htm", PAGE.encode("cp1251"), "memorial-moscow", None, 1),
        (
            "truncated page",
            "1.htm",
            PAGE.encode("cp1251")[: PAGE.find("Место")],
            "memorial-moscow",
            None,
            1,
        ),
        (
            "list in cp1251 given",
            "texts.txt",
            lists_bytes(LIST_ENTRIES, encoding="cp1251"),
            "memorial-lists",
            "cp1251",
            2,
        ),
        (
            "list in cp1251 undeclared",
            "texts.txt",
            lists_bytes(LIST_ENTRIES, encoding="cp1251"),
            "memorial-lists",
            None,
            DecodeError,
        ),
        (
            "page in UTF-8 declared cp1251",
            "1.htm",
            PAGE.encode("utf-8"),
            "memorial-moscow",
            None,
            DecodeError,
        ),
        ("binary junk", "texts.txt", bytes(range(256)) * 4, "memorial-lists", None, DecodeError),
        (
            "unknown encoding",
            "texts.txt",
            lists_bytes(LIST_ENTRIES),
            "memorial-lists",
            "no-such-codec",
            DecodeError,
        ),
    ],
)
def test_malformed_input(
    tmp_path: Path,
    engine: Engine,
    case: str,
    name: str,
    data: bytes,
    fmt: str,
    encoding: str | None,
    expect: int | type,
) -> None:
    path = write(tmp_path, name, data)
    if isinstance(expect, type):
        with pytest.raises(expect) as info:
            import_sources(engine, fmt, [path], encoding=encoding)
        assert "byte offset" in str(info.value), case
        with engine.connect() as conn:  # nothing written
            assert conn.execute(select(func.count()).select_from(s.source)).scalar() == 0
        return
    report = import_sources(engine, fmt, [path], encoding=encoding)
    stored = records(engine)
    assert len(stored) == expect == report.records_created, case
    for verbatim, _ in stored:
        assert (
            "\ufffd" not in verbatim and "\r" not in verbatim and not verbatim.startswith("\ufeff")
        )
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_decode_error_names_the_byte_offset(tmp_path: Path, engine: Engine) -> None:
    good = lists_bytes(LIST_ENTRIES)
    path = write(tmp_path, "texts.txt", good + b"\xff\xfe" + good)
    with pytest.raises(DecodeError) as info:
        import_sources(engine, "memorial-lists", [path])
    assert info.value.offset == len(good)
    assert f"byte offset {len(good)}" in str(info.value)


def test_truncated_page_keeps_the_entry_with_a_warning(tmp_path: Path, engine: Engine) -> None:
    data = PAGE.encode("cp1251")
    path = write(tmp_path, "1.htm", data[: data.find("Место".encode("cp1251"))])
    report = import_sources(engine, "memorial-moscow", [path])
    [(verbatim, warnings)] = records(engine)
    assert verbatim.startswith("Волков Григорий Иванович, род. 1892")
    assert verbatim.endswith("08.02.1938. ")
    assert "truncated_entry" in report.warnings_by_kind
    assert warnings is not None and "truncated_entry" in warnings


def test_markup_in_an_entry_is_stored_as_text(tmp_path: Path, engine: Engine) -> None:
    hostile = 'Родился в 1900 г.; <script>alert(1)</script>\n"><img src=x onerror=alert(1)>'
    path = write(tmp_path, "texts.txt", lists_bytes([hostile]))
    report = import_sources(engine, "memorial-lists", [path])
    [(verbatim, _)] = records(engine)
    assert verbatim == hostile
    assert report.warnings_by_kind["markup_in_text"] == 1


def test_unparseable_entry_is_kept_and_reported(tmp_path: Path, engine: Engine) -> None:
    path = write(tmp_path, "texts.txt", lists_bytes(["@@@ ### %%%", LIST_ENTRIES[0]]))
    report = import_sources(engine, "memorial-lists", [path])
    assert next(v for v, _ in records(engine)) == "@@@ ### %%%"
    assert report.records_created == 2
    listed = [w for w in report.warnings if w["locator"]["index"] == 0]
    assert listed and listed[0]["line"] == 1


def test_raw_slice_equals_the_decoded_source(tmp_path: Path, engine: Engine) -> None:
    path = write(tmp_path, "1.htm", PAGE.encode("cp1251"))
    import_sources(engine, "memorial-moscow", [path])
    decoded = PAGE.replace("\r\n", "\n")
    with engine.connect() as conn:
        row = conn.execute(select(s.record)).one()
        ((_, _, start, end, raw, verbatim),) = list(rs.iter_raw_slices(conn))
    assert decoded[start:end] == raw
    assert raw.replace("<B>", "").replace("</B>", "") == verbatim == row.verbatim
    assert row.raw is None  # stored once: the raw slice is an edit of the verbatim text
    assert json.loads(row.context_json) == {
        "page": "1.htm",
        "street": "Даев пер.",
        "house": "д.6",
        "flat": "кв.7",
    }


def test_parser_keys_exist_in_the_reference_data() -> None:
    """Operation and body keys the parser writes name real reference items."""
    from memorybook.ingest.bodies import body_key
    from memorybook.ingest.parser import OPERATION_PATTERNS
    from memorybook.reference import load_reference

    ref = load_reference()
    assert {key for _, key in OPERATION_PATTERNS} <= set(ref.operations)
    for printed in (
        "тройка при УНКВД по Московской обл. 10 сентября 1937 г.",
        "Комиссия НКВД и Прокуратуры СССР",
        "Особое совещание при НКВД СССР",
        "ВКВС СССР",
    ):
        key = body_key(printed)
        assert key in ref.bodies, printed

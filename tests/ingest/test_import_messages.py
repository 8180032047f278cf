"""What set-up says is what happened: the geocoded houses link the Moscow records whichever
is imported first (and say so), `import-all` imports the list before its houses, and a
re-import reports the same counts (empty pieces included) as the import that made it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from memorybook.archive import DATA_LAYOUT, import_into, init_archive
from memorybook.storage.engine import open_archive
from tests.conftest import Archives

PAGE = (
    "<html><head><meta http-equiv=Content-Type content='text/html; charset=windows-1251'>"
    "</head><body><table><p class=Street>Тестовая ул.</p>\r\n"
    "<tr><td><h4>д.1</h4></td><td><h5>кв.1</h5></td><td><p class=pers><B>Пробный Иван Петрович</B>,"
    " род. 1900, русский, б/п. Адрес: Тестовая ул., д.1. Расстрелян 17.05.1938.</p></td></tr>\r\n"
    "</table></body></html>\r\n"
)
HOUSES = "street,house,repressed,longitude,latitude\r\nТестовая  ул.,д.1,1,37.7,55.7\r\n"


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "1.htm").write_bytes(PAGE.encode("cp1251"))
    houses = tmp_path / "addresses.csv"
    houses.write_text(HOUSES, encoding="utf-8")
    return {"memorial-moscow": pages, "geocoded-addresses": houses}


@pytest.fixture()
def archive(archives: Archives) -> Iterator[Engine]:
    """A new archive set up as `memorybook init` sets one up, on each backend."""
    engine = open_archive(archives.url("messages"))
    init_archive(engine)
    yield engine
    engine.dispose()


def test_houses_after_the_list_link_its_records(archive: Engine, files: dict[str, Path]) -> None:
    engine = archive
    moscow = import_into(engine, "memorial-moscow", [files["memorial-moscow"]])
    assert "geocoded" not in moscow.message  # nothing to link yet, and nothing said about it
    houses = import_into(engine, "geocoded-addresses", [files["geocoded-addresses"]])
    assert houses.places_linked == 1
    assert houses.message == "1 geocoded houses; 1 Moscow record linked to their house"


def test_houses_before_the_list_say_so_and_the_list_links(
    archive: Engine, files: dict[str, Path]
) -> None:
    engine = archive
    houses = import_into(engine, "geocoded-addresses", [files["geocoded-addresses"]])
    assert "0 records linked" not in houses.message
    assert "linked when the Moscow list is imported" in houses.message
    moscow = import_into(engine, "memorial-moscow", [files["memorial-moscow"]])
    assert moscow.places_linked == 1 and "1 linked to their geocoded house" in moscow.message


def test_import_all_imports_the_list_before_its_houses() -> None:
    order = [fmt for fmt, _ in DATA_LAYOUT]
    assert order.index("memorial-moscow") < order.index("geocoded-addresses")


def test_a_reimport_reports_the_same_empty_pieces(archive: Engine, tmp_path: Path) -> None:
    engine = archive
    texts = tmp_path / "texts.txt"
    texts.write_text("Родился в 1901 г.\r\n---\r\n\r\n---\r\nРодилась в 1902 г.\r\n---\r\n")
    first = import_into(engine, "memorial-lists", [texts])
    again = import_into(engine, "memorial-lists", [texts])
    assert again.status == "unchanged"
    assert (again.entries, again.empty) == (first.entries, first.empty) == (3, 1)
    assert again.render_text().splitlines()[2] == first.render_text().splitlines()[2]

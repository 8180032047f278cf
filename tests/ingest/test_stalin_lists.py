"""The Politburo lists (`stalin-lists`) on small hand-made files: both layouts, names as
printed, annotations, a malformed file, a missing list, idempotence."""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from memorybook.cli.main import main
from memorybook.errors import ImportFailed
from memorybook.ingest.formats.stalin_lists import iter_entries
from memorybook.ingest.importer import import_sources
from memorybook.ingest.parser import parse_raw_entry
from memorybook.storage.read_store import record_events, records_with_source_ids
from tests.conftest import Archives

CATALOGUE = (
    '"listid","fond","opis","ed_hr","datetext","adate","listtitle","politsigns","signstalin",'
    '"signmolotov"\n'
    '"1","17","171","412","13 ноября 1937 года","1937-11-13","Список лиц - Москва-центр",'
    '"Сталин,Молотов","1","1"\n'
    '"2","17","171","413","","0000-00-00","Список лиц","Молотов","0","1"\n'
    '"3","17","171","420","11 апреля 1950 года","1950-04-11","Список лиц - Москва","","1","0"\n'
)

# Newer layout: pages → sublists (by id) → persons; the header describes the sublists.
NEW_LAYOUT = textwrap.dedent(
    """\
    id: '1'
    title: Список лиц - Москва-центр // 13 ноября 1937 года
    archive:
      ref: РГАСПИ, ф.17, оп.171, дело 412
      page1: '185'
    date: '1937-11-13'
    date_ru: 13.11.1937
    signs:
      stalin: true
      molotov: true
    sublists:
    - title: Список от 13 ноября 1937г. [Москва-центр]
      sublisttitle: Москва-центр
      kat1: true
      kat2: true
      kat3: false
    - title: Список от 13 ноября 1937г. [Московская область]
      sublisttitle: Московская область
      kat1: false
      kat2: true
      kat3: false
    pages:
    - pageintom: '185'
      sublists: []
      html: <p>МОСКВА-ЦЕНТР</p>
    - pageintom: '186'
      sublists:
      - sublid: '70'
        persons:
        - id: '12850'
          num: '1'
          name: АЛЕКСАНДРОВСКИЙ Михаил Константинович
          rowinpage: '1'
          doublesexists: true
          subtitle1: <p><u>МОСКВА-ЦЕНТР</u></p><p><u>1-я КАТЕГОРИЯ</u>
        - id: '12851'
          num: '2'
          name: ДОМБРОВСКИЙ Вячеслав Ромуальдович  [вписано от руки]
          rowinpage: '2'
      - sublid: '71'
        persons:
        - id: '12860'
          num: '1'
          name: АШУРОВА <br/> Евдокия Васильевна
          primzv: Домашняя хозяйка.
          subtitle1: <p><u>МОСКОВСКАЯ ОБЛАСТЬ</u></p>
    - pageintom: '187'
      sublists:
      - sublid: '70'
        persons:
        - id: '12852'
          num: '3'
          name: ЛЕВЧУК Владимир <s>Исаакович</s> Михайлович
          subtitle1: <p><u>2-я КАТЕГОРИЯ</u>
        - id: '12850'
          num: '4'
          name: АЛЕКСАНДРОВСКИЙ Михаил Константинович
    """
)

# Older layout: the sublists hold their pages, and the pages the persons.
OLD_LAYOUT = textwrap.dedent(
    """\
    title: Список лиц
    archive:
      ref: РГАСПИ, ф.17, т.5, оп.171, дело 413
      page1: '373'
    date: null
    signs:
      molotov: true
    pages:
    - image: v05/17-171-413-373.jpg
    sublists:
    - title: Список от  [Список]
      sublisttitle: Список
      pages:
      - page:
          pageintom: '373'
        persons:
        - id: '19278'
          num: '1'
          name: АВДЕЕВ Иван Ананьевич
        - id: '19284'
          num: '2'
          name: БРИСКМАН Мария Адольфовна
      - page:
          pageintom: '374'
        persons:
        - id: '19285'
          num: '3'
          name: ВЛАДИМИРОВ (ОСТРОВСКИЙ) Леонид Семенович (Иосиф Самойлович)
    """
)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "stalin-lists"
    (folder / "lists").mkdir(parents=True)
    (folder / "lists.csv").write_text(CATALOGUE, encoding="utf-8")
    (folder / "lists" / "list1.yaml").write_text(NEW_LAYOUT, encoding="utf-8")
    (folder / "lists" / "list2.yaml").write_text(OLD_LAYOUT, encoding="utf-8")
    return folder


def test_locators_count_persons_in_document_order_in_both_layouts(data_dir: Path) -> None:
    entries = list(iter_entries(data_dir))
    assert [(e.locator["file"], e.locator["index"]) for e in entries] == [
        ("list1.yaml", 0),
        ("list1.yaml", 1),
        ("list1.yaml", 2),
        ("list1.yaml", 3),
        ("list1.yaml", 4),
        ("list2.yaml", 0),
        ("list2.yaml", 1),
        ("list2.yaml", 2),
    ]
    ids = [e.context["entry"]["id"] for e in entries]
    assert ids == ["12850", "12851", "12860", "12852", "12850", "19278", "19284", "19285"]
    # Each entry starts on the line of its mapping, and `raw` is its name's text in the file.
    source = (data_dir / "lists" / "list1.yaml").read_text(encoding="utf-8")
    for e in entries[:5]:
        assert source[e.raw_start : e.raw_end] == e.raw
        assert source.splitlines()[e.line - 1].lstrip().startswith("- id:")


def test_list_page_sublist_and_category_context(data_dir: Path) -> None:
    a, b, c, d, e, f, _g, h = iter_entries(data_dir)
    assert a.context["list"] == "1"
    assert a.context["list_date"] == "1937-11-13"
    assert a.context["archive"] == "РГАСПИ, ф.17, оп.171, дело 412"
    assert (a.context["page"], c.context["page"], d.context["page"]) == ("186", "186", "187")
    # The page-level sublist 70 is the header's first sublist, 71 its second.
    assert (a.context["region"], c.context["region"]) == ("Москва-центр", "Московская область")
    # Москва-центр has categories 1 and 2: the printed headings decide, and stay in force.
    assert [x.context.get("category") for x in (a, b, d, e)] == [1, 1, 2, 2]
    # Московская область has only the 2nd category.
    assert c.context["category"] == 2
    # Older layout: the sublist that holds the pages, no categories given, page from `page`.
    assert (f.context["region"], f.context["page"], h.context["page"]) == (
        "Список",
        "373",
        "374",
    )
    assert "category" not in f.context and "list_date" not in f.context
    assert f.context["list"] == "2"  # from the file name where the document has no id


def test_printed_names_and_annotations(data_dir: Path) -> None:
    entries = list(iter_entries(data_dir))
    parsed = [parse_raw_entry(e, "stalin") for e in entries]
    first = parsed[0]
    assert first.values["surname"] == "Александровский"
    a, b = first.spans["surname"]
    assert entries[0].verbatim[a:b] == "АЛЕКСАНДРОВСКИЙ"
    assert (first.values["given_name"], first.values["patronymic"], first.values["sex"]) == (
        "Михаил",
        "Константинович",
        "m",
    )
    assert first.extra["source_person_id"] == "12850"
    assert first.dates["sanction"].edtf == "1937-11-13"

    # An annotation stays in the verbatim text, marked, and is no part of the name.
    dom = entries[1]
    assert dom.verbatim == "ДОМБРОВСКИЙ Вячеслав Ромуальдович  [вписано от руки]"
    ann = parsed[1].extra["annotations"]
    assert [x["text"] for x in ann] == ["[вписано от руки]"]
    s0, s1 = ann[0]["span"]
    assert dom.verbatim[s0:s1] == "[вписано от руки]"
    assert parsed[1].values["patronymic"] == "Ромуальдович"

    # A line break in the site's markup reads as a space; the position note is the occupation.
    assert entries[2].verbatim == "АШУРОВА Евдокия Васильевна"
    assert entries[2].raw == "АШУРОВА <br/> Евдокия Васильевна"
    assert parsed[2].values["sex"] == "f"
    assert parsed[2].values["occupation"] == "Домашняя хозяйка"

    # Words printed struck through stay in the text, are marked and kept as a variant.
    lev = parsed[3]
    assert entries[3].verbatim == "ЛЕВЧУК Владимир Исаакович Михайлович"
    assert lev.values["patronymic"] == "Михайлович"
    assert [x["kind"] for x in lev.extra["annotations"]] == ["struck"]
    assert "Исаакович" in lev.extra["aliases"]

    # Parenthesised names are variants: a surname after the surname, a name after the name.
    vlad = parsed[7]
    assert (vlad.values["surname"], vlad.values["given_name"], vlad.values["patronymic"]) == (
        "Владимиров",
        "Леонид",
        "Семенович",
    )
    assert vlad.extra["aliases"] == [{"surname": "Островский"}, "Иосиф Самойлович"]
    # No date on the older list: no sanction date is guessed.
    assert "sanction" not in parsed[5].dates


def test_import_is_lossless_idempotent_and_reports_the_missing_list(
    engine: Engine, data_dir: Path
) -> None:
    report = import_sources(engine, "stalin-lists", [data_dir])
    assert (report.entries, report.records_created, report.empty) == (8, 8, 0)
    missing = [n for n in report.notes if n["kind"] == "missing_list"]
    assert [(n["file"], n["date"]) for n in missing] == [("list3.yaml", "1950-04-11")]
    assert "list 3" in report.render_text()
    with engine.connect() as conn:
        every = conn.execute(text("select id from record")).scalars().all()
        counted = Counter((e["kind"], e["edtf"]) for i in every for e in record_events(conn, i))
        events = sorted(((k, d, n) for (k, d), n in counted.items()), key=lambda e: e[1] or "")
        ids = records_with_source_ids(conn)
        names = conn.execute(text("select name from record order by id")).scalars().all()
    assert [tuple(r) for r in events] == [("sanction", None, 3), ("sanction", "1937-11-13", 5)]
    assert [r["source_person_id"] for r in ids][:5] == ["12850", "12851", "12860", "12852", "12850"]
    assert ids[4]["locator"] == {"file": "list1.yaml", "index": 4}
    assert names[0] == "Александровский Михаил Константинович"
    # Two entries of the same printed name in one list are two records.
    assert names.count("Александровский Михаил Константинович") == 2

    again = import_sources(engine, "stalin-lists", [data_dir])
    assert again.status == "unchanged" and again.records_created == 0
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from record")).scalar() == 8


def test_malformed_yaml_stops_with_file_and_line_and_writes_nothing(
    engine: Engine, archives: Archives, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = data_dir / "lists" / "list3.yaml"
    bad.write_text("title: Список\npages:\n- persons:\n  - id: '1'\n   name: [oops\n", "utf-8")
    with pytest.raises(ImportFailed, match=r"list3\.yaml: line 5: malformed YAML"):
        import_sources(engine, "stalin-lists", [data_dir])
    with engine.connect() as conn:
        for table in ("record", "source", "event", "import_run"):
            assert conn.execute(text(f"select count(*) from {table}")).scalar() == 0

    archive = archives.url("cli")
    assert main(["init", "--archive", archive]) == 0
    capsys.readouterr()
    rc = main(
        ["import", "--archive", archive, "--format", "stalin-lists", "--quiet", str(data_dir)]
    )
    err = capsys.readouterr().err
    assert rc != 0
    assert len(err.strip().splitlines()) == 1 and "list3.yaml: line 5" in err


def test_a_persons_item_that_is_not_a_mapping_stops_the_import(
    engine: Engine, tmp_path: Path
) -> None:
    f = tmp_path / "list9.yaml"
    f.write_text("title: x\npages:\n- sublists:\n  - sublid: '1'\n    persons:\n    - АВДЕЕВ\n")
    with pytest.raises(ImportFailed, match=r"list9\.yaml: line 6: .*not a person entry"):
        import_sources(engine, "stalin-lists", [f])


def test_cli_json_report_names_the_missing_list(
    archives: Archives, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = archives.url("cli")
    assert main(["init", "--archive", archive]) == 0
    capsys.readouterr()
    args = ["import", "--archive", archive, "--format", "stalin-lists", "--quiet", "--json"]
    assert main([*args, str(data_dir)]) == 0
    out = capsys.readouterr().out
    report = json.loads(out[out.index("{") :])
    assert [n["file"] for n in report["notes"] if n["kind"] == "missing_list"] == ["list3.yaml"]


def test_each_list_is_a_reference_item_linked_to_records_and_figures(
    engine: Engine, data_dir: Path
) -> None:
    from memorybook.archive import init_archive
    from memorybook.storage.read_store import list_record_ids, reference_items

    import_sources(engine, "stalin-lists", [data_dir])
    init_archive(engine)  # reloading the authored reference data keeps the lists' items
    with engine.connect() as conn:
        items = {i["key"]: i for i in reference_items(conn, "politburo_list")}
        first = list_record_ids(conn, items["1"]["family"], items["1"]["file"])
        names = [
            conn.execute(text("select name from record where id = :i"), {"i": i}).scalar()
            for i in first
        ]
    assert sorted(items) == ["1", "2", "3"]
    one = items["1"]
    assert (one["date"], one["date_printed"], one["archive"]) == (
        "1937-11-13",
        "13 ноября 1937 года",
        "РГАСПИ, ф.17, оп.171, дело 412",
    )
    assert one["signatures_printed"] == "Сталин,Молотов"
    assert one["signed"] == ["stalin", "molotov"] and items["2"]["signed"] == ["molotov"]
    assert one["persons"] == 5 and one["persons_by_category"] == {"1": 2, "2": 3}
    assert one["distinct_person_ids"] == 4
    assert "great_terror.stalin_lists.s002" in one["figures"]
    assert len(first) == 5 and names[0] == "Александровский Михаил Константинович"
    assert items["2"]["date"] is None and items["2"]["persons_by_category"] == {"unknown": 3}
    assert items["3"]["in_data"] is False and items["3"]["persons"] == 0


def test_check_compares_the_imported_lists_with_the_seed_figures(
    archives: Archives, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    absent = str(tmp_path / "none.sqlite")
    assert main(["check", "--archive", absent, "--json"]) == 0
    kinds = {f["kind"] for f in json.loads(capsys.readouterr().out)}
    assert "source_not_imported" in kinds and "imported_vs_seed" not in kinds

    archive = archives.url("cli")
    assert main(["init", "--archive", archive]) == 0
    assert (
        main(["import", "--archive", archive, "--format", "stalin-lists", "--quiet", str(data_dir)])
        == 0
    )
    capsys.readouterr()
    assert main(["check", "--archive", archive, "--json"]) == 0
    found = [f for f in json.loads(capsys.readouterr().out) if f["kind"] == "imported_vs_seed"]
    text_of = " | ".join(f["message"] for f in found)
    # Of the fixture's three lists one is signed by Stalin in 1937-1938: 1 list, 5 entries,
    # 4 distinct persons, against the seed's 357 lists and about 40,000 persons.
    assert "1 lists signed by Stalin and dated 1937–1938" in text_of
    assert "356 fewer" in text_of
    assert "5 person entries, 4 distinct persons" in text_of
    assert "39,996 fewer" in text_of
    assert "missing from the data: lists 3" in text_of
    assert all("002_ed558f3cee5a3392.txt, para 386" in f["citations"] for f in found)

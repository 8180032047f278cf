"""The authored data loads, validates, and says only what its seeds say where it says it."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest
import yaml

from memorybook.errors import BadQuery, ReferenceDataError
from memorybook.model.history import Figure
from memorybook.model.places import BodyKind
from memorybook.reference import load_reference
from memorybook.reference.loader import DATA_DIR, _load
from memorybook.reference.seeds import paragraph, read_paragraphs


@pytest.fixture(scope="module")
def ref():
    return load_reference()


def test_uncached_load_reads_the_same_data(ref) -> None:
    # (How fast a load from the files is: bench/reference_load.py.)
    fresh = _load.__wrapped__(DATA_DIR)
    assert fresh is not ref
    assert fresh == ref
    assert fresh.orders and fresh.operations and fresh.figures


def test_load_is_cached(ref) -> None:
    assert load_reference() is ref


def test_the_orders_the_seeds_name_are_all_there(ref) -> None:
    numbers = {o.number for o in ref.orders.values()}
    assert {"00439", "00447", "00449", "00485", "00486", "00593", "00689", "49990", "81"} <= numbers
    dates = {(o.kind, o.date) for o in ref.orders.values()}
    assert ("letter", "1937-07-02") in dates
    assert ("resolution", "1937-08-09") in dates
    assert ("resolution", "1937-10-15") in dates
    assert ("minutes", "1938-01-31") in dates
    # Never invented: the seeds give no date for 00449, 00689 or Beria's order.
    assert ref.orders["00449"].date is None
    assert ref.orders["00689"].date is None
    assert ref.orders["nkvd-order-after-decree-81"].date is None


def test_operations_and_quota_increases(ref) -> None:
    wanted = {
        "german", "kulak", "polish", "wives", "harbin", "latvian", "greek", "finnish",
        "estonian", "romanian", "iranian", "afghan", "chinese", "korean", "national_other",
    }  # fmt: skip
    assert wanted <= set(ref.operations)
    limits = {(q.decision, q.category): q.limit for q in ref.quotas.values()}
    assert limits[("pb-1937-10-15", "total")] == 120_000
    assert limits[("pb-1937-10-15", "1")] == 63_000
    assert limits[("pb-1937-10-15", "2")] == 57_000
    assert limits[("pb-1938-01-31-increase", "total")] == 57_200
    assert limits[("pb-1938-01-31-increase", "1")] == 48_000
    assert ("pb-1938-01-31-increase", "2") not in limits  # not stated in the seeds


def test_roginsky_scopes_are_separate(ref) -> None:
    kulak_arrested = {
        f.region: f.value
        for f in ref.figures.values()
        if f.operation == "kulak" and f.measure == "arrested" and f.region
    }
    assert set(kulak_arrested) == {"Russia", "USSR"}
    assert kulak_arrested["Russia"] < kulak_arrested["USSR"]


def test_operation_lookup_by_alias_and_order(ref) -> None:
    assert ref.operation("POLISH").key == "polish"
    assert ref.operation("00485").key == "polish"
    assert ref.operation("00447").key == "kulak"
    with pytest.raises(BadQuery):
        ref.operation("no such operation")


def test_body_keys_contract(ref) -> None:
    contract = {
        "troika_unkvd": BodyKind.TROIKA,
        "dvoika": BodyKind.DVOIKA,
        "oso_nkvd": BodyKind.SPECIAL_BOARD,
        "oso_ogpu": BodyKind.SPECIAL_BOARD,
        "ogpu_troika": BodyKind.TROIKA,
        "ogpu_collegium": None,
        "military_collegium": BodyKind.MILITARY_COLLEGIUM,
        "military_tribunal": BodyKind.TRIBUNAL,
        "court": BodyKind.COURT,
    }
    for key, kind in contract.items():
        body = ref.bodies[key]
        assert body.name and body.name_ru
        if kind is not None:
            assert body.kind is kind
        info = ref.body_info[key]
        assert info.citations or "not described in the seeds" in (body.description or "").lower()


def test_every_citation_names_an_existing_seed(ref, seeds: Path) -> None:
    for item, citation in ref.citations():
        source = ref.sources[citation.source_key]
        assert source.file_name is not None, item
        path = seeds / source.file_name
        assert path.is_file(), f"{item} cites missing {source.file_name}"
        if "para" in citation.locator:
            paragraph(path, citation.locator["para"])  # raises when out of range


def test_sources_match_their_files(ref, seeds: Path) -> None:
    for source in ref.sources.values():
        data = (seeds / str(source.file_name)).read_bytes()
        assert len(data) == source.size
        assert hashlib.sha256(data).hexdigest() == source.sha256


def test_sections_are_headings_of_the_seed(ref, seeds: Path) -> None:
    for item, citation in ref.citations():
        section = citation.locator.get("section")
        if section is None:
            continue
        path = seeds / str(ref.sources[citation.source_key].file_name)
        headings = {p.strip("= ").strip() for p in read_paragraphs(path)}
        assert section in headings, f"{item}: no section {section!r}"


def test_every_number_is_printed_where_it_is_cited(ref, seeds: Path) -> None:
    for key, figure in ref.figures.items():
        path = seeds / str(ref.sources[figure.citation.source_key].file_name)
        text = paragraph(path, figure.citation.locator["para"])
        assert ref.printed[key].rstrip("%") in text, key
    for key, quota in ref.quotas.items():
        for citation in quota.citations:
            path = seeds / str(ref.sources[citation.source_key].file_name)
            assert ref.printed[key] in paragraph(path, citation.locator["para"]), key


def test_table_rows_point_at_their_lines(ref, seeds: Path) -> None:
    table = ref.tables["arrests-by-nationality-1936-1938"]
    path = seeds / str(ref.sources[table.citation.source_key].file_name)
    for row in (*table.rows, table.total):
        line = paragraph(path, row.citation.locator["para"])
        assert line.startswith(f"| {row.nationality} |")
        assert f"{row.arrested:,}" in line and row.overrepresentation_printed in line


def test_summaries_are_not_copied_from_the_seeds(ref, seeds: Path) -> None:
    """No run of twelve words of an authored text appears verbatim in a seed."""
    corpus = " ".join(" ".join(read_paragraphs(p)) for p in sorted(seeds.glob("*.txt"))).casefold()
    texts = [o.summary or "" for o in ref.orders.values()] + [
        o.targets or "" for o in ref.orders.values()
    ]
    texts += [b.description or "" for b in ref.bodies.values()]
    texts += [p.role for p in ref.persons.values()]
    for text in texts:
        words = text.casefold().split()
        for i in range(len(words) - 11):
            assert " ".join(words[i : i + 12]) not in corpus, text


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(path: Path, edit) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    "file,edit,message",
    [
        ("figures.yaml", lambda d: d["figures"][0].pop("cite"), "cite"),
        ("figures.yaml", lambda d: d["figures"][0].update(measure="bogus"), "unknown measure"),
        ("figures.yaml", lambda d: d["figures"][0].update(operation="nope"), "unknown operation"),
        ("figures.yaml", lambda d: d["figures"][0].update(typo=1), "unknown field"),
        ("figures.yaml", lambda d: d["figures"][0]["cite"].update(file="999_x.txt"), "no source"),
        ("figures.yaml", lambda d: d["figures"].append(d["figures"][0]), "duplicate"),
        ("quotas.yaml", lambda d: d["quotas"][0].update(decision="nope"), "unknown decision"),
        ("bodies.yaml", lambda d: d["bodies"][0].update(kind="nonsense"), "BodyKind"),
        ("orders.yaml", lambda d: d.update(orders="x"), "list"),
    ],
)
def test_malformed_data_raises(tmp_path: Path, file: str, edit, message: str) -> None:
    data = _copy_data(tmp_path)
    _edit(data / file, edit)
    with pytest.raises(ReferenceDataError, match=message):
        load_reference(data)


def test_figures_round_trip_through_yaml(ref, tmp_path: Path) -> None:
    """Write the loaded figures back as YAML and load them again: nothing is lost."""
    data = _copy_data(tmp_path)
    files = {s.key: s.file_name for s in ref.sources.values()}
    entries = []
    for f in ref.figures.values():
        if "table" in f.tags:
            continue
        raw = {k: v for k, v in asdict(f).items() if v not in (None, (), False)}
        raw.pop("citation")
        raw.pop("tags", None)
        if f.tags:
            raw["qualifier"] = f.tags[0].removeprefix("qualifier:")
        raw["printed"] = ref.printed[f.key]
        if f.key in ref.part_of:
            raw["part_of"] = ref.part_of[f.key]
        raw["cite"] = {"file": files[f.citation.source_key], **f.citation.locator}
        entries.append(raw)
    (data / "figures.yaml").write_text(
        yaml.safe_dump({"figures": entries}, allow_unicode=True), encoding="utf-8"
    )
    again = load_reference(data)
    assert dict(again.figures) == dict(ref.figures)
    assert dict(again.part_of) == dict(ref.part_of)


def test_figure_requires_a_value_or_range() -> None:
    from memorybook.model.sources import Citation

    with pytest.raises(ValueError):
        Figure(key="k", measure="shot", citation=Citation("s"))

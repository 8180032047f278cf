"""`memorybook search`: the JSON shape of interfaces.md, --batch, filters, errors."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from memorybook.cli import search_cmd
from memorybook.errors import BadQuery, NotFound
from tests.conftest import location
from tests.search.small_archive import build


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    search_cmd.add_parser(sub)
    args = parser.parse_args(["search", *argv])
    return int(args.func(args))


@pytest.fixture
def archive(engine: Engine) -> str:
    build(engine)
    return location(engine)


def test_json_shape(archive: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["--archive", archive, "--json", "Zygmunt Milewski"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["query"] == "Zygmunt Milewski"
    top = out["results"][0]
    # The keys of interfaces.md, the record's id and page path beside the locator, and
    # the record's person.
    assert {"locator", "name", "birth", "score", "confident", "why"} <= set(top)
    assert top["url"] == f"/records/{top['record_id']}"
    assert "person" in top
    assert top["name"] == "Милевский Сигизмунд Иосифович"
    assert top["confident"] is True


def test_filters_and_limit(archive: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["--archive", archive, "--json", "--born", "1893", "Милевский"]) == 0
    names = [r["name"] for r in json.loads(capsys.readouterr().out)["results"]]
    assert names == ["Милевский Виктор Иосифович"]
    assert _run(["--archive", archive, "--json", "--limit", "1", "Крон"]) == 0
    assert len(json.loads(capsys.readouterr().out)["results"]) == 1
    assert _run(["--archive", archive, "--json", "--burial", "Донское", "Крон"]) == 0
    assert [r["name"] for r in json.loads(capsys.readouterr().out)["results"]] == [
        "Крон Арнольд Фрицевич"
    ]


def test_batch(archive: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    q = tmp_path / "q.jsonl"
    q.write_text(
        '{"id": 1, "query": "Vasily Kuzmin"}\n\n'
        '{"id": "b", "query": "Кузьмин", "filters": {"birth_year": [1900, 1902]}}\n',
        encoding="utf-8",
    )
    assert _run(["--archive", archive, "--batch", str(q)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["id"] for x in lines] == [1, "b"]
    assert lines[0]["results"][0]["name"] == "Кузьмин Василий Иванович"
    assert [r["name"] for r in lines[1]["results"]] == ["Кузьмина Анна Петровна"]


def test_text_output(archive: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["--archive", archive, "Крон А.Ф."]) == 0
    out = capsys.readouterr().out
    assert out.startswith("= 1.00  Крон Арнольд Фрицевич")


def test_errors(archive: str, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        _run(["--archive", str(tmp_path / "missing.sqlite"), "Крон"])
    with pytest.raises(BadQuery):
        _run(["--archive", archive, "  "])
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    with pytest.raises(BadQuery):
        _run(["--archive", archive, "--batch", str(bad)])


def test_archive_without_index(engine: Engine) -> None:
    with pytest.raises(NotFound):
        _run(["--archive", location(engine), "Крон"])

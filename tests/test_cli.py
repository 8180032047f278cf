"""The command line is a thin shell: each command wired to the library, documented in the README."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from memorybook.cli.main import build_parser, main
from tests.conftest import Archives

REPO = Path(__file__).resolve().parents[1]


def commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(sub.choices)  # type: ignore[union-attr]


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"memorybook ([a-z][a-z-]+)", readme))
    assert set(commands()) <= documented, set(commands()) - documented


def test_init_import_and_parse_end_to_end(
    tmp_path: Path, archives: Archives, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = archives.url("a")
    texts = tmp_path / "texts.txt"
    texts.write_text("Родился в 1901 г.; поляк;\nПриговор: ВМН\n---\n\n---\n", encoding="utf-8")
    assert main(["init", "--archive", archive]) == 0
    assert (
        main(
            [
                "import",
                "--archive",
                archive,
                "--format",
                "memorial-lists",
                "--json",
                "--quiet",
                str(texts),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    report = json.loads(out[out.index("{") :])
    assert (report["entries"], report["empty"], report["records_created"]) == (2, 1, 1)
    assert main(["parse", "--format", "memorial-lists", str(texts)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(lines) == 1 and lines[0]["locator"] == {"file": "texts.txt", "index": 0}
    assert lines[0]["verbatim"] == "Родился в 1901 г.; поляк;\nПриговор: ВМН"
    assert lines[0]["birth"] == "1901"


def test_errors_are_one_line_with_a_nonzero_status(tmp_path: Path, archives: Archives) -> None:
    archive = archives.url("b")
    bad = tmp_path / "texts.txt"
    bad.write_bytes("Родился".encode("cp1251"))
    subprocess.run(
        [sys.executable, "-m", "memorybook.cli.main", "init", "--archive", archive],
        check=True,
        capture_output=True,
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "memorybook.cli.main",
            "import",
            "--archive",
            archive,
            "--format",
            "memorial-lists",
            str(bad),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "byte offset 0" in proc.stderr


def test_a_command_on_an_uninitialised_archive_says_what_to_do(
    tmp_path: Path, archives: Archives, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "import",
                "--archive",
                archives.url("c"),
                "--format",
                "memorial-lists",
                str(tmp_path),
            ]
        )
        == 1
    )
    assert "memorybook init" in capsys.readouterr().err


def test_figures_and_check_print_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["figures", "--operation", "polish", "--measure", "shot", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    values = {v["low"] for row in rows for v in row["values"]}
    assert any(row["disagree"] for row in rows)
    assert {111071, 111091} <= values
    assert main(["check", "--json"]) == 0
    findings = json.loads(capsys.readouterr().out)
    assert findings and all({"kind", "severity", "message"} <= set(f) for f in findings)


def test_date_prints_the_reading_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["date", "до 1940 г.", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "edtf": "../1939-12-31",
        "earliest": None,
        "latest": "1939-12-31",
        "warnings": [],
    }
    assert main(["date", "от 1937", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["edtf"] == "1937/.." and out["latest"] is None and out["warnings"]


def test_date_bad_input_is_one_line_and_nonzero() -> None:
    for phrase in ("не дата", "24.5.56", ""):
        proc = subprocess.run(
            [sys.executable, "-m", "memorybook.cli.main", "date", phrase, "--json"],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 1, phrase
        assert proc.stdout == "" and proc.stderr.count("\n") == 1 and "not one date" in proc.stderr

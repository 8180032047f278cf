"""Bad input on the command line: one clear line on stderr, a non-zero exit, no traceback,
no partial output and nothing changed (issue 12's reproductions, each as it was run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from memorybook.cli.main import main, run_command
from memorybook.errors import BadQuery

from .search.small_archive import build as build_small_archive


def run(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "memorybook.cli.main", *args],
        capture_output=True,
        input=stdin,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def one_line_error(proc: subprocess.CompletedProcess[bytes], *words: str) -> str:
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode != 0, err
    assert err.count("\n") == 1 and err.startswith("memorybook"), err
    assert "Traceback" not in err, err
    for w in words:
        assert w in err, (w, err)
    return err


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "a.sqlite"
    from memorybook.storage.engine import open_archive
    from memorybook.storage.migrate import upgrade

    engine = open_archive(str(path))
    upgrade(engine)
    build_small_archive(engine)
    engine.dispose()
    return path


@pytest.fixture()
def not_an_archive(tmp_path: Path) -> Path:
    p = tmp_path / "notes.sqlite"
    p.write_text("these are my notes, not an archive\n" * 5, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "Крон"],
        ["import", "--format", "memorial-lists", "texts.txt"],
        ["init"],
        ["serve"],
    ],
    ids=["search", "import", "init", "serve"],
)
def test_cli_an_archive_that_is_not_one_is_refused(argv: list[str], not_an_archive: Path) -> None:
    before = not_an_archive.read_bytes()
    proc = run(*argv[:1], "--archive", str(not_an_archive), *argv[1:])
    one_line_error(proc, "not a memorybook archive")
    assert not_an_archive.read_bytes() == before


def test_cli_a_directory_as_archive_is_refused(tmp_path: Path) -> None:
    one_line_error(run("search", "--archive", str(tmp_path), "Крон"), "is a directory")


def test_cli_a_missing_archive_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite"
    for argv in (["search", "Крон"], ["import", "--format", "memorial-lists", str(tmp_path)]):
        one_line_error(run(argv[0], "--archive", str(missing), *argv[1:]), "memorybook init")
    assert not missing.exists()


def test_cli_import_of_a_directory_named_like_an_input_file(archive: Path, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    (pages / "1.htm").mkdir(parents=True)  # a directory that looks like a page
    one_line_error(
        run("import", "--archive", str(archive), "--format", "memorial-moscow", str(pages)),
        "no memorial-moscow files",
    )
    texts = tmp_path / "texts.txt"
    texts.mkdir()
    one_line_error(
        run("parse", "--format", "memorial-lists", str(texts / "..") + "/texts.txt/"),
    )


def test_cli_an_unreadable_file_is_one_line(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    # Root reads every file, so the refusal is simulated where the bytes are read.
    texts = tmp_path / "texts.txt"
    texts.write_text("Родился в 1901 г.\n---\n", encoding="utf-8")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    argv = ["import", "--archive", str(archive), "--format", "memorial-lists", str(texts)]
    assert main([*argv, "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot be read (Permission denied)" in err


def test_cli_a_delimiter_of_two_characters(archive: Path, tmp_path: Path) -> None:
    table = tmp_path / "list.csv"
    table.write_text("Фамилия;Текст\nКрон;род. 1896\n", encoding="utf-8")
    proc = run(
        "import", "--archive", str(archive), "--format", "csv", "--delimiter", ";;",
        "--map", "surname=Фамилия", str(table),
    )  # fmt: skip
    one_line_error(proc, "delimiter must be one character")


BATCH_CASES = {
    "missing file": (None, "no such file"),
    "directory": ("DIR", "is a directory"),
    "non-UTF-8": ("Крон".encode("cp1251") + b"\n", "not UTF-8 at byte offset 31"),
    "filters not an object": (
        b'{"id": 1, "query": "Kron", "filters": [1896]}\n',
        '"filters" must be an object',
    ),
    "born abc": (b'{"id": 1, "query": "Kron", "filters": {"born": "abc"}}\n', "whole number"),
    "limit x": (b'{"id": 1, "query": "Kron", "limit": "x"}\n', "limit must be a whole number"),
    "query null": (b'{"id": 1, "query": null}\n', '"query" must be a string, not None'),
    "query list": (b'{"id": 1, "query": ["Kron"]}\n', '"query" must be a string'),
}


@pytest.mark.parametrize("case", list(BATCH_CASES))
def test_cli_batch_bad_input_prints_nothing_and_says_which_line(
    case: str, archive: Path, tmp_path: Path
) -> None:
    content, words = BATCH_CASES[case]
    path = tmp_path / "queries.jsonl"
    if content == "DIR":
        path.mkdir()
    elif content is not None:
        # A good line first: nothing of it may be printed before the bad one is found.
        path.write_bytes(b'{"id": 0, "query": "\xd0\x9a\xd1\x80\xd0\xbe\xd0\xbd"}\n' + content)
    proc = run("search", "--archive", str(archive), "--batch", str(path))
    err = one_line_error(proc, words)
    assert proc.stdout == b"", "partial output before the error"
    if content not in (None, "DIR") and case != "non-UTF-8":
        assert f"{path}:2: " in err


def test_cli_batch_good_lines_still_answer(archive: Path) -> None:
    lines = b'{"id": "a", "query": "\xd0\x9a\xd1\x80\xd0\xbe\xd0\xbd", "filters": {"birth_year": "1896"}, "limit": 3}\n'
    proc = run("search", "--archive", str(archive), "--batch", "-", stdin=lines)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(x) for x in proc.stdout.splitlines()]
    assert out[0]["id"] == "a" and out[0]["results"]
    assert all("1896" in (r["birth"] or "") for r in out[0]["results"])


def test_cli_unexpected_errors_are_one_line_and_traceback_only_with_debug(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def bug() -> int:
        raise KeyError("internal detail")

    assert run_command(bug) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unexpected error (KeyError" in err and "--debug" in err
    assert run_command(bug, debug=True) == 1
    assert "Traceback" in capsys.readouterr().err
    monkeypatch.setenv("MEMORYBOOK_DEBUG", "1")
    assert main(["search", "--archive", "/nonexistent/dir/a.sqlite", "x"]) == 1
    assert run_command(lambda: (_ for _ in ()).throw(BadQuery("bad"))) == 1


def test_cli_usage_errors_are_one_line() -> None:
    proc = run("import", "--format", "no-such-format", "x")
    err = one_line_error(proc, "invalid choice")
    assert proc.returncode == 2 and "--help" in err

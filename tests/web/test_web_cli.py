"""`memorybook serve` wiring: the parsed arguments reach uvicorn and the app factory.
No server is started here (the browser test starts the only one)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from memorybook.cli.main import build_parser
from memorybook.errors import MemorybookError


def _serve(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> dict[str, Any]:
    import uvicorn

    called: dict[str, Any] = {}

    def fake_run(app: str, **kwargs: Any) -> None:
        called.update(kwargs, app=app)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    for name in ("MEMORYBOOK_ARCHIVE", "MEMORYBOOK_WEB_CONCURRENCY"):
        # setenv first, so that what `serve` writes into os.environ is undone after the test
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    args = build_parser().parse_args(argv)
    assert args.func(args) == 0
    return called


def test_web_serve_passes_the_archive_to_the_factory(
    monkeypatch: pytest.MonkeyPatch, archive_path: Path
) -> None:
    argv = ["serve", "--archive", str(archive_path), "--port", "8123", "--workers", "2"]
    called = _serve(monkeypatch, [*argv, "--concurrency", "3"])
    assert called["app"] == "memorybook.web.app:create_app" and called["factory"] is True
    assert (called["host"], called["port"], called["workers"]) == ("127.0.0.1", 8123, 2)

    # What each worker process does: call the factory, which reads the environment.
    from memorybook.web.app import create_app

    app = create_app()
    try:
        settings = app.state.site.settings
        assert settings.archive == str(archive_path)
        assert settings.concurrency == 3
        assert str(app.state.site.engine.url.database) == str(archive_path)
    finally:
        app.state.site.engine.dispose()


def test_web_serve_refuses_a_missing_archive(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with pytest.raises(MemorybookError, match="no such archive"):
        _serve(monkeypatch, ["serve", "--archive", str(tmp_path / "absent.sqlite")])

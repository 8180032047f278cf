"""`memorybook serve` wiring: the parsed arguments reach the workers and the app factory, and
each worker's listener is set up as measured. No server is started here (the browser test
starts the only one)."""

from __future__ import annotations

import socket
import sys
from pathlib import Path
from typing import Any

import pytest

from memorybook.cli import serve_cmd
from memorybook.cli.main import build_parser
from memorybook.errors import MemorybookError


def _serve(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> list[tuple[Any, ...]]:
    called: list[tuple[Any, ...]] = []
    monkeypatch.setattr(serve_cmd, "serve_worker", lambda *a: called.append(a))
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
    argv = ["serve", "--archive", str(archive_path), "--port", "8123", "--concurrency", "3"]
    assert _serve(monkeypatch, argv) == [("127.0.0.1", 8123, "warning")]

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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux socket options")
def test_web_worker_listeners_share_a_port_without_nagle() -> None:
    first = serve_cmd.listener("127.0.0.1", 0)
    port = first.getsockname()[1]
    second = serve_cmd.listener("127.0.0.1", port)  # the next worker, same port
    try:
        for sock in (first, second):
            # asyncio disables Nagle on accepted connections only for IPPROTO_TCP sockets
            assert sock.proto == socket.IPPROTO_TCP
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT)
        first.listen()
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            accepted, _ = first.accept()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        first.close()
        second.close()

"""`memorybook serve`: the parsed arguments reach the workers and the app factory, each
worker's listener is set up as measured, and a real server (started here, stopped at the end
of the module) prints its address, logs each request, keeps its port to itself, answers
uvicorn's own 400 with the security headers, and its workers die with it."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import location

from memorybook.cli.main import build_parser, main
from memorybook.errors import MemorybookError
from memorybook.web import server
from memorybook.web.settings import Settings

LINUX = sys.platform.startswith("linux")


def _serve(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> list[server.ServeOptions]:
    called: list[server.ServeOptions] = []
    monkeypatch.setattr(server, "serve", lambda opts, *a: called.append(opts))
    for name in ("MEMORYBOOK_ARCHIVE", "MEMORYBOOK_WEB_CONCURRENCY", "MEMORYBOOK_WEB_PUBLIC_URL"):
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
    argv += ["--public-url", "https://memory.example/book"]
    assert _serve(monkeypatch, argv) == [server.ServeOptions("127.0.0.1", 8123, 1, "info")]

    # What each worker process does: call the factory, which reads the environment.
    from memorybook.web.app import create_app

    app = create_app()
    try:
        settings = app.state.site.settings
        assert settings.archive == str(archive_path)
        assert settings.concurrency == 3
        assert settings.link("/records/1") == "https://memory.example/book/records/1"
        assert location(app.state.site.engine) == str(archive_path)
    finally:
        app.state.site.close()


def test_web_serve_help_gives_the_settings_default_concurrency(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert f"(default {Settings().concurrency})" in text


def test_web_serve_refuses_a_missing_archive(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with pytest.raises(MemorybookError, match="no archive at"):
        _serve(monkeypatch, ["serve", "--archive", str(tmp_path / "absent.sqlite")])
    assert not (tmp_path / "absent.sqlite").exists()


def test_web_serve_refuses_a_file_that_is_not_an_archive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "notes.sqlite"
    fake.write_text("not a database\n", encoding="utf-8")
    assert main(["serve", "--archive", str(fake)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a memorybook archive" in err


@pytest.mark.skipif(not LINUX, reason="Linux socket options")
def test_web_listeners_share_a_port_only_within_a_run() -> None:
    alone = server.listener("127.0.0.1", 0)
    assert not alone.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT)
    alone.close()
    first = server.listener("127.0.0.1", 0, shared=True)
    port = first.getsockname()[1]
    second = server.listener("127.0.0.1", port, shared=True)  # the run's next worker
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
        # Another run on the same port: the plain probe finds the listener.
        with pytest.raises(server.PortTaken):
            server.check_port_free("127.0.0.1", port)
        claim = server.claim_port(port)
        try:
            with pytest.raises(server.PortTaken, match="another `memorybook serve`"):
                server.claim_port(port)
        finally:
            if claim is not None:
                claim.close()
    finally:
        first.close()
        second.close()


# ---- a real server --------------------------------------------------------------------------


def _start(archive: Path, *extra: str) -> subprocess.Popen[str]:
    env = dict(os.environ, MEMORYBOOK_WEB_RATE="0", PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "memorybook.cli.main", "serve", "--archive", str(archive)]
    return subprocess.Popen(
        [*cmd, "--host", "127.0.0.1", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _address(proc: subprocess.Popen[str]) -> int:
    assert proc.stdout is not None
    line = proc.stdout.readline()  # the first thing `serve` prints
    m = re.search(r"serving on http://127\.0\.0\.1:(\d+)/", line)
    assert m, line
    port = int(m.group(1))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _get(port, "/index.json")[0] == 200:
                return port
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not answer")


def _get(port: int, path: str, raw: bytes | None = None) -> tuple[int, dict[str, str]]:
    request = raw or f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = {}
    for line in head[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return int(head[0].split()[1]), headers


def _stop(proc: subprocess.Popen[str]) -> tuple[str, str]:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return out, err


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def running(archive_path: Path) -> Iterator[dict[str, Any]]:
    proc = _start(archive_path, "--port", "0", "--workers", "2", "--log-level", "info")
    try:
        port = _address(proc)
        yield {"proc": proc, "port": port}
    finally:
        _stop(proc)


@pytest.mark.skipif(not LINUX, reason="abstract-socket port claim and /proc")
def test_web_serve_a_second_server_on_the_port_is_refused(
    running: dict[str, Any], archive_path: Path
) -> None:
    port = running["port"]
    for workers in ("1", "2"):
        second = _start(archive_path, "--port", str(port), "--workers", workers)
        out, err = second.communicate(timeout=60)
        assert second.returncode == 1, (out, err)
        assert err.count("\n") == 1 and "already" in err and "Traceback" not in err, err
    # Every request is answered by the first server (its archive has 5 records).
    assert all(_get(port, "/records/5.json")[0] == 200 for _ in range(10))


def test_web_serve_refuses_a_port_another_program_listens_on(archive_path: Path) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        proc = _start(archive_path, "--port", str(port), "--workers", "2")
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1 and err.count("\n") == 1 and "already in use" in err, err


def test_web_uvicorn_own_400_carries_the_security_headers(running: dict[str, Any]) -> None:
    status, headers = _get(running["port"], "", raw=b"NOT HTTP AT ALL\r\n\r\n")
    assert status == 400
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in headers["content-security-policy"]


def test_web_serve_speaks_http_through_httptools_with_our_400() -> None:
    # httptools is a dependency: the C parser, not h11's pure Python (the test above asks a
    # running server; here the protocol's own 400 bytes are read back).
    import h11

    from memorybook.web.server import _security_400, http_protocol

    pytest.importorskip("httptools", reason="an install without the dependencies (pip)")

    assert http_protocol().__name__ == "SecureHttpToolsProtocol"
    conn = h11.Connection(h11.CLIENT)
    conn.send(h11.Request(method="GET", target="/", headers=[("host", "x")]))
    conn.receive_data(_security_400("Invalid HTTP request received."))
    answer = conn.next_event()
    assert isinstance(answer, h11.Response) and answer.status_code == 400
    headers = {k.decode(): v.decode() for k, v in answer.headers}
    assert headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in headers["content-security-policy"]
    body = conn.next_event()
    assert isinstance(body, h11.Data) and body.data == b"Invalid HTTP request received."


@pytest.mark.skipif(not LINUX, reason="/proc")
def test_web_serve_logs_requests_and_workers_die_with_it(archive_path: Path) -> None:
    proc = _start(archive_path, "--port", "0", "--workers", "2")
    try:
        port = _address(proc)
        for path in ("/index.json", "/sources.json", "/nope"):
            _get(port, path)
        workers = _children(proc.pid)
        assert len(workers) == 2 and all(_alive(w) for w in workers)
        os.kill(proc.pid, signal.SIGKILL)  # no chance to clean up
        proc.wait(10)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers), "a worker outlived the killed server"
    finally:
        out, _ = _stop(proc)
    # uvicorn's access log (level info, on stdout): one line per request.
    for path, status in (("/index.json", 200), ("/sources.json", 200), ("/nope", 404)):
        found = re.findall(rf'"GET {re.escape(path)} HTTP/1.1" {status}', out)
        assert len(found) == (1 if path != "/index.json" else len(found)) and found, out


# A server whose workers are busy (here: a worker that takes ten minutes to start, as each
# worker loading a national archive's indexes took minutes) when the server ends. uvicorn
# answers SIGTERM by finishing what it is doing first, so at 3 M records workers outlived
# their server by minutes; now they get `server.WORKER_GRACE_S` and are then killed.
SLOW_START = """
import os, pathlib, sys, time
import memorybook.web.server as server
def slow(*args, **kwargs):
    pathlib.Path(sys.argv[1], str(os.getpid())).touch()
    time.sleep(600)
server.run_worker = slow
from memorybook.cli.main import main
sys.exit(main(sys.argv[2:]))
"""


def _busy_server(
    archive: Path, marks: Path, stderr: Any
) -> tuple[subprocess.Popen[str], list[int]]:
    cmd = [sys.executable, "-c", SLOW_START, str(marks), "serve", "--archive", str(archive)]
    proc = subprocess.Popen(
        [*cmd, "--host", "127.0.0.1", "--port", "0", "--workers", "2"],
        env=dict(os.environ, MEMORYBOOK_WEB_RATE="0"),
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        text=True,
    )
    deadline = time.monotonic() + 60
    while len(list(marks.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = sorted(int(p.name) for p in marks.iterdir())
    if len(workers) != 2 or sorted(_children(proc.pid)) != workers:
        for pid in {*workers, *_children(proc.pid), proc.pid}:
            os.kill(pid, signal.SIGKILL)
        proc.wait()
        raise AssertionError(f"the workers did not start: {workers}")
    return proc, workers


def _gone_within(workers: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while (alive := [w for w in workers if _alive(w)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    for w in alive:  # never leave them behind, even when the test fails
        os.kill(w, signal.SIGKILL)
    return alive


@pytest.mark.skipif(not LINUX, reason="/proc")
@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_web_serve_busy_workers_do_not_outlive_their_server(
    archive_path: Path, tmp_path: Path, how: str
) -> None:
    marks = tmp_path / "started"
    marks.mkdir()
    with (tmp_path / "stderr").open("w") as err:
        proc, workers = _busy_server(archive_path, marks, err)
    t0 = time.monotonic()
    os.kill(proc.pid, getattr(signal, how))
    try:
        proc.wait(server.WORKER_GRACE_S + 10)  # SIGTERM: it stops its workers, then itself
    except subprocess.TimeoutExpired:
        pass
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        alive = _gone_within(workers, server.WORKER_GRACE_S + 10)
    took = time.monotonic() - t0
    assert not alive, f"workers outlived the server ({how}) by {took:.0f} s"
    if how == "SIGTERM":
        assert took < server.WORKER_GRACE_S + 10, f"the server took {took:.0f} s to stop"
        assert "Traceback" not in (tmp_path / "stderr").read_text()

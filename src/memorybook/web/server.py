"""Running the web archive on uvicorn: one claim on the port, listeners bound by the parent,
the application built once by the parent, worker processes that die with it, and uvicorn's
own error answers with our headers.

`memorybook serve` calls `serve()`. The parent builds the application
(`memorybook.web.app.create_app`: the name index, the facet columns, the routes) before it
forks the workers, so a worker starts serving at once and the loaded arrays are shared by
all of them (copy-on-write pages) instead of loaded and held by each; with two workers at
300,000 records each loaded its own copy in parallel for 26–42 s."""

from __future__ import annotations

import errno
import multiprocessing
import signal
import socket
import sys
import time
from dataclasses import dataclass
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from memorybook.errors import ConfigurationError
from memorybook.procs import ParentWatch
from memorybook.web.security import CSP, HEADERS

LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")

# Seconds a worker gets to end gracefully once asked (the server stops) or once its server is
# gone, before it is killed: uvicorn answers SIGTERM by finishing its start-up (loading the
# indexes), then the requests in flight, then the application's shutdown, which at national
# size took minutes; workers then outlived their server.
WORKER_GRACE_S = 5.0


class PortTaken(ConfigurationError):
    pass


@dataclass(frozen=True, slots=True)
class ServeOptions:
    host: str
    port: int
    workers: int = 1
    log_level: str = "info"


def address(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def check_port_free(host: str, port: int) -> None:
    """A plain bind (without SO_REUSEPORT) fails when anything listens on the port."""
    if port == 0:
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise _taken(host, port, exc) from None


def claim_port(port: int) -> socket.socket | None:
    """Hold the port for this run alone, or raise `PortTaken`: an abstract Unix socket named
    after the port, held while any process of the run lives, keeps a second `memorybook
    serve` out even while this run's workers share the port (SO_REUSEPORT)."""
    if not sys.platform.startswith("linux"):
        return None
    claim = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        claim.bind(f"\0memorybook-serve:{port}")
    except OSError:
        claim.close()
        raise PortTaken(
            f"port {port} is already served by another `memorybook serve`: stop it or choose "
            "another --port"
        ) from None
    return claim


def _taken(host: str, port: int, exc: OSError) -> ConfigurationError:
    if exc.errno == errno.EADDRINUSE:
        return PortTaken(
            f"{host}:{port} is already in use: stop that server or choose another --port"
        )
    return ConfigurationError(f"cannot listen on {host}:{port} ({exc.strerror})")


def listener(host: str, port: int, *, shared: bool = False) -> socket.socket:
    """A listening socket for one worker; `shared` (several workers of one run) lets the
    kernel spread connections across the workers' sockets (SO_REUSEPORT).

    Its protocol is IPPROTO_TCP, not 0, because asyncio turns Nagle's algorithm off on
    accepted connections only for such sockets; with it on, every small response waited
    for the client's delayed ACK (a fixed ~40 ms, measured)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared and hasattr(socket, "SO_REUSEPORT"):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise _taken(host, port, exc) from None
    return sock


class SecureH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol whose own "400 Bad Request" (a request it cannot parse, that
    never reaches the application) carries the same security headers as every other answer."""

    def send_400_response(self, msg: str) -> None:
        headers: list[tuple[bytes, bytes]] = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"connection", b"close"),
            *HEADERS,
            (b"content-security-policy", CSP.encode()),
        ]
        event = h11.Response(status_code=400, headers=headers, reason=b"Bad Request")
        self.transport.write(self.conn.send(event))
        self.transport.write(self.conn.send(event=h11.Data(data=msg.encode("ascii"))))
        self.transport.write(self.conn.send(event=h11.EndOfMessage()))
        self.transport.close()


def _security_400(msg: str) -> bytes:
    """uvicorn's own "400 Bad Request" with our security headers, as bytes on the wire."""
    head = [
        b"HTTP/1.1 400 Bad Request",
        b"content-type: text/plain; charset=utf-8",
        b"content-length: " + str(len(msg.encode("ascii"))).encode("ascii"),
        b"connection: close",
        *(name + b": " + value for name, value in HEADERS),
        b"content-security-policy: " + CSP.encode(),
    ]
    return b"\r\n".join(head) + b"\r\n\r\n" + msg.encode("ascii")


def http_protocol() -> type[Any]:
    """The HTTP/1.1 protocol the workers speak: uvicorn's httptools parser (C, llhttp) when
    installed, else h11 (pure Python), each with our headers on its own 400."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # httptools is not installed
        return SecureH11Protocol

    class SecureHttpToolsProtocol(HttpToolsProtocol):
        def send_400_response(self, msg: str) -> None:
            self.transport.write(_security_400(msg))
            self.transport.close()

    return SecureHttpToolsProtocol


def uvicorn_config(app: Any, log_level: str) -> Any:
    import uvicorn

    return uvicorn.Config(
        app,
        http=http_protocol(),
        # uvloop when installed (a dependency): the mixed load of issue 12 at 50 connections
        # on 2 workers went from ~230 to ~570 requests/s and its p99 from 0.6–0.8 s to
        # 0.16–0.18 s against asyncio's own loop (bench/load.py, same machine and load).
        loop="auto",
        log_level=log_level,
        access_log=True,  # one line per request, at level info
        proxy_headers=False,
        server_header=False,
        # Requests still running this long after a stop was asked are cancelled.
        timeout_graceful_shutdown=int(WORKER_GRACE_S),
    )


def build_app() -> Any:
    """The application, built from the settings in the environment (`create_app`)."""
    from memorybook.web import app

    return app.create_app()


def run_worker(sock: socket.socket, app: Any, log_level: str) -> None:
    import uvicorn

    uvicorn.Server(uvicorn_config(app, log_level)).run(sockets=[sock])


def _worker(
    watch: ParentWatch, socks: list[socket.socket], mine: int, claim: socket.socket | None,
    app: Any, log_level: str,
) -> None:  # fmt: skip
    # SIGTERM when the server ends however it ends (SIGKILL included), SIGKILL if the worker
    # has not ended WORKER_GRACE_S later (busy starting up or answering).
    watch.die_with_parent(signal.SIGTERM, grace=WORKER_GRACE_S)
    for i, other in enumerate(socks):
        if i != mine:
            other.close()  # a worker holding another's listener would keep it open if that one died
    run_worker(socks[mine], app, log_level)


def serve(opts: ServeOptions, announce: Any = None) -> None:
    """Check and claim the port, bind every worker's listener here, then run the workers (in
    this process for one worker). Returns when the server stops."""
    workers = max(1, opts.workers)
    check_port_free(opts.host, opts.port)
    first = listener(opts.host, opts.port, shared=workers > 1)
    port = int(first.getsockname()[1])
    socks = [first]
    claim: socket.socket | None = None
    try:
        claim = claim_port(port)
        socks += [listener(opts.host, port, shared=True) for _ in range(workers - 1)]
        app = build_app()  # once, here: the workers inherit it
        (announce or _say)(
            f"memorybook: serving on {address(opts.host, port)} "
            f"({workers} worker{'s' if workers > 1 else ''}; Ctrl-C stops)"
        )
        if workers == 1:
            run_worker(first, app, opts.log_level)
        else:
            # No connection of the parent's may be used by a child (SQLite, PostgreSQL).
            app.state.site.engine.dispose()
            try:
                _run_workers(socks, claim, app, opts.log_level)
            finally:
                app.state.site.close()
    finally:
        for sock in socks:
            sock.close()
        if claim is not None:
            claim.close()


def _run_workers(
    socks: list[socket.socket], claim: socket.socket | None, app: Any, log_level: str
) -> None:
    ctx = multiprocessing.get_context("fork")
    watch = ParentWatch()
    procs = [
        ctx.Process(target=_worker, args=(watch, socks, i, claim, app, log_level), daemon=False)
        for i in range(len(socks))
    ]
    for proc in procs:
        proc.start()
    watch.close_in_parent()
    for sock in socks:
        sock.close()  # the workers have them now
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        for proc in procs:
            proc.join()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        # One deadline for all of them (waiting for each in turn gave a caller that stops
        # the server after 15 s the time to kill it first, leaving busy workers behind).
        deadline = time.monotonic() + WORKER_GRACE_S
        for proc in procs:
            proc.join(timeout=max(0.0, deadline - time.monotonic()))
        for proc in procs:
            if proc.is_alive():
                proc.kill()
        for proc in procs:
            proc.join()
        watch.close()


def _say(line: str) -> None:
    print(line, flush=True)


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


__all__ = ["LOG_LEVELS", "PortTaken", "ServeOptions", "claim_port", "listener", "serve"]

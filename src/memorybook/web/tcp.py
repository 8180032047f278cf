"""The listening socket of a uvicorn worker process: TCP_NODELAY, and one listener per worker.

`memorybook serve --workers N` runs uvicorn's process supervisor, which binds one socket
(`socket.socket(family=...)`, protocol 0) in the parent and hands it to every worker; each
worker calls listen() on it after loading the app. Two things follow, both measured:

* asyncio turns Nagle's algorithm off only for sockets whose protocol is IPPROTO_TCP, so the
  accepted connections kept it on: a response's head went out, its body waited for the
  client's delayed ACK, and every small response cost a fixed ~40 ms.
* all workers accept from one queue, and a worker's accept loop drains it: a burst of
  keep-alive connections often landed on one worker while the other idled (one process at
  100 % CPU, the other at 5 %, throughput halved, at random from run to run).

`prepare_listeners()` runs in the app factory, i.e. in each worker before uvicorn listens. It
sets TCP_NODELAY on the worker's listener (Linux copies it to accepted connections) and, in a
worker process, puts a listener of the worker's own in its place: bound to the same address
with SO_REUSEPORT, so the kernel spreads new connections across the workers. The cleaner home
for the second part is `memorybook serve` binding one SO_REUSEPORT socket per worker."""

from __future__ import annotations

import multiprocessing
import os
import socket
import sys


def prepare_listeners(own: bool | None = None) -> int:
    """Fix up every bound, unconnected, not yet listening TCP socket of this process; how
    many. `own` (default: in a worker subprocess) gives each worker a listener of its own."""
    if not sys.platform.startswith("linux"):
        return 0
    if own is None:
        own = multiprocessing.parent_process() is not None
    try:
        fds = [int(n) for n in os.listdir("/proc/self/fd")]
    except OSError:
        return 0
    done = 0
    for fd in fds:
        try:
            sock = socket.socket(fileno=fd)
        except OSError:  # not a socket (or already closed)
            continue
        try:
            if _waiting_listener(sock):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if own and hasattr(socket, "SO_REUSEPORT"):
                    _own_listener(sock, fd)
                done += 1
        except OSError:
            pass
        finally:
            sock.detach()  # the descriptor stays open: it is the server's, not ours
    return done


def _waiting_listener(sock: socket.socket) -> bool:
    """A TCP socket bound to a port that neither listens nor is connected yet."""
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.type != socket.SOCK_STREAM:
        return False
    if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
        return False
    if sock.getsockname()[1] == 0:
        return False
    try:
        sock.getpeername()
    except OSError:
        return True
    return False


def _own_listener(shared: socket.socket, fd: int) -> None:
    """Put a socket of this process's own, bound to the same address with SO_REUSEPORT, at
    descriptor `fd` (the shared socket stays open in the other processes). On any failure
    the shared socket stays, as it was."""
    address = shared.getsockname()
    mine = socket.socket(shared.family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        shared.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        mine.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        mine.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        mine.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if shared.family == socket.AF_INET6:
            v6only = shared.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY)
            mine.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
        mine.bind(address)
        mine.set_inheritable(os.get_inheritable(fd))
        os.dup2(mine.fileno(), fd, inheritable=os.get_inheritable(fd))
    except OSError:
        pass
    finally:
        mine.close()

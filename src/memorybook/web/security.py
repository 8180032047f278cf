"""Pure ASGI middleware: security headers and charsets on every response, a per-client
token bucket that answers over-eager clients with 429 and Retry-After, and a cap on the size
of any response."""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections import OrderedDict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
    " font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none';"
    " frame-ancestors 'none'; form-action 'self'"
)

_TILE_URL = re.compile(r"^https?://([A-Za-z0-9.\-]|\{s\})+(:\d+)?/\S*$")


def tile_source(tile_url: str) -> str:
    """The CSP source expression of a tile server URL (its scheme and host, `{s}` as a
    wildcard subdomain); raises ValueError for anything that is not such a URL."""
    if not _TILE_URL.match(tile_url) or not all(p in tile_url for p in ("{z}", "{x}", "{y}")):
        raise ValueError(
            "tile_url must be an http(s) URL with {z}, {x} and {y}, e.g."
            " https://tile.example.org/{z}/{x}/{y}.png"
        )
    scheme, rest = tile_url.split("://", 1)
    host = rest.split("/", 1)[0]
    if "{s}" in host:
        host = (
            "*." + host.split("{s}.", 1)[-1]
            if host.startswith("{s}.")
            else host.replace("{s}", "*")
        )
    return f"{scheme}://{host}"


def csp(tile_url: str = "") -> str:
    """The site's Content-Security-Policy: a configured tile server is the one origin added
    (to img-src, for the map tiles)."""
    if not tile_url:
        return CSP
    return CSP.replace("img-src 'self' data:", f"img-src 'self' data: {tile_source(tile_url)}")


HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"geolocation=(), camera=(), microphone=()"),
)
TEXT_TYPES = (b"text/", b"application/json", b"application/javascript", b"image/svg+xml")


class SecurityHeaders:
    def __init__(self, app: ASGIApp, tile_url: str = "") -> None:
        self.app = app
        self.csp = csp(tile_url).encode()
        # Swagger UI sets style attributes from its scripts; only /docs gets inline styles.
        self.docs_csp = (
            csp(tile_url).replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").encode()
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = self.docs_csp if scope.get("path") == "/docs" else self.csp

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in {b"content-security-policy", b"server"}
                ]
                for i, (k, v) in enumerate(headers):
                    if (
                        k.lower() == b"content-type"
                        and v.startswith(TEXT_TYPES)
                        and b"charset" not in v
                    ):
                        headers[i] = (k, v + b"; charset=utf-8")
                headers.extend(HEADERS)
                headers.append((b"content-security-policy", policy))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_wrapper)


class TokenBucket:
    """Per-client buckets of `burst` tokens refilled at `rate` per second (bounded memory)."""

    def __init__(self, rate: float, burst: int, max_clients: int = 10_000) -> None:
        self.rate, self.burst, self.max_clients = rate, float(burst), max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str, now: float | None = None) -> float:
        """0 when a request may go ahead, else the seconds until it may."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            return wait


class RateLimit:
    def __init__(self, app: ASGIApp, rate: float, burst: int) -> None:
        self.app = app
        self.bucket = TokenBucket(rate, burst) if rate > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.bucket is None or scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.bucket.take(client[0] if client else "unknown")
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        body = json.dumps(
            {"error": {"status": 429, "message": "Too many requests: please slow down."}}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 429,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"retry-after", str(max(1, math.ceil(wait))).encode()),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


TOO_LARGE = json.dumps(
    {"error": {"status": 400, "message": "This answer is too large to send: narrow the request."}}
).encode()


class ResponseCap:
    """No response is larger than `max_bytes`: one that says it would be is answered with a
    400 instead, and a streamed one (an export) is cut off at the limit. The imports bound
    entries, the pages and exports bound their rows; this bounds what slips past both."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.max_bytes <= 0:
            await self.app(scope, receive, send)
            return
        sent = 0
        dropped = False

        async def capped(message: Message) -> None:
            nonlocal sent, dropped
            if dropped:
                return
            if message["type"] == "http.response.start":
                length = next(
                    (v for k, v in message.get("headers", []) if k.lower() == b"content-length"),
                    None,
                )
                if length is not None and int(length) > self.max_bytes:
                    dropped = True
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 400,
                            "headers": [
                                (b"content-type", b"application/json"),
                                (b"content-length", str(len(TOO_LARGE)).encode()),
                            ],
                        }
                    )
                    await send({"type": "http.response.body", "body": TOO_LARGE})
                    return
            elif message["type"] == "http.response.body":
                body = message.get("body", b"")
                if sent + len(body) > self.max_bytes:
                    dropped = True
                    message = {
                        "type": "http.response.body",
                        "body": body[: max(0, self.max_bytes - sent)],
                        "more_body": False,
                    }
                sent += len(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capped)

"""HEAD on every GET page: answered as GET with the headers and without the body."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """Pure ASGI middleware: a HEAD request is routed as GET and its body dropped, so every
    page and export answers HEAD with the headers (and length) its GET would have."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        done = False

        async def send_head(message: Message) -> None:
            nonlocal done
            if message["type"] != "http.response.body":
                await send(message)
                return
            if done:
                return
            if not message.get("more_body", False):
                done = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET"}, receive, send_head)

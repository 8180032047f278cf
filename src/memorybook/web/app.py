"""The application factory: `create_app()`. `memorybook serve` calls it once, before it
forks its workers, which share what it loaded (web/server.py)."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from memorybook import __version__
from memorybook.web import errors
from memorybook.web.methods import HeadAsGet
from memorybook.web.security import RateLimit, ResponseCap, SecurityHeaders, csp
from memorybook.web.settings import Settings
from memorybook.web.site import CACHE_OUTCOME, HERE, Site
from memorybook.web.views import (
    docs,
    home,
    map,
    operations,
    persons,
    records,
    search,
    sources,
    stats,
    suggest,
)

DESCRIPTION = (
    "An archive of the NKVD mass operations of 1937–1938 and of the people they killed. "
    "Every page of the site has a JSON twin at the same address with `.json`; the pages "
    "and their twins are built from the same data."
)


class CacheHeader:
    """`X-Cache: hit|miss` on answers that looked in a result cache (see site.CACHE_OUTCOME)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        outcome: dict[str, str] = {}
        token = CACHE_OUTCOME.set(outcome)

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start" and "cache" in outcome:
                headers = [*message.get("headers", []), (b"x-cache", outcome["cache"].encode())]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_header)
        finally:
            CACHE_OUTCOME.reset(token)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    csp(settings.tile_url)  # a tile server URL that is no such URL stops here (ValueError)
    site = Site(settings, engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # In the process that serves (a worker forked after the app was built): threads
        # started before a fork would not run in it.
        site.forked()
        stats.warm_charts(site)  # what the archive has no stored count of, counted once
        yield
        site.close()

    app = FastAPI(
        title="memorybook",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.site = site
    # Load the name index, the facet columns and the persons once, before the first request
    # (workers forked from here share them; a new archive version is loaded by each worker).
    site.loaded()
    # What was loaded stays for the process's life: keep the collector from walking it again
    # and again (full collections over the indexes were the long tail of the latency), and
    # from writing to its pages, which workers forked from here share with the server.
    gc.collect()
    gc.freeze()
    errors.install(app)
    for module in (home, search, suggest, records, persons, sources, operations, stats, map):
        app.include_router(module.router(site))
    app.include_router(docs.router())
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # Outermost last: security headers on every answer (429s included), the rate limit, the
    # cap on a response's size, then HEAD answered as GET.
    app.add_middleware(HeadAsGet)
    app.add_middleware(ResponseCap, max_bytes=settings.max_response_bytes)
    app.add_middleware(RateLimit, rate=settings.rate, burst=settings.burst)
    app.add_middleware(SecurityHeaders, tile_url=settings.tile_url)
    app.add_middleware(CacheHeader)
    return app

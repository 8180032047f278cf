"""What every view shares: the archive, the templates, the searcher, caches and responses."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import json
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, is_dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, cast
from urllib.parse import quote, urlencode

import numpy as np
from fastapi import HTTPException
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from pydantic import TypeAdapter
from sqlalchemy import Connection, Engine
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Match, NoMatchFound

from memorybook.search import index as index_mod
from memorybook.search.api import Searcher
from memorybook.search.persons import PersonMap
from memorybook.stats import summary as summary_mod
from memorybook.storage import read_store as rs
from memorybook.storage import summary_store
from memorybook.storage.engine import open_archive
from memorybook.web import i18n
from memorybook.web.settings import Settings
from memorybook.web.words import Words, format_number

HERE = Path(__file__).parent
CLOSE_WAIT_S = 60.0  # how long closing a site waits for its background computations, in all
K = TypeVar("K")
V = TypeVar("V")


# Whether the request being answered was served from a result cache: set by the middleware
# (`app.CacheHeader`) to a fresh dict per request, marked by the first LRU lookup, and sent
# back as `X-Cache: hit|miss` so that a load test can report the hit ratio. A mutable holder,
# so the mark made in a compute thread (a copied context) is seen by the middleware.
CACHE_OUTCOME: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "cache_outcome", default=None
)


class LRU(Generic[K, V]):
    """A small thread-safe LRU map."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
        outcome = CACHE_OUTCOME.get()
        if outcome is not None and self.size > 0:
            outcome.setdefault("cache", "hit" if value is not None else "miss")
        return value

    def put(self, key: K, value: V) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


@dataclass(frozen=True, slots=True)
class Loaded:
    """What a worker holds in memory of one archive version: the name index (its searcher),
    the facet columns and the records' persons. Requests read one of these whole; a newer
    version's is loaded beside it in the background and then replaces it (`Site.loaded`)."""

    version: int
    searcher: Searcher
    facets: rs.FacetIndex | None
    persons: PersonMap | None
    # The facet columns hold the records in the name index's order (`Ranked.positions`
    # index them directly); the person map is aligned to it when it is loaded.
    aligned: bool = False

    def close(self) -> None:
        self.searcher.close()


class Site:
    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or open_archive(settings.archive or None, read_only=True)
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["num"] = _num
        self.search_cache: LRU[tuple[Any, ...], bytes] = LRU(settings.search_cache)
        self.memo: dict[str, Any] = {}  # for the worker's life (the search service)
        # Values counted from the archive, with the archive version they were counted at.
        self._counted: dict[str, tuple[int, Any]] = {}
        self._key_locks: dict[str, threading.Lock] = {}
        self._version = 0
        self._version_at = -1e9
        self._version_lock = threading.Lock()
        self._memo_lock = threading.Lock()
        self._memo_ready = threading.Condition(self._memo_lock)  # a warmed value arrived
        self._loaded: Loaded | None = None
        self._reloading: threading.Thread | None = None
        self.caches: list[LRU[Any, Any]] = [self.search_cache]  # emptied with each new version
        self._warming: set[tuple[str, int]] = set()
        self._gate: asyncio.Semaphore | None = None  # made in the server's event loop
        self._executor: ThreadPoolExecutor | None = None
        self._local = threading.local()  # the compute threads' own connections
        self._kept: list[Connection] = []  # all of them, to close at shutdown
        self._warm_threads: list[threading.Thread] = []
        self._pid = os.getpid()

    # ---- the archive ------------------------------------------------------------------------

    @contextmanager
    def read(self, seconds: float | None = None) -> Iterator[Connection]:
        """A connection whose statements are interrupted after the time limit (400).

        In the threads that compute requests (the compute threads, and the event loop's for
        short work) it is the thread's own connection, opened once and kept (no pool
        checkout per request); its read snapshot ends with the outermost `read`."""
        local = self._local
        if not getattr(local, "compute", False):
            with self.engine.connect() as conn, self._limited(conn, seconds):
                yield conn
            return
        own: Connection | None = getattr(local, "conn", None)
        if own is None or own.closed or own.invalidated:
            own = local.conn = self.engine.connect()
            with self._memo_lock:
                self._kept.append(own)
        local.depth = getattr(local, "depth", 0) + 1
        try:
            with self._limited(own, seconds):
                yield own
        finally:
            local.depth -= 1
            if local.depth == 0 and own.in_transaction():
                own.rollback()  # a reader must not hold a snapshot between requests

    @contextmanager
    def _limited(self, conn: Connection, seconds: float | None) -> Iterator[None]:
        try:
            with rs.time_limit(conn, seconds or self.settings.query_seconds):
                yield
        except rs.QueryTimeout:
            raise HTTPException(
                400, "This request is too expensive to answer in time: narrow it down."
            ) from None

    def forked(self) -> None:
        """In a process forked from the one that built the site (a server worker): forget
        the connections it inherited (they are the parent's; the pool opens new ones here)."""
        if self._pid != os.getpid():
            self.engine.dispose(close=False)
            self._pid = os.getpid()
            self._reloading = None  # the server's thread, if any, did not come along

    def close(self) -> None:
        """Close the connections the threads kept and the engine's pool (at shutdown: a
        PostgreSQL connection left to the garbage collector is a leaked session)."""
        with self._memo_lock:
            kept, self._kept = self._kept, []
            warming, self._warm_threads = self._warm_threads, []
        # Their connections go back to the pool before it is closed; one deadline for all of
        # them, not one per thread (a server's worker is killed WORKER_GRACE_S after it was
        # asked to stop whatever it is still counting: web/server.py).
        deadline = time.monotonic() + CLOSE_WAIT_S
        for thread in warming:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        for conn in kept:
            with contextlib.suppress(Exception):  # already broken: nothing left to close
                conn.close()
        reloading = self._reloading
        if reloading is not None:
            reloading.join(timeout=max(0.0, deadline - time.monotonic()))
        if self._loaded is not None:
            self._loaded.close()
        if self._executor is not None:
            self._executor.shutdown(wait=False)
        self.engine.dispose()

    def facet_index(self) -> rs.FacetIndex | None:
        """The records' facet columns in memory (loaded with the searcher, per version)."""
        return self.loaded().facets

    def persons(self) -> PersonMap | None:
        """Which person each record belongs to (loaded with the searcher, per version)."""
        return self.loaded().persons

    # ---- what is held in memory per archive version -------------------------------------------

    def loaded(self) -> Loaded:
        """The name index, facet columns and persons of the archive version last loaded.

        Loaded once, before the first request; afterwards, when the archive's version
        changed (an import or a linkage run committed: looked up at most every
        `version_seconds`), the new version's are loaded in a background thread while
        requests go on with the old ones, then replace them — one load at a time, so a
        worker holds at most two versions, and only while the new one loads."""
        current = self._loaded
        if current is None:
            with self._memo_lock:
                if self._loaded is None:
                    self._loaded = self._load()
            current = self._loaded
            assert current is not None
        else:
            version = self.version()
            if version != current.version:
                self._reload(version)
        return current

    def _load(self) -> Loaded:
        with self.engine.connect() as conn:
            try:
                version = summary_store.archive_version(conn)
            except Exception:  # an archive without the table (written by hand): unversioned
                version = 0
                conn.rollback()  # PostgreSQL: the failed statement ended the transaction
            if conn.in_transaction():
                conn.rollback()
            searcher = Searcher(self.engine, index_mod.load(conn))
            try:
                facets: rs.FacetIndex | None = rs.FacetIndex.load(conn)
            except Exception:  # no record table yet, another backend: SQL instead
                facets = None
                conn.rollback()
            try:
                persons: PersonMap | None = PersonMap.load(conn)
            except Exception:  # no person tables (an archive written by hand): SQL instead
                persons = None
                conn.rollback()
        index = searcher.index
        aligned = (
            index is not None and facets is not None and np.array_equal(facets.ids, index.rec_id)
        )
        if aligned and persons is not None and index is not None:
            persons.align(index.rec_id)
        return Loaded(version, searcher, facets, persons, aligned)

    def _reload(self, version: int) -> None:
        """Load the current version's index in the background (one load at a time)."""
        with self._memo_lock:
            if self._reloading is not None and self._reloading.is_alive():
                return
            loaded = self._loaded
            if loaded is not None and loaded.version == version:
                return  # loaded meanwhile by the load that just ended

            def run() -> None:
                try:
                    fresh = self._load()
                except Exception:  # the archive is being written or went away: keep serving
                    time.sleep(self.settings.version_seconds)  # the old ones; try again later
                    return
                with self._memo_lock:
                    old, self._loaded = self._loaded, fresh
                for cache in self.caches:
                    cache.clear()  # answers of the old version (keys hold it too: `epoch`)
                if old is not None:
                    # Its connections (the web passes its own to every search, so there
                    # are none in use); its arrays go with the last request still using them.
                    old.close()

            self._reloading = threading.Thread(target=run, name="reload-index", daemon=True)
            self._reloading.start()

    def epoch(self) -> int:
        """The version of what is held in memory: part of every cached answer's key, so an
        answer computed before a new version was loaded is never served after it."""
        return self.loaded().version

    def lru(self, size: int) -> LRU[Any, Any]:
        """A result cache that is emptied when a new archive version is loaded."""
        cache: LRU[Any, Any] = LRU(size)
        self.caches.append(cache)
        return cache

    def _compute_thread(self) -> None:
        self._local.compute = True

    async def compute(self, fn: Callable[..., V], *args: Any, short: bool = False) -> V:
        """Run blocking work (SQLite, the name search) for a request.

        `short` work (a name search page, a record page: an in-memory index and a few
        indexed reads, milliseconds, bounded by the query time limit) runs right here in the
        event loop when `settings.inline` is on: handing it to a thread costs more than the
        work, and a thread that gives up the GIL for every SQLite call waits a switch interval
        for it again while the loop parses other requests (measured: half the throughput and
        twice the p99 at 32 connections). Other work runs in this worker's compute threads
        (`concurrency` of them, each with its own open connection); requests beyond that wait
        here, in the event loop, where waiting is free, and get 429 with Retry-After after
        `queue_seconds`."""
        if short and self.settings.inline:
            self._local.compute = True  # the event loop's thread keeps its own connection
            return fn(*args)
        if self._gate is None:
            self._gate = asyncio.Semaphore(max(1, self.settings.concurrency))
        try:
            await asyncio.wait_for(self._gate.acquire(), self.settings.queue_seconds)
        except TimeoutError:
            # Busy for longer than a visitor should wait: come back shortly (429, never a 5xx
            # for load; the rate limit answers the same to a client over its budget).
            raise HTTPException(
                429,
                "The archive is busy: please try again in a moment.",
                headers={"retry-after": str(max(1, round(self.settings.queue_seconds)))},
            ) from None
        if self._executor is None:
            self._executor = ThreadPoolExecutor(
                max(1, self.settings.concurrency),
                thread_name_prefix="compute",
                initializer=self._compute_thread,
            )
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._executor, functools.partial(fn, *args))
        finally:
            self._gate.release()

    # ---- what is counted once per archive version ---------------------------------------------

    def version(self) -> int:
        """The archive's version (raised by every write: storage/summary_store), looked up at
        most every `settings.version_seconds`: what a worker counted or loaded for an older
        version is counted again, so a site that serves while an import runs shows its
        records once the import committed."""
        now = time.monotonic()
        if now < self._version_at + self.settings.version_seconds:
            return self._version
        with self._version_lock:
            if now >= self._version_at + self.settings.version_seconds:
                try:
                    with self.engine.connect() as conn:
                        self._version = summary_store.archive_version(conn)
                except Exception:  # an archive without the table (written by hand): unversioned
                    self._version = 0
                self._version_at = time.monotonic()
        return self._version

    def known(self, key: str) -> Any:
        """The value kept for `key` at the archive's current version, or None."""
        version = self.version()
        with self._memo_lock:
            hit = self._counted.get(key)
        return hit[1] if hit is not None and hit[0] == version else None

    def keep(self, key: str, value: Any, version: int | None = None) -> None:
        with self._memo_lock:
            self._counted[key] = (self.version() if version is None else version, value)

    def memoised(self, key: str, build: Callable[[], V]) -> V:
        """Values computed once per process and archive version, however many requests ask
        at once (one builds, the others wait for it)."""
        version = self.version()
        with self._memo_lock:
            hit = self._counted.get(key)
            if hit is not None and hit[0] == version:
                return cast(V, hit[1])
            lock = self._key_locks.setdefault(key, threading.Lock())
        with lock:
            with self._memo_lock:
                hit = self._counted.get(key)
                if hit is not None and hit[0] == version:
                    return cast(V, hit[1])
            value = build()
            self.keep(key, value, version)
        return value

    def warm(self, key: str, build: Callable[[Connection], Any]) -> None:
        """Compute `key` once (per archive version) in the background without a time limit;
        pages that need it meanwhile answer without it (truncated) rather than wait."""
        version = self.version()
        with self._memo_lock:
            hit = self._counted.get(key)
            if (key, version) in self._warming or (hit is not None and hit[0] == version):
                return
            self._warming.add((key, version))

        def run() -> None:
            try:
                with self.engine.connect() as conn:
                    value = build(conn)
                self.keep(key, value, version)
            except Exception:  # a failed warm-up leaves the page truncated, nothing worse
                pass
            finally:
                with self._memo_lock:
                    self._warming.discard((key, version))
                    self._memo_ready.notify_all()

        thread = threading.Thread(target=run, name=f"warm-{key}", daemon=True)
        with self._memo_lock:
            self._warm_threads = [t for t in self._warm_threads if t.is_alive()]
            self._warm_threads.append(thread)
        thread.start()

    def warmed(self, key: str, build: Callable[[Connection], Any], seconds: float) -> Any:
        """The value of `key`, computed once per process and archive version however many
        requests ask for it at once (one background computation, `warm`); None when it is
        not ready within `seconds` (the page then answers without it)."""
        version = self.version()

        def ready() -> bool:
            hit = self._counted.get(key)
            return (hit is not None and hit[0] == version) or (key, version) not in self._warming

        with self._memo_lock:
            hit = self._counted.get(key)
            if hit is not None and hit[0] == version:
                return hit[1]
        self.warm(key, build)
        with self._memo_ready:
            self._memo_ready.wait_for(ready, timeout=seconds)
            hit = self._counted.get(key)
            return hit[1] if hit is not None and hit[0] == version else None

    def summary(self) -> summary_mod.Summary:
        """The counts stored for the archive's version (memorybook.stats.summary)."""

        def load() -> summary_mod.Summary:
            try:
                with self.engine.connect() as conn:
                    return summary_mod.load(conn)
            except Exception:  # an archive without the tables: everything counted here
                return summary_mod.Summary(self.version())

        return self.memoised("summary", load)

    def searcher(self) -> Searcher:
        """The library's name search (`memorybook.search.api`) over the loaded index."""
        return self.loaded().searcher

    # ---- responses ----------------------------------------------------------------------------

    def words(self, request: Request) -> Words:
        """The words of a page in the request's language."""
        return Words(i18n.request_lang(request, self.settings.default_lang))

    def render(
        self, request: Request, template: str, ctx: Any, *, status: int = 200, **extra: Any
    ) -> HTMLResponse:
        lang = i18n.request_lang(request, self.settings.default_lang)
        words = Words(lang)
        tr = words.translations
        page = self.env.get_template(template).render(
            ctx=ctx,
            request=request,
            lang=lang,
            w=words,
            _=tr.gettext,
            ngettext=words.plural,
            switch={code: here(request, lang=code) for code in i18n.LANGS},
            here=lambda **kw: here(request, **kw),
            path=route_path(request) or "",
            json_url=json_twin(request),
            **extra,
        )
        response = HTMLResponse(page, status_code=status)
        asked = request.query_params.get("lang")
        if asked in i18n.LANGS and request.cookies.get(i18n.COOKIE) != asked:
            response.set_cookie(i18n.COOKIE, asked, max_age=31_536_000, samesite="lax")
        response.headers["content-language"] = lang
        response.headers["vary"] = "Accept-Language, Cookie"
        return response


def route_path(request: Request) -> str | None:
    """This page's path rebuilt from the route that answered it and its parameters, or None
    when no route matched (a 404). Links are built from this, never from the raw request
    path: `//evil.example/x` must not become a link to another site."""
    route = request.scope.get("route")
    if not isinstance(route, BaseRoute) or not request.scope.get("endpoint"):
        return None
    name = getattr(route, "name", None)
    if not name:
        return None
    params = {k: quote(str(v), safe="") for k, v in request.path_params.items()}
    try:
        return str(route.url_path_for(name, **params))
    except (NoMatchFound, AssertionError, ValueError):
        return None


def here(request: Request, **params: Any) -> str:
    """This page's address (path from its route, query, no host) with `params` set; the home
    page for a request no route answered."""
    path = route_path(request)
    if path is None:
        query = urlencode({k: v for k, v in params.items() if k == "lang" and v is not None})
    else:
        query = str(request.url.include_query_params(**params).query)
    return (path or "/") + (f"?{query}" if query else "")


def json_twin(request: Request) -> str | None:
    """The JSON twin of this page (same route plus `.json`), or None when there is none."""
    path = route_path(request)
    if path is None:
        return None
    twin = "/index.json" if path == "/" else path.rstrip("/") + ".json"
    route = request.scope["route"]
    known: dict[str, bool] = _TWINS.setdefault(id(request.app), {})
    template = getattr(route, "path", path)
    if template not in known:  # whether the route has a twin, decided once per route
        known[template] = _has_route(request, twin)
    if not known[template]:
        return None
    query = request.url.query
    return twin + (f"?{query}" if query else "")


_TWINS: dict[int, dict[str, bool]] = {}


def _has_route(request: Request, path: str) -> bool:
    scope = {"type": "http", "path": path, "method": "GET", "root_path": ""}
    for route in request.app.router.routes:
        match, _ = route.matches(scope)
        if match == Match.FULL and getattr(route, "path", "") != "/static":
            return True
    return False


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def json_bytes(ctx: Any) -> bytes:
    """A page context as JSON, exactly as its OpenAPI schema describes it."""
    if is_dataclass(ctx) and not isinstance(ctx, type):
        kind = type(ctx)
        adapter = _ADAPTERS.get(kind)
        if adapter is None:
            adapter = _ADAPTERS[kind] = TypeAdapter(kind)
        return adapter.dump_json(ctx)
    return json.dumps(ctx, ensure_ascii=False).encode()


def json_response(ctx: Any, status: int = 200) -> Response:
    return Response(json_bytes(ctx), status_code=status, media_type="application/json")


def as_dict(ctx: Any) -> dict[str, Any]:
    return asdict(ctx)


@pass_context
def _num(context: Context, value: Any) -> str:
    """A number in the page's locale: 58,234 (en), 58 234 (ru)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value, str(context.get("lang") or "en"))
    return str(value)

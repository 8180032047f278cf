"""Opening an archive: the engine, SQLite's pragmas, and write transactions.

An archive is a SQLite file (the default) or a PostgreSQL database given as a URL
(`postgresql+psycopg://user@host/dbname`, `postgresql+psycopg:///dbname` over the local
socket; psycopg 3). Both backends have one writer at a time: SQLite runs in WAL mode with
foreign keys on and writes take `BEGIN IMMEDIATE` (the writer holds the lock from its first
statement, no deadlock upgrading from a read lock); on PostgreSQL a write transaction takes a
transaction-level advisory lock first, so two imports never compute the same record ids,
while readers (the site) go on reading their snapshot."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

from memorybook.errors import StorageError

DEFAULT_ARCHIVE = "memorybook.sqlite"
SQLITE_MAGIC = b"SQLite format 3\x00"


def archive_path(explicit: str | os.PathLike[str] | None = None) -> str:
    if explicit:
        return os.fspath(explicit)
    return os.environ.get("MEMORYBOOK_ARCHIVE") or DEFAULT_ARCHIVE


WRITE_CACHE_MB = 64  # SQLite page cache of a connection that may write (imports raise it)
READ_CACHE_MB = 8  # of a read-only connection (the site's, searches)


def read_cache_mb() -> int:
    return int(os.environ.get("MEMORYBOOK_READ_CACHE_MB") or READ_CACHE_MB)


# Any constant: the one advisory lock all memorybook writers of a database take.
WRITER_LOCK = 0x6D656D6F  # "memo"


def archive_url(path_or_url: str) -> str:
    if "://" in path_or_url:
        if path_or_url.startswith(("postgresql://", "postgres://")):
            # SQLAlchemy's bare postgresql:// means psycopg2; memorybook speaks psycopg 3.
            return "postgresql+psycopg://" + path_or_url.split("://", 1)[1]
        return path_or_url
    return f"sqlite:///{Path(path_or_url).expanduser()}"


def check_archive_file(path: str | os.PathLike[str]) -> None:
    """A path given as an archive must be an SQLite file (or not exist yet): a directory or
    another kind of file is refused with a one-line error before SQLite touches it."""
    p = Path(path).expanduser()
    if not p.exists():
        return
    if p.is_dir():
        raise StorageError(f"{p}: is a directory, not an archive")
    try:
        with p.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StorageError(f"{p}: cannot read the archive ({exc.strerror})") from None
    if head and head != SQLITE_MAGIC:
        raise StorageError(f"{p}: not a memorybook archive (not an SQLite database)")


def open_archive(path_or_url: str | None = None, *, read_only: bool = False) -> Engine:
    given = archive_path(path_or_url)
    url = archive_url(given)
    if url.startswith("postgresql"):
        return _open_postgresql(url, read_only)
    if not url.startswith("sqlite"):
        raise StorageError(f"{url.split('://')[0]}: not an archive backend (SQLite or PostgreSQL)")
    if "://" not in given and given != ":memory:":
        check_archive_file(given)
    connect_args: dict[str, Any] = {"check_same_thread": False, "timeout": 30}
    # SQLite's page cache is per connection: a web worker holds one connection per thread
    # that reads, and at 64 MiB each a worker grew past 600 MB at 300,000 records (the
    # operating system caches the file once for all of them anyway).
    cache_kib = 1024 * (read_cache_mb() if read_only else WRITE_CACHE_MB)
    # A site's worker reads from up to ~40 threads at once (Starlette's thread pool for its
    # plain endpoints, its compute threads): with SQLAlchemy's default of 5 + 10 pooled
    # connections the rest waited 30 s and answered 500 (statistics under 32 connections at
    # 3 M). SQLite connections are cheap (a small page cache each, see above).
    in_memory = url == "sqlite://" or ":memory:" in url
    pool = {"pool_size": 5, "max_overflow": 64} if read_only and not in_memory else {}
    engine = create_engine(url, connect_args=connect_args, **pool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from the driver: we issue BEGIN ourselves.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if url != "sqlite://" and ":memory:" not in url:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute(f"PRAGMA cache_size=-{cache_kib}")
        if read_only:
            cur.execute("PRAGMA query_only=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # The pysqlite recipe: SQLAlchemy's transaction, our BEGIN (IMMEDIATE for writers).
        mode = conn.get_execution_options().get("sqlite_begin", "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())

    return engine


def _open_postgresql(url: str, read_only: bool) -> Engine:
    options = "-c timezone=UTC"
    if read_only:
        options += " -c default_transaction_read_only=on"
    return create_engine(
        url,
        connect_args={"options": options, "application_name": "memorybook"},
        pool_pre_ping=True,
    )


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One atomic write, rolled back on any error (or a kill): `BEGIN IMMEDIATE … COMMIT` on
    SQLite; on PostgreSQL a transaction that first waits for the writers' advisory lock.
    Every write transaction raises the archive's version (`summary_store.bump_version`)."""
    from memorybook.storage.summary_store import bump_version

    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")
            # A new version of the archive: readers that counted the old one count again.
            bump_version(conn)
            yield conn

"""Shared fixtures: fresh archives on every backend, and where the real data lives.

Every test that takes `engine`, `archives` or `backend` (directly or through another
fixture) runs once on SQLite and once on PostgreSQL. PostgreSQL needs a server: set
`MEMORYBOOK_TEST_POSTGRES` to the URL of a throw-away database on it (`.ci/run` does, through
`scripts/pg-test-cluster`); each archive is then a database of its own, created beside that
one and dropped after the test. Without the variable the PostgreSQL runs skip, saying so;
with it set but the server unreachable, or on CI without it, the run stops at once."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url

from memorybook.storage.engine import open_archive
from memorybook.storage.migrate import upgrade

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MEMORYBOOK_SHARED", REPO.parent / "shared"))
DATA = SHARED / "data"
MOSCOW_PAGES = DATA / "memorial-moscow" / "pages"
LISTS_TEXTS = DATA / "memorial-lists-texts" / "texts.txt"
STALIN_LISTS = DATA / "stalin-lists"

needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is not beside the repo")

TEST_POSTGRES = os.environ.get("MEMORYBOOK_TEST_POSTGRES", "")
BACKENDS = ("sqlite", "postgresql")
NO_POSTGRES = (
    "no PostgreSQL server for the tests: set MEMORYBOOK_TEST_POSTGRES to a throw-away"
    " database's URL (scripts/pg-test-cluster prints one)"
)


def pytest_configure(config: pytest.Config) -> None:
    if TEST_POSTGRES:
        try:
            _admin().close()
        except Exception as exc:
            raise pytest.UsageError(
                f"MEMORYBOOK_TEST_POSTGRES={TEST_POSTGRES} does not answer: {exc}"
            ) from None
    elif os.environ.get("CI") and not os.environ.get("MEMORYBOOK_TEST_SQLITE_ONLY"):
        raise pytest.UsageError(f"CI must run the PostgreSQL tests too: {NO_POSTGRES}")


def _admin():  # type: ignore[no-untyped-def]
    import psycopg

    url = make_url(TEST_POSTGRES)
    return psycopg.connect(
        dbname=url.database or "postgres",
        host=url.host or None,
        port=url.port or None,
        user=url.username or None,
        password=url.password or None,
        autocommit=True,
        connect_timeout=10,
    )


class Archives:
    """Makes empty archives on one backend (SQLite files in `folder`, or PostgreSQL databases
    next to MEMORYBOOK_TEST_POSTGRES) and removes them at the end."""

    def __init__(self, backend: str, folder: Path) -> None:
        self.backend = backend
        self.folder = folder
        self.databases: list[str] = []

    def url(self, name: str = "archive") -> str:
        """The path or URL of a new, empty archive (no schema yet)."""
        if self.backend == "sqlite":
            return str(self.folder / f"{name}.sqlite")
        db = f"mbtest_{name}_{uuid.uuid4().hex[:12]}".lower()
        with _admin() as admin:
            admin.execute(f"CREATE DATABASE \"{db}\" ENCODING 'UTF8' TEMPLATE template0")
        self.databases.append(db)
        return make_url(TEST_POSTGRES).set(database=db).render_as_string(hide_password=False)

    def copy(self, source: str, name: str) -> str:
        """A new archive holding what the archive at `source` (made here, closed) holds."""
        if self.backend == "sqlite":
            target = self.folder / f"{name}.sqlite"
            shutil.copyfile(source, target)
            return str(target)
        db = f"mbtest_{name}_{uuid.uuid4().hex[:12]}".lower()
        template = make_url(source).database
        with _admin() as admin:
            admin.execute(f'CREATE DATABASE "{db}" TEMPLATE "{template}"')
        self.databases.append(db)
        return make_url(TEST_POSTGRES).set(database=db).render_as_string(hide_password=False)

    def engine(self, name: str = "archive") -> Engine:
        """A new archive with the current schema (no reference data loaded)."""
        eng = open_archive(self.url(name))
        upgrade(eng)
        return eng

    def close(self) -> None:
        if not self.databases:
            return
        with _admin() as admin:
            for db in self.databases:
                admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        self.databases.clear()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not TEST_POSTGRES:
        pytest.skip(NO_POSTGRES)
    return str(request.param)


@pytest.fixture
def archives(backend: str, tmp_path: Path) -> Iterator[Archives]:
    made = Archives(backend, tmp_path)
    yield made
    made.close()


@pytest.fixture(scope="session")
def session_archives(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archives]:
    """For archives built once per session (or module) and shared by many tests."""
    made = Archives(backend, tmp_path_factory.mktemp(f"archives-{backend}"))
    yield made
    made.close()


@pytest.fixture
def engine(archives: Archives) -> Iterator[Engine]:
    """An empty archive with the current schema (no reference data loaded)."""
    eng = archives.engine()
    yield eng
    eng.dispose()


def location(engine: Engine) -> str:
    """What `--archive` takes for this engine's archive: the file, or the database URL."""
    if engine.dialect.name == "sqlite":
        return str(engine.url.database)
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture(autouse=True)
def _keep_memorybook_environment() -> Iterator[None]:
    """`memorybook serve` hands its settings to its workers through MEMORYBOOK_* variables of
    its own process; a test that runs it in-process must not leave them to later tests (an
    archive URL of a database dropped since, for one)."""
    before = {k: v for k, v in os.environ.items() if k.startswith("MEMORYBOOK_")}
    yield
    for key in [k for k in os.environ if k.startswith("MEMORYBOOK_")]:
        if key not in before:
            del os.environ[key]
    os.environ.update(before)

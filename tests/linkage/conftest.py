"""A linked small archive, built once per test that asks for it, on each backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.conftest import Archives, location

from . import small


@pytest.fixture
def small_archive(archives: Archives, tmp_path: Path) -> Iterator[tuple[Engine, str]]:
    """The small lists imported into a fresh archive, and what `--archive` takes for it."""
    engine = archives.engine("small")
    small.build(engine, tmp_path)
    yield engine, location(engine)
    engine.dispose()

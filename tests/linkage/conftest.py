"""A linked small archive, built once per test that asks for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from memorybook.storage.engine import open_archive
from memorybook.storage.migrate import upgrade

from . import small


@pytest.fixture
def small_archive(tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    path = tmp_path / "small.sqlite"
    engine = open_archive(str(path))
    upgrade(engine)
    small.build(engine, tmp_path)
    yield engine, path
    engine.dispose()

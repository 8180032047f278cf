"""Shared fixtures: a fresh archive per test, and where the real data lives."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from memorybook.storage.engine import open_archive
from memorybook.storage.migrate import upgrade

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MEMORYBOOK_SHARED", REPO.parent / "shared"))
DATA = SHARED / "data"
MOSCOW_PAGES = DATA / "memorial-moscow" / "pages"
LISTS_TEXTS = DATA / "memorial-lists-texts" / "texts.txt"
STALIN_LISTS = DATA / "stalin-lists"

needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is not beside the repo")


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """An empty archive with the current schema (no reference data loaded)."""
    eng = open_archive(str(tmp_path / "archive.sqlite"))
    upgrade(eng)
    yield eng
    eng.dispose()

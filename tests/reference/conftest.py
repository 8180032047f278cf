"""Fixtures for the reference tests: the real seeds, skipped when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from memorybook.reference import seeds_dir


@pytest.fixture(scope="session")
def seeds() -> Path:
    path = seeds_dir()
    if not path.is_dir():
        pytest.skip(f"seed documents not found at {path}")
    return path

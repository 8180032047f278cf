"""The real Moscow list, imported once per test session (on each backend) for the search
tests that need it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from memorybook.search.api import Searcher
from tests.conftest import MOSCOW_PAGES, Archives


@pytest.fixture(scope="session")
def moscow(session_archives: Archives) -> Iterator[Searcher]:
    """A searcher over the Memorial Moscow list as the importer stores it."""
    from memorybook.ingest.importer import import_sources

    engine = session_archives.engine("moscow")
    import_sources(engine, "memorial-moscow", [MOSCOW_PAGES])
    searcher = Searcher.open(engine)
    yield searcher
    searcher.close()
    engine.dispose()

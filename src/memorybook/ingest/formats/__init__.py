"""Source formats, one module each, registered by name (`memorybook import --format NAME`)."""

from __future__ import annotations

from memorybook.ingest.formats.base import FORMATS, RawEntry, SourceFormat, get_format

# Importing the modules registers them.
from memorybook.ingest.formats import memorial_lists, memorial_moscow, tabular  # noqa: E402,F401,I001

__all__ = ["FORMATS", "RawEntry", "SourceFormat", "get_format"]

"""Source formats, one module each, registered by name (`memorybook import --format NAME`)."""

from __future__ import annotations

# Importing the modules registers them.
from memorybook.ingest.formats import (  # noqa: F401
    memorial_lists,
    memorial_moscow,
    stalin_lists,
    tabular,
)
from memorybook.ingest.formats.base import FORMATS, RawEntry, SourceFormat, get_format

__all__ = ["FORMATS", "RawEntry", "SourceFormat", "get_format"]

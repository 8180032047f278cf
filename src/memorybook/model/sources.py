"""Where every fact comes from: sources and the citations that hang off facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class SourceKind(StrEnum):
    PUBLICATION = "publication"
    LIST = "list"
    ARCHIVE_FILE = "archive_file"
    WEB_PAGE = "web_page"
    DATASET = "dataset"


class Confidence(StrEnum):
    """How far a citation supports its fact (Gramps' five levels, named)."""

    VERY_LOW = "very_low"
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    VERY_HIGH = "very_high"


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    title: str
    kind: SourceKind = SourceKind.PUBLICATION
    author: str | None = None
    year: int | None = None
    url: str | None = None
    licence: str | None = None
    # For imported files: the bytes exactly as read.
    file_name: str | None = None
    sha256: str | None = None
    size: int | None = None
    format: str | None = None
    version: int = 1
    synthetic: bool = False


@dataclass(frozen=True, slots=True)
class Citation:
    """A source plus where in it (`locator`: page, section, paragraph, table, entry index)."""

    source_key: str
    locator: dict[str, Any] = field(default_factory=dict)
    confidence: Confidence = Confidence.NORMAL
    note: str | None = None

    def describe(self) -> str:
        parts = [f"{k} {v}" for k, v in self.locator.items()]
        return f"{self.source_key}" + (f", {', '.join(parts)}" if parts else "")

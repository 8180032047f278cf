"""One printed entry of a list, with its verbatim text beside every parsed value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from memorybook.model.events import Event


@dataclass(frozen=True, slots=True)
class FieldValue:
    """A parsed value and the printed text it came from: `span` indexes the record's verbatim
    text, so `verbatim[span[0]:span[1]] == printed`."""

    value: Any
    printed: str
    span: tuple[int, int] | None = None


@dataclass(slots=True)
class Record:
    source_key: str
    locator: dict[str, Any]
    verbatim: str
    fields: dict[str, FieldValue] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)  # e.g. page/street/house/flat

    def value(self, name: str) -> Any:
        fv = self.fields.get(name)
        return fv.value if fv is not None else None

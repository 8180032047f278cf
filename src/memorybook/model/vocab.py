"""Open enumerations: a known value, or `custom` with the printed label kept.

As Gramps' GrampsType: unknown values are never dropped."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

E = TypeVar("E", bound=Enum)


@dataclass(frozen=True, slots=True)
class OpenValue(Generic[E]):
    """A value of an open vocabulary: `kind` is known, or None with `label` as printed."""

    kind: E | None
    label: str = ""

    @property
    def name(self) -> str:
        return self.kind.value if self.kind is not None else f"custom:{self.label}"

"""A human being. One per record until linkage joins records of the same person."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Person:
    key: str
    surname: str | None = None
    given_name: str | None = None
    patronymic: str | None = None
    sex: str | None = None  # "m" / "f"
    record_keys: list[str] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)

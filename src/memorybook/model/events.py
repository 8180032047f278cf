"""Events that persons take part in with a role (Gramps' shared events)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from memorybook.model.dates import DateValue
from memorybook.model.sources import Citation


class EventKind(StrEnum):
    BIRTH = "birth"
    ARREST = "arrest"
    SENTENCE = "sentence"
    EXECUTION = "execution"
    DEATH = "death"
    BURIAL = "burial"
    REHABILITATION = "rehabilitation"
    # Approval of a list of persons to be sentenced (the Politburo lists): not a sentence
    # itself, but the date before which no sentence on the list was passed or carried out.
    SANCTION = "sanction"
    CUSTOM = "custom"


class EventRole(StrEnum):
    PRIMARY = "primary"
    WITNESS = "witness"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Event:
    kind: EventKind
    date: DateValue | None = None
    custom_label: str | None = None  # the printed label when kind is CUSTOM
    place: str | None = None  # place as printed
    place_key: str | None = None
    body: str | None = None  # body as printed
    body_key: str | None = None
    description: str | None = None
    citation: Citation | None = None

    def __post_init__(self) -> None:
        if self.kind is EventKind.CUSTOM and not self.custom_label:
            raise ValueError("a custom event keeps its printed label")


@dataclass(frozen=True, slots=True)
class PersonEvent:
    person_key: str
    event: Event
    role: EventRole = EventRole.PRIMARY

"""The archive model: pure dataclasses, no I/O and no SQL.

Anchors: Gramps (`gramps/gen/lib`) for shared events with roles, citations that hang off any
fact and dates that keep their printed wording; Splink for records kept apart from persons
until linkage decides.
"""

from memorybook.model.dates import DateValue
from memorybook.model.events import Event, EventKind, EventRole, PersonEvent
from memorybook.model.history import Figure, Operation, Order, Quota
from memorybook.model.persons import Person
from memorybook.model.places import Body, BodyKind, Place, PlaceKind
from memorybook.model.records import FieldValue, Record
from memorybook.model.sources import Citation, Confidence, Source, SourceKind

__all__ = [
    "Body",
    "BodyKind",
    "Citation",
    "Confidence",
    "DateValue",
    "Event",
    "EventKind",
    "EventRole",
    "FieldValue",
    "Figure",
    "Operation",
    "Order",
    "Person",
    "PersonEvent",
    "Place",
    "PlaceKind",
    "Quota",
    "Record",
    "Source",
    "SourceKind",
]

"""The shapes of the authored reference data, beside the shared model dataclasses.

`ReferenceData` holds everything `load_reference()` reads; the small dataclasses here cover
what `memorybook.model` has no type for: named historical persons, the trials they stood in,
citations of sentencing bodies, and seed 003's nationality table kept cell by cell as printed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from memorybook.errors import BadQuery
from memorybook.model.history import Figure, Operation, Order, Quota
from memorybook.model.places import Body
from memorybook.model.sources import Citation, Source


@dataclass(frozen=True, slots=True)
class PersonDate:
    """One dated event in a person's life as a seed gives it (EDTF)."""

    event: str  # born, died, arrested, sentenced, rehabilitated, head_of_nkvd, ...
    date: str
    citation: Citation
    note: str | None = None


@dataclass(frozen=True, slots=True)
class HistoricalPerson:
    """A person the seeds name: victims, officials, the NKVD chiefs."""

    key: str
    name: str
    group: str  # nkvd_chief, official, moscow_trials, military_case, writers_artists, witnesses
    role: str
    citations: tuple[Citation, ...]
    name_ru: str | None = None
    dates: tuple[PersonDate, ...] = ()
    trials: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Trial:
    key: str
    name: str
    citations: tuple[Citation, ...]
    start: str | None = None  # EDTF
    end: str | None = None
    body: str | None = None  # key into ReferenceData.bodies
    defendants: int | None = None
    sentenced_death: int | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class BodyInfo:
    """What `Body` cannot carry: where the seeds describe the body, and printed labels."""

    citations: tuple[Citation, ...] = ()
    aliases: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class NationalityRow:
    """One row of a nationality table; the `*_printed` cells are the strings as printed."""

    nationality: str
    arrested: int
    share_printed: str
    population_share_printed: str
    overrepresentation_printed: str
    citation: Citation

    @property
    def share(self) -> Decimal:
        return Decimal(self.share_printed)

    @property
    def population_share(self) -> Decimal:
        return Decimal(self.population_share_printed)

    @property
    def overrepresentation(self) -> Decimal:
        return Decimal(self.overrepresentation_printed)


@dataclass(frozen=True, slots=True)
class NationalityTable:
    key: str
    title: str
    period: str  # EDTF interval
    citation: Citation
    rows: tuple[NationalityRow, ...]
    total: NationalityRow


@dataclass(frozen=True, slots=True)
class OperationGroup:
    """An operation whose parts are other operations. Exhaustive: the parts should add up."""

    key: str
    parts: tuple[str, ...]
    exhaustive: bool


@dataclass(frozen=True)
class ReferenceData:
    sources: Mapping[str, Source]
    orders: Mapping[str, Order]
    operations: Mapping[str, Operation]
    groups: Mapping[str, OperationGroup]
    figures: Mapping[str, Figure]
    quotas: Mapping[str, Quota]
    bodies: Mapping[str, Body]
    body_info: Mapping[str, BodyInfo]
    persons: Mapping[str, HistoricalPerson]
    trials: Mapping[str, Trial]
    tables: Mapping[str, NationalityTable]
    # figure key -> the numeral as the seed prints it (figures made from tables included)
    printed: Mapping[str, str] = field(default_factory=dict)
    # figure key -> key of the figure it is explicitly a part of
    part_of: Mapping[str, str] = field(default_factory=dict)

    def operation(self, query: str) -> Operation:
        """The operation named by key, alias, order number or name, case-insensitively."""
        q = query.strip().casefold()
        for op in self.operations.values():
            names = {op.key, op.name, *op.aliases, *op.orders}
            if q in {n.casefold() for n in names}:
                return op
        known = ", ".join(sorted(self.operations))
        raise BadQuery(f"no operation {query!r}; known: {known}")

    def source_of(self, citation: Citation) -> Source:
        return self.sources[citation.source_key]

    def citations(self) -> Iterator[tuple[str, Citation]]:
        """Every citation in the data, with the key of the item that carries it."""
        for order in self.orders.values():
            for c in order.citations:
                yield f"order:{order.key}", c
        for op in self.operations.values():
            for c in op.citations:
                yield f"operation:{op.key}", c
        for fig in self.figures.values():
            yield f"figure:{fig.key}", fig.citation
        for quota in self.quotas.values():
            for c in quota.citations:
                yield f"quota:{quota.key}", c
        for key, info in self.body_info.items():
            for c in info.citations:
                yield f"body:{key}", c
        for person in self.persons.values():
            for c in person.citations:
                yield f"person:{person.key}", c
            for d in person.dates:
                yield f"person:{person.key}:{d.event}", d.citation
        for trial in self.trials.values():
            for c in trial.citations:
                yield f"trial:{trial.key}", c
        for table in self.tables.values():
            yield f"table:{table.key}", table.citation
            for row in (*table.rows, table.total):
                yield f"table:{table.key}:{row.nationality}", row.citation

    def cited_files(self) -> set[str]:
        return {
            name
            for _, c in self.citations()
            if (name := self.sources[c.source_key].file_name) is not None
        }

"""Small hand-made reference data for the reference tests."""

from __future__ import annotations

from collections.abc import Iterable

from memorybook.model.history import Figure, Operation
from memorybook.model.sources import Citation, Source
from memorybook.reference import OperationGroup, ReferenceData


def fig(key: str, measure: str, value: float, source: str = "s1", **kw: object) -> Figure:
    return Figure(
        key=key,
        measure=measure,
        value=value,
        citation=Citation(source_key=source, locator={"para": 1}),
        **kw,  # type: ignore[arg-type]
    )


def make_ref(
    figures: Iterable[Figure],
    operations: Iterable[str] = (),
    groups: Iterable[OperationGroup] = (),
) -> ReferenceData:
    figs = list(figures)
    sources = {
        f.citation.source_key: Source(key=f.citation.source_key, title="t", file_name="x.txt")
        for f in figs
    }
    ops = {k: Operation(key=k, name=k) for k in operations}
    return ReferenceData(
        sources=sources,
        orders={},
        operations=ops,
        groups={g.key: g for g in groups},
        figures={f.key: f for f in figs},
        quotas={},
        bodies={},
        body_info={},
        persons={},
        trials={},
        tables={},
    )

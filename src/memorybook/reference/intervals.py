"""A figure as the interval of values its source allows: the one arithmetic the ledger and the
checks share, so that "over 1.5 million" and "20,000-50,000" compare honestly."""

from __future__ import annotations

import math

from memorybook.model.history import Figure


def qualifier(fig: Figure) -> str | None:
    for tag in fig.tags:
        if tag.startswith("qualifier:"):
            return tag.removeprefix("qualifier:")
    return None


def bounds(fig: Figure) -> tuple[float, float]:
    """(low, high) the printed figure allows. "About" keeps the printed number: a hedge
    is not a range, and widening it would hide the disagreements the ledger exists to show."""
    if fig.value is None:
        assert fig.low is not None and fig.high is not None
        return (fig.low, fig.high)
    q = qualifier(fig)
    if q in ("over", "at least"):
        return (fig.value, math.inf)
    if q in ("almost", "at most"):
        return (0.0, fig.value)
    return (fig.value, fig.value)


def display(fig: Figure) -> str:
    q = qualifier(fig)
    return f"{q} {fig.display()}" if q else fig.display()

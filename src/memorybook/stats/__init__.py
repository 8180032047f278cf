"""Counts computed from the archive's records (records, not yet persons), each with a line
saying what is counted, the period its bars cover, and what was set apart from them
(outside the period, too coarsely dated, doubtful readings) with the entries behind it."""

from memorybook.stats.charts import (
    CHARTS,
    SELECTION_TITLES,
    Chart,
    SetApart,
    ages_at_death,
    birth_decades,
    compute,
    entries,
    executions_per_day,
    executions_per_month,
    rehabilitation_years,
    sentencing_bodies,
)

__all__ = [
    "CHARTS",
    "SELECTION_TITLES",
    "Chart",
    "SetApart",
    "ages_at_death",
    "birth_decades",
    "compute",
    "entries",
    "executions_per_day",
    "executions_per_month",
    "rehabilitation_years",
    "sentencing_bodies",
]

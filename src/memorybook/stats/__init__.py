"""Counts computed from the archive's records (records, not yet persons), each with a line
saying what is counted, and the published figures the seeds give beside them."""

from memorybook.stats.counts import (
    CHARTS,
    Chart,
    ages_at_death,
    birth_decades,
    compute,
    executions_per_day,
    executions_per_month,
    rehabilitation_years,
    sentencing_bodies,
)

__all__ = [
    "CHARTS",
    "Chart",
    "ages_at_death",
    "birth_decades",
    "compute",
    "executions_per_day",
    "executions_per_month",
    "rehabilitation_years",
    "sentencing_bodies",
]

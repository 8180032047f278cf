"""The bounds of a believable reading: a printed value outside them is shown as a doubtful
reading (with the entries that carry it), never counted silently in a chart.

The bounds are facts of the period, not statistics of the data, so they do not move with
what was imported."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Plausible:
    # Soviet power began in November 1917 and the USSR ended in December 1991: no Soviet
    # sentence, execution or rehabilitation can be dated outside these years.
    soviet_from: int = 1917
    soviet_to: int = 1991
    # A person born before 1830 would have been older than 87 at the first Soviet sentence.
    born_from: int = 1830
    # The decree of 7 April 1935 made children liable from 12; nobody lives past 100 in these
    # lists, and an age of 101 at execution is far likelier a misprinted year.
    age_from: int = 12
    age_to: int = 100
    # Rehabilitation annuls a Soviet sentence, so it cannot precede 1918.
    rehabilitated_from: int = 1918


# The period the executions chart is about by default: the two years of the mass operations.
PERIOD_START = dt.date(1937, 1, 1)
PERIOD_END = dt.date(1938, 12, 31)
BOUNDS = Plausible()

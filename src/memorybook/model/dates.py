"""A date as printed, as EDTF, and as earliest/latest bounds that compare as intervals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DateValue:
    """`edtf` is the Library of Congress EDTF string (`1938-05-17`, `1998-07`, `1942?`,
    `[1883,1889]`, `194X`, `../1939-12-31`, `1900~`); `earliest`/`latest` bound every date it
    may stand for (None: open, as in "до 1940"); `printed` is the wording in the source,
    qualifier words included; `qualifier` names the kind of qualification read from them
    ("before", "about", "interval" … see memorybook.dates.qualifiers); `warnings` say where the
    reading is a convention or a guess; `julian` marks an Old Style date where the source says
    so."""

    edtf: str
    earliest: dt.date | None
    latest: dt.date | None
    printed: str = ""
    uncertain: bool = False
    julian: bool = False
    approximate: bool = False
    qualifier: str | None = None
    warnings: tuple[str, ...] = ()

    def overlaps(self, other: DateValue) -> bool:
        """Intervals overlap: the two dates may be the same day."""
        if None in (self.earliest, self.latest, other.earliest, other.latest):
            return False
        assert self.earliest and self.latest and other.earliest and other.latest
        return self.earliest <= other.latest and other.earliest <= self.latest

    @property
    def year(self) -> int | None:
        if self.earliest and self.latest and self.earliest.year == self.latest.year:
            return self.earliest.year
        return None

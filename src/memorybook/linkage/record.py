"""What linkage knows of one record: the plain facts the comparisons read.

`LinkRecord` is built from an archive row (`linkage.source_rows`) or by hand in tests and
benchmarks, so the matcher never depends on how a source format stores its fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LinkRecord:
    id: int  # the archive's record id (unique within one run)
    key: str  # the record's content id (record.key): decisions and person ids use it
    family: str  # the source family the record came from
    surname: str | None = None
    given_name: str | None = None
    patronymic: str | None = None
    birth_from: int | None = None  # two printed years give a range
    birth_to: int | None = None
    arrest: dt.date | None = None
    sentence: dt.date | None = None
    list_date: dt.date | None = None  # the Politburo list that sanctioned the sentence
    list_id: str | None = None  # that list (file) and its section, for "same list" rules
    section: str | None = None
    execution: dt.date | None = None
    region: str | None = None  # as printed (list region, place of execution)
    outcome: str | None = None  # "shot" / "camp": the category asked for or carried out
    identity: str | None = None  # the source's own person id (source-asserted identity)
    identity_citation: str | None = None
    label: str = ""  # how a reviewer sees it: the name and source as printed

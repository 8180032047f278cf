"""The documents the reference data cites, as a historian cites them.

A `Work` is one cited document with its author, title and year as the document itself
states them (`sources.yaml`), a short form for running citations ("Werth 2010", or author
and title where the document gives no year of its own) and a stable address on the site.
A `Cite` is one citation of it: the work and the paragraph (`¶ 16`), never a file name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from memorybook.model.sources import Citation, Source
from memorybook.reference.types import ReferenceData

PARAGRAPH = "¶\u00a0"  # "¶ 16", one style on every page


@dataclass(frozen=True, slots=True)
class Work:
    key: str
    slug: str  # the document's address on the site: /sources/<slug>
    title: str
    author: str | None
    year: int | None
    kind: str

    @property
    def surname(self) -> str | None:
        """ "Nicolas Werth (adapted)" -> "Werth"."""
        if not self.author:
            return None
        name = re.sub(r"\s*\(.*?\)\s*", " ", self.author).strip()
        return name.split()[-1] if name else None

    @property
    def adapted(self) -> bool:
        return bool(self.author and "(adapted)" in self.author)

    @property
    def short(self) -> str:
        """The running form: "Werth 2010"; "Werth, The Great Terror, 1937-1938" without a
        year; the title alone without an author."""
        if self.surname and self.year:
            return f"{self.surname} {self.year}"
        if self.surname:
            return f"{self.surname}, {self.title}"
        return f"{self.title} ({self.year})" if self.year else self.title


@dataclass(frozen=True, slots=True)
class Cite:
    """One citation: the work and where in it."""

    work: Work
    para: int | None = None
    section: str | None = None
    table: int | None = None
    row: str | None = None

    @property
    def anchor(self) -> str:
        return f"p{self.para}" if self.para else ""

    @property
    def url(self) -> str:
        return f"/sources/{self.work.slug}" + (f"#{self.anchor}" if self.anchor else "")

    @property
    def where(self) -> str:
        """ "¶ 16" (or "table 1, ¶ 18"); empty when the citation is of the whole work."""
        return f"{PARAGRAPH}{self.para}" if self.para else ""

    @property
    def text(self) -> str:
        return f"{self.work.short}, {self.where}" if self.where else self.work.short


def slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.casefold().replace("'", "")).strip("-")


def _work(src: Source) -> Work:
    draft = Work(src.key, "", src.title, src.author, src.year, str(src.kind))
    return Work(src.key, slug(draft.short), src.title, src.author, src.year, str(src.kind))


def _works(ref: ReferenceData) -> dict[str, Work]:
    return _works_of(tuple(ref.sources.values()))


@lru_cache(maxsize=4)
def _works_of(sources: tuple[Source, ...]) -> dict[str, Work]:
    return {src.key: _work(src) for src in sources}


def works(ref: ReferenceData) -> dict[str, Work]:
    """Every cited document by its source key."""
    return dict(_works(ref))


def work_by_slug(ref: ReferenceData, slug_: str) -> Work | None:
    return next((w for w in _works(ref).values() if w.slug == slug_), None)


def cite(ref: ReferenceData, citation: Citation) -> Cite:
    loc = citation.locator
    para, table = loc.get("para"), loc.get("table")
    section, row = loc.get("section"), loc.get("row")
    return Cite(
        work=_works(ref)[citation.source_key],
        para=para if isinstance(para, int) else None,
        section=str(section) if section else None,
        table=table if isinstance(table, int) else None,
        row=str(row) if row else None,
    )

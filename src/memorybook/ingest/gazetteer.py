"""Linking printed burial places to canonical places (data in data/burial_places.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True, slots=True)
class GazetteerPlace:
    key: str
    name: str
    name_en: str
    kind: str
    pattern: re.Pattern[str]
    topography: str | None
    needs_moscow: bool


@cache
def burial_places() -> tuple[GazetteerPlace, ...]:
    text = (
        resources.files("memorybook.ingest").joinpath("data/burial_places.yaml").read_text("utf-8")
    )
    data = yaml.safe_load(text)
    return tuple(
        GazetteerPlace(
            key=p["key"],
            name=p["name"],
            name_en=p.get("name_en", p["name"]),
            kind=p.get("kind", "burial_site"),
            pattern=re.compile(p["pattern"]),
            topography=p.get("topography"),
            needs_moscow=bool(p.get("needs_moscow")),
        )
        for p in data["places"]
    )


def fold(text: str) -> str:
    return text.casefold().replace("ё", "е")


def match_burial_place(printed: str | None, *, moscow: bool) -> str | None:
    """The canonical key of a printed burial place, or None where it names no known site."""
    if not printed:
        return None
    folded = fold(printed)
    in_moscow = moscow or "москв" in folded
    for place in burial_places():
        if place.pattern.search(folded) and (in_moscow or not place.needs_moscow):
            return place.key
    return None

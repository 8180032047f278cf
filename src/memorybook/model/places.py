"""Places (as printed and normalised, with coordinates where known) and the organs that
arrested and sentenced."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PlaceKind(StrEnum):
    SETTLEMENT = "settlement"
    ADDRESS = "address"
    REGION = "region"
    SHOOTING_SITE = "shooting_site"
    BURIAL_SITE = "burial_site"
    PRISON = "prison"
    CAMP = "camp"
    SHARASHKA = "sharashka"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Place:
    key: str
    name: str  # as printed
    normalised: str
    kind: PlaceKind = PlaceKind.OTHER
    lon: float | None = None
    lat: float | None = None
    address: str | None = None
    source_key: str | None = None


class BodyKind(StrEnum):
    TROIKA = "troika"
    DVOIKA = "dvoika"
    SPECIAL_BOARD = "special_board"
    MILITARY_COLLEGIUM = "military_collegium"
    COURT = "court"
    TRIBUNAL = "tribunal"
    PROSECUTOR = "prosecutor"
    POLITBURO = "politburo"
    NKVD = "nkvd"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Body:
    key: str
    name: str
    kind: BodyKind
    name_ru: str | None = None
    description: str | None = None
    active_from: str | None = None  # EDTF
    active_to: str | None = None

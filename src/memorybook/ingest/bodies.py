"""Printed names of sentencing (and rehabilitating) bodies -> reference body keys.

A table of (pattern, key) tried in order: the first match wins, so the more specific organs
(`Особое совещание при Коллегии ОГПУ`) come before the general ones (`Коллегия ОГПУ`). A bare
`тройка` / `Особое совещание` is resolved only by the date of the sentence, where the history
leaves one organ possible; otherwise the answer is None (unsure is not a guess).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

BODY_KEYS: tuple[str, ...] = (
    "troika_unkvd",
    "dvoika",
    "oso_nkvd",
    "oso_ogpu",
    "ogpu_troika",
    "ogpu_collegium",
    "military_collegium",
    "military_tribunal",
    "court",
)

_I = re.IGNORECASE
# Order matters (first match wins).
BODY_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, _I), key)
    for p, key in (
        # Military Collegium of the Supreme Court of the USSR
        (r"\bВ\.?\s?К\.?\s?В\.?\s?С\b|\bВК\s+ВС\b|военн\w*\s+коллеги\w*", "military_collegium"),
        (r"военн\w*\s+трибунал\w*|\bвоентрибунал\w*|\bВТ\b|\bВТ[А-ЯЁ]{0,4}\b", "military_tribunal"),
        # The "dvoika": Commission of the NKVD and the Prosecutor of the USSR
        (r"двойк\w*|комисси\w*\s+(?:при\s+)?НКВД|НКВД\s+(?:СССР\s+)?и\s+прокурор", "dvoika"),
        # OGPU bodies (before the NKVD ones: "ОСО ОГПУ" must not read as OSO NKVD)
        (
            r"(?:особ\w*\s+совещани\w*|\bОСО\b|\bОС\b)\s*(?:при\s+)?(?:коллеги\w*\s+|\bК)?\s*О?ГПУ",
            "oso_ogpu",
        ),
        (r"\bОС\s*КОГПУ\b|\bОСО\s*КОГПУ\b", "oso_ogpu"),
        (r"тройк\w*[^,;]{0,40}?\b(?:О?ГПУ|ПП)\b", "ogpu_troika"),
        (r"коллеги\w*\s+(?:при\s+)?О?ГПУ|\bКОГПУ\b", "ogpu_collegium"),
        # NKVD bodies
        (
            r"(?:особ\w*\s+совещани\w*|\bОСО\b|\bОС\b)\s*(?:при\s+)?(?:\bУ?НКВД|\bМВД|\bМГБ)",
            "oso_nkvd",
        ),
        (
            r"(?:особ\w*\s+|спец)?тройк\w*[^,;]{0,40}?(?:\bУ?НКВД\b|\bУНКВД\w*|\bНКВД\w*)",
            "troika_unkvd",
        ),
        # Courts (after the military collegium, which is also "of the Supreme Court")
        (
            r"суд\b|суда\b|судом\b|\w+суд\w*|судебн\w*|спецколлеги\w*|сесси\w+\s+\w*суд",
            "court",
        ),
    )
)

# Bare names resolved by the date of the sentence: (pattern, [(from, to, key), ...]).
_BARE_TROIKA = re.compile(r"^\W*(?:особ\w*\s+)?тройк\w*\W*$", _I)
_BARE_OSO = re.compile(r"^\W*(?:особ\w*\s+совещани\w*|ОСО|ОС)\W*$", _I)
# NKVD troikas of order 00447 sat from August 1937 to November 1938; the OGPU was merged into
# the NKVD on 10 July 1934.
_TROIKA_1937 = (dt.date(1937, 7, 30), dt.date(1938, 11, 17))
_OGPU_END = dt.date(1934, 7, 10)


def body_key(
    printed: str | None, earliest: dt.date | None = None, latest: dt.date | None = None
) -> str | None:
    """The reference key of a printed body, or None when unsure. `earliest`/`latest` bound
    the date of the sentence and only serve to resolve a bare `тройка` / `ОСО`."""
    if not printed:
        return None
    key, bare = _classify(printed)
    if key is not None:
        return key
    if earliest is None or latest is None:
        return None
    if bare == "troika":
        if _TROIKA_1937[0] <= earliest and latest <= _TROIKA_1937[1]:
            return "troika_unkvd"
        if latest < _OGPU_END:
            return "ogpu_troika"
        return None
    if bare == "oso":
        if earliest > _OGPU_END:
            return "oso_nkvd"
        if latest < _OGPU_END:
            return "oso_ogpu"
    return None


@lru_cache(maxsize=1 << 16)
def _classify(printed: str) -> tuple[str | None, str | None]:
    """(key by pattern, or None; "troika"/"oso" for a bare name, or None), memoised: a list
    prints the same few hundred organ names over and over."""
    for pattern, key in BODY_PATTERNS:
        if pattern.search(printed):
            return key, None
    if _BARE_TROIKA.match(printed):
        return None, "troika"
    if _BARE_OSO.match(printed):
        return None, "oso"
    return None, None


def clear_caches() -> None:
    _classify.cache_clear()

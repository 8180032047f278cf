"""Printed names of sentencing (and rehabilitating) bodies -> reference body keys.

A table of (pattern, key) tried in order: the first match wins, so the more specific organs
(`Особое совещание при Коллегии ОГПУ`) come before the general ones (`Коллегия ОГПУ`). A bare
`тройка` / `Особое совещание` is resolved only by the date of the sentence, where the history
leaves one organ possible; otherwise the answer is None (unsure is not a guess). The printed
form is always kept beside the key (the entry's `sentencing_body`).

Sentencing bodies only (not rehabilitating ones) may also link to the organs the lists print
for sentences outside the extra-judicial boards and the courts: the Cheka of 1917–1922, the
revolutionary tribunals, local authorities (district executive committees, village soviets,
assemblies that decided dekulakisation and exile) and a state-security organ named without a
board (`УНКВД по Куйбышевской обл`, `органами НКВД`). A printed name none of these fits stays
unlinked; `bench/parser_accuracy.py` reports the share and the most frequent such names.
"""

from __future__ import annotations

import datetime as dt
import re

from memorybook.text.memo import short_text_memo

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
    "cheka",
    "revolutionary_tribunal",
    "local_authority",
    "security_organ",
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
        (r"двойк\w*|комисси\w*\s+(?:при\s+)?НКВД|НКВД\s+(?:СССР\s+)?и\s+прокур", "dvoika"),
        # OGPU bodies (before the NKVD ones: "ОСО ОГПУ" must not read as OSO NKVD)
        (
            r"(?:особ\w*\s+совещани\w*|\bОСО\b|\bОС\b)\s*(?:при\s+)?(?:коллеги\w*\s+|\bК)?\s*О?ГПУ",
            "oso_ogpu",
        ),
        (r"\bОС\s*КОГПУ\b|\bОСО\s*КОГПУ\b", "oso_ogpu"),
        (r"(?:тройк\w*|\bтр\.)[^,;]{0,40}?\b(?:О?ГПУ|ПП)\b", "ogpu_troika"),
        (r"(?:коллеги\w*|\bкол\.)\s*(?:при\s+)?О?ГПУ|\bКОГПУ\b", "ogpu_collegium"),
        # NKVD bodies
        (
            r"(?:особ\w*\s+совещани\w*|\bОСО\b|\bОС\b)\s*(?:при\s+)?"
            r"(?:\bУ?НКВД|\bМВД|\bМГБ|наркоме?\s+ВД\b)",
            "oso_nkvd",
        ),
        (
            r"(?:особ\w*\s+|ос\.\s*|спец)?(?:тройк\w*|\bтр\.)[^,;]{0,40}?"
            r"(?:\bУ?НКВД\b|\bУНКВД\w*|\bНКВД\w*)",
            "troika_unkvd",
        ),
        # Courts (after the military collegium, which is also "of the Supreme Court")
        (
            r"суд\b|суда\b|судом\b|\w+суд\w*|судебн\w*|спецколлеги\w*|сесси\w+\s+\w*суд|"
            r"(?-i:\bВС\s+(?:СССР|РСФСР|УССР|БССР|[А-ЯЁ]*АССР|РБ|РФ)\b)",
            "court",
        ),
    )
)

# Organs only sentences are linked to (tried after BODY_PATTERNS, for sentencing bodies only;
# a rehabilitation by "ИЦ МВД" is no state-security sentence).
SENTENCING_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, _I), key)
    for p, key in (
        # The Cheka and its local commissions, 1917-1922: ВЧК, губЧК, МЧК, губчека
        (
            r"(?-i:\b[А-Яа-яЁё.]*ЧК\b)|чека\b|"
            r"чрезвычайн\w*\s+(?:следственн\w*\s+)?комисси",
            "cheka",
        ),
        # Revolutionary (military) tribunals of the Civil War years
        (
            r"ревтрибунал\w*|реввоентрибунал\w*|революционн\w*\s+(?:\w+\s+){0,2}трибунал\w*|"
            r"военно-(?:революционн|политическ)\w*\s+трибунал\w*|рев\.?\s*трибунал\w*|"
            r"(?-i:\bРВП?Т\b)",
            "revolutionary_tribunal",
        ),
        # Local authorities: executive committees, village soviets, assemblies, district troikas
        (
            r"(?-i:\bРИК|\bКИК\b|\bЦИК\b)|\w*исполком\w*|с/с\b|сельсовет\w*|"
            r"(?:сельск|станичн|поселков)\w*\s+совет\w*|райтройк\w*|собрани\w+|"
            r"органы\s+(?:местной\s+)?(?:исполнительн\w+\s+)?власти|органов\s+гос\.?\s*власти|"
            r"избирком\w*",
            "local_authority",
        ),
        # A state-security organ printed without a board: `УНКВД по …`, `органами НКВД`, `ОГПУ`
        (
            r"нквд|\bу?о?гпу|\bмгб\b|нкгб|\bмвд\b|\bу?кгб\b|\bугб\b|(?-i:\bОО\b)|"
            r"оперсектор\w*|особ\w+\s+отдел\w*|наркоме?\s+вд\b",
            "security_organ",
        ),
    )
)

# Bare names resolved by the date of the sentence: (pattern, [(from, to, key), ...]).
_BARE_TROIKA = re.compile(r"^\W*(?:особ\w*\s+)?тройк\w*\W*$", _I)
_BARE_OSO = re.compile(r"^\W*(?:особ\w*\s+совещани\w*|ОСО|ОС)\b[\W\d]*(?:\d+-?[а-я])?\W*$", _I)
# NKVD troikas of order 00447 sat from August 1937 to November 1938; the OGPU was merged into
# the NKVD on 10 July 1934.
_TROIKA_1937 = (dt.date(1937, 7, 30), dt.date(1938, 11, 17))
_OGPU_END = dt.date(1934, 7, 10)


def body_key(
    printed: str | None,
    earliest: dt.date | None = None,
    latest: dt.date | None = None,
    *,
    sentencing: bool = False,
) -> str | None:
    """The reference key of a printed body, or None when unsure. `earliest`/`latest` bound
    the date of the sentence and only serve to resolve a bare `тройка` / `ОСО`; `sentencing`
    also links the organs only sentences name (SENTENCING_PATTERNS)."""
    if not printed:
        return None
    key, bare = _classify(printed)
    if key is not None:
        return key
    if bare is None:
        return _sentencing_organ(printed) if sentencing else None
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


@short_text_memo(1 << 16)
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


@short_text_memo(1 << 16)
def _sentencing_organ(printed: str) -> str | None:
    for pattern, key in SENTENCING_PATTERNS:
        if pattern.search(printed):
            return key
    return None


def clear_caches() -> None:
    _classify.cache_clear()
    _sentencing_organ.cache_clear()

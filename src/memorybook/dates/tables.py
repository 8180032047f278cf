"""Word tables for Russian dates: month names in every printed form, marker words.

Kept as data so new forms seen in a source are one line here, not a new branch in code."""

from __future__ import annotations

# Every printed form of each month, lower case: nominative, genitive, prepositional and the
# abbreviations seen in Books of Memory (with or without the dot, which the regex makes optional).
MONTH_FORMS: dict[int, tuple[str, ...]] = {
    1: ("январь", "января", "январе", "янв"),
    2: ("февраль", "февраля", "феврале", "фев", "февр"),
    3: ("март", "марта", "марте", "мар"),
    4: ("апрель", "апреля", "апреле", "апр"),
    5: ("май", "мая", "мае"),
    6: ("июнь", "июня", "июне", "июн"),
    7: ("июль", "июля", "июле", "июл"),
    8: ("август", "августа", "августе", "авг"),
    9: ("сентябрь", "сентября", "сентябре", "сен", "сент"),
    10: ("октябрь", "октября", "октябре", "окт"),
    11: ("ноябрь", "ноября", "ноябре", "ноя", "нояб"),
    12: ("декабрь", "декабря", "декабре", "дек"),
}

MONTHS: dict[str, int] = {form: num for num, forms in MONTH_FORMS.items() for form in forms}

# Seasons as EDTF level-1 season codes (21 spring .. 24 winter) with their month bounds.
SEASONS: dict[str, tuple[int, int, int]] = {
    "весной": (21, 3, 5),
    "весна": (21, 3, 5),
    "летом": (22, 6, 8),
    "лето": (22, 6, 8),
    "осенью": (23, 9, 11),
    "осень": (23, 9, 11),
    "зимой": (24, 12, 2),
}

# Phrases that introduce an alternative reading of the same date.
ALTERNATIVE_MARKERS: tuple[str, ...] = ("по другим данным",)

"""Word tables for Russian dates: month names in every printed form, seasons, qualifier words.

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

# Seasons as EDTF level-1 season codes (21 spring .. 24 winter) with their months. Winter is
# read within the printed calendar year (January–February and December of it): "зимой 1938"
# does not say which of the two winters that touch 1938 is meant, so the reader warns.
SEASONS: dict[str, tuple[int, int, int]] = {
    "весной": (21, 3, 5),
    "весна": (21, 3, 5),
    "летом": (22, 6, 8),
    "лето": (22, 6, 8),
    "осенью": (23, 9, 11),
    "осень": (23, 9, 11),
    "зимой": (24, 1, 12),
    "зима": (24, 1, 12),
    # genitive, after a qualifier ("в конце лета 1937", "около весны 1937")
    "весны": (21, 3, 5),
    "лета": (22, 6, 8),
    "осени": (23, 9, 11),
    "зимы": (24, 1, 12),
}
WINTER = 24

# Words printed before a date that change what it says -> the kind of qualification (how each
# kind moves the bounds is in dates/qualifiers.py). Lower case; a trailing dot is part of the
# abbreviation. "в" alone is no qualifier ("в 1937 г." is the year itself).
QUALIFIERS: dict[str, str] = {
    # ends before the date (exclusive): "до 1940 г." -> ../1939-12-31
    "до": "before",
    "ранее": "before",
    "раньше": "before",
    # ends with the date (inclusive): "не позднее 1940" -> ../1940
    "не позднее": "not_after",
    "не позже": "not_after",
    "вплоть до": "not_after",
    "по": "not_after",
    # starts after the date (exclusive): "после 1937" -> 1938-01-01/..
    "после": "after",
    "позднее": "after",
    "позже": "after",
    # starts with the date (inclusive): "с 1937" -> 1937/..
    "не ранее": "not_before",
    "не раньше": "not_before",
    "начиная с": "not_before",
    "с": "not_before",
    "со": "not_before",
    # "от 1937" is "from 1937" in a phrase of its own, but in running text it dates a document
    # ("Закон от 18 октября 1991 г."): the reader decides by the context.
    "от": "from",
    # approximately: "около 1900" -> 1900~
    "около": "about",
    "ок.": "about",
    "ок": "about",
    "примерно": "about",
    "приблизительно": "about",
    "приблиз.": "about",
    "прибл.": "about",
    "ориентировочно": "about",
    # a part of the period
    "в начале": "early",
    "в нач.": "early",
    "в середине": "mid",
    "в сер.": "mid",
    "в конце": "late",
    "в кон.": "late",
    "в первой половине": "first_half",
    "во второй половине": "second_half",
    # opens a pair: "между 1937 и 1938"
    "между": "between",
    # an alternative reading printed on its own: "по другим данным 1899"
    "по другим данным": "alternative",
    "по др. данным": "alternative",
}

# Qualifiers that open a pair closed by the second date: "с 1937 по 1938", "от 1 до 15 мая",
# "между 1937 и 1938". Closing word -> whether the second date is included.
PAIR_OPENERS: frozenset[str] = frozenset({"not_before", "from", "between"})
PAIR_CLOSERS: dict[str, dict[str, bool]] = {
    "not_before": {"по": True, "до": False, "-": True},
    "from": {"по": True, "до": False, "-": True},
    "between": {"и": True, "-": True},
}

"""Why two records were linked, in words: a structured explanation built from the link's
comparison vector and the two records, and one sentence each in Russian and in English,
e.g. "surname and given name identical, patronymic variant, birth year 1898 = 1898,
executed 9 days after the list of 13 November 1937"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from memorybook.dates.display import format_day
from memorybook.linkage.features import names_a_region, norm_name
from memorybook.linkage.record import LinkRecord

NAME_PARTS = ("surname", "given", "patronymic")
_PART_WORDS = {
    "en": {"surname": "surname", "given": "given name", "patronymic": "patronymic"},
    "ru": {"surname": "фамилия", "given": "имя", "patronymic": "отчество"},
}
# Name levels, in words (a plural form where several parts share one level).
_NAME_LEVELS = {
    "en": {
        "identical": ("identical", "identical"),
        "spelling variant": ("spelled differently", "spelled differently"),
        "one part of a double surname": ("one part of a double surname", "sharing a part"),
        "equivalent form": ("an equivalent form", "equivalent forms"),
        "variant": ("a variant", "variants"),
        "similar": ("similar", "similar"),
        "one letter apart": ("one letter apart", "one letter apart"),
        "same sound": ("sounding the same", "sounding the same"),
        "initial agrees": ("matching an initial", "matching initials"),
        "surname and given name swapped": ("swapped with the given name", "swapped"),
        "different": ("different", "different"),
    },
    "ru": {
        "identical": ("совпадает", "совпадают"),
        "spelling variant": ("в другом написании", "в другом написании"),
        "one part of a double surname": ("совпадает с частью двойной", "совпадают частью"),
        "equivalent form": ("в равнозначной форме", "в равнозначных формах"),
        "variant": ("в варианте", "в вариантах"),
        "similar": ("похожа", "похожи"),
        "one letter apart": ("отличается одной буквой", "отличаются одной буквой"),
        "same sound": ("созвучна", "созвучны"),
        "initial agrees": ("совпадает с инициалом", "совпадают с инициалами"),
        "surname and given name swapped": ("переставлена с именем", "переставлены"),
        "different": ("различается", "различаются"),
    },
}


@dataclass
class Explanation:
    probability: float
    parts: list[dict[str, Any]] = field(default_factory=list)  # one per comparison used
    ru: str = ""
    en: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"probability": self.probability, "parts": self.parts, "ru": self.ru, "en": self.en}


def _years(r: LinkRecord) -> str | None:
    if r.birth_from is None and r.birth_to is None:
        return None
    lo = r.birth_from if r.birth_from is not None else r.birth_to
    hi = r.birth_to if r.birth_to is not None else r.birth_from
    return str(lo) if lo == hi else f"{lo}/{hi}"


def _double(surname: str | None) -> bool:
    return "-" in (norm_name(surname) or "")


def _names(a: LinkRecord, b: LinkRecord, gamma: Mapping[str, str], lang: str) -> list[str]:
    by_level: dict[str, list[str]] = {}
    for part in NAME_PARTS:
        level = gamma.get(part)
        if level is None or level.endswith("missing"):
            continue
        if level == "one part of a double surname" and _double(a.surname) and _double(b.surname):
            # Two double surnames that differ in an ending (Витковская-Лянда / -Лянды), as
            # earlier runs stored them: not one part of a double surname.
            level = "similar"
        by_level.setdefault(level, []).append(part)
    phrases = []
    for level, parts in by_level.items():
        words = _NAME_LEVELS[lang].get(level, (level, level))
        names = [_PART_WORDS[lang][p] for p in parts]
        joined = (
            names[0]
            if len(names) == 1
            else f"{', '.join(names[:-1])} {'и' if lang == 'ru' else 'and'} {names[-1]}"
        )
        phrases.append(f"{joined} {words[0] if len(parts) == 1 else words[1]}")
    return phrases


def _days(n: int, lang: str) -> str:
    if lang == "en":
        return f"{n} day" + ("" if n == 1 else "s")
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} день"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"{n} дня"
    return f"{n} дней"


def _timeline(a: LinkRecord, b: LinkRecord, level: str, lang: str) -> str | None:
    # Russian says "расстрел" (the noun): the verb would have to agree with the person's sex,
    # which the two records may not print, and a woman must not read as "расстрелян".
    pairs = [(x, y) for x, y in ((a, b), (b, a)) if x.execution and y.list_date]
    if pairs and level.startswith("executed") and "list" in level:
        x, y = pairs[0]
        assert x.execution and y.list_date
        n = (x.execution - y.list_date).days
        day = format_day(y.list_date, lang)
        if n < 0:
            return (
                f"executed {_days(-n, lang)} BEFORE the list of {day}"
                if lang == "en"
                else f"расстрел за {_days(-n, lang)} ДО списка от {day}"
            )
        return (
            f"executed {_days(n, lang)} after the list of {day}"
            if lang == "en"
            else f"расстрел через {_days(n, lang)} после списка от {day}"
        )
    if level.startswith("executed") and a.execution and b.execution:
        if a.execution == b.execution:
            d = format_day(a.execution, lang)
            return (
                f"executed on the same day, {d}" if lang == "en" else f"расстрел в тот же день, {d}"
            )
        da, db = format_day(a.execution, lang), format_day(b.execution, lang)
        return f"executed {da} / {db}" if lang == "en" else f"дата расстрела {da} / {db}"
    if a.list_date and b.list_date and ("list" in level):
        if level == "on the same list":
            d = format_day(a.list_date, lang)
            return f"on the same list of {d}" if lang == "en" else f"в одном списке от {d}"
        da, db = format_day(a.list_date, lang), format_day(b.list_date, lang)
        if da == db:
            return f"lists of the same day, {da}" if lang == "en" else f"списки одного дня, {da}"
        return f"lists of {da} and {db}" if lang == "en" else f"списки от {da} и {db}"
    if level == "sentenced the same day" and a.sentence:
        d = format_day(a.sentence, lang)
        return f"sentenced the same day, {d}" if lang == "en" else f"осужден в тот же день, {d}"
    if level == "arrested the same day" and a.arrest:
        d = format_day(a.arrest, lang)
        return f"arrested the same day, {d}" if lang == "en" else f"арестован в тот же день, {d}"
    return None


_REGION_WORDS = {
    # (one region, two regions, one sublist, two sublists, "region X / sublist Y")
    "en": ("same region", "regions", "same sublist", "sublists", "region", "sublist"),
    "ru": ("тот же регион", "регионы", "тот же подсписок", "подсписки", "регион", "подсписок"),
}


def _region(a: LinkRecord, b: LinkRecord, level: str, lang: str) -> str | None:
    """The two records' regions, or the titles of their sublists: a sublist is called a
    region only when its title names one (`features.names_a_region`), not when it names a
    group of people (V Быв.ответ.работники Наркоматов) or a body (a railway's list)."""
    if not a.region or not b.region:
        return None
    same_region, regions, same_sublist, sublists, region, sublist = _REGION_WORDS[lang]
    ra, rb = names_a_region(a.region), names_a_region(b.region)
    printed = a.region if a.region == b.region else f"{a.region} / {b.region}"
    if ra and rb and (level.startswith("same region") or a.region == b.region):
        return f"{same_region} ({printed})"
    if a.region == b.region:
        return f"{same_sublist} ({printed})"
    if ra and rb:
        return f"{regions} {printed}"
    if not ra and not rb:
        return f"{sublists} {printed}"
    return f"{region if ra else sublist} {a.region} / {region if rb else sublist} {b.region}"


def _peers(level: str, lang: str) -> str | None:
    if level.endswith("lists share other names"):
        return (
            "both lists also carry other names in common"
            if lang == "en"
            else "в обоих списках есть и другие общие имена"
        )
    return None


def _outcome(level: str, lang: str) -> str | None:
    if level == "different outcome":
        return (
            "one record says shot, the other a camp sentence"
            if lang == "en"
            else "в одной записи расстрел, в другой лагерь"
        )
    return None


# The comparisons that word dates, regions and outcomes: those of the model (split by kind
# of pair, `linkage.model`) and "timeline" of runs stored before it was split.
DATE_COMPARISONS = ("timeline", "sanction", "lists", "dates")
REGION_COMPARISONS = ("list_regions", "region")
OUTCOME_COMPARISONS = ("list_outcomes", "outcome")


def _first_level(gamma: Mapping[str, str], comparisons: tuple[str, ...], null: str) -> str:
    """The level of the first of `comparisons` that applies to the pair (not its null
    level), else ""."""
    for comp in comparisons:
        level = gamma.get(comp)
        if level and level != null:
            return level
    return ""


def explain(
    a: LinkRecord, b: LinkRecord, gamma: Mapping[str, str], probability: float
) -> Explanation:
    """The explanation of one link (or one candidate pair)."""
    out = Explanation(probability=probability)
    for comp, level in gamma.items():
        out.parts.append({"comparison": comp, "level": level})
    for lang in ("ru", "en"):
        phrases = _names(a, b, gamma, lang)
        by_a, by_b = _years(a), _years(b)
        if by_a and by_b:
            sign = "=" if gamma.get("birth") == "same year" else "≠"
            phrases.append(
                f"birth year {by_a} {sign} {by_b}"
                if lang == "en"
                else f"год рождения {by_a} {sign} {by_b}"
            )
        for comp in DATE_COMPARISONS:
            level = gamma.get(comp, "")
            t = _timeline(a, b, level, lang) if not level.startswith("no ") else None
            if t and t not in phrases:
                phrases.append(t)
        region = _first_level(gamma, REGION_COMPARISONS, "region unknown")
        r = _region(a, b, region, lang)
        if r:
            phrases.append(r)
        # A list and a day of executions: their shared names are a level of the sanction.
        shared = _peers(region, lang) or _peers(gamma.get("sanction", ""), lang)
        if shared:
            phrases.append(shared)
        o = _outcome(_first_level(gamma, OUTCOME_COMPARISONS, "outcome unknown"), lang)
        if o:
            phrases.append(o)
        setattr(out, lang, ", ".join(phrases))
    return out

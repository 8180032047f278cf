"""A link explained in words, in Russian and in English."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from memorybook.linkage.explain import explain
from memorybook.linkage.record import LinkRecord


def test_the_sentence_names_each_piece_of_evidence() -> None:
    moscow = LinkRecord(
        1, "a", "memorial-moscow", surname="Петров", given_name="Иван", patronymic="Егорович",
        birth_from=1898, birth_to=1898, execution=dt.date(1937, 11, 22),
    )  # fmt: skip
    politburo = LinkRecord(
        2, "b", "stalin-lists", surname="ПЕТРОВ", given_name="Иван", patronymic="Георгиевич",
        birth_from=1898, birth_to=1898, list_date=dt.date(1937, 11, 13),
    )  # fmt: skip
    gamma = {
        "surname": "identical", "given": "identical", "patronymic": "variant",
        "birth": "same year", "timeline": "executed within a month after the list",
    }  # fmt: skip
    why = explain(moscow, politburo, gamma, 0.997)
    assert why.en == (
        "surname and given name identical, patronymic a variant, birth year 1898 = 1898, "
        "executed 9 days after the list of 13 November 1937"
    )
    assert why.ru == (
        "фамилия и имя совпадают, отчество в варианте, год рождения 1898 = 1898, "
        "расстрел через 9 дней после списка от 13 ноября 1937"
    )
    assert {"comparison": "patronymic", "level": "variant"} in why.parts


def test_two_printed_years_and_a_disagreement_are_shown() -> None:
    a = LinkRecord(1, "a", "x", surname="Крон", birth_from=1884, birth_to=1885)
    b = LinkRecord(2, "b", "y", surname="Крон", birth_from=1890, birth_to=1890)
    why = explain(a, b, {"surname": "identical", "birth": "different"}, 0.4)
    assert why.en == "surname identical, birth year 1884/1885 ≠ 1890"


def _politburo(n: int, region: str, surname: str = "Иванов") -> LinkRecord:
    return LinkRecord(
        n, str(n), "stalin-lists", surname=surname, given_name="Иван", patronymic="Петрович",
        list_date=dt.date(1937, 11, 1), list_id=f"stalin-lists|{n}", region=region,
    )  # fmt: skip


def test_a_sublist_is_called_a_region_only_when_it_names_one() -> None:
    names = {"surname": "identical", "given": "identical", "patronymic": "identical"}
    regions = explain(
        _politburo(1, "Ленинградская обл."), _politburo(2, "г.Ленинград"),
        {**names, "region": "same region"}, 0.999,
    )  # fmt: skip
    assert "same region (Ленинградская обл. / г.Ленинград)" in regions.en
    assert "тот же регион (Ленинградская обл. / г.Ленинград)" in regions.ru
    # The centre's sublists headed by a group of people are compared as the centre, but
    # they are not regions.
    group = explain(
        _politburo(1, "V Быв.ответ.работники Наркоматов"), _politburo(2, "Москва-центр"),
        {**names, "region": "same region"}, 0.999,
    )  # fmt: skip
    for text in (group.en, group.ru):
        assert "регион V" not in text and "region V" not in text
        assert "same region" not in text and "тот же регион" not in text
    assert "sublist V Быв.ответ.работники Наркоматов / region Москва-центр" in group.en
    assert "подсписок V Быв.ответ.работники Наркоматов / регион Москва-центр" in group.ru
    same = explain(
        _politburo(1, "I Быв.члены и кандидаты ЦК ВКП(б)"),
        _politburo(2, "I Быв.члены и кандидаты ЦК ВКП(б)"),
        {**names, "region": "same region"}, 0.999,
    )  # fmt: skip
    assert "same sublist (I Быв.члены и кандидаты ЦК ВКП(б))" in same.en
    assert "тот же подсписок (I Быв.члены и кандидаты ЦК ВКП(б))" in same.ru
    titles = explain(
        _politburo(1, "Список лиц"), _politburo(2, "Гор.Ленинград. Кировская ж.д."),
        {**names, "region": "lists share other names"}, 0.999,
    )  # fmt: skip
    assert "sublists Список лиц / Гор.Ленинград. Кировская ж.д." in titles.en
    assert "подсписки Список лиц / Гор.Ленинград. Кировская ж.д." in titles.ru
    assert "region" not in titles.en and "регион" not in titles.ru


def test_two_double_surnames_differing_in_an_ending_are_not_one_part() -> None:
    a = _politburo(1, "Украинская ССР", surname="Витковская-Лянда")
    b = _politburo(2, "Украинская ССР", surname="Витковская-Лянды")
    for level in ("similar", "one part of a double surname"):  # now / as earlier runs stored
        why = explain(a, b, {"surname": level, "given": "identical"}, 0.99)
        assert why.en.startswith("surname similar, given name identical")
        assert why.ru.startswith("фамилия похожа, имя совпадает")
        assert "double" not in why.en and "двойн" not in why.ru
    # One part of a double surname is still said where it is one.
    single = _politburo(3, "Украинская ССР", surname="Витковская")
    why = explain(a, single, {"surname": "one part of a double surname"}, 0.99)
    assert why.en == "surname one part of a double surname, same region (Украинская ССР)"
    assert why.ru == "фамилия совпадает с частью двойной, тот же регион (Украинская ССР)"


def test_dates_regions_and_outcomes_are_worded_from_the_comparison_that_applies() -> None:
    """Two list entries are compared by the comparisons of lists (the others are null for
    them): each piece of evidence is said once, from the comparison that applies."""
    a = replace(_politburo(1, "Курская область"), outcome="camp")
    b = LinkRecord(
        2, "2", "stalin-lists", surname="Иванов", given_name="Иван", patronymic="Петрович",
        list_date=dt.date(1937, 11, 22), list_id="stalin-lists|2", region="Курская область",
        outcome="shot",
    )  # fmt: skip
    gamma = {
        "surname": "identical", "given": "identical", "patronymic": "identical",
        "sanction": "no execution and list", "lists": "lists within a month",
        "dates": "no two dates of execution, sentence or arrest",
        "region": "region unknown", "list_regions": "same region",
        "outcome": "outcome unknown", "list_outcomes": "different outcome",
    }  # fmt: skip
    why = explain(a, b, gamma, 0.995)
    assert why.en == (
        "surname, given name and patronymic identical, lists of 1 November 1937 and "
        "22 November 1937, same region (Курская область), one record says shot, the other "
        "a camp sentence"
    )
    assert why.ru == (
        "фамилия, имя и отчество совпадают, списки от 1 ноября 1937 и 22 ноября 1937, "
        "тот же регион (Курская область), в одной записи расстрел, в другой лагерь"
    )


def test_a_list_and_a_day_of_executions_sharing_names_say_so() -> None:
    """The shared names of a list and a day of executions are a level of the sanction
    comparison (not of the region's): the explanation still says them, with the delay."""
    shot = LinkRecord(
        1, "m", "memorial-moscow", surname="Ким-Дю-Ван", execution=dt.date(1938, 1, 8),
        region="Москва",
    )  # fmt: skip
    listed = replace(
        _politburo(2, "Москва-центр", surname="Ким-Дю-Ван"), list_date=dt.date(1938, 1, 3)
    )
    level = "executed within ten days after the list, lists share other names"
    why = explain(shot, listed, {"surname": "identical", "sanction": level}, 0.99)
    assert "executed 5 days after the list of 3 January 1938" in why.en
    assert "other names in common" in why.en and "другие общие имена" in why.ru
    alone = explain(
        shot, listed, {"surname": "identical", "sanction": level[: level.index(",")]}, 0.99
    )
    assert "other names" not in alone.en

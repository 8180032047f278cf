"""A link explained in words, in Russian and in English."""

from __future__ import annotations

import datetime as dt

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

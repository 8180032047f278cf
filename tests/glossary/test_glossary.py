"""English for the entries' Russian words, and names in Latin letters."""

from __future__ import annotations

import pytest

from memorybook.glossary import english, romanise_name, table


@pytest.mark.parametrize(
    ("field", "printed", "gloss"),
    [
        ("sentence", "ВМН", "capital punishment (shooting)"),
        ("sentence", "к ВМН", "capital punishment (shooting)"),
        ("sentence", "ВМН, конфискация имущества", "capital punishment (shooting); confiscation of property"),
        ("sentence", "10 лет ИТЛ", "10 years in a corrective labour camp"),
        ("sentence", "к 10 годам лишения свободы", "10 years' imprisonment"),
        ("sentence", "к лишению свободы на 3 года", "3 years' imprisonment"),
        ("sentence", "5 лет", "5 years"),
        ("sentence", "высланы на спецпоселение в Казахстан", "special settlement (deportation)"),
        ("sentence", "выселена в Казахстан (по нац. признаку)", "deportation or exile; on grounds of nationality"),
        ("sentence", "дело прекращено", "case dropped"),
        ("party", "б/п", "not a party member"),
        ("party", "член ВКП(б) с 1919", "member of the Communist Party (VKP(b)); since 1919"),
        ("sentencing_body", "тройка при УНКВД по Московской обл.", "Troika of a regional NKVD directorate"),
        ("sentencing_body", "ВК ВС СССР", "Military Collegium of the Supreme Court of the USSR"),
        ("burial_place", "Бутово", "Butovo firing range"),
        ("burial_place", "Коммунарка", "Kommunarka"),
    ],
)  # fmt: skip
def test_glossary_english(field: str, printed: str, gloss: str) -> None:
    assert english(field, printed) == gloss


@pytest.mark.parametrize(
    ("field", "printed"),
    [
        ("sentence", "предъявлено обвинение"),
        ("sentence", ""),
        ("charge", "58-10"),
        ("sentence", "Death"),
    ],
)
def test_glossary_says_nothing_rather_than_guess(field: str, printed: str) -> None:
    assert english(field, printed) is None


def test_glossary_tables_cite_their_sources() -> None:
    for name in ("sentences", "party"):
        assert table(name).sources and all(
            "Memorial" in s or "Gulag" in s for s in table(name).sources
        )


@pytest.mark.parametrize(
    ("name", "latin"),
    [
        ("Милевский Сигизмунд Иосифович", "Milevsky Sigizmund Iosifovich"),
        ("Шмидт Карл Августович", "Shmidt Karl Avgustovich"),
        ("Hиколай Ёлкин", "Nikolay Yolkin"),  # a Latin H inside a Cyrillic word, and ё
        ("ДОМБРОВСКИЙ Вячеслав", "DOMBROVSKY Vyacheslav"),
        ("Бланк-де-Франк", "Blank-de-Frank"),
    ],
)
def test_glossary_romanise_name(name: str, latin: str) -> None:
    assert romanise_name(name) == latin


def test_glossary_romanise_leaves_latin_names() -> None:
    assert romanise_name("Smith John") is None


@pytest.mark.parametrize(
    ("printed", "gloss"),
    [("поляк", "Polish"), ("полька", "Polish"), ("поляки", "Polish"), ("русская", "Russian"),
     ("еврей", "Jewish"), ("японка", "Japanese"), ("шведка", "Swedish"), ("башкирка", "Bashkir"),
     ("Немец", "German"), ("русский (по другим данным - еврей)", "Russian (other sources: Jewish)"),
     ("венгр (мадьяр)", "Hungarian (Magyar)"), ("польский еврей", "Polish Jewish")],
)  # fmt: skip
def test_glossary_nationality(printed: str, gloss: str) -> None:
    assert english("nationality", printed) == gloss


@pytest.mark.slow
def test_glossary_knows_every_nationality_of_the_real_lists() -> None:
    """Every nationality word the real lists print at least twice has its English."""
    from collections import Counter

    from tests.conftest import LISTS_TEXTS, MOSCOW_PAGES

    if not MOSCOW_PAGES.is_dir() or not LISTS_TEXTS.is_file():
        pytest.skip("../shared/data is not beside the repo")
    from memorybook.ingest.formats import get_format
    from memorybook.ingest.parser import parse_entry

    seen: Counter[str] = Counter()
    for name, where in (("memorial-moscow", MOSCOW_PAGES), ("memorial-lists", LISTS_TEXTS)):
        fmt = get_format(name)
        for path in fmt.expand([where]):
            for raw in fmt.read(fmt.decode(path, None), {}):
                value = parse_entry(raw.verbatim, fmt.style).values.get("nationality")
                if value:
                    seen[str(value)] += 1
    unknown = {w: n for w, n in seen.items() if n >= 2 and english("nationality", w) is None}
    assert not unknown, sorted(unknown.items(), key=lambda kv: -kv[1])

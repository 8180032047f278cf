"""Golden entries written by hand, fuzzing, and events."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memorybook.ingest.entry import ENTRY_KEYS
from memorybook.ingest.events import entry_events
from memorybook.ingest.parser import parse_entry
from memorybook.model.events import EventKind

MOSCOW = (
    "Крон Арнольд Фрицевич, род. 1884, Лифляндская губ. (Пальцамская волость), Валкский уезд, "
    "усадьбы Стражас, латыш, б/п, Кирижский лесохимкомбинат: начальник обследовательской партии. "
    "Адрес: 1-я Авиамоторная ул., д.1, кв. 1. Рассстрелян 17.05.1938. Место захоронения: Бутово."
)
LISTS = (
    "Родилась в 1874 г., г. Казань, с. Дербышки; русская;\nмонахиня..\n"
    "Проживала: г. Казань, с. Дербышки.\nАрестована  7 марта 1932 г.\n"
    "Приговорена: Особое совещание коллегии ОГПУ ТАССР 29 июля 1932 г., обв.: по ст. 58-10.\n"
    "Приговор: 3 года ссылки в Казахстан.\nРеабилитирована в июле 1998 г."
)
GOLDEN: list[tuple[str, str, dict[str, object]]] = [
    (
        MOSCOW,
        "moscow",
        {
            "surname": "Крон",
            "given_name": "Арнольд",
            "patronymic": "Фрицевич",
            "sex": "m",
            "birth": "1884",
            "birthplace": "Лифляндская губ. (Пальцамская волость), Валкский уезд, усадьбы Стражас",
            "nationality": "латыш",
            "party": "б/п",
            "occupation": "Кирижский лесохимкомбинат: начальник обследовательской партии",
            "residence": "1-я Авиамоторная ул., д.1, кв. 1",
            "executed": True,
            "death": "1938-05-17",
            "burial_place": "Бутово",
        },
    ),
    (
        LISTS,
        "lists",
        {
            "sex": "f",
            "birth": "1874",
            "birthplace": "г. Казань, с. Дербышки",
            "nationality": "русская",
            "occupation": "монахиня",
            "residence": "г. Казань, с. Дербышки",
            "arrest": "1932-03-07",
            "sentencing_body": "Особое совещание коллегии ОГПУ ТАССР",
            "sentence_date": "1932-07-29",
            "charge": "по ст. 58-10",
            "sentence": "3 года ссылки в Казахстан",
            "executed": False,
            "rehabilitation": "1998-07",
        },
    ),
    (
        "Родился в 1914 г., г.Москва.;\nзаключенный Ухтпечлага.\n"
        "Приговорен: тройка при УНКВД Архангельской обл. 16 декабря 1937 г., обв.: по приказу "
        "00447 НКВД СССР..\nПриговор: ВМН\n",
        "lists",
        {
            "sex": "m",
            "birth": "1914",
            "birthplace": "г.Москва",
            "occupation": "заключенный Ухтпечлага",
            "sentencing_body": "тройка при УНКВД Архангельской обл",
            "sentence_date": "1937-12-16",
            "charge": "по приказу 00447 НКВД СССР",
            "sentence": "ВМН",
        },
    ),
    (
        "Родилась 1883 (1889)\nПриговор: к ВМН, заменена на 5 л.ИТЛ\n"
        "Реабилитирована  по Закону от 18 октября 1991 г.",
        "lists",
        {
            "sex": "f",
            "birth": "[1883,1889]",
            "sentence": "к ВМН, заменена на 5 л.ИТЛ",
            "executed": False,
        },
    ),
    (
        "Родился в 1891 г., Курская обл.; русский;\nПриговор: Умер 1.6.44 на острове Свияжск.",
        "lists",
        {
            "sex": "m",
            "birth": "1891",
            "birthplace": "Курская обл",
            "nationality": "русский",
            "sentence": "Умер 1.6.44 на острове Свияжск",
            "executed": False,
            "death": "1944-06-01",
        },
    ),
]


@pytest.mark.parametrize(("text", "style", "want"), GOLDEN)
def test_golden(text: str, style: str, want: dict[str, object]) -> None:
    parsed = parse_entry(text, style)
    assert parsed.values == {k: want.get(k) for k in ENTRY_KEYS}
    for key, (s, e) in parsed.spans.items():
        if isinstance(parsed.values[key], str) and key != "sex":
            if key in ("birth", "arrest", "sentence_date", "death", "rehabilitation"):
                continue
            assert text[s:e] == parsed.values[key]


def test_extra_keys() -> None:
    parsed = parse_entry(GOLDEN[2][0], "lists")
    assert parsed.extra["operation_key"] == "kulak"
    assert parsed.extra["body_key"] == "troika_unkvd"
    moscow = parse_entry("Зедлер (Герберт) Николай Николаевич, род. 1876, русский", "moscow")
    assert moscow.extra["aliases"] == ["Герберт"]
    assert moscow.values["given_name"] == "Николай"


def test_a_nationality_the_vocabulary_does_not_know_is_noted() -> None:
    text = "Берг Карл Янович, род. 1884, г. Рига, {}, б/п, слесарь завода"
    unknown = parse_entry(text.format("марсианин"), "moscow")
    assert unknown.values["nationality"] == "марсианин"
    assert "unknown_nationality: марсианин" in unknown.warnings
    assert "nationality_key" not in unknown.extra
    known = parse_entry(text.format("латышка"), "moscow")
    assert known.extra["nationality_key"] == "латыш"
    assert not any(w.startswith("unknown_nationality") for w in known.warnings)


def test_events() -> None:
    kinds = [e.kind for e in entry_events(parse_entry(MOSCOW, "moscow"))]
    assert kinds == [EventKind.BIRTH, EventKind.EXECUTION, EventKind.BURIAL]
    kinds = [e.kind for e in entry_events(parse_entry(LISTS, "lists"))]
    assert kinds == [
        EventKind.BIRTH,
        EventKind.ARREST,
        EventKind.SENTENCE,
        EventKind.REHABILITATION,
    ]


@pytest.mark.parametrize("style", ["moscow", "lists", "nonsense"])
@pytest.mark.parametrize("text", ["", "   ", "\n\n", "---", "?", "<p>", "(", "Родился", "р."])
def test_odd_inputs(text: str, style: str) -> None:
    parsed = parse_entry(text, style)
    assert set(parsed.values) == set(ENTRY_KEYS)
    assert parsed.warnings or any(v is not None for v in parsed.values.values())


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("Родился в 1937 г.,;:()\n-.Арестован 17.05.1938 ВМН абв")),
        max_size=200,
    )
)
def test_fuzz_never_raises(text: str) -> None:
    for style in ("moscow", "lists"):
        parsed = parse_entry(text, style)
        assert not any(w.startswith("parser_error") for w in parsed.warnings)
        for key, (s, e) in parsed.spans.items():
            assert 0 <= s <= e <= len(text), key

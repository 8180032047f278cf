"""Printed sentencing bodies -> canonical bodies of the reference model (table-driven)."""

from __future__ import annotations

import datetime as dt

import pytest

from memorybook.ingest.bodies import BODY_KEYS, body_key
from memorybook.reference import load_reference

D = dt.date
TABLE: list[tuple[str, str | None]] = [
    ("тройка при УНКВД по Московской обл.", "troika_unkvd"),
    ("Ос. Тр. УНКВД ЛО", "troika_unkvd"),
    ("тройкой УНКВД КК", "troika_unkvd"),
    ("Особое совещание при НКВД СССР", "oso_nkvd"),
    ("ОСО при Наркоме ВД СССР", "oso_nkvd"),
    ("ОСО при Коллегии ОГПУ СССР", "oso_ogpu"),
    ("тройка при ПП ОГПУ по Средневолжскому краю", "ogpu_troika"),
    ("Кол. ОГПУ", "ogpu_collegium"),
    ("Комиссия НКВД и Прокуратуры СССР", "dvoika"),
    ("НКВД и прокур", "dvoika"),
    ("ВКВС СССР", "military_collegium"),
    ("Военный трибунал войск НКВД Тульской обл.", "military_tribunal"),
    ("Алтайский Крайсуд", "court"),
    ("Коллегия ВС РСФСР", "court"),
    ("Казанская губернская ЧК", "cheka"),
    ("Омская губЧК", "cheka"),
    ("коллегия Смолгубчека", "cheka"),
    ("Омский губревтрибунал", "revolutionary_tribunal"),
    ("РВТ 4 Армии Восточного фронта", "revolutionary_tribunal"),
    ("Тумутукский РИК", "local_authority"),
    ("собрание бедноты и колхозников", "local_authority"),
    ("Чистопольская райтройка", "local_authority"),
    ("Псковского райисполкома", "local_authority"),
    ("УНКВД по Куйбышевской обл", "security_organ"),
    ("органами НКВД", "security_organ"),
    ("ГПУ ТАССР", "security_organ"),
    # left unlinked: a prosecutor, an unnamed organ, a bare troika without a date
    ("прокуратура Омской обл", None),
    ("в особом порядке", None),
    ("тройка", None),
    ("Особое совещание", None),
]


@pytest.mark.parametrize(("printed", "key"), TABLE)
def test_sentencing_body(printed: str, key: str | None) -> None:
    assert body_key(printed, sentencing=True) == key


def test_bare_names_by_the_date() -> None:
    assert body_key("тройка", D(1937, 10, 1), D(1937, 10, 1), sentencing=True) == "troika_unkvd"
    assert body_key("тройка", D(1931, 3, 1), D(1931, 3, 1), sentencing=True) == "ogpu_troika"
    assert body_key("Особое совещание #48-а", D(1949, 7, 7), D(1949, 7, 7)) == "oso_nkvd"
    assert body_key("тройка", D(1936, 3, 1), D(1936, 3, 1), sentencing=True) is None  # unsure


def test_rehabilitating_bodies_are_not_security_organs() -> None:
    """Only sentences link to the organs of SENTENCING_PATTERNS: a rehabilitation by an
    information centre of the MVD is no state-security sentence."""
    assert body_key("ИЦ МВД Чувашской Республики") is None
    assert body_key("ИЦ МВД Чувашской Республики", sentencing=True) == "security_organ"


def test_every_key_is_a_reference_body() -> None:
    bodies = load_reference().bodies
    assert set(BODY_KEYS) <= set(bodies)
    assert {key for _, key in TABLE if key} <= set(BODY_KEYS)

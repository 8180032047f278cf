"""Daitch–Mokotoff Soundex against the published examples."""

from __future__ import annotations

import pytest

from memorybook.text.dm_soundex import RULE_COUNT, dm_codes


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("Moskowitz", {"645740"}),
        ("Moskovitz", {"645740"}),
        ("Auerbach", {"097400", "097500"}),
        ("Ohrbach", {"097400", "097500"}),
        ("Peters", {"734000", "739400"}),
        ("Jackson", {"154600", "454600", "145460", "445460"}),
        ("Schwarzenegger", {"474659", "479465"}),
        ("Lipshitz", {"874400"}),
        ("Shcherbakov", {"297570"}),
        ("Scherbakov", {"497570"}),
        ("Neumann", {"666000"}),
        ("Nejman", {"666000"}),
    ],
)  # fmt: skip
def test_published_codes(name: str, codes: set[str]) -> None:
    assert set(dm_codes(name)) == codes


def test_lone_c_has_both_readings() -> None:
    # C is coded 5 or 4 by the table, so Lippszyc shares 874400 with Lipshitz.
    assert "874400" in dm_codes("Lippszyc")


def test_cyrillic_and_empty_give_nothing() -> None:
    assert dm_codes("Щербаков") == ()
    assert dm_codes("") == ()


def test_diacritics_folded() -> None:
    assert dm_codes("Müller") == dm_codes("Muller")


def test_table_size() -> None:
    assert 100 <= RULE_COUNT <= 130

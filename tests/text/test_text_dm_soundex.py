"""Daitch–Mokotoff Soundex against the codes its authors and users publish for real names."""

from __future__ import annotations

import pytest

from memorybook.text.dm_soundex import dm_codes

# The worked examples of the JewishGen "Soundex Coding" page (the rule table's own page).
JEWISHGEN = [
    ("GOLDEN", "583600"),
    ("Alpert", "087930"),
    ("Breuer", "791900"),
    ("Haber", "579000"),
    ("Mannheim", "665600"),
    ("Mintz", "664000"),
    ("Topf", "370000"),
    ("Kleinmann", "586660"),
    ("Ben Aron", "769600"),
    ("AUERBACH", "097400 097500"),
    ("OHRBACH", "097400 097500"),
    ("LIPSHITZ", "874400"),
    ("LIPPSZYC", "874400 874500"),
    ("LEWINSKY", "876450"),
    ("LEVINSKI", "876450"),
    ("SZLAMAWICZ", "486740"),
    ("SHLAMOVITZ", "486740"),
]
# Gary Mokotoff, "Soundexing and Genealogy" (avotaynu.com/soundex.htm): town names of the
# old Polish and Russian empires beside their transcriptions.
AVOTAYNU = [
    ("Ceniow", "467000 567000"),
    ("Tsenyuv", "467000"),
    ("Holubica", "587400 587500"),
    ("Golubitsa", "587400"),
    ("Przemysl", "746480 794648"),
    ("Pshemeshil", "746480"),
    ("Rosochowaciec", "944744 944745 944754 944755 945744 945745 945754 945755"),
    ("Rosokhovatsets", "945744"),
]
# The examples of the encyclopedia article on the algorithm.
ARTICLE = [
    ("Peters", "734000 739400"),
    ("Peterson", "734600 739460"),
    ("Moskowitz", "645740"),
    ("Moskovitz", "645740"),
    ("Jackson", "154600 145460 454600 445460"),
    (
        "Jackson-Jackson",
        "154654 154645 154644 145465 145464 454654 454645 454644 445465 445464",
    ),
]


@pytest.mark.parametrize(("name", "codes"), JEWISHGEN + AVOTAYNU + ARTICLE)
def test_published_codes(name: str, codes: str) -> None:
    assert set(dm_codes(name)) == set(codes.split())


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # Letters of one code side by side are coded once, also after a two-digit code:
        # A-KS-S-O-L is 0-54-8, not 0-54-4-8.
        ("AKSSOL", "054800"),
        ("Straßburg", "294795"),
        ("Strasburg", "294795"),
        ("Washington", "746536"),
        ("Kingsmith", "565463"),
        ("King-Smith", "565463"),
    ],
)
def test_adjacent_codes_and_folding(name: str, code: str) -> None:
    assert dm_codes(name) == (code,)


def test_branches_when_a_letter_has_two_readings() -> None:
    # RS is 94 or 4 and CH 5 or 4: four codes, none with the 4 of CH repeated after RS's 4.
    assert set(dm_codes("GERSCHFELD")) == {"547830", "545783", "594783", "594578"}


def test_russian_spellings_meet_through_romanisation() -> None:
    # Pitfall noted in the docs: the romanisation changes the code, so the index keeps several.
    assert dm_codes("Shcherbakov") == ("297570",)
    assert dm_codes("Scherbakov") == ("497570",)
    assert dm_codes("Neumann") == dm_codes("Nejman") == ("666000",)


def test_cyrillic_and_empty_give_nothing() -> None:
    assert dm_codes("Щербаков") == ()
    assert dm_codes("") == ()
    assert dm_codes("--'") == ()


def test_diacritics_folded() -> None:
    assert dm_codes("Müller") == dm_codes("Muller") == ("689000",)

"""One normalisation of nationality words, checked on the table itself, on the pairs the search
filter used to miss, and on every nationality word the parser finds in the real lists."""

from __future__ import annotations

import re

import pytest

from memorybook.vocab import (
    is_feminine_form,
    nationalities,
    nationality,
    nationality_key,
    nationality_label,
)

from ..parser import realdata

# The 25 women's -> men's forms the search filter used to hold, and the three it missed.
FILTER_PAIRS = {
    "полька": "поляк", "латышка": "латыш", "еврейка": "еврей", "немка": "немец",
    "русская": "русский", "украинка": "украинец", "белоруска": "белорус",
    "эстонка": "эстонец", "литовка": "литовец", "финка": "финн", "венгерка": "венгр",
    "армянка": "армянин", "гречанка": "грек", "татарка": "татарин", "кореянка": "кореец",
    "китаянка": "китаец", "грузинка": "грузин", "болгарка": "болгарин",
    "румынка": "румын", "чешка": "чех", "австрийка": "австриец", "мордовка": "мордвин",
    "сербка": "серб", "француженка": "француз", "англичанка": "англичанин",
    "японка": "японец", "шведка": "швед", "башкирка": "башкир",
}  # fmt: skip


@pytest.mark.parametrize(("woman", "man"), sorted(FILTER_PAIRS.items()))
def test_feminine_and_masculine_meet(woman: str, man: str) -> None:
    assert nationality_key(woman) == nationality_key(man) == man
    assert is_feminine_form(woman) and not is_feminine_form(man)


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("японцы", "японец"),
        ("Шведы", "швед"),
        ("башкиры", "башкир"),
        ("польский еврей", "еврей"),
        ("польская еврейка", "еврей"),
        ("горский еврей", "горский еврей"),  # a people of its own, not "еврей"
        ("крымская татарка", "крымский татарин"),
        ("русский (по другим данным - немец)", "русский"),
        ("русские;", "русский"),
        ("великоросс", "русский"),
        ("мадьяр", "венгр"),
        ("зыряне", "коми"),
        ("мордва", "мордвин"),
        ("Чёрногорец", "черногорец"),  # ё and capitals fold
    ],
)
def test_printed_forms(printed: str, key: str) -> None:
    assert nationality_key(printed) == key


@pytest.mark.parametrize("word", ["", None, "поэт", "член ВКП(б)", "б/п", "высшее", "русский поэт"])
def test_not_a_nationality(word: str | None) -> None:
    assert nationality_key(word) is None


def test_table_is_consistent() -> None:
    table = nationalities()
    assert len(table) >= 100
    seen: dict[str, str] = {}
    for n in table:
        assert nationality_key(n.key) == n.key
        assert n.en and n.en_plural and n.ru_plural
        assert nationality_key(n.ru_plural) == n.key  # the plural label is itself a form
        for form in n.forms:
            assert seen.setdefault(form, n.key) == n.key, form  # a form has one key
            assert nationality_key(form) == n.key
    # the seed's English names (../shared/seeds/003_c8fadf7ff04bb193.txt) for its table
    seeds = {n.en_plural for n in table if n.seed}
    assert {"Russians", "Poles", "Germans", "Latvians", "Koreans", "Buryats"} <= seeds
    assert len(seeds) == 15


def test_labels() -> None:
    assert nationality_label("японец", "en") == "Japanese"
    assert nationality_label(nationality_key("башкирка"), "en", plural=True) == "Bashkirs"
    assert nationality_label("поляк", "ru", plural=True) == "поляки"
    assert nationality_label("нет такого", "en") is None
    n = nationality("мухалиджанец")
    assert n is not None and not n.identified


# ---- every nationality word of the real lists ---------------------------------------------

_ALTERNATIVE = re.compile(r"\(\s*(?:по\s+другим\s+данным\s*[-–—,:]?\s*)?([^()]*)\)")


def _words(printed: str) -> list[str]:
    """The main nationality and each alternative in parentheses: `русский (по другим данным -
    немец)` -> [`русский`, `немец`]."""
    main = printed.split("(", 1)[0].strip(" ,;.")
    return [main] + [m.group(1).strip(" ,;.") for m in _ALTERNATIVE.finditer(printed)]


@pytest.mark.slow
@pytest.mark.skipif(not realdata.available(), reason="the lists are not in ../shared/data")
def test_every_nationality_word_of_the_real_lists_is_known() -> None:
    printed: dict[str, int] = {}
    for _, _, _, parsed in realdata.iter_parsed():
        value = parsed.values["nationality"]
        if value:
            for word in _words(value):
                printed[word.lower()] = printed.get(word.lower(), 0) + 1
    assert len(printed) >= 150  # the lists print many nationalities, in all their forms
    unknown = {w: n for w, n in printed.items() if nationality_key(w) is None}
    assert not unknown, unknown
    # the women's and men's forms the lists print meet under one key
    keys = {w: nationality_key(w) for w in printed}
    for woman, man in FILTER_PAIRS.items():
        if woman in keys and man in keys:
            assert keys[woman] == keys[man]
    women = [w for w in printed if is_feminine_form(w)]
    assert len(women) >= 30
    assert all(nationality_key(w) in keys.values() for w in women)


def test_the_search_filter_shares_the_vocabulary() -> None:
    from memorybook.search.filters import nationality_key as filter_key

    for woman, man in FILTER_PAIRS.items():
        assert filter_key(woman) == filter_key(man) == man
    assert filter_key("японцы") == filter_key("Японец") == "японец"
    assert filter_key("польская еврейка") == "еврей"
    assert filter_key("неизвестное слово") == "неизвестное слово"  # filters on itself
    assert filter_key(None) == ""


def test_an_unknown_phrase_never_takes_a_known_nationality() -> None:
    """The search filter's key of a phrase the vocabulary does not know is never the key of a
    known nationality, even where the phrase begins with one (`русский поэт`), and two
    unknown phrases share a key only when they fold to the same words."""
    from memorybook.search.filters import nationality_key as filter_key

    known = {n.key for n in nationalities()}
    seen: dict[str, str] = {}
    for n in nationalities():
        for form in sorted(n.forms):
            for extra in ("поэт", "из Риги", "немец", "(айсор) поэт"):
                phrase = f"{form} {extra}"
                if nationality_key(phrase) is not None:
                    continue
                key = filter_key(phrase)
                assert key not in known, phrase
                assert (
                    seen.setdefault(key, phrase.split("(")[0].strip())
                    == phrase.split("(")[0].strip()
                ), (phrase, seen[key])
    assert filter_key("русский поэт") == "русский поэт"
    assert filter_key("Марсианин (по другим данным - немец)") == "марсианин"

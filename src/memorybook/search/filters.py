"""Normalising the values the search filters on (nationality, burial place, source)."""

from __future__ import annotations

from memorybook.text.normalise import norm_word, split_words

# Women's forms of nationality words as the lists print them → the men's form, so a filter
# "поляк" also finds "полька".
_NATIONALITY_MASC = {
    "полька": "поляк", "латышка": "латыш", "еврейка": "еврей", "немка": "немец",
    "русская": "русский", "украинка": "украинец", "белоруска": "белорус",
    "эстонка": "эстонец", "литовка": "литовец", "финка": "финн", "венгерка": "венгр",
    "армянка": "армянин", "гречанка": "грек", "татарка": "татарин", "кореянка": "кореец",
    "китаянка": "китаец", "грузинка": "грузин", "болгарка": "болгарин",
    "румынка": "румын", "чешка": "чех", "австрийка": "австриец", "мордовка": "мордвин",
    "сербка": "серб", "француженка": "француз", "англичанка": "англичанин",
}  # fmt: skip


def nationality_key(value: str | None) -> str:
    if not value:
        return ""
    words = split_words(value)
    w = norm_word(words[0]) if words else ""
    return _NATIONALITY_MASC.get(w, w)


def place_key(value: str | None) -> str:
    if not value:
        return ""
    return " ".join(norm_word(w) for w in split_words(value))

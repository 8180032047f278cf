"""Normalising the values the search filters on (nationality, burial place, source)."""

from __future__ import annotations

from memorybook.text.normalise import norm_word, split_words
from memorybook.vocab.nationality import nationality_key as vocab_nationality_key


def nationality_key(value: str | None) -> str:
    """The filter key of a printed nationality: the shared vocabulary's canonical form
    (`японка`, `японцы` -> `японец`; memorybook.vocab), else every word printed before a
    remark in parentheses, folded: a phrase the vocabulary does not know filters and counts
    on itself, and is never merged into a known nationality by one of its words (`русский
    немец` is not `русский`). The entry parser reports such a phrase (`unknown_nationality`)."""
    if not value:
        return ""
    key = vocab_nationality_key(value)
    if key is not None:
        return key
    return " ".join(norm_word(w) for w in split_words(value.split("(", 1)[0]))


def place_key(value: str | None) -> str:
    if not value:
        return ""
    return " ".join(norm_word(w) for w in split_words(value))

"""Normalising the values the search filters on (nationality, burial place, source)."""

from __future__ import annotations

from memorybook.text.normalise import norm_word, split_words
from memorybook.vocab.nationality import nationality_key as vocab_nationality_key


def nationality_key(value: str | None) -> str:
    """The filter key of a printed nationality: the shared vocabulary's canonical form
    (`японка`, `японцы` -> `японец`; memorybook.vocab), else the first word as printed, folded
    (a word the vocabulary does not know still filters on itself)."""
    if not value:
        return ""
    key = vocab_nationality_key(value)
    if key is not None:
        return key
    words = split_words(value)
    return norm_word(words[0]) if words else ""


def place_key(value: str | None) -> str:
    if not value:
        return ""
    return " ".join(norm_word(w) for w in split_words(value))

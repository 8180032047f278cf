"""Controlled vocabularies shared by the parser, search, facets, statistics and pages: one
normalisation per idea (nationality first), each a data table with its sources."""

from memorybook.vocab.nationality import (
    Nationality,
    is_feminine_form,
    is_nationality_word,
    nationalities,
    nationality,
    nationality_key,
    nationality_label,
)

__all__ = [
    "Nationality",
    "is_feminine_form",
    "is_nationality_word",
    "nationalities",
    "nationality",
    "nationality_key",
    "nationality_label",
]

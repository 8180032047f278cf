"""English for the Russian words of the entries: the controlled vocabularies a reader of the
English pages needs glossed (sentencing bodies, burial places, sentences, party membership,
sex), each from a table that cites its sources, and names in Latin letters.

    english("sentence", "10 лет ИТЛ")                -> "10 years in a corrective labour camp"
    english("sentencing_body", "тройка при УНКВД …") -> "Troika of a regional NKVD directorate"
    english("burial_place", "Бутово")                -> "Butovo firing range"
    romanise_name("Милевский Сигизмунд Иосифович")   -> "Milevsky Sigizmund Iosifovich"

None means "no gloss": the Russian stands alone rather than a guess.
"""

from memorybook.glossary.terms import (
    DATE_FIELDS,
    body_name,
    burial_name,
    english,
    nationality_base,
    romanise_name,
    table,
)

__all__ = [
    "DATE_FIELDS",
    "body_name",
    "burial_name",
    "english",
    "nationality_base",
    "romanise_name",
    "table",
]

"""The compiled iuliia schemes give iuliia's output exactly, on every distinct word of the
real names (printed and case-folded) and on texts that leave the fast path."""

from __future__ import annotations

import re
from functools import cache

import iuliia
import pytest

from memorybook.text.translit import SCHEMES, compile_schema, transliterate

from ..conftest import LISTS_TEXTS, MOSCOW_PAGES, needs_data

# The iuliia schemes memorybook uses (text/translit.py SCHEMES) and, to show the compiler is
# not tuned to them, every other schema iuliia ships.
ALL = [
    s for s in vars(iuliia).values()
    if not isinstance(s, type) and hasattr(s, "translate") and hasattr(s, "samples")
]  # fmt: skip
EDGES = [
    "", "-", " ", "щербаков-иванов", "ЩЕРБАКОВ", "Щербаков", "ъе", "ье", "ий", "ый", "е", "ё",
    "ёж", "Мария Ёлкина", "Hиколай", "иван2", "д'артаньян", "йе", "тсс", "шч", "аы", "бэ",
    "Ильич!", "ЕЛЕНА", "Ёлкин", "ъ", "ь", "ьё", "ия", "ая", "ея",
]  # fmt: skip


@cache
def real_name_words() -> list[str]:
    """Distinct words of the names as the lists print them (the name before the first comma
    of a Moscow entry, the first line of a texts.txt entry), printed and case-folded."""
    from memorybook.ingest.formats.memorial_lists import iter_entries as lists_entries
    from memorybook.ingest.formats.memorial_moscow import iter_entries as moscow_entries

    heads = [e.verbatim.split(",")[0] for e in moscow_entries(MOSCOW_PAGES)]
    heads += [e.verbatim.split("\n")[0] for e in lists_entries(LISTS_TEXTS)]
    words = {w for h in heads for w in re.findall(r"[\w'-]+", h)}
    return sorted(words | {w.casefold() for w in words})


@pytest.mark.parametrize("schema", ALL, ids=lambda s: s.name)
def test_compiled_equals_iuliia_on_edge_texts(schema: object) -> None:
    compiled = compile_schema(schema)
    for text in EDGES:
        assert compiled(text) == schema.translate(text), text  # type: ignore[attr-defined]


@needs_data
@pytest.mark.parametrize("schema", ALL, ids=lambda s: s.name)
def test_compiled_equals_iuliia_on_every_real_name_word(schema: object) -> None:
    compiled = compile_schema(schema)
    words = real_name_words()
    assert len(words) > 20_000  # the Moscow and national lists' names, not a sample
    differ = [w for w in words if compiled(w) != schema.translate(w)]  # type: ignore[attr-defined]
    assert differ == []


def test_schemes_use_the_compiled_tables() -> None:
    # The scheme functions keep their contract: ё post-mapped, no Cyrillic left, case-folded.
    assert transliterate("ЁЛКИН", "bgn") == "yëlkin"
    assert transliterate("хрущёв", "iso9") == "hruŝëv"
    assert SCHEMES["popular"][1]("юрьевич") == iuliia.WIKIPEDIA.translate("юрьевич")

"""The parser's memo caches are bounded in bytes too: a long text is read, never kept."""

from __future__ import annotations

from memorybook.dates.parser import find_dates, find_dates_any_century, find_dates_cached
from memorybook.ingest.bodies import _classify
from memorybook.ingest.parser.lists import _classify_line, _sentence_marks
from memorybook.text.memo import MAX_CHARS, short_text_memo
from memorybook.vocab.nationality import nationality_key


def test_short_texts_are_memoised_long_ones_computed_each_time() -> None:
    calls: list[str] = []

    @short_text_memo(maxsize=4)
    def length(text: str) -> int:
        calls.append(text)
        return len(text)

    long = "я" * (MAX_CHARS + 1)
    got = [length("abc"), length("abc"), length(long), length(long)]
    assert got == [3, 3, MAX_CHARS + 1, MAX_CHARS + 1]
    assert calls == ["abc", long, long]
    assert length.cache_info().currsize == 1
    length.cache_clear()
    assert length.cache_info().currsize == 0
    assert length.__name__ == "length" and length.__doc__ is None


def test_the_parser_caches_keep_no_long_text() -> None:
    text = "Родился в 1900 г. " + "слово " * 100 + "Расстрелян 17.05.1938."
    assert len(text) > MAX_CHARS
    caches = (find_dates_cached, find_dates_any_century, _classify_line, _sentence_marks,
              _classify, nationality_key)  # fmt: skip
    before = [c.cache_info().currsize for c in caches]
    assert find_dates_cached(text) == tuple(find_dates(text))
    find_dates_any_century(text)
    _classify_line(text)
    _sentence_marks(text)
    _classify(text)
    nationality_key(text)
    assert [c.cache_info().currsize for c in caches] == before
    assert find_dates_cached("17.05.1938") == find_dates_cached("17.05.1938")
    assert find_dates_cached.cache_info().currsize >= 1
    assert nationality_key(None) is None

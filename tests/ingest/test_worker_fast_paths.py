"""The import workers' fast paths give exactly what the plain code gives.

Each shortcut taken for import speed (issue 11: memo caches in front of pure functions,
entries sent to the workers as tuples, JSON written without a new encoder per call, name
words split without the token regex) is checked here against the code it stands for, on
the real lists where they are present and on generated or random texts."""

from __future__ import annotations

import json
import pickle
import random
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from memorybook.dates.parser import find_dates, find_dates_any_century, find_dates_cached
from memorybook.ingest.entry import ENTRY_KEYS
from memorybook.ingest.formats import RawEntry, memorial_lists
from memorybook.ingest.parallel import build_compact_batch, compact_batch, expand_batch
from memorybook.ingest.parser import parse_entry
from memorybook.ingest.parser.lists import (
    _ALNUM,
    _birth_part,
    _classify_line,
    _rehab_body,
    _sentence_marks,
)
from memorybook.ingest.parser.names import _TOKEN, name_tokens
from memorybook.ingest.rows import BatchContext, build_batch
from memorybook.storage.record_codec import dumps, encode_spans
from memorybook.text.memo import short_text_memo
from memorybook.text.normalise import is_cyrillic
from memorybook.vocab.nationality import is_feminine_form, nationality_key

LISTS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "memorial-lists-texts"


def _real_entries(limit: int) -> list[RawEntry]:
    if not (LISTS / "texts.txt").is_file():
        pytest.skip("the real lists are not under ../shared/data")
    return _first_entries()[:limit]


@cache
def _first_entries() -> list[RawEntry]:
    out = []
    for e in memorial_lists.iter_entries(LISTS / "texts.txt"):
        if not e.empty:
            out.append(e)
        if len(out) >= 1000:
            break
    return out


# --- entries sent to the workers -----------------------------------------------------------


def _shapes() -> list[RawEntry]:
    """Entries of every shape a reader makes: plain ones travel as tuples, the others whole."""
    v = "Родился в 1900 г.\nРасстрелян 17.05.1938"

    def e(**kw: Any) -> RawEntry:
        base: dict[str, Any] = {
            "locator": {"file": "a.txt", "index": 3},
            "verbatim": v,
            "raw": v,
            "raw_start": 10,
            "raw_end": 10 + len(v),
            "line": 4,
        }
        base.update(kw)
        return RawEntry(**base)

    return [
        e(),
        e(raw="<B>" + v),  # raw differs from the verbatim text (HTML pages)
        e(raw=str(v + " ")[:-1]),  # equal text, another object
        e(context={"list": "1"}),
        e(warnings=["unterminated_entry: x"]),
        e(given={"surname": "Иванов"}),
        e(oversize={"bytes": 1, "sha256": "0"}),
        e(blank=True),
        e(locator={"file": "a.txt", "index": 3, "row": 7}),
        e(locator={"index": 3, "file": "a.txt"}),  # key order is kept, so not compacted
    ]


def test_entries_reach_the_workers_field_for_field() -> None:
    batch = [(entry, f"key{i}", i + 1) for i, entry in enumerate(_shapes())]
    sent = compact_batch(batch)
    assert [isinstance(x, tuple) for x, _, _ in sent[:3]] == [True, True, True]
    assert not any(isinstance(x, tuple) for x, _, _ in sent[3:])
    back = expand_batch(pickle.loads(pickle.dumps(sent)))
    assert back == batch
    for (got, _, _), (want, _, _) in zip(back, batch, strict=True):
        assert list(got.locator) == list(want.locator)
        assert got.raw == want.raw and got.verbatim == want.verbatim


def test_compact_batches_build_the_same_rows() -> None:
    entries = _real_entries(600)
    ctx = BatchContext("memorial-lists:t", 1, "lists", False, False, None)
    batch = [(e, f"{i:032x}", i + 1) for i, e in enumerate(entries)]
    sent = pickle.loads(pickle.dumps(compact_batch(batch)))
    assert build_compact_batch(ctx, sent) == build_batch(ctx, batch)


# --- memo caches ---------------------------------------------------------------------------


def test_memo_passes_keywords_and_long_texts_through_uncached() -> None:
    calls: list[tuple[str, int]] = []

    @short_text_memo(maxsize=8, max_chars=5)
    def add(text: str, n: int = 0) -> int:
        calls.append((text, n))
        return len(text) + n

    assert [add("ab"), add("ab"), add("ab", 1), add("ab", 1)] == [2, 2, 3, 3]
    assert add("ab", n=2) == add("ab", n=2) == 4  # keywords: computed every time
    assert add("abcdef") == add("abcdef") == 6  # over max_chars: computed every time
    assert calls == [("ab", 0), ("ab", 1), ("ab", 2), ("ab", 2), ("abcdef", 0), ("abcdef", 0)]
    assert add.cache_info().currsize == 2
    with pytest.raises(TypeError):
        add()  # type: ignore[call-arg]


@cache
def _texts() -> list[str]:
    """Lines and `;`-parts of real entries (or of a few made-up ones), with random noise."""
    try:
        lines = [ln for e in _real_entries(1000) for ln in e.verbatim.splitlines()]
    except pytest.skip.Exception:
        lines = ["Родился в 1900 г., г. Москва; русская; б/п; образование среднее"]
    parts = [p.strip() for ln in lines for p in ln.split(";")]
    rng = random.Random(11)
    alphabet = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЕКМНОРСТХ.,;:() -/0123456789"
    noise = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(500)]
    return [*lines, *parts, *noise, "", "русская", "польская еврейка", "японка (кореянка)"]


@pytest.mark.parametrize(
    "fn",
    [
        _birth_part,
        _classify_line,
        _sentence_marks,
        find_dates_any_century,
        nationality_key,
        is_feminine_form,
    ],
    ids=lambda f: f.__name__,
)
def test_memoised_parser_functions_equal_the_functions_themselves(fn: Any) -> None:
    plain: Callable[[str], Any] = fn.__wrapped__
    texts = _texts()
    assert [fn(t) for t in texts] == [plain(t) for t in texts]
    assert [fn(t) for t in texts] == [plain(t) for t in texts]  # from the cache this time


def test_memoised_rehabilitating_bodies_equal_the_function_itself() -> None:
    texts = [t for t in _texts() if len(t) > 3][:1500]
    cases = [(t, pos) for t in texts for pos in (0, 1, len(t) // 2)]
    assert [_rehab_body(t, p) for t, p in cases] == [
        _rehab_body.__wrapped__(t, p) for t, p in cases
    ]
    got = parse_entry("Реабилитирован 12.05.1989 прокуратурой Омской обл. по указу", "lists")
    assert got.values["rehabilitating_body"] == "прокуратурой Омской обл"


def test_cached_dates_equal_read_dates() -> None:
    for text in _texts()[:1500]:
        assert find_dates_cached(text, 19) == tuple(find_dates(text, 19))


# --- JSON of the record columns ------------------------------------------------------------


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def test_dumps_writes_what_json_dumps_writes() -> None:
    odd = 'кавычки " и \\ слэш, \t\n\x00\x1f\x7f\u2028\u2029 \ud800 ё 🙂 <b>&amp;</b>'
    values: list[Any] = [
        {},
        {"sex": "f", "executed": True, "death": "1938-05-17", "x": None, "y": False},
        {"a": odd, odd: "b"},
        {"n": 1, "f": 1.5, "big": 10**30, "nan": float("nan")},  # not plain: json writes them
        {1: "int key", "s": "t"},
        {"list": [1, "2", None], "nested": {"k": True}},
        {"date": __import__("datetime").date(1938, 5, 17)},  # default=str
        [1, 2, 3],
        "text",
        None,
    ]
    for value in values:
        assert dumps(value) == _json(value)
    rng = random.Random(3)
    pool = [chr(c) for c in (*range(0, 0x80), 0x401, 0x451, *range(0x410, 0x450), 0x2028)]
    for _ in range(2000):
        d = {
            "".join(rng.choice(pool) for _ in range(rng.randint(0, 8))): rng.choice(
                ["".join(rng.choice(pool) for _ in range(rng.randint(0, 20))), None, True, False]
            )
            for _ in range(rng.randint(0, 6))
        }
        assert dumps(d) == _json(d)


def _spans_reference(spans: dict[str, Any], keys: tuple[str, ...]) -> str:
    """encode_spans as it was written before the fast path."""
    at = {k: i for i, k in enumerate(keys)}
    if any(k not in at for k in spans):
        return _json(spans)
    flat: list[Any] = []
    for key, (start, end) in spans.items():
        flat += (at[key], start, end)
    return _json(flat)


def test_encode_spans_writes_what_it_wrote() -> None:
    keys = ("surname", "given_name", "sex", "birth")
    cases: list[dict[str, Any]] = [
        {},
        {"surname": (0, 6), "birth": (10, 14)},
        {"sex": (3, 3), "given_name": (7, 12)},
        {"surname": (0, 6), "unknown": (1, 2)},  # a key outside the order: an object
        {"surname": (True, 6)},  # not plain numbers: written by json itself
        {"surname": [0, 6]},
    ]
    for spans in cases:
        assert encode_spans(spans, keys) == _spans_reference(spans, keys)
    for entry in _real_entries(500):
        parsed = parse_entry(entry.verbatim, "lists")
        assert encode_spans(parsed.spans, ENTRY_KEYS) == _spans_reference(parsed.spans, ENTRY_KEYS)


# --- names ---------------------------------------------------------------------------------


def _tokens_reference(v: str, start: int, end: int) -> tuple[list[tuple[int, int]], list[str]]:
    words: list[tuple[int, int]] = []
    aliases: list[str] = []
    for m in _TOKEN.finditer(v, start, end):
        s, e = m.span()
        if v[s] == "(":
            alias = v[s + 1 : e - 1 if v[e - 1] == ")" else e].strip()
            if alias:
                aliases.append(alias)
        else:
            words.append((s, e))
    return words, aliases


def test_name_words_are_the_token_regex_words() -> None:
    # Every kind of Unicode white space str.split() and the regex's \s must agree on.
    spaces = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u2029\u202f\u3000"
    alphabet = list("абвЁЖАБВabcX-'’.,;()") + list(spaces) + ["\u200b", "\ufeff", "\x00"]
    rng = random.Random(7)
    for _ in range(20000):
        v = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        a = rng.randint(0, len(v))
        b = rng.randint(a, len(v))
        assert name_tokens(v, a, b) == _tokens_reference(v, a, b), (v, a, b)


def test_is_cyrillic_counts_as_before() -> None:
    cyr, lat = re.compile(r"[\u0400-\u04ff]"), re.compile(r"[a-z]")

    def reference(text: str) -> bool:
        return len(cyr.findall(text)) >= len(lat.findall(text.casefold())) and bool(
            cyr.search(text)
        )

    rng = random.Random(9)
    alphabet = "абвгдеёАБВЁaceopxyKİẞß-' 1"
    for _ in range(20000):
        w = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        assert is_cyrillic(w) == reference(w), w


def test_the_letter_or_digit_pattern_is_isalnum() -> None:
    pattern = re.compile(r"[^\W_]")  # as parser/lists.py's _ALNUM
    assert _ALNUM.pattern == pattern.pattern
    differ = [c for c in range(0x110000) if (pattern.match(chr(c)) is None) == chr(c).isalnum()]
    assert differ == []

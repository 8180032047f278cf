"""Memoisation of functions of a short text: bounded in entries AND in bytes.

The parser memoises its readings of phrases and lines because they recur thousands of times
in a list (`Приговор: ВМН`). A plain `lru_cache(maxsize=N)` bounds the number of entries,
not their size: fed long texts (a fuzzer's inputs, a hostile file's 60 KB lines) its keys
alone grew to about a gigabyte. Recurring phrases are short — of 35,000 real entries' lines
and date slots, fewer than 0.5 % were longer than 200 characters and few of those recurred —
so a text longer than `max_chars` is computed every time and never kept."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, update_wrapper
from typing import Any, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

MAX_CHARS = 200  # the longest text kept


class ShortTextMemo(Generic[P, R]):
    """`fn` memoised (LRU, `maxsize` entries) for calls whose first argument, a text, has at
    most `max_chars` characters; longer texts call `fn` itself."""

    def __init__(self, fn: Callable[P, R], maxsize: int, max_chars: int = MAX_CHARS) -> None:
        self._fn = fn
        self._cached: Callable[..., R] = lru_cache(maxsize=maxsize)(fn)
        self.max_chars = max_chars
        update_wrapper(self, fn)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        text: Any = args[0] if args else None
        if isinstance(text, str) and len(text) > self.max_chars:
            return self._fn(*args, **kwargs)
        return self._cached(*args, **kwargs)

    def cache_clear(self) -> None:
        self._cached.cache_clear()  # type: ignore[attr-defined]

    def cache_info(self) -> Any:
        return self._cached.cache_info()  # type: ignore[attr-defined]


def short_text_memo(
    maxsize: int, max_chars: int = MAX_CHARS
) -> Callable[[Callable[P, R]], ShortTextMemo[P, R]]:
    """Decorator form of `ShortTextMemo`."""

    def wrap(fn: Callable[P, R]) -> ShortTextMemo[P, R]:
        return ShortTextMemo(fn, maxsize, max_chars)

    return wrap


__all__ = ["MAX_CHARS", "ShortTextMemo", "short_text_memo"]

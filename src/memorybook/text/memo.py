"""Memoisation of functions of a short text: bounded in entries AND in bytes.

The parser memoises its readings of phrases and lines because they recur thousands of times
in a list (`Приговор: ВМН`). A plain `lru_cache(maxsize=N)` bounds the number of entries,
not their size: fed long texts (a fuzzer's inputs, a hostile file's 60 KB lines) its keys
alone grew to about a gigabyte. Recurring phrases are short — of 35,000 real entries' lines
and date slots, fewer than 0.5 % were longer than 200 characters and few of those recurred —
so a text longer than `max_chars` is computed every time and never kept.

The wrapper is a plain function over `functools.lru_cache` (positional arguments only;
keywords go to the function uncached): an import calls these caches about 14 times an
entry, and a class with `__call__(*args, **kwargs)` in front of the cache cost about as much
CPU as the cache lookups themselves (py-spy on a national-size import)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, update_wrapper
from typing import Any, Generic, ParamSpec, Protocol, TypeVar, cast

P = ParamSpec("P")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)

MAX_CHARS = 200  # the longest text kept


class ShortTextMemo(Protocol, Generic[P, R_co]):
    """`fn` memoised (LRU, `maxsize` entries) for calls whose first argument, a text, has at
    most `max_chars` characters; longer texts call `fn` itself."""

    max_chars: int

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R_co: ...

    def cache_clear(self) -> None: ...

    def cache_info(self) -> Any: ...


def short_text_memo(
    maxsize: int, max_chars: int = MAX_CHARS
) -> Callable[[Callable[P, R]], ShortTextMemo[P, R]]:
    """Decorator: `fn` as a `ShortTextMemo`."""

    def wrap(fn: Callable[P, R]) -> ShortTextMemo[P, R]:
        cached: Any = lru_cache(maxsize=maxsize)(fn)
        call: Any = fn

        def memo(text: Any, *rest: Any, **kwargs: Any) -> Any:
            if kwargs or (isinstance(text, str) and len(text) > max_chars):
                return call(text, *rest, **kwargs)
            return cached(text, *rest)

        update_wrapper(memo, fn)
        out: Any = memo
        out.max_chars = max_chars
        out.cache_clear = cached.cache_clear
        out.cache_info = cached.cache_info
        return cast(ShortTextMemo[P, R], out)

    return wrap


__all__ = ["MAX_CHARS", "ShortTextMemo", "short_text_memo"]

"""Where the seed documents live and how a `para:` locator reads them.

A locator's `para` counts the non-empty lines of a seed from 1: in every seed a paragraph,
a heading, a list item and a table row each sit on one line.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

# src/memorybook/reference/seeds.py -> parents[3] is the repository root.
_REPO = Path(__file__).resolve().parents[3]


def seeds_dir() -> Path:
    """`$MEMORYBOOK_SEEDS`, else `<repo>/../shared/seeds` (which may not exist)."""
    env = os.environ.get("MEMORYBOOK_SEEDS")
    if env:
        return Path(env)
    return (_REPO / ".." / "shared" / "seeds").resolve()


@lru_cache(maxsize=16)
def read_paragraphs(path: Path) -> tuple[str, ...]:
    text = path.read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def paragraph(path: Path, para: int) -> str:
    paras = read_paragraphs(path)
    if not 1 <= para <= len(paras):
        raise IndexError(f"{path.name} has {len(paras)} paragraphs, not {para}")
    return paras[para - 1]

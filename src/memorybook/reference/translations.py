"""The reference data in the reader's language.

The authored YAML is English; `data/ru.yaml` holds our Russian versions of its prose
(operation names, targets and procedures, orders, figure notes, table and document titles).
`localise(kind, key, field, english, lang)` gives the text for a page: the English as
authored for "en", the Russian version for "ru" (the English if none was written, which the
tests forbid for every item the data holds).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from memorybook.errors import ReferenceDataError
from memorybook.reference.loader import DATA_DIR

KINDS = ("operations", "orders", "trials", "tables", "sources")


@lru_cache(maxsize=4)
def russian(data_dir: Path = DATA_DIR) -> Mapping[str, Any]:
    """The parsed ru.yaml: {kind: {key: {field: text}}, "notes": {english: russian}}."""
    path = data_dir / "ru.yaml"
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise ReferenceDataError(f"{path}: cannot read ({e})") from e
    if not isinstance(doc, dict):
        raise ReferenceDataError(f"{path}: expected a mapping at the top")
    return doc


def _clean(text: object) -> str | None:
    return " ".join(str(text).split()) if text is not None else None


def localise(kind: str, key: str, field: str, english: str | None, lang: str) -> str | None:
    """One field of one reference item (`kind` is one of KINDS)."""
    if english is None or lang != "ru":
        return english
    item = (russian().get(kind) or {}).get(key) or {}
    return _clean(item.get(field)) or english


def note(english: str | None, lang: str) -> str | None:
    """A figure's note in `lang`."""
    if english is None or lang != "ru":
        return english
    return _clean((russian().get("notes") or {}).get(english)) or english

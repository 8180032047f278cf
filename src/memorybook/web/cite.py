"""Ready citations of a record's place in its list."""

from __future__ import annotations

from pathlib import PurePosixPath

WORDS = {
    "en": {"page": "page", "entry": "entry", "file": "file"},
    "ru": {"page": "стр.", "entry": "запись", "file": "файл"},
}


def locator_text(file: str, idx: int, lang: str = "en") -> str:
    """`page 14, entry 8` for a numbered page, else `file texts.txt, entry 1235`.
    Entries are counted from 1 for readers; the stored index counts from 0."""
    w = WORDS.get(lang, WORDS["en"])
    stem = PurePosixPath(file).stem
    where = f"{w['page']} {stem}" if stem.isdigit() else f"{w['file']} {file}"
    return f"{where}, {w['entry']} {int(idx) + 1}"


def citation(title: str, file: str, idx: int, lang: str = "en") -> str:
    return f"{title}, {locator_text(file, idx, lang)}"

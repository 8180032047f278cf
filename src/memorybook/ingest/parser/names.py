"""Names: surname / given name / the rest as patronymic; parenthesised parts are variants."""

from __future__ import annotations

import re

from memorybook.ingest.parser.core import Builder

_TOKEN = re.compile(r"\([^)]*\)?|[^\s()]+")
_FEM_PATRONYMIC = re.compile(r"(?:вна|чна|кызы|гызы)$")
_MASC_PATRONYMIC = re.compile(r"(?:вич|ич|оглы|улы)$")


def set_name(b: Builder, start: int, end: int) -> None:
    v = b.v
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
    if aliases:
        b.entry.extra["aliases"] = aliases
    if not words:
        b.warn("no_name", v[start:end][:40])
        return
    b.check_script(start, end)
    b.text("surname", *words[0])
    if len(words) > 1:
        b.text("given_name", *words[1])
    if len(words) > 2:
        s, e = words[2][0], words[-1][1]
        b.text("patronymic", s, e)
        last = v[words[-1][0] : words[-1][1]].lower()
        if _FEM_PATRONYMIC.search(last):
            b.sex("f", *words[-1], 2)
        elif _MASC_PATRONYMIC.search(last):
            b.sex("m", *words[-1], 2)

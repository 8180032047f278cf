"""Names: surname / given name / the rest as patronymic; parenthesised parts are variants."""

from __future__ import annotations

import re

from memorybook.ingest.parser.core import Builder

_TOKEN = re.compile(r"\([^)]*\)?|[^\s()]+")
_FEM_PATRONYMIC = re.compile(r"(?:вна|чна|кызы|гызы)$")
_MASC_PATRONYMIC = re.compile(r"(?:вич|ич|оглы|улы)$")


def name_tokens(v: str, start: int, end: int) -> tuple[list[tuple[int, int]], list[str]]:
    """The spans of the name words of v[start:end] and the variants printed in parentheses
    (as `_TOKEN` reads them)."""
    words: list[tuple[int, int]] = []
    aliases: list[str] = []
    seg = v[start:end]
    if "(" not in seg and ")" not in seg:
        # Without parentheses `_TOKEN` finds the runs of non-space characters, which is what
        # str.split() gives (both use Unicode's white space): about a third of the regex's
        # cost, and nearly every name line is such.
        pos = start
        for w in seg.split():
            s = v.find(w, pos, end)
            pos = s + len(w)
            words.append((s, pos))
        return words, aliases
    for m in _TOKEN.finditer(v, start, end):
        s, e = m.span()
        if v[s] == "(":
            alias = v[s + 1 : e - 1 if v[e - 1] == ")" else e].strip()
            if alias:
                aliases.append(alias)
        else:
            words.append((s, e))
    return words, aliases


def set_name(b: Builder, start: int, end: int) -> None:
    v = b.v
    words, aliases = name_tokens(v, start, end)
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

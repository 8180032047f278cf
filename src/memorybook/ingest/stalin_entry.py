"""The parsed form of a Politburo list entry: a printed name, plus what its list says.

The lists print `SURNAME Given Patronymic`, the surname in capitals. The record keeps the
name as printed (its verbatim text) and stores the surname properly cased (`Александровский`),
its span pointing at the printed capitals. Editors' remarks in square brackets
(`[вписано от руки]`, `[нрзб]`) and words printed struck through are annotations, not parts
of the name; parenthesised names and the name after `он же` are variants (aliases). The
approval of the list is an event with the list's date, so linkage can compare it with dates
of execution."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from memorybook.ingest.entry import ParsedEntry
from memorybook.ingest.formats.base import RawEntry
from memorybook.model.dates import DateValue

_BRACKETS = re.compile(r"\[[^\]]*\]?")
_ALSO = re.compile(r",?\s*(?<!\w)(?:он|она|они)\s*-?\s*же(?!\w),?\s*", re.IGNORECASE)
_PAREN = re.compile(r"\([^)]*\)?")
_TOKEN = re.compile(r"\([^)]*\)?|[^\s(),]+")
_FEM_PATRONYMIC = re.compile(r"(?:вна|чна|кызы|гызы)$")
_MASC_PATRONYMIC = re.compile(r"(?:вич|ич|оглы|улы)$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def is_capitals(word: str) -> bool:
    """A word printed in capitals (`АЛЕКСАНДРОВСКИЙ`, also `ДьЯЧЕНКО` with one lower-case
    letter): most of its letters are upper case. Initials (`Л.`) are not."""
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 2:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper * 2 > len(letters)


def cased(word: str) -> str:
    """`АРСЕНИЧ-БЕРЕЗОВСКИЙ` → `Арсенич-Березовский`; words not in capitals stay as printed."""
    if not is_capitals(word):
        return word
    return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))


def sanction_date(context: dict[str, Any]) -> DateValue | None:
    iso = context.get("list_date")
    m = _ISO_DATE.match(iso or "")
    if m is None:
        return None
    try:
        day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return DateValue(iso or "", day, day, printed=context.get("list_date_printed") or iso or "")


def _excluded(verbatim: str, context: dict[str, Any]) -> list[tuple[int, int, str]]:
    """Spans that are not part of the name: bracketed remarks and struck-through words."""
    out = [(m.start(), m.end(), "editorial") for m in _BRACKETS.finditer(verbatim)]
    for span in context.get("struck_words") or []:
        a, b = int(span[0]), int(span[1])
        if 0 <= a < b <= len(verbatim):
            out.append((a, b, "struck"))
    return sorted(out)


def _words(
    v: str, start: int, end: int, excluded: list[tuple[int, int, str]]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Name words and parenthesised variants between start and end, skipping excluded
    spans; the name stops at the first comma (what follows is a remark such as `сын Молла`)."""
    words: list[tuple[int, int]] = []
    parens: list[tuple[int, int]] = []
    stop = _first_comma(v, start, end)
    for m in _TOKEN.finditer(v, start, stop):
        s, e = m.span()
        if any(a < e and s < b for a, b, _ in excluded):
            continue
        (parens if v[s] == "(" else words).append((s, e))
    return words, parens


def _first_comma(v: str, start: int, end: int) -> int:
    """The first comma outside parentheses between start and end (else end)."""
    depth = 0
    for i in range(start, end):
        c = v[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif c == "," and depth == 0:
            return i
    return end


def _name_parts(
    v: str, words: list[tuple[int, int]]
) -> tuple[tuple[int, int] | None, tuple[int, int] | None, tuple[int, int] | None, int]:
    """Spans of surname, given name and patronymic among the words, and how many words the
    surname takes: the leading words in capitals (`ТЕР ДАВТЯН`), one word where the whole
    name is in capitals."""
    if not words:
        return None, None, None, 0
    caps = 0
    while caps < len(words) and is_capitals(v[words[caps][0] : words[caps][1]]):
        caps += 1
    n = caps if 0 < caps < len(words) else 1
    surname = (words[0][0], words[n - 1][1])
    given = words[n] if len(words) > n else None
    patronymic = (words[n + 1][0], words[-1][1]) if len(words) > n + 1 else None
    return surname, given, patronymic, n


def _joined(v: str, words: list[tuple[int, int]]) -> str:
    return " ".join(cased(v[s:e]) for s, e in words)


def _aliases_from(v: str, start: int, end: int, excluded: list[tuple[int, int, str]]) -> list[Any]:
    """The names after `он же`, separated by commas. A name that starts with a word in
    capitals is read as surname, given name, patronymic (`МАРГОЛИН Сема Гершевич`); other
    words (`Иоганс Фридрихович`, `Шлемович`) are left to the search's reading of variants."""
    out: list[Any] = []
    pos = start
    while pos < end:
        stop = _first_comma(v, pos, end)
        words, _ = _words(v, pos, stop, excluded)
        pos = stop + 1
        if not words:
            continue
        if not is_capitals(v[words[0][0] : words[0][1]]):
            out.append(_joined(v, words))
            continue
        _, g, p, n = _name_parts(v, words)
        alias = {"surname": _joined(v, words[:n])}
        if g is not None:
            alias["given_name"] = cased(v[g[0] : g[1]])
        if p is not None:
            alias["patronymic"] = _joined(v, words[n + 1 :])
        out.append(alias)
    return out


def parse_stalin_entry(entry: RawEntry) -> ParsedEntry:
    parsed = ParsedEntry()
    v = entry.verbatim
    ctx = entry.context
    values, extra = parsed.values, parsed.extra
    excluded = _excluded(v, ctx)
    if excluded:
        extra["annotations"] = [
            {"kind": kind, "text": v[a:b], "span": [a, b]} for a, b, kind in excluded
        ]
    # `он же` outside parentheses starts another name; inside them it introduces a variant.
    inside = [m.span() for m in _PAREN.finditer(v)]
    also = [m for m in _ALSO.finditer(v) if not any(a <= m.start() < b for a, b in inside)]
    end = also[0].start() if also else len(v)
    words, parens = _words(v, 0, end, excluded)
    surname, given, patronymic, n = _name_parts(v, words)
    aliases: list[Any] = []
    if surname is not None:
        values["surname"] = _joined(v, words[:n])
        parsed.spans["surname"] = surname
    else:
        parsed.warnings.append(f"no_name: {v[:40]!r}")
    if given is not None:
        values["given_name"] = cased(v[given[0] : given[1]])
        parsed.spans["given_name"] = given
    if patronymic is not None:
        values["patronymic"] = _joined(v, words[n + 1 :])
        parsed.spans["patronymic"] = patronymic
        last = v[words[-1][0] : words[-1][1]].lower()
        if _FEM_PATRONYMIC.search(last):
            values["sex"] = "f"
        elif _MASC_PATRONYMIC.search(last):
            values["sex"] = "m"
    for s, e in parens:
        inner = v[s + 1 : e - 1 if v[e - 1] == ")" else e].strip()
        lead = _ALSO.match(inner)
        inner = inner[lead.end() :] if lead else inner
        # A name in capitals right after the surname is another surname (`ПРОНЬ (ПАНАСЕНКО)`,
        # `(ПШЕПАЛИНСКАЯ, ЗИНГЕР)`); other variants are left to the search's reading.
        after_surname = surname is not None and s > surname[1] and (given is None or s < given[0])
        for piece in inner.split(","):
            ws = piece.split()
            if not ws:
                continue
            if after_surname and all(is_capitals(w) for w in ws):
                aliases.append({"surname": " ".join(cased(w) for w in ws)})
            else:
                aliases.append(" ".join(cased(w) for w in ws))
    for i, m in enumerate(also):
        stop = also[i + 1].start() if i + 1 < len(also) else len(v)
        aliases.extend(_aliases_from(v, m.end(), stop, excluded))
    for a, b, kind in excluded:
        if kind == "struck" and v[a:b].strip():
            aliases.append(" ".join(cased(w) for w in v[a:b].split()))
    if aliases:
        extra["aliases"] = aliases
    fields = ctx.get("entry") or {}
    position = fields.get("primzv")
    if isinstance(position, str) and position.strip().rstrip(".;,").strip():
        values["occupation"] = position.strip().rstrip(".;,").strip()
    if fields.get("id") is not None:
        extra["source_person_id"] = str(fields["id"])
    if ctx.get("category") is not None:
        extra["category"] = ctx["category"]
    date = sanction_date(ctx)
    if date is not None:
        parsed.dates["sanction"] = date
    extra["sanction"] = {
        "list": ctx.get("list"),
        "date": date.edtf if date else None,
        "title": ctx.get("list_title"),
    }
    return parsed

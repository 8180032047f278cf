"""Shared machinery of the entry parsers: span trimming, setting fields once, sex evidence,
comma splitting that respects parentheses and quotes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from memorybook.dates import DateMatch
from memorybook.dates.parser import doubtful_value, find_dates_any_century, find_dates_cached
from memorybook.ingest.entry import ParsedEntry
from memorybook.vocab.nationality import is_feminine_form, nationality_key

# A date slot: the date follows its label closely (`Родился в 1900`, `Расстрелян 17.05.1938`).
_SLOT_LEAD = 6
_SLOT_WORDS = 16  # how far past a slot's lead a date still counts as the slot's, unread
# `по Закону от 18 октября 1991 г.`: a document's date, not the slot's
_DOCUMENT_DATE = re.compile(r"(?:^|\s)от$", re.IGNORECASE)
# Words between a label and its date that say nothing about the date (`Родился в 1900`,
# `Арестован повторно 1.5.42`, `Арестован в третий раз 27.2.32`).
_SLOT_FILLER = re.compile(
    r"[\s:,.\-–—]*(?:(?:в|во|повторно|вторично|вновь|снова|"
    r"(?:(?:в|во)\s+)?(?:второй|третий|четвертый|пятый)\s+раз)\s*)?$",
    re.IGNORECASE,
)
_TRAIL = " \t\r\n.,;:"
_LEAD = " \t\r\n,;:"
_TRAIL_SET = frozenset(_TRAIL)
_LEAD_SET = frozenset(_LEAD)
_YEAR4 = re.compile(r"(?<!\d)(1[5-9]|20)\d\d(?!\d)")
_LATIN = re.compile(r"[A-Za-z]")
_CYR = re.compile(r"[А-Яа-яЁё]")

# Party membership and its continuations (Moscow list: comma-separated). `член` is a party
# membership only before a party's name (`член ВКП(б)`, `член КП Польши`, `член Бунда`), not
# `член Московского обл. суда` or `член Союза писателей`.
_PARTY_NAME = (
    # the first word a party's abbreviation (`член ВКП(б)`, `член МНРП`, `член СЕПГ`), or a
    # party word within the first three (`член КП Польши`, `член польской компартии`, `член
    # Венгерской СД-партии`); not `член коллегии ОГПУ`, `член коллегии НКПС`, `член ИККИ`
    r"(?=\s*(?:(?-i:[А-ЯЁ]{0,5}П[А-ЯЁ]{0,5}(?![а-яё])|ХДС\b)"
    r"|(?:\S+\s+){0,3}?(?:(?-i:\S*(?<![А-ЯЁ])(?:ВКП|КП|РКП|ГКП|[А-ЯЁ]{0,2}СДРП|[А-ЯЁ]{0,3}(?:КСМ|ЛСМ))"
    r"(?![А-ЯЁ])\S*)"
    r"|\S*(?:парти|компарт|социалист|коммунистическ|социал-демократ|эсер|бунд|анарх|сионист|"
    r"меньшевик|поалей)\S*)))"
)
PARTY = re.compile(
    r"^(?:(?:в|с|до|по|ранее)\s+[\d\s\-–.г]*\s*)*"
    r"(?:б/п|беспарт|б\.\s*член|б\.\s*эсер|б\.\s*соц|бывш\w*\.?|член\b" + _PARTY_NAME + r"|чл\.|"
    r"кандидат|канд\.|исключ|искл\.|выбыл|вышел\s+из|эсер|меньшевик|анархист|троцкист|социал|"
    r"партийн|с\.-р|РСДРП|левый\s+соц|\w+\s+член\s+ВКП)",
    re.IGNORECASE,
)
PARTY_CONT = re.compile(
    r"^(?:восстановлен|вторично|исключ|искл\.|член\b" + _PARTY_NAME + r"|кандидат|"
    r"в\s+\d{4}.{0,20}член|с\s+\d{4}.{0,20}член|бывш\w*\s+член|эсер|меньшевик|анархист|бундовец)",
    re.IGNORECASE,
)
EDUCATION = re.compile(
    r"^(?:образование\b\s*|неграмотн|малограмотн|грамотн|высшее|среднее|низшее|начальное|"
    r"неполное|незаконченное|неоконченное|н/высшее|н/среднее|окончил|окончила|"
    r"\d+\s+класс|без\s+образования)",
    re.IGNORECASE,
)
# Words before a place that are not part of it (`в Риге`, `урож. г. Читы`, `уроженец с. …`).
LEAD_PLACE = re.compile(r"(?:в|во|урож\.|уроженец|уроженка)\s+", re.IGNORECASE)
_EDU_WORD = re.compile(r"образование\s*:?\s*", re.IGNORECASE)
_NAT_SHAPE = re.compile(r"^[а-яё][а-яё\-]*(?:\s+[а-яё][а-яё\-]*)?(?:\s*\([^)]*\))?$")


def century_of(text: str) -> int | None:
    """19 when every four-digit year in the entry is 18xx/19xx (none of 20xx): only then a
    two-digit year is read as 19xx (the entry fixes the century)."""
    centuries = {m.group(1) for m in _YEAR4.finditer(text)}
    if centuries and centuries <= {"18", "19"}:
        return 19
    return None


def split_commas(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the comma-separated parts of text[start:end], not splitting inside (), [] or
    quotes. Spans are untrimmed."""
    out: list[tuple[int, int]] = []
    part = text[start:end]
    if "(" not in part and "[" not in part and '"' not in part:
        # no brackets or quotes (closing ones alone change nothing): every comma splits
        pos = start
        for piece in part.split(","):
            out.append((pos, pos + len(piece)))
            pos += len(piece) + 1
        return out
    depth = 0
    quote = False
    seg = start
    for i in range(start, end):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == '"':
            quote = not quote
        elif ch == "," and depth == 0 and not quote:
            out.append((seg, i))
            seg = i + 1
    out.append((seg, end))
    return out


def is_nationality(seg: str) -> bool:
    """A nationality word (`латыш`, `польская еврейка`, `русский (украинец)`), as the shared
    vocabulary (memorybook.vocab) knows it."""
    return nationality_key(seg) is not None


def is_feminine_nationality(seg: str) -> bool:
    """A woman's form of a nationality (`латышка`, `русская`): sex evidence."""
    return is_feminine_form(seg)


def looks_like_nationality(seg: str) -> bool:
    """Looser: one or two lower-case words, as printed in the nationality slot."""
    return bool(_NAT_SHAPE.match(seg.strip())) and not EDUCATION.match(seg.strip())


class Builder:
    """Fills a ParsedEntry from one verbatim text; a field, once set, is not overwritten
    unless `force` (labelled lines win over narrative notes)."""

    __slots__ = ("_century", "entry", "seen_sentence", "sex_strength", "v")

    def __init__(self, verbatim: str) -> None:
        self.v = verbatim
        self.entry = ParsedEntry()
        self._century: int | bool | None = False  # False: not computed yet
        self.sex_strength = 0
        self.seen_sentence = False

    @property
    def century(self) -> int | None:
        """`century_of` the entry, computed on first need (only two-digit years need it)."""
        c = self._century
        if c is False:
            c = self._century = century_of(self.v)
        return c

    def trim(self, s: int, e: int) -> tuple[int, int] | None:
        v = self.v
        if s < e and v[s] not in _LEAD_SET and v[e - 1] not in _TRAIL_SET:
            # nothing to strip (the common case)
            if e - s == 1 and v[s] == "?":
                return None
            return s, e
        while s < e and v[s] in _LEAD:
            s += 1
        while e > s and v[e - 1] in _TRAIL:
            e -= 1
        if s >= e or v[s:e] == "?":
            return None
        return s, e

    def text(self, key: str, s: int, e: int, force: bool = False) -> bool:
        values = self.entry.values
        if values[key] is not None and not force:
            return False
        t = self.trim(s, e)
        if t is None:
            return False
        values[key] = self.v[t[0] : t[1]]
        self.entry.spans[key] = t
        return True

    def date(self, key: str, m: DateMatch, force: bool = False) -> bool:
        values = self.entry.values
        if values[key] is not None and not force:
            return False
        values[key] = m.value.edtf
        self.entry.dates[key] = m.value
        self.entry.spans[key] = (m.start, m.end)
        if m.note:
            self.warn("invalid_date", f"{key}: {m.value.printed}")
        for w in m.value.warnings:
            self.warn("date", f"{key}: {m.value.printed}: {w}")
        return True

    def first_date(self, s: int, e: int, max_lead: int = 12) -> DateMatch | None:
        """The date phrase starting near `s` (within `max_lead` characters, e.g. after `в`).
        In a date slot (a lead of a few characters) a word the date reader does not know
        between the label and the date makes the date doubtful: it is never read as plainly
        that date (`Родился вроде 1900` -> `1900?` with a warning)."""
        found = self._found(s, e)
        if not found:
            return None
        m = found[0]
        if m.start > max_lead:
            lead = self.v[s : s + m.start].strip()
            if (
                max_lead <= _SLOT_LEAD
                and m.start <= max_lead + _SLOT_WORDS
                and _DOCUMENT_DATE.search(lead) is None
                and _SLOT_FILLER.match(lead) is None
            ):
                # a date slot whose date follows words the reader does not know: no date
                # rather than a wrong one, but said
                self.warn("unparsed_date", f"words before {m.value.printed!r}: {lead!r}")
            return None
        if m.start and max_lead <= _SLOT_LEAD:
            lead = self.v[s : s + m.start]
            if _SLOT_FILLER.match(lead) is None:
                m = DateMatch(m.start, m.end, doubtful_value(m.value, lead.strip()), m.note)
        return DateMatch(m.start + s, m.end + s, m.value, m.note) if s else m

    def _found(self, s: int, e: int) -> tuple[DateMatch, ...]:
        """The dates of v[s:e], with spans relative to `s` (memoised on the text)."""
        text = self.v[s:e]
        found = find_dates_any_century(text)
        if found is None:
            found = find_dates_cached(text, self.century)
        return found

    def _dates(self, s: int, e: int) -> list[DateMatch]:
        found = self._found(s, e)
        if not found:
            return []
        if s == 0:
            return list(found)
        return [DateMatch(m.start + s, m.end + s, m.value, m.note) for m in found]

    def dates_in(self, s: int, e: int) -> list[DateMatch]:
        return self._dates(s, e)

    def sex(self, sex: str | None, s: int, e: int, strength: int) -> None:
        """Record sex evidence; stronger evidence (verbs 3 > feminine nationality or
        patronymic 2 > masculine nationality 1) wins, the first of equal strength stays."""
        if sex is None or strength <= self.sex_strength:
            return
        self.sex_strength = strength
        self.entry.values["sex"] = sex
        self.entry.spans["sex"] = (s, e)

    def warn(self, kind: str, detail: str) -> None:
        self.entry.warnings.append(f"{kind}: {detail}")

    def check_script(self, s: int, e: int) -> None:
        t = self.v[s:e]
        if _LATIN.search(t) and _CYR.search(t):
            self.warn("latin_lookalike", t)


def iter_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line, without its CR/LF."""
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        e = end
        if e > pos and text[e - 1] == "\r":
            e -= 1
        yield pos, e
        if nl < 0:
            break
        pos = nl + 1


def set_education(b: Builder, s: int, e: int) -> None:
    t = b.trim(s, e)
    if t is None:
        return
    m = _EDU_WORD.match(b.v, t[0], t[1])
    b.text("education", m.end() if m else t[0], t[1])

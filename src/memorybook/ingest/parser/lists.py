"""Line-per-field entries (`Родился в 1874 г., ...; русская;` / `Арестована 7 марта 1932 г.` /
`Приговорена: BODY DATE, обв.: CHARGE` / `Приговор: ...` / `Реабилитирована ...`) and the
narrative paragraphs some lists print instead (`р. 1883 в с. ... Осужден 9.11.1937 тройкой
... к ВМН. Расстрелян 27.11.1937.`). Each line or sentence is dispatched on its leading word
through the LABELS table; unlabelled lines are placed by their position."""

from __future__ import annotations

import re
from typing import Any

from memorybook.ingest.parser.core import (
    EDUCATION,
    LEAD_PLACE,
    PARTY,
    Builder,
    is_feminine_nationality,
    is_nationality,
    looks_like_nationality,
    set_education,
    split_commas,
)
from memorybook.ingest.parser.names import set_name
from memorybook.ingest.parser.tables import LABELS
from memorybook.text.memo import short_text_memo

_LINE_LEAD = frozenset(" \t\r\n,;:")  # as Builder.trim
_LINE_TRAIL = frozenset(" \t\r\n.,;:")
_LABEL = re.compile(r"\s*([А-ЯЁа-яё]+\.?)")
_NARR_BIRTH = re.compile(r"\s*(?:(р\.|род\.)\s*|(?=\d[\d.]*\s*г\.\s*р\.))")
_GR = re.compile(r"\s*(?:г\.\s*)?р\.\s*,?")
_SENT_SPLIT = re.compile(
    r"(?<=[.!])\s+(?=(?:Проживал|Прож\.|Арестован|Осужден|Приговорен|Расстрелян|Реабилитирован"
    r"|Умер|Погиб|Предъявленное|Освобожден|Место захоронения))"
    r"|,\s+(?=(?:расстрелян|расстреляна)\b)"
)
_CHARGE = re.compile(r",?\s*обв\.\s*:?\s*")
_ACT = re.compile(
    r"(?:по\s+)?(?:постановлени\w+|решени\w+|приговор\w*|определени\w+)\s+", re.IGNORECASE
)
_BODY_TAIL = re.compile(r"\s+(?:в|от|на)\s*$")
_NOT_BODY = frozenset(("в", "от", "на", "", "?"))
_ALIAS_LINE = re.compile(r"\s*\((.*)\)\s*$")
_VARIANT = re.compile(r"варианты\s+\w+\s*:\s*", re.IGNORECASE)
_DEATH_SENT = re.compile(r"\bВМН\b|расстрел|высш\w*\s+мер", re.IGNORECASE)
_SHOT_WORD = re.compile(r"\b(?:расстрелян[аы]?|расстреляли)\b", re.IGNORECASE)
_COMMUTED = re.compile(r"замен|помилов|смягч|снижен|изменен", re.IGNORECASE)
_DIED = re.compile(r"\b(?:умер(?:ла)?|погиб(?:ла)?|скончал\w*)\b|\bум\.", re.IGNORECASE)
_REHAB_CUT = re.compile(
    r"\s*(?:за\s+отсутств|за\s+недоказ|на\s+основании|по\s+указу|по\s+закону|указ\b|закон\b|"
    r"закона\b|по\s+ст\.|ст\.|в\s+соответствии|дело\s+прекращ|реабилитир|постановлени|п\.\s*\d|"
    r"согласно|\.\s|\s[\"«])",
    re.IGNORECASE,
)
_REHAB_LEAD = re.compile(
    r"(?:реабилитирован\w*\s+)?(?:(?:по\s+)?(?:заключени\w+|определени\w+|решени\w+|"
    r"постановлени\w+)\s+)?",
    re.IGNORECASE,
)
_ORGAN = re.compile(
    r"прокур|суд|трибунал|коллеги|комисси|УВД|\bИЦ\b|МВД|КГБ|ФСБ|президиум|НКВД|совет|тройк|"
    r"ГУВД|УФСБ|ИЦ\s|военн|генпрок|ВКВС|\bВК\b|\bВС\b",
    re.IGNORECASE,
)
_ARREST_ORGAN = re.compile(r"НКВД|ОГПУ|ГПУ|МГБ|НКГБ|ЧК|отдел|милиц|\bРО\b|\bГО\b|\bОО\b")
_LAW_DATE = re.compile(r"(?:от|Закон\w*|Указ\w*)\s*$", re.IGNORECASE)
_NARR_SENTENCE = re.compile(r"\s+к\s+(?=\S)")
_OBV = re.compile(r"по\s+обвинен\w*\.?\s*|обвинял\w*\s*", re.IGNORECASE)
# A first line that is only a name (`Иванов Иван Петрович`, `ИВАНОВ Иван Петрович`, with a
# variant in parentheses): how lists with names print the person before the entry's lines.
# Capitalised words of letters only; it matches no first line of the real texts.txt.
_NAME_LINE = re.compile(r"[А-ЯЁ][а-яёА-ЯЁ'’-]*(?:\s+[А-ЯЁ][а-яёА-ЯЁ'’-]*){1,3}(?:\s*\([^()]*\))?")
# A letter or digit: exactly the characters str.isalnum() accepts (checked over every code
# point), found by the regex engine instead of a Python loop over the line.
_ALNUM = re.compile(r"[^\W_]")
_PREDJ = re.compile(r"Предъявленное\s+обвинение\s*:\s*", re.IGNORECASE)


@short_text_memo(1 << 18)
def _classify_line(line: str) -> tuple[Any, ...] | None:
    """What parse_lists needs to know of one line, from its text alone (spans relative to the
    line start), memoised: the same lines (`Приговор: ВМН`) recur thousands of times. None for
    a blank line; else (ts, te, alias, label_s, label_e, kind, narrative_birth, long_split,
    label_split)."""
    n = len(line)
    ts, te = 0, n
    while ts < te and line[ts] in _LINE_LEAD:
        ts += 1
    while te > ts and line[te - 1] in _LINE_TRAIL:
        te -= 1
    if ts >= te or line[ts:te] == "?":
        return None
    a = _ALIAS_LINE.match(line, ts, n)
    alias = a.group(1) if a else None
    m = _LABEL.match(line, ts, te)
    word = m.group(1).lower() if m else ""
    kind = LABELS.get(word)
    if kind is None and word.endswith("."):
        kind = LABELS.get(word[:-1])
    narrative_birth = False
    long_split = False
    label_split = False
    if kind is None:
        narrative_birth = bool(
            _NARR_BIRTH.match(line, ts, te) and (_GR.search(line, ts, te) or word)
        )
        long_split = bool(m is not None and te - ts > 120 and _SENT_SPLIT.search(line, ts, te))
    elif kind[0] in ("birth", "residence", "arrest"):
        assert m is not None
        label_split = _SENT_SPLIT.search(line, m.end(), te) is not None
    if m is None:
        return ts, te, alias, -1, -1, kind, narrative_birth, long_split, label_split
    return ts, te, alias, m.start(1), m.end(1), kind, narrative_birth, long_split, label_split


def parse_lists(b: Builder) -> None:
    v = b.v
    lines = []
    s = 0
    for line in v.split("\n"):  # as iter_lines: each line without its CR/LF
        n = len(line)
        c = _classify_line(line[:-1] if line.endswith("\r") else line)
        if c is not None:
            lines.append((s, c))
        s += n + 1
    if not lines:
        b.warn("empty_entry", "no text")
        return
    seen_sentence = False
    for idx, (s, c) in enumerate(lines):
        rts, rte, alias, ls, le, kind, narrative_birth, long_split, label_split = c
        ts = s + rts
        te = s + rte
        if alias is not None and idx <= 1:
            _aliases(b, alias)
            continue
        if idx == 0 and kind is None and _NAME_LINE.fullmatch(v, ts, te):
            set_name(b, ts, te)
            continue
        if kind is None:
            if narrative_birth and (idx == 0 or b.entry.values["birth"] is None):
                _narrative(b, ts, te)
                continue
            if long_split:
                _narrative(b, ts, te, note_head=True)
                continue
            _unlabelled(b, ts, te, seen_sentence)
            continue
        field, sex = kind
        if sex is not None:
            b.sex(sex, s + ls, s + le, 3)
        if field == "sentenced":
            seen_sentence = True
            b.seen_sentence = True
        if label_split:
            _narrative(b, ts, te)
            continue
        _labelled(b, field, s + le, te, ts)
    _decide_executed(b)


def _aliases(b: Builder, inner: str) -> None:
    out: list[str] = b.entry.extra.setdefault("aliases", [])
    for part in inner.split(";"):
        part = _VARIANT.sub("", part).strip()
        for alt in part.split(","):
            alt = alt.strip()
            if alt:
                out.append(alt)


def _labelled(b: Builder, field: str, s: int, e: int, line_start: int) -> None:
    v = b.v
    if v[s : s + 1] == ":":
        s += 1
    if field == "birth":
        _birth(b, s, e)
    elif field == "residence":
        lead = LEAD_PLACE.match(v, s + (len(v[s:e]) - len(v[s:e].lstrip())))
        b.text("residence", lead.end() if lead else s, e)
    elif field == "arrest":
        m = b.first_date(s, e, max_lead=60)
        if m is not None:
            # several arrests: the one nearest before the sentence line led to it
            b.date("arrest", m, force=not b.seen_sentence)
    elif field == "sentenced":
        _sentenced(b, s, e)
    elif field == "sentence":
        _sentence(b, s, e)
    elif field == "executed":
        b.entry.values["executed"] = True
        b.entry.spans["executed"] = (line_start, s)
        m = b.first_date(s, e, max_lead=4)
        if m is not None:
            b.date("death", m, force=True)
    elif field == "died":
        m = b.first_date(s, e, max_lead=6)
        if m is not None:
            b.date("death", m)
        if b.entry.values["executed"] is None:
            b.entry.values["executed"] = False
            b.entry.spans["executed"] = (line_start, s)
    elif field == "burial":
        rest = v[s:e]
        k = rest.find("захоронения")
        if k >= 0:
            s += k + len("захоронения")
            # "Место захоронения - место захоронения - X": the label printed twice.
            while True:
                t = b.trim(s, e)
                if t is None:
                    return
                s2 = t[0]
                while s2 < e and v[s2] in " -–:":
                    s2 += 1
                if v[s2 : s2 + 17].lower() == "место захоронения":
                    s = s2 + 17
                    continue
                s = s2
                break
        lead = LEAD_PLACE.match(v, s)
        if lead and v[s : s + 2].lower() == "в ":
            s = lead.end()
        b.text("burial_place", s, e)
    elif field == "rehab":
        _rehab(b, s, e)
    elif field == "source":
        b.text("source", s, e)
    elif field == "charge":
        p = _PREDJ.match(v, line_start)
        b.text("charge", p.end() if p else s, e)
    elif field == "released" and b.entry.values["executed"] is None:
        b.entry.values["executed"] = False
        b.entry.spans["executed"] = (line_start, s)


def _birth(b: Builder, s: int, e: int) -> None:
    v = b.v
    m = b.first_date(s, e, max_lead=4)
    pos = s
    if m is not None:
        b.date("birth", m)
        pos = m.end
        g = _GR.match(v, pos)
        if g:
            pos = g.end()
    parts = v[pos:e].split(";")
    cur = pos
    spans: list[tuple[int, int]] = []
    for p in parts:
        spans.append((cur, cur + len(p)))
        cur += len(p) + 1
    first = True
    for ps, pe in spans:
        t = b.trim(ps, pe)
        if t is None:
            first = False
            continue
        ts, te = t
        text = v[ts:te]
        nationality, party, education, citizenship, nationality_shaped, feminine = _birth_part(text)
        if first:
            first = False
            if not (nationality or party or education):
                lead = LEAD_PLACE.match(v, ts)
                b.text("birthplace", lead.end() if lead else ts, te)
                continue
        if education:
            set_education(b, ts, te)
        elif party:
            b.text("party", ts, te)
        elif citizenship:
            b.entry.extra["citizenship"] = text
        elif b.entry.values["nationality"] is None and (nationality or nationality_shaped):
            b.text("nationality", ts, te)
            if feminine >= 0:
                b.sex("f", ts, ts + feminine, 2)
        else:
            b.warn("unparsed_line", f"birth: {text[:40]}")


@short_text_memo(1 << 16)
def _birth_part(text: str) -> tuple[bool, bool, bool, bool, bool, int]:
    """What one `;`-separated part of a birth line is, from its text alone: (a nationality
    word, a party, an education, a citizenship, nationality-shaped, and the length of its
    nationality word when that is a woman's form, else -1). Memoised: birth lines repeat
    the same places, nationalities and parties (`г. Москва`, `русская`, `б/п`), and the
    party and education patterns cost most of reading a birth line."""
    nat = text.split("(", 1)[0].strip()
    return (
        is_nationality(text),
        PARTY.match(text) is not None,
        EDUCATION.match(text) is not None,
        text.lower().startswith("подданство"),
        looks_like_nationality(text),
        len(nat) if is_feminine_nationality(nat) else -1,
    )


def _sentenced(b: Builder, s: int, e: int) -> None:
    v = b.v
    c = _CHARGE.search(v, s, e) if v.find("обв.", s, e) >= 0 else None
    head_end = c.start() if c else e
    if c:
        b.text("charge", c.end(), e)
    dates = b.dates_in(s, head_end)
    body_end = head_end
    if dates:
        d = dates[-1]
        b.date("sentence_date", d)
        body_end = d.start
    t = b.trim(s, body_end)
    if t is None:
        return
    bs, be = t
    a = _ACT.match(v, bs, be)
    if a:
        bs = a.end()
    tail = _BODY_TAIL.search(v, bs, be)
    if tail:
        be = tail.start()
    if v[bs:be].strip().lower() in _NOT_BODY:
        return
    b.text("sentencing_body", bs, be)


def _sentence(b: Builder, s: int, e: int) -> None:
    v = b.v
    if v.find("обв.", s, e) >= 0 and b.entry.values["sentencing_body"] is None:
        _sentenced(b, s, e)  # `Приговор: ОС при УНКВД ... 2 сентября 1938 г., обв.: ...`
        return
    t = b.trim(s, e)
    if t is None:
        return
    dates = b.dates_in(t[0], t[1])
    if (
        dates
        and dates[0].start - t[0] <= 3
        and b.trim(dates[0].end, t[1]) is None
        and dates[0].value.qualifier is None  # `Приговор: 21.03.33-29.04.33` is a term
    ):
        b.date("sentence_date", dates[0])  # `Приговор: в 1937 г.`: a date, no sentence
        return
    if b.entry.values["sentence"] is not None:
        return
    b.text("sentence", *t)
    text = v[t[0] : t[1]]
    shot, died, _, _ = _sentence_marks(text)
    if shot:
        b.entry.values["executed"] = True
        b.entry.spans["executed"] = (t[0] + shot[0], t[0] + shot[1])
        for d in dates:
            if d.start >= t[0] + shot[1]:
                b.date("death", d)
                break
        return
    if died:
        for d in dates:
            if d.start >= t[0] + died[1] - 1:
                b.date("death", d)
                break


_Span = tuple[int, int] | None


@short_text_memo(1 << 16)
def _sentence_marks(text: str) -> tuple[_Span, _Span, bool, _Span]:
    """Spans in a sentence text of the first `расстрелян`, of the first `умер`, whether it
    is a death sentence, and of the first commutation word (sentences recur: memoised)."""
    shot = _SHOT_WORD.search(text)
    died = _DIED.search(text)
    death_sentence = _DEATH_SENT.search(text) is not None
    cm = _COMMUTED.search(text) if death_sentence else None
    return (
        shot.span() if shot else None,
        died.span() if died else None,
        death_sentence,
        cm.span() if cm else None,
    )


def _decide_executed(b: Builder) -> None:
    """executed from the sentence where no `Расстрелян` line decided it."""
    values = b.entry.values
    if values["executed"] is not None:
        return
    sent = values["sentence"]
    if sent is None:
        return
    ss, se = b.entry.spans["sentence"]
    _, died, death_sentence, cm = _sentence_marks(sent)
    if death_sentence:
        if cm:
            values["executed"] = False
            b.entry.spans["executed"] = (ss + cm[0], ss + cm[1])
        elif died:
            values["executed"] = False
            b.entry.spans["executed"] = (ss + died[0], ss + died[1])
        return
    values["executed"] = False
    if died:
        b.entry.spans["executed"] = (ss + died[0], ss + died[1])
    else:
        b.entry.spans["executed"] = (ss, se)


def _rehab(b: Builder, s: int, e: int) -> None:
    v = b.v
    pos = s
    m = b.first_date(s, e, max_lead=4)
    if m is not None and not _LAW_DATE.search(v, s, m.start):
        b.date("rehabilitation", m)
        pos = m.end
    # The body is read from v[pos:e] and the one character before it (a `\b` at its start
    # looks there): memoised on that text, since rehabilitation lines repeat their bodies.
    k = pos - 1 if pos > 0 else 0
    t = _rehab_body(v[k:e], pos - k)
    if t is not None:
        b.text("rehabilitating_body", t[0] + k, t[1] + k)


@short_text_memo(1 << 16)
def _rehab_body(v: str, pos: int) -> tuple[int, int] | None:
    """The span of the rehabilitating body in v[pos:], if it names an organ."""
    trim = Builder(v).trim  # a pure function of the text (Builder's own)
    e = len(v)
    t = trim(pos, e)
    if t is None:
        return None
    bs, be = t
    lead = _REHAB_LEAD.match(v, bs, be)
    if lead:
        bs = lead.end()
    cut = _REHAB_CUT.search(v, bs, be)
    if cut:
        be = cut.start()
    t = trim(bs, be)
    if t is None or not _ORGAN.search(v, t[0], t[1]):
        return None
    return t


def _unlabelled(b: Builder, s: int, e: int, seen_sentence: bool) -> None:
    v = b.v
    values = b.entry.values
    if _ALNUM.search(v, s, e) is None:
        b.warn("unparsed_line", v[s:e][:50])
        return
    if not seen_sentence and values["arrest"] is None and values["residence"] is not None:
        # Saratov/Far-East lists drop the `Арестован` label: `Хвалынским отделом УНКВД 9 ноября
        # 1937 г.` between the residence and the sentence is the arresting organ and date.
        dates = b.dates_in(s, e)
        if (
            dates
            and b.trim(dates[-1].end, e) is None
            and dates[-1].start > s
            and _ARREST_ORGAN.search(v, s, dates[-1].start)
        ):
            b.date("arrest", dates[-1])
            b.warn("inferred_label", f"arrest: {v[s:e][:50]}")
            return
    if (
        values["occupation"] is None
        and values["residence"] is None
        and values["arrest"] is None
        and not seen_sentence
    ):
        b.text("occupation", s, e)
        return
    if "<" in v[s:e] and ">" in v[s:e]:
        b.warn("markup_in_text", v[s:e][:40])
    b.warn("unparsed_line", v[s:e][:50])


def _narrative(b: Builder, s: int, e: int, note_head: bool = False) -> None:
    """A paragraph: split into sentences at the known leading words, dispatch each."""
    v = b.v
    starts = [s] + [m.end() for m in _SENT_SPLIT.finditer(v, s, e)]
    ends = [m.start() for m in _SENT_SPLIT.finditer(v, s, e)] + [e]
    for k, (ss, se) in enumerate(zip(starts, ends, strict=True)):
        if k == 0:
            if not note_head:
                _narrative_head(b, ss, se)
            continue
        m = _LABEL.match(v, ss, se)
        word = m.group(1).lower() if m else ""
        kind = LABELS.get(word)
        if kind is None or m is None:
            b.warn("unparsed_line", v[ss:se][:50])
            continue
        field, sex = kind
        if sex is not None:
            b.sex(sex, m.start(1), m.end(1), 3)
        if field == "sentenced":
            _narrative_sentenced(b, m.end(), se)
        elif field == "arrest":
            d = b.first_date(m.end(), se, max_lead=4)
            if d is not None:
                b.date("arrest", d)
                o = _OBV.search(v, d.end, se)
                if o:
                    b.text("charge", o.end(), se)
        elif field == "executed":
            _labelled(b, field, m.end(), se, m.start(1))
            lead = b.trim(m.end(), se)
            if lead and "death" in b.entry.spans:
                de = b.entry.spans["death"][1]
                place = LEAD_PLACE.match(v, de + 1)
                if place:
                    b.entry.extra.setdefault("death_place", v[place.end() : se].strip(" ."))
        else:
            _labelled(b, field, m.end(), se, m.start(1))


def _narrative_head(b: Builder, s: int, e: int) -> None:
    """`р. 1883 в с. Ревовка ... обл.` / `1917 г.р., урож. г. Читы` / `07.09.1900 г.р., г.
    Горловка, Украина, русский, б/п, образование низшее, слесарь`; then an occupation note."""
    v = b.v
    lm = _LABEL.match(v, s, e)
    word = lm.group(1).lower() if lm else ""
    kind = LABELS.get(word)
    if kind is not None and kind[0] != "birth" and lm is not None:
        field, sex = kind
        if sex is not None:
            b.sex(sex, lm.start(1), lm.end(1), 3)
        _labelled(b, field, lm.end(), e, lm.start(1))
        return
    nb = _NARR_BIRTH.match(v, s, e)
    pos = nb.end() if nb else s
    if kind is not None and lm is not None and kind[0] == "birth":
        pos = lm.end()
        if kind[1]:
            b.sex(kind[1], lm.start(1), lm.end(1), 3)
    d = b.first_date(pos, e, max_lead=3)
    if d is not None:
        b.date("birth", d)
        pos = d.end
        g = _GR.match(v, pos)
        if g:
            pos = g.end()
    # The rest of the first sentence(s): comma-separated like the Moscow list, up to the
    # first ". " followed by a capital (the next sentence is an occupation note).
    stop = e
    for i in range(pos, e - 1):
        if v[i] == "." and v[i + 1] == " " and i + 2 < e and v[i + 2].isupper():
            prev = v[max(pos, i - 4) : i]
            if not re.search(r"(?:\b[а-яё]{1,4}|\b[А-ЯЁ])$", prev):
                stop = i
                break
    rest = b.trim(pos, stop)
    if rest is not None and v[rest[0] : rest[0] + 2] == "и ":
        # `р. 1913 и проживал в с. Кировское`: birthplace is the residence.
        pm = re.compile(r"и\s+прожива\w*\s+(?:в\s+)?").match(v, rest[0])
        if pm:
            b.text("residence", pm.end(), rest[1])
    elif rest is not None:
        segs = [t for t in (b.trim(a, z) for a, z in split_commas(v, rest[0], rest[1])) if t]
        texts = [v[a:z] for a, z in segs]
        nat_i = next((i for i, t in enumerate(texts) if is_nationality(t)), None)
        place_end = nat_i if nat_i is not None else len(segs)
        if nat_i is None:
            # no nationality: the place is the first part only when later parts exist
            place_end = len(segs)
        if place_end > 0:
            s0 = segs[0][0]
            lead = LEAD_PLACE.match(v, s0)
            b.text("birthplace", lead.end() if lead else s0, segs[place_end - 1][1])
        if nat_i is not None:
            b.text("nationality", *segs[nat_i])
            j = nat_i + 1
            while j < len(segs):
                t = texts[j]
                if PARTY.match(t) and b.entry.values["party"] is None:
                    b.text("party", *segs[j])
                elif EDUCATION.match(t) and b.entry.values["education"] is None:
                    set_education(b, *segs[j])
                else:
                    b.text("occupation", segs[j][0], segs[-1][1])
                    break
                j += 1
    if stop < e:
        note = b.trim(stop + 1, e)
        if note is not None:
            b.text("occupation", *note)


def _narrative_sentenced(b: Builder, s: int, e: int) -> None:
    """`Осужден 9.11.1937 тройкой по ст. 58-10 УК РСФСР к ВМН` / `Приговорен Особым
    совещанием при НКВД СССР 26.11.1937 к 10 годам ИТЛ`."""
    v = b.v
    k = _NARR_SENTENCE.search(v, s, e)
    head_end = k.start() if k else e
    if k:
        b.text("sentence", k.end(), e)
    dates = b.dates_in(s, head_end)
    if dates:
        d = dates[0]
        b.date("sentence_date", d)
        before = b.trim(s, d.start)
        after = b.trim(d.end, head_end)
        seg = before if before and not re.fullmatch(r"в", v[before[0] : before[1]]) else after
    else:
        seg = b.trim(s, head_end)
    if seg is None:
        return
    bs, be = seg
    a = _ACT.match(v, bs, be)
    if a:
        bs = a.end()
    c = re.compile(r"\s+(?:по\s+ст|за\s|по\s+обвин|как\s)").search(v, bs, be)
    if c:
        ch = re.compile(r"\s+(?:за|по\s+обвинен\w*\.?|как)\s+|\s+").match(v, c.start())
        b.text("charge", ch.end() if ch else c.start(), be)
        be = c.start()
    tail = _BODY_TAIL.search(v, bs, be)
    if tail:
        be = tail.start()
    b.text("sentencing_body", bs, be)

"""The Memorial Moscow list: `Surname Given Patronymic, род. 1884, birthplace, nationality,
party, occupation. Адрес: .... Рассстрелян 17.05.1938. Место захоронения: Бутово.`"""

from __future__ import annotations

import re

from memorybook.ingest.parser.core import (
    LEAD_PLACE,
    PARTY,
    PARTY_CONT,
    Builder,
    is_feminine_nationality,
    is_nationality,
    looks_like_nationality,
    split_commas,
)
from memorybook.ingest.parser.names import set_name

_BIRTH = re.compile(r",\s*род\.\s*")
_ADDRESS = re.compile(r"\.?\s*Адрес\s*:\s*")
_SHOT = re.compile(r"\b(Рас+трелян(?:а)?)\b")
_BURIAL = re.compile(r"Место\s+захоронения\s*[:\-–]\s*")


def _name_end(v: str) -> int:
    """End of the name: the first comma outside parentheses."""
    depth = 0
    for i, ch in enumerate(v):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            return i
    return len(v)


def parse_moscow(b: Builder) -> None:
    v = b.v
    n = len(v)
    name_end = _name_end(v)
    set_name(b, 0, name_end)

    addr = _ADDRESS.search(v, name_end)
    shot = None
    for found in _SHOT.finditer(v, addr.end() if addr else name_end):
        shot = found  # the last execution phrase
    burial = _BURIAL.search(v, shot.end() if shot else name_end)
    body_end = (
        addr.start() if addr else (shot.start() if shot else (burial.start() if burial else n))
    )

    # Birth date after "род."
    pos = name_end
    rod = _BIRTH.match(v, name_end)
    if rod:
        pos = rod.end()
        m = b.first_date(pos, body_end, max_lead=3)
        if m is not None:
            b.date("birth", m)
            pos = m.end
        else:
            b.warn("unparsed_date", f"birth: {v[pos : pos + 30]}")
    segs = [s for s in split_commas(v, pos, body_end)]
    segs = [t for t in (b.trim(s, e) for s, e in segs) if t is not None]
    texts = [v[s:e] for s, e in segs]

    party_i = next((i for i, t in enumerate(texts) if PARTY.match(t)), None)
    nat_i = None
    if (
        party_i is not None
        and party_i > 0
        and (is_nationality(texts[party_i - 1]) or looks_like_nationality(texts[party_i - 1]))
    ):
        nat_i = party_i - 1
    if nat_i is None:
        nat_i = next((i for i, t in enumerate(texts) if is_nationality(t)), None)
        if nat_i is not None and party_i is not None and party_i < nat_i:
            party_i = None  # a "член" before the nationality is no party: keep the order
    place_end = nat_i if nat_i is not None else party_i
    if place_end is None:
        b.warn("no_nationality", "birthplace and occupation not separated")
        place_end = 1 if len(segs) > 1 else len(segs)
    if place_end > 0:
        s0 = segs[0][0]
        lead = LEAD_PLACE.match(v, s0)
        if lead:
            s0 = lead.end()
        b.text("birthplace", s0, segs[place_end - 1][1])
    if nat_i is not None:
        s, e = segs[nat_i]
        b.text("nationality", s, e)
        nat = v[s:e].split("(", 1)[0].strip()
        if is_feminine_nationality(nat):
            b.sex("f", s, s + len(nat), 2)
    occ_i = (nat_i + 1) if nat_i is not None else place_end
    if party_i is not None and party_i >= occ_i:
        j = party_i
        while j + 1 < len(segs) and PARTY_CONT.match(texts[j + 1]):
            j += 1
        b.text("party", segs[party_i][0], segs[j][1])
        occ_i = j + 1
    if occ_i < len(segs):
        b.text("occupation", segs[occ_i][0], segs[-1][1])

    if addr:
        b.text("residence", addr.end(), shot.start() if shot else (burial.start() if burial else n))
    if shot:
        word_s, word_e = shot.span(1)
        b.entry.values["executed"] = True
        b.entry.spans["executed"] = (word_s, word_e)
        b.sex("f" if v[word_e - 1] == "а" else "m", word_s, word_e, 3)
        m = b.first_date(word_e, burial.start() if burial else n, max_lead=4)
        if m is not None:
            b.date("death", m)
    else:
        b.warn("unparsed_line", "no execution phrase")
    if burial:
        b.text("burial_place", burial.end(), n)

"""Daitch–Mokotoff Soundex, written from the published rule table (Mokotoff, 1985;
as documented by the JewishGen "Soundex Coding" page and Avotaynu).

Each rule: letters → (code at the start of the name, before a vowel, elsewhere); `None`
means "not coded". Some letters have two readings (CH, CK, C, J, RS, RZ), so a name may
have several codes. The input must be Latin: Cyrillic yields nothing useful, so callers
transliterate first (and encode each part of a hyphenated name separately)."""

from __future__ import annotations

import re
from functools import lru_cache

from memorybook.text.normalise import fold_latin

Code = tuple[str | None, str | None, str | None]

_V0: Code = ("0", None, None)
_V01: Code = ("0", "1", None)

# Grouped as in the published table; alternates are listed as extra rules for the same key.
_RULES: dict[str, list[Code]] = {
    "AI": [_V01], "AJ": [_V01], "AY": [_V01],
    "AU": [("0", "7", None)],
    "A": [_V0],
    "B": [("7", "7", "7")],
    "CHS": [("5", "54", "54")],
    "CH": [("5", "5", "5"), ("4", "4", "4")],
    "CK": [("5", "5", "5"), ("45", "45", "45")],
    "CZ": [("4", "4", "4")], "CS": [("4", "4", "4")], "CSZ": [("4", "4", "4")],
    "CZS": [("4", "4", "4")],
    "C": [("5", "5", "5"), ("4", "4", "4")],
    "DRZ": [("4", "4", "4")], "DRS": [("4", "4", "4")],
    "DS": [("4", "4", "4")], "DSH": [("4", "4", "4")], "DSZ": [("4", "4", "4")],
    "DZ": [("4", "4", "4")], "DZH": [("4", "4", "4")], "DZS": [("4", "4", "4")],
    "D": [("3", "3", "3")], "DT": [("3", "3", "3")],
    "EI": [_V01], "EJ": [_V01], "EY": [_V01],
    "EU": [("1", "1", None)],
    "E": [_V0],
    "FB": [("7", "7", "7")],
    "F": [("7", "7", "7")],
    "G": [("5", "5", "5")],
    "H": [("5", "5", None)],
    "IA": [("1", None, None)], "IE": [("1", None, None)], "IO": [("1", None, None)],
    "IU": [("1", None, None)],
    "I": [_V0],
    "J": [("1", None, None), ("4", "4", "4")],
    "KS": [("5", "54", "54")],
    "KH": [("5", "5", "5")],
    "K": [("5", "5", "5")],
    "L": [("8", "8", "8")],
    "MN": [("66", "66", "66")],
    "M": [("6", "6", "6")],
    "NM": [("66", "66", "66")],
    "N": [("6", "6", "6")],
    "OI": [_V01], "OJ": [_V01], "OY": [_V01],
    "O": [_V0],
    "P": [("7", "7", "7")], "PF": [("7", "7", "7")], "PH": [("7", "7", "7")],
    "Q": [("5", "5", "5")],
    "R": [("9", "9", "9")],
    "RS": [("94", "94", "94"), ("4", "4", "4")],
    "RZ": [("94", "94", "94"), ("4", "4", "4")],
    "SCHTSCH": [("2", "4", "4")], "SCHTSH": [("2", "4", "4")], "SCHTCH": [("2", "4", "4")],
    "SCH": [("4", "4", "4")],
    "SHTCH": [("2", "4", "4")], "SHCH": [("2", "4", "4")], "SHTSH": [("2", "4", "4")],
    "SHT": [("2", "43", "43")], "SCHT": [("2", "43", "43")], "SCHD": [("2", "43", "43")],
    "SH": [("4", "4", "4")],
    "STCH": [("2", "4", "4")], "STSCH": [("2", "4", "4")], "SC": [("2", "4", "4")],
    "STRZ": [("2", "4", "4")], "STRS": [("2", "4", "4")], "STSH": [("2", "4", "4")],
    "ST": [("2", "43", "43")],
    "SZCZ": [("2", "4", "4")], "SZCS": [("2", "4", "4")],
    "SZT": [("2", "43", "43")], "SHD": [("2", "43", "43")], "SZD": [("2", "43", "43")],
    "SD": [("2", "43", "43")],
    "SZ": [("4", "4", "4")],
    "S": [("4", "4", "4")],
    "TCH": [("4", "4", "4")], "TTCH": [("4", "4", "4")], "TTSCH": [("4", "4", "4")],
    "TH": [("3", "3", "3")],
    "TRZ": [("4", "4", "4")], "TRS": [("4", "4", "4")],
    "TSCH": [("4", "4", "4")], "TSH": [("4", "4", "4")],
    "TS": [("4", "4", "4")], "TTS": [("4", "4", "4")], "TTSZ": [("4", "4", "4")],
    "TC": [("4", "4", "4")],
    "TZ": [("4", "4", "4")], "TTZ": [("4", "4", "4")], "TZS": [("4", "4", "4")],
    "TSZ": [("4", "4", "4")],
    "T": [("3", "3", "3")],
    "UI": [_V01], "UJ": [_V01], "UY": [_V01],
    "UE": [_V0],
    "U": [_V0],
    "V": [("7", "7", "7")],
    "W": [("7", "7", "7")],
    "X": [("5", "54", "54")],
    "Y": [("1", None, None)],
    "ZDZ": [("2", "4", "4")], "ZDZH": [("2", "4", "4")], "ZHDZH": [("2", "4", "4")],
    "ZD": [("2", "43", "43")], "ZHD": [("2", "43", "43")],
    "ZH": [("4", "4", "4")], "ZS": [("4", "4", "4")], "ZSCH": [("4", "4", "4")],
    "ZSH": [("4", "4", "4")],
    "Z": [("4", "4", "4")],
}  # fmt: skip
_VOWELS = frozenset("AEIOU")
_MAX_BRANCHES = 16
_NOT_LETTER = re.compile("[^A-Z]+")
# The rules by their first letter, the longest first: the longest rule that matches at a
# position is the first of its letter's that does (every letter A-Z has a rule).
_BY_FIRST: dict[str, list[tuple[str, int, list[Code]]]] = {}
for _key in sorted(_RULES, key=len, reverse=True):
    _BY_FIRST.setdefault(_key[0], []).append((_key, len(_key), _RULES[_key]))


@lru_cache(maxsize=200_000)
def dm_codes(word: str) -> tuple[str, ...]:
    """The Daitch–Mokotoff codes (6 digits each) of one Latin word, sorted; () if no letters."""
    text = _NOT_LETTER.sub("", fold_latin(word).upper())
    if not text:
        return ()
    # Each branch: (digits so far, last code emitted for the adjacency rule).
    branches: list[tuple[str, str | None]] = [("", None)]
    i, n = 0, len(text)
    while i < n:
        for entry in _BY_FIRST[text[i]]:
            if text.startswith(entry[0], i):
                break
        _key, size, rules = entry
        nxt = text[i + size] if i + size < n else ""
        pos = 0 if i == 0 else (1 if nxt in _VOWELS else 2)
        new: list[tuple[str, str | None]] = []
        for digits, last in branches:
            for rule in rules:
                code = rule[pos]
                if code is None:
                    # A not-coded vowel separates equal codes on either side of it.
                    new.append((digits, None))
                elif last is not None and last.endswith(code):
                    # Adjacent letters with the same code are coded once; a two-digit code
                    # (KS 54) swallows a following S (4): AKSSOL is 054800.
                    new.append((digits, last))
                else:
                    new.append((digits + code, code))
        # One reading (most letters of most names) needs no merging of equal branches.
        branches = new if len(new) == 1 else list(dict.fromkeys(new))[:_MAX_BRANCHES]
        i += size
    return tuple(sorted({(d + "000000")[:6] for d, _ in branches}))

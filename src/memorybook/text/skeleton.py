"""The spelling skeleton: one coarse form shared by a Russian name and its romanisations.

Archives vary in е/ё/э, и/й/ы, unstressed о/а and е/и, doubled consonants, the soft sign,
в/ф and г/х, and romanisations vary again (ch/kh/h, sz/sh/sch, w/v, j/y/i …). The skeleton
maps each of those families to one symbol, so a name and its variants share a key:

    vowels а о → a;  е ё э и й ы → i;  у → u;  я → ia;  ю → iu;  ь ъ dropped
    в ф → f;  г х → h;  з с ц → s;  ж ч ш щ → S;  doubled symbols → one

A Cyrillic word has exactly one skeleton. A Latin word can have several, because "ch" is
ч in English, ш in French and х in German and Polish; `latin_skeletons` returns each
reading. The skeleton only finds candidates: ranking compares real forms."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from memorybook.text.normalise import fold_latin

_CYR = str.maketrans(
    {
        "а": "a", "о": "a", "е": "i", "ё": "i", "э": "i", "и": "i", "й": "i", "ы": "i",
        "у": "u", "я": "ia", "ю": "iu", "ь": "", "ъ": "", "б": "b", "в": "f", "г": "h",
        "д": "d", "ж": "S", "з": "s", "к": "k", "л": "l", "м": "m", "н": "n", "п": "p",
        "р": "r", "с": "s", "т": "t", "ф": "f", "х": "h", "ц": "s", "ч": "S", "ш": "S",
        "щ": "S", "і": "i", "ї": "i", "є": "i", "ґ": "h", "ў": "f",
    }
)  # fmt: skip
_DOUBLE = re.compile(r"(.)\1+")

# Letters whose diacritic carries the sound; mapped before diacritics are folded away.
_LATIN_SPECIAL = {
    "č": "§", "š": "§", "ž": "§", "ŝ": "§", "ż": "§", "ĉ": "§", "ź": "\x03", "ś": "\x02",
    "ć": "s", "ń": "n", "ł": "l", "ä": "i", "ö": "i", "ü": "iu", "â": "ia", "û": "iu",
    "ĭ": "i", "ï": "i", "ą": "an", "ę": "in", "ë": "i", "ÿ": "i", "õ": "a", "ø": "i",
    "ß": "s", "ğ": "h", "ı": "i",
}  # fmt: skip
# Longest first: multi-letter spellings of one sound.
_LATIN_GRAPHS: list[tuple[str, str]] = [
    ("schtsch", "S"), ("shtsh", "S"), ("chtch", "S"), ("shch", "S"), ("szcz", "S"),
    ("tsch", "S"), ("sch", "S"), ("tch", "S"), ("zh", "S"), ("sh", "S"), ("sz", "S"),
    ("cz", "S"), ("kh", "h"), ("gh", "h"), ("ph", "f"), ("th", "t"),
    ("ts", "s"), ("tz", "s"), ("ou", "u"), ("qu", "kf"),
]  # fmt: skip
_LATIN_SINGLE = {
    "a": "a", "o": "a", "e": "i", "i": "i", "y": "i", "j": "i", "u": "u", "b": "b",
    "v": "f", "w": "f", "f": "f", "g": "h", "h": "h", "d": "d", "z": "s", "s": "s",
    "c": "s", "k": "k", "q": "k", "l": "l", "m": "m", "n": "n", "p": "p", "r": "r",
    "t": "t",
}  # fmt: skip
# "ch" is ч (English), ш (French) or х (German, Polish); "x" is кс or х (scholarly).
# "ck" is к (German) or цк (ISO 9); "j" before a vowel is й, or ж in French; German "eu"
# and "ei" are written ей/ой and ей/ай in Russian (Neumann Нейман, Schneider Шнайдер).
_AMBIGUOUS: tuple[tuple[str, ...], ...] = (
    ("ch", "S", "h"), ("x", "ks", "h"), ("ck", "k", "sk"),
    ("ja", "ia", "Sa"), ("jo", "ia", "Sa"), ("ju", "iu", "Su"), ("je", "i", "Si"),
    ("eu", "iu", "i", "ai"), ("ei", "i", "ai"),
    # Polish ś and ź are ш/с and ж/з in Russian spelling (Wiśniewski Вишневский).
    ("\x02", "S", "s"), ("\x03", "s", "S"),
)  # fmt: skip
# Letters that may begin a spelling of several letters ("s" of "sh", "shch"; "c" of "ch"):
# a start typed up to one of them may stop inside that spelling.
GRAPH_STARTS = (
    frozenset(g[0] for g, _ in _LATIN_GRAPHS)
    | frozenset(a[0][0] for a in _AMBIGUOUS if a[0][0].isascii() and a[0][0].isalpha())
    | frozenset("jy")
)
_MAX_VARIANTS = 8
_MAX_CH = 3
# Both tables by their first letter, in their order: the first spelling that matches at a
# position is the first of its letter's that does.
_GRAPHS_BY_FIRST: dict[str, list[tuple[str, str]]] = {}
for _graph in _LATIN_GRAPHS:
    _GRAPHS_BY_FIRST.setdefault(_graph[0][0], []).append(_graph)
_AMBIGUOUS_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _amb in _AMBIGUOUS:
    _AMBIGUOUS_BY_FIRST.setdefault(_amb[0][0], []).append(_amb)


def _collapse(s: str) -> str:
    return _DOUBLE.sub(r"\1", s)


def _ending_rules(s: str) -> str:
    # -ской is -ский, -цов is -цев (the spelling rule after ц, ж, ш varies in print).
    s = re.sub(r"(s|S)kai$", r"\1ki", s)
    return re.sub(r"(s|S)af$", r"\1if", s)


@lru_cache(maxsize=300_000)
def cyr_skeleton(norm: str) -> str:
    """Skeleton of a normalised Cyrillic word (hyphens dropped)."""
    return _ending_rules(cyr_skeleton_as_spelt(norm))


def cyr_skeleton_as_spelt(norm: str) -> str:
    """The skeleton before the ending rules (-цов stays -цов): one typing error next to such
    an ending ("Кузнеуов" for Кузнецов) is one symbol away from this form, two from the
    skeleton."""
    return _collapse(norm.replace("-", "").translate(_CYR))


@lru_cache(maxsize=100_000)
def latin_skeletons(word: str) -> tuple[str, ...]:
    """The skeletons a Latin word can stand for (one per reading of each "ch")."""
    w = unicodedata.normalize("NFC", word.casefold().replace("-", ""))
    # Polish nasal vowels: Dąbrowski is Домбровский, Węgrzyn is Венгжин.
    w = re.sub(r"ą(?=[bp])", "am", re.sub(r"ę(?=[bp])", "em", w))
    # "§" stands for the ж/ч/ш/щ symbol until the end, so case folding cannot touch it.
    w = "".join(_LATIN_SPECIAL.get(c, c) for c in w)
    w = fold_latin(w) if not w.isascii() else w
    # ё after a consonant: Fyodorov, Fjodorow, Fiodorow all stand for Федоров.
    w = re.sub(r"(?<=[bcdfghklmnprstvwz§\x02\x03])(?:yo|jo|io)", "e", w)
    w = re.sub(r"^(?:yo|jo)", "e", w)
    parts: list[list[str]] = [[]]
    i = 0
    n_ch = 0
    while i < len(w):
        if i == 0 and w.startswith(("st", "sp")):
            # German s before t, p at the start is ш in Russian spelling (Stein Штейн,
            # Spiegel Шпигель; Гиляревский & Старостин, "Иностранные имена и названия в
            # русском тексте"); English and Polish st, sp are ст, сп.
            parts = [[*p, o] for o in ("s", "S") for p in parts]
            n_ch += 1
            i += 1
            continue
        for graph, sym in _GRAPHS_BY_FIRST.get(w[i], ()):
            if w.startswith(graph, i):
                for p in parts:
                    p.append(sym)
                i += len(graph)
                break
        else:
            ambiguous = next(
                (a for a in _AMBIGUOUS_BY_FIRST.get(w[i], ()) if w.startswith(a[0], i)), None
            )
            if ambiguous is not None:
                graph, *options = ambiguous
                n_ch += 1
                if n_ch <= _MAX_CH and len(parts) * len(options) <= _MAX_VARIANTS:
                    parts = [[*p, o] for o in options for p in parts]
                else:
                    parts = [[*p, options[0]] for p in parts]
                i += len(graph)
                continue
            c = w[i]
            sym = "S" if c == "§" else _LATIN_SINGLE.get(c, "")
            for p in parts:
                p.append(sym)
            i += 1
    out = dict.fromkeys(_ending_rules(_collapse("".join(p))) for p in parts)
    return tuple(s for s in out if s)


def masculine(skel: str, endings: bool = True) -> str:
    """A surname skeleton's masculine form: Фомина → Фомин, -ская → -ский, -ska → -ski.
    The ending rules apply to the masculine form too (Кузнецова → Кузнецов → -цев), unless
    `endings` is false (`cyr_skeleton_as_spelt`)."""
    for fem, masc in (("skaia", "ski"), ("Skaia", "Ski"), ("ska", "ski"), ("aia", "ai")):
        if skel.endswith(fem) and len(skel) > len(fem) + 1:
            out = skel[: -len(fem)] + masc
            return _ending_rules(out) if endings else out
    for fem in ("afa", "ifa", "ina"):
        if skel.endswith(fem) and len(skel) > 4:
            return _ending_rules(skel[:-1]) if endings else skel[:-1]
    return skel

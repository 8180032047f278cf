"""Matching one query word against one vocabulary (surnames, given names or patronymics).

Returns candidate names with a score in 0..1 and the rule that matched. Rules and scores:

    rule        score      basis (what lets it count towards a confident answer)
    exact       1.0        identity (after ё/е, case and look-alike letters are folded)
    latin       0.97       romanisation: the typed word is the name in a documented scheme
    equiv       0.95       equivalence: one group of data/given_names.yaml (its source named)
    stem        0.95       equivalence: the same father's name (Тимофеич = Тимофеевич)
    stemgroup   0.93       equivalence: father's names of one sourced group (Егорович)
    variant     0.90–0.98  -  spelling variant (same skeleton: Кузмин, Meyerhold)
    baltic      0.93       -  own-language nominative ending (Siliņš → Силин)
    gender      0.88       -  woman's/man's form of a family name (Фомина → Фомин)
    prefix      0.84–0.89  -  the start of a name ("Шахн" …), or of an equivalent ("Zyg")
    nearequiv   0.82       -  a misspelt equivalent ("Zigmunt" for Zygmunt = Сигизмунд)
    typo        0.55–0.88  -  one or two typing errors in the skeleton
    sound       0.50–0.85  -  sounds alike (Daitch–Mokotoff)

A name part can make an answer confident only through the rules with a basis. Typo, sound and
prefix matches need evidence: a skeleton of at least four symbols, and for Latin typing a
letter similarity of at least one half to the name's romanisation, so "zzzzqqq" finds
nothing; a spelling variant needs half of its letters to agree ("Ыыыыыы" is not И).
A typing error or a sound-alike (`_loose_evidence`) must moreover be a word someone could
have meant as a name: it has a vowel, it begins as the name does (same first skeleton
symbol: typing errors at the first letter are rare, and without it any four consonants
"find" some name), and its skeleton is within the edits its length allows (one up to five
symbols, two from six: the usual rule of fuzzy search engines, Elasticsearch's
`fuzziness: AUTO`), so "qwzx" or "гжрт" find nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from memorybook.search.index import Vocab
from memorybook.search.keys import deletions, skeleton_of
from memorybook.search.names import equivalents, group_prefix, groups_near
from memorybook.search.query import Word
from memorybook.text.skeleton import GRAPH_STARTS, latin_skeletons, masculine

STRONG = 0.9
# Rules whose match is a documented identity, romanisation or sourced equivalence.
BASIS = {
    "exact": "identity",
    "latin": "romanisation",
    "equiv": "equivalence",
    "stem": "equivalence",
    "stemgroup": "equivalence",
}
_DM_CAP = 3000
_POSITION_DICT = 2000  # `Candidates.position` through a dict up to this many candidates
_LATIN_PREFIX_CAP = 3000  # Latin prefixes are checked letter by letter: at most this many
_PREFIX_CAP = 200_000
_FALLBACK_CAP = 1500
_TYPO_SKELETONS = 3  # readings of a Latin word whose deletions are looked up
_VERIFY_CAP = 600  # sound-alike candidates verified per word at most
_TYPO_CAP = 5000  # typo candidates verified per word at most (the closest in letters)
_MIN_LETTERS = 0.5  # Latin typing: letter similarity to the romanisation, at least
_VOWELS = frozenset("аеёиоуыэюяіїєaeiouy")
# The start of a name scores 0.84–0.89: above any typo (a typed start is literal evidence),
# below a whole name.
_PREFIX_BASE = 0.84


def rule_of(reason: str) -> str:
    """The rule of a reason string ("equiv:12:pl" → "equiv")."""
    return reason.split(":", 1)[0]


def is_sure(reason: str) -> bool:
    return rule_of(reason) in BASIS


@dataclass(slots=True)
class Candidates:
    vids: np.ndarray  # int32, best first
    scores: np.ndarray  # float32
    # The rule of each candidate: `rules[reason_of[k]]`, or "prefix" where reason_of is -1
    # (a short start of a surname has tens of thousands of those: no Python string each).
    rules: list[str]
    reason_of: np.ndarray  # int32
    sure: np.ndarray  # bool: matched by a rule with a basis
    _sorted: tuple[np.ndarray, np.ndarray] | None = None
    _at: dict[int, int] | None = None  # vid -> position, for `position` on short lists

    def __len__(self) -> int:
        return len(self.vids)

    def reason(self, k: int) -> str:
        """The reason string of the k-th candidate ("equiv:12:pl", "prefix" …)."""
        i = int(self.reason_of[k])
        return self.rules[i] if i >= 0 else "prefix"

    def _by_vid(self) -> tuple[np.ndarray, np.ndarray]:
        if self._sorted is None:
            order = np.argsort(self.vids, kind="stable")
            self._sorted = (self.vids[order], order)
        return self._sorted

    def lookup(self, vids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Score and basis of each vocabulary id given (0 and False where it is no
        candidate; -1, a part the record does not print, never is)."""
        if not len(self.vids):
            return np.zeros(len(vids), np.float32), np.zeros(len(vids), dtype=bool)
        keys, order = self._by_vid()
        pos = np.minimum(np.searchsorted(keys, vids), len(keys) - 1)
        hit = keys[pos] == vids
        at = order[pos]
        return np.where(hit, self.scores[at], np.float32(0)), hit & self.sure[at]

    def position(self, vid: int) -> int | None:
        if not len(self.vids):
            return None
        if len(self.vids) <= _POSITION_DICT:
            # A page asks up to 20 of these per part: a dict beats a binary search in numpy.
            if self._at is None:
                at: dict[int, int] = {}
                for k, v in enumerate(self.vids.tolist()):
                    at.setdefault(v, k)
                self._at = at
            return self._at.get(vid)
        keys, order = self._by_vid()
        pos = int(np.searchsorted(keys, vid))
        return int(order[pos]) if pos < len(keys) and int(keys[pos]) == vid else None

    @classmethod
    def empty(cls) -> Candidates:
        return cls(
            np.empty(0, np.int32), np.empty(0, np.float32), [], np.empty(0, np.int32),
            np.empty(0, dtype=bool),
        )  # fmt: skip


@dataclass(slots=True)
class _Found:
    """Candidates gathered so far: vid -> (score, reason). A rule with a basis outranks the
    others whatever their scores (a spelling that also is an equivalent is an equivalent)."""

    best: dict[int, tuple[float, str]] = field(default_factory=dict)

    def add(self, vid: int, score: float, reason: str) -> None:
        old = self.best.get(vid)
        if old is None:
            self.best[vid] = (score, reason)
            return
        new_sure, old_sure = is_sure(reason), is_sure(old[1])
        if new_sure and not old_sure:
            self.best[vid] = (max(score, old[0]), reason)
        elif new_sure == old_sure and score > old[0]:
            self.best[vid] = (score, reason)

    def add_all(self, vids: np.ndarray, score: float, reason: str) -> None:
        for v in vids.tolist():
            self.add(v, score, reason)

    def top(self) -> float:
        return max((s for s, _ in self.best.values()), default=0.0)

    def strong(self) -> int:
        return sum(1 for s, _ in self.best.values() if s >= STRONG)


def match(
    vocab: Vocab, word: Word, part: str, limit: int = 400, prefix: bool = False
) -> Candidates:
    """Candidates for one typed word in one name part, best first. `prefix`: the word may be
    the start of a name (the last word of a query typed letter by letter)."""
    found = _Found()
    exact = _direct(vocab, word, part, found)
    if word.baltic:
        _baltic(vocab, word, part, found)
    strong = found.strong()
    if part == "g" and not word.groups:
        _near_equivalents(vocab, word, found)
    _typos(vocab, word, part, found)
    if strong < 3 and word.dm:
        _sounds(vocab, word, found)
    prefixes = None
    if prefix or word.prefix or (part == "s" and not exact and len(word.norm) >= 3):
        prefixes = _prefixes(vocab, word, part, found)
    if prefixes is None or prefixes.latin or not len(prefixes.vids):
        top = found.top()
        if prefixes is not None and len(prefixes.scores):
            top = max(top, float(prefixes.scores.max()))
        if top < 0.8:
            _fallback(vocab, word, part, found)
    return _candidates(found, prefixes, limit)


def _skels(word: Word, part: str) -> tuple[str, ...]:
    return word.surname_skels if part == "s" else word.skels


def _sim(word: Word, vocab: Vocab, vid: int) -> float:
    """Similarity 0..1 of the query word and a candidate: forms for Cyrillic, skeletons for
    Latin (romanisations differ in letters, not in skeleton)."""
    if word.cyrillic:
        return float(fuzz.ratio(word.norm, vocab.norm(vid))) / 100.0
    skel = vocab.skel(vid)
    return max(float(fuzz.ratio(s, skel)) for s in word.skels) / 100.0


def _sims(word: Word, vocab: Vocab, ids: np.ndarray) -> np.ndarray:
    """`_sim` of many candidates at once."""
    if not len(ids):
        return np.empty(0, np.float32)
    if word.cyrillic:
        return _ratios([word.norm], vocab.strings("norm", ids))
    return _ratios(list(word.skels), vocab.strings("skel", ids))


def _letters_ok(word: Word, vocab: Vocab, ids: np.ndarray, head: int | None = None) -> np.ndarray:
    """Enough evidence for a loose match, per candidate: Cyrillic typing always (the
    skeleton compared real letters); Latin typing when the letters come at least half-way to
    the name's popular romanisation (or its first `head` letters, for a prefix)."""
    return _letters(word, vocab, ids, head) >= _MIN_LETTERS


def _letters(word: Word, vocab: Vocab, ids: np.ndarray, head: int | None = None) -> np.ndarray:
    """How close Latin typing comes to each name's popular romanisation (its first `head`
    letters, for a prefix), 0..1; 1 for Cyrillic typing."""
    if word.cyrillic or not len(ids):
        return np.ones(len(ids), dtype=np.float32)
    pops = vocab.strings("pop", ids)
    if head is not None:
        pops = [p[:head] for p in pops]
    return _ratios([word.fold], pops)


def _ratios(queries: list[str], choices: list[str]) -> np.ndarray:
    """The best similarity 0..1 of any query to each choice (computed in C)."""
    m = process.cdist(queries, choices, scorer=fuzz.ratio, dtype=np.float32)
    return m.max(axis=0) / np.float32(100.0)


def _gender_differs(word: Word, cand_norm: str) -> bool:
    """True when the two surnames differ by a woman's/man's ending (Фомина, Фомин)."""
    raw_c = skeleton_of(cand_norm, "g")  # "g": the skeleton without masculinising
    return raw_c not in word.skels and (
        masculine(raw_c) != raw_c or any(masculine(s) != s for s in word.skels)
    )


def _direct(vocab: Vocab, word: Word, part: str, found: _Found) -> bool:
    """Exact form, romanisation, spelling variants, equivalents and father's names: one
    batch of key lookups. Returns whether the exact form exists."""
    skels = _skels(word, part)
    keys = [f"n:{word.norm}"]
    if not word.cyrillic:
        keys.append(f"l:{word.fold}")
    keys += [f"k:{s}" for s in skels]
    groups = word.groups if part == "g" else ()
    keys += [f"q:{gid}" for gid, _lang in groups]
    stem = word.stem if part == "p" else ""
    if stem:
        keys.append(f"t:{stem}")
    found_ids = iter(vocab.lookup(keys))
    exact = next(found_ids)
    found.add_all(exact, 1.0, "exact")
    if not word.cyrillic:
        found.add_all(next(found_ids), 0.97, "latin")
    for _ in skels:
        ids = np.fromiter((v for v in next(found_ids).tolist() if v not in found.best), np.int32)
        # The same skeleton is evidence only where the letters agree too ("Ыыыыыы" and И
        # share the skeleton "i"): half of them, as for any loose match.
        letters = _ratios([word.norm], vocab.strings("norm", ids)) if word.cyrillic else None
        ok = (letters >= _MIN_LETTERS) if letters is not None else _letters_ok(word, vocab, ids)
        for v in ids[ok].tolist():
            sim = _sim(word, vocab, v)
            if part == "s" and _gender_differs(word, vocab.norm(v)):
                # A woman's/man's form is the family, not the person typed.
                found.add(v, 0.88, "gender")
            else:
                found.add(v, 0.9 + (0.08 if word.cyrillic else 0.06) * sim, "variant")
    for gid, lang in groups:
        found.add_all(next(found_ids), 0.95, f"equiv:{gid}:{lang}")
    if stem:
        found.add_all(next(found_ids), 0.95, "stem")
        # Father's-name equivalents (Егорович = Георгиевич, Прокофьевич = Прокопьевич).
        gids = equivalents().by_stem.get(stem, ())
        for gid, ids in zip(gids, vocab.lookup([f"q:{g}" for g in gids]), strict=True):
            found.add_all(ids, 0.93, f"stemgroup:{gid}")
    return len(exact) > 0


def _baltic(vocab: Vocab, word: Word, part: str, found: _Found) -> None:
    """Baltic nominative endings the Russian form drops (Latin words only)."""
    for ids in vocab.lookup([f"k:{s}" for s in word.baltic]):
        found.add_all(ids, 0.93, "baltic")


def _near_equivalents(vocab: Vocab, word: Word, found: _Found) -> None:
    """A misspelt form of a sourced equivalent ("Zigmunt" for Zygmunt = Сигизмунд)."""
    for gid, (form, lang) in groups_near(word.norm if word.cyrillic else word.fold).items():
        for ids in vocab.lookup([f"q:{gid}"]):
            found.add_all(ids, 0.82, f"nearequiv:{gid}:{form}:{lang}")


def _typos(vocab: Vocab, word: Word, part: str, found: _Found) -> None:
    """Symmetric delete on the skeleton: query ± one symbol against names ± one symbol."""
    skels = _skels(word, part)
    readings = skels + word.baltic
    keys: list[str] = []
    for s in readings[:_TYPO_SKELETONS]:
        dels = deletions(s)
        keys += [f"e:{s}"] + [f"k:{d}" for d in dels] + [f"e:{d}" for d in dels]
        keys += [f"u:{d}" for d in dels]  # names spelt -цов, -ской … (index.py)
    if not keys:
        return
    cand: set[int] = set()
    for ids in vocab.lookup(keys):
        cand.update(ids.tolist())
    cand.difference_update(found.best)
    ids = np.fromiter(cand, dtype=np.int32, count=len(cand))
    if len(ids) > _TYPO_CAP:
        # Keep the candidates closest in letters, never an arbitrary slice of them.
        ids = ids[np.argsort(-_sims(word, vocab, ids), kind="stable")[:_TYPO_CAP]]
    if not len(ids):
        return
    names = vocab.strings("skel", ids)  # decoded once for the checks below
    keep = _loose_evidence(word, readings, vocab, ids, skels=names)
    ids = ids[keep]
    if not len(ids):
        return
    if word.cyrillic:
        sims = _ratios([word.norm], vocab.strings("norm", ids))
    else:
        sims = _ratios(
            list(word.skels), [k for k, ok in zip(names, keep.tolist(), strict=True) if ok]
        )
    ok = (sims >= 0.6) & _letters_ok(word, vocab, ids)
    for v, sim in zip(ids[ok].tolist(), sims[ok].tolist(), strict=True):
        found.add(v, 0.55 + 0.33 * sim, "typo")


def _edit_budget(symbols: int) -> int:
    """Edits a typed skeleton of this length may be away from a name (fuzziness AUTO)."""
    return 0 if symbols < 3 else 1 if symbols < 6 else 2


def _loose_evidence(
    word: Word,
    readings: tuple[str, ...],
    vocab: Vocab,
    ids: np.ndarray,
    extra: int = 0,
    skels: list[str] | None = None,
) -> np.ndarray:
    """Per candidate, whether a typing error or a sound-alike has the evidence of a name
    (see the module's docstring): the typed word has a vowel, and some reading of it begins
    with the candidate's first skeleton symbol and is within its edit budget (+ `extra`)."""
    letters = word.norm if word.cyrillic else word.fold
    if not len(ids) or not readings or _VOWELS.isdisjoint(letters):
        return np.zeros(len(ids), dtype=bool)
    if skels is None:
        skels = vocab.strings("skel", ids)
    edits = process.cdist(readings, skels, scorer=OSA.distance)
    budget = np.array([[_edit_budget(len(r)) + extra] for r in readings])
    first = np.array([[s[:1] == r[:1] for s in skels] for r in readings], dtype=bool)
    return ((edits <= budget) & first).any(axis=0)


def _sounds(vocab: Vocab, word: Word, found: _Found) -> None:
    """Sounds alike, only when the word has few strong matches (DM codes are coarse)."""
    budget = _VERIFY_CAP
    for ids in vocab.lookup([f"d:{c}" for c in word.dm]):
        if len(ids) > _DM_CAP or budget <= 0:
            continue
        budget -= len(ids)
        ids = np.fromiter((v for v in ids.tolist() if v not in found.best), dtype=np.int32)
        ids = ids[_loose_evidence(word, word.skels, vocab, ids)]
        sims = _sims(word, vocab, ids)
        ok = (sims >= 0.5) & _letters_ok(word, vocab, ids)
        for v, sim in zip(ids[ok].tolist(), sims[ok].tolist(), strict=True):
            found.add(v, 0.5 + 0.35 * sim, "sound")


@dataclass(slots=True)
class _Prefixed:
    """Names that start with the typed word: ids and scores, kept as arrays (a short start
    of a surname can have tens of thousands). `latin`: found through the skeleton of Latin
    typing, where a start that scores above another loose match of the same name replaces
    it; a Cyrillic start never replaces what the other rules found."""

    vids: np.ndarray
    scores: np.ndarray
    latin: bool = False


def _prefixes(vocab: Vocab, word: Word, part: str, found: _Found) -> _Prefixed:
    """The start of a name: Cyrillic letters literally; Latin typing by skeleton, each
    candidate checked against its romanisation; given names also through an equivalent's
    start ("Zyg" can only be Zygmunt = Сигизмунд)."""
    if part == "g":
        typed = word.norm if word.cyrillic else word.fold
        for gid, (form, lang) in group_prefix(typed).items():
            if form == typed:
                continue  # the whole form: already an equivalent
            for v in vocab.lookup([f"q:{gid}"])[0].tolist():
                if not (word.cyrillic and vocab.norm(v).startswith(typed)):  # plain start
                    found.add(v, 0.86, f"prefixequiv:{gid}:{form}:{lang}")
    if word.cyrillic:
        lo, hi = vocab.prefix_range(word.norm, "n")
        if hi - lo > _PREFIX_CAP:
            lo = hi  # too short a start to say anything: no candidates
        vids = vocab.by_norm[lo:hi]
        name_bytes = (vocab.norm_off[vids + 1] - vocab.norm_off[vids]).astype(np.float32)
        typed_bytes = float(len(word.norm.encode("utf-8")))
        closeness = np.minimum(1.0, typed_bytes / np.maximum(name_bytes, 1.0))
        scores = _PREFIX_BASE + 0.05 * closeness
        return _Prefixed(vids.astype(np.int32), scores.astype(np.float32))
    # Latin: the skeleton of the letters typed, and without the last one (it may be the
    # first half of a digraph: "Sh" of "Shch").
    readings = set(word.skels)
    if len(word.fold) >= 4 and word.fold[-1] in GRAPH_STARTS:
        readings.update(latin_skeletons(word.fold[:-1]))
    head = len(word.fold) + 1
    vowelless = len(word.fold) >= 4 and _VOWELS.isdisjoint(word.fold)
    all_ids, all_scores = [np.empty(0, np.int32)], [np.empty(0, np.float32)]
    for s in sorted(readings):
        if len(s) < 2 or len(word.fold) > 3 * len(s):
            continue  # too little of the word survives in the skeleton: no evidence
        ids = vocab.prefix(s, "k", _LATIN_PREFIX_CAP)
        letters = _letters(word, vocab, ids, head)
        ok = letters >= _MIN_LETTERS
        if vowelless:
            # Consonants alone share a skeleton with too many names ("zhpg", Шпигель): only
            # a start spelt as the name's romanisation begins counts.
            ok &= np.array([p.startswith(word.fold) for p in vocab.strings("pop", ids)], bool)
        ids, letters = ids[ok], letters[ok]
        lengths = vocab.skel_off[ids + 1] - vocab.skel_off[ids]
        closeness = np.minimum(1.0, len(s) / np.maximum(lengths, 1))
        # Letters typed as the name's start is spelt score as a Cyrillic start; a start
        # that only shares the skeleton ("Stei" of Степанов) scores below a typing error.
        scores = _PREFIX_BASE - 0.12 * (1.0 - letters) + 0.05 * closeness
        all_ids.append(ids.astype(np.int32))
        all_scores.append(scores.astype(np.float32))
    return _Prefixed(np.concatenate(all_ids), np.concatenate(all_scores), latin=True)


def _fallback(vocab: Vocab, word: Word, part: str, found: _Found) -> None:
    """Last resort for badly mistyped words: names sharing the first skeleton symbols."""
    for s in _skels(word, part)[:2]:
        if len(s) < 5:
            continue
        ids = vocab.prefix(s[:4], "k", _FALLBACK_CAP)
        ids = np.fromiter((v for v in ids.tolist() if v not in found.best), dtype=np.int32)
        if not len(ids):
            continue
        close = (_ratios([s], vocab.strings("skel", ids)) >= 0.75) & _letters_ok(word, vocab, ids)
        ids = ids[close & _loose_evidence(word, (s,), vocab, ids)]
        for v, sim in zip(ids.tolist(), _sims(word, vocab, ids).tolist(), strict=True):
            found.add(v, 0.5 + 0.35 * sim, "typo")


def _candidates(found: _Found, prefixed: _Prefixed | None, limit: int) -> Candidates:
    pv = ps = None
    if prefixed is not None and len(prefixed.vids):
        pv, ps = prefixed.vids, prefixed.scores
        if prefixed.latin:
            # Several readings may reach one name: its best score. A start scoring above a
            # loose match of the same name (without a basis) replaces it.
            order = np.lexsort((-ps, pv))
            pv, ps = pv[order], ps[order]
            first = np.concatenate([[True], pv[1:] != pv[:-1]])
            pv, ps = pv[first], ps[first]
            known = np.fromiter(found.best, dtype=np.int32, count=len(found.best))
            for i in np.flatnonzero(np.isin(pv, known)).tolist():
                v, score = int(pv[i]), float(ps[i])
                old = found.best[v]
                if not is_sure(old[1]) and score > old[0]:
                    found.best[v] = (score, "prefix")
    items = sorted(found.best.items(), key=lambda kv: -kv[1][0])[:limit]
    vids = np.fromiter((k for k, _ in items), dtype=np.int32, count=len(items))
    scores = np.fromiter((v[0] for _, v in items), dtype=np.float32, count=len(items))
    rules = [v[1] for _, v in items]
    sure = np.fromiter((is_sure(r) for r in rules), dtype=bool, count=len(rules))
    reason_of = np.arange(len(items), dtype=np.int32)
    if pv is not None and ps is not None:
        extra = ~np.isin(pv, np.fromiter(found.best, dtype=np.int32, count=len(found.best)))
        n = int(extra.sum())
        vids = np.concatenate([vids, pv[extra]])
        scores = np.concatenate([scores, ps[extra]])
        sure = np.concatenate([sure, np.zeros(n, dtype=bool)])  # a start is no basis
        reason_of = np.concatenate([reason_of, np.full(n, -1, np.int32)])
        order = np.argsort(-scores, kind="stable")
        vids, scores, sure, reason_of = vids[order], scores[order], sure[order], reason_of[order]
    if not len(vids):
        return Candidates.empty()
    return Candidates(vids=vids, scores=scores, rules=rules, reason_of=reason_of, sure=sure)

"""Matching one query word against one vocabulary (surnames, given names or patronymics).

Returns candidate names with a score in 0..1 and the reason. Scores by kind of match:

    exact form 1.0 · romanisation in a known scheme 0.97 · given-name equivalent 0.95 ·
    patronymic of the same father's name 0.95 (0.93 via an equivalent) · spelling variant
    (same skeleton) 0.90–0.98 · feminine/masculine form 0.88 · typo (one skeleton edit)
    0.55–0.88 · sounds alike (Daitch–Mokotoff) 0.50–0.85 · start of the name 0.80–0.89.

Only the first four kinds and spelling variants can reach the 0.9 a confident answer needs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from memorybook.search.index import Vocab
from memorybook.search.keys import deletions, skeleton_of
from memorybook.search.query import Word
from memorybook.text.skeleton import masculine

STRONG = 0.9
_DM_CAP = 3000
_PREFIX_CAP = 3000
_FALLBACK_CAP = 1500
_TYPO_SKELETONS = 3  # readings of a Latin word whose deletions are looked up
_VERIFY_CAP = 600  # typo and sound-alike candidates verified per word at most


@dataclass(slots=True)
class Candidates:
    vids: np.ndarray  # int32, best first
    scores: np.ndarray  # float32
    reasons: list[str]
    _pos: dict[int, int] | None = None

    def __len__(self) -> int:
        return len(self.vids)

    def position(self, vid: int) -> int | None:
        if self._pos is None:
            self._pos = {v: i for i, v in enumerate(self.vids.tolist())}
        return self._pos.get(vid)

    @classmethod
    def empty(cls) -> Candidates:
        return cls(np.empty(0, np.int32), np.empty(0, np.float32), [])


def _sim(word: Word, vocab: Vocab, vid: int) -> float:
    """Similarity 0..1 of the query word and a candidate: forms for Cyrillic, skeletons for
    Latin (romanisations differ in letters, not in skeleton)."""
    if word.cyrillic:
        return float(fuzz.ratio(word.norm, vocab.norm(vid))) / 100.0
    skel = vocab.skel(vid)
    return max(float(fuzz.ratio(s, skel)) for s in word.skels) / 100.0


def _gender_differs(word: Word, cand_norm: str) -> bool:
    """True when the two surnames differ by a woman's/man's ending (Фомина, Фомин)."""
    raw_c = skeleton_of(cand_norm, "g")  # "g": the skeleton without masculinising
    return raw_c not in word.skels and (
        masculine(raw_c) != raw_c or any(masculine(s) != s for s in word.skels)
    )


def match(vocab: Vocab, word: Word, part: str, limit: int = 400) -> Candidates:
    best: dict[int, tuple[float, str]] = {}

    def add(vids: np.ndarray, score: float, reason: str) -> None:
        for v in vids.tolist():
            old = best.get(v)
            if old is None or old[0] < score:
                best[v] = (score, reason)

    skels = word.surname_skels if part == "s" else word.skels
    keys = [f"n:{word.norm}"]
    if not word.cyrillic:
        keys.append(f"l:{word.fold}")
    keys += [f"k:{s}" for s in skels]
    if part == "g":
        keys += [f"q:{gid}" for gid, _lang in word.groups]
    if part == "p" and word.stem:
        keys.append(f"t:{word.stem}")
    found = vocab.lookup(keys)
    exact, *rest = found
    add(exact, 1.0, "exact")
    i = 1
    if not word.cyrillic:
        add(rest[0], 0.97, "latin")
        i = 2
    for _ in skels:
        for v in found[i].tolist():
            if v in best:
                continue
            sim = _sim(word, vocab, v)
            reason = "gender" if part == "s" and _gender_differs(word, vocab.norm(v)) else "variant"
            # A woman's/man's form is the family, not the person typed: never "confident".
            score = 0.88 if reason == "gender" else 0.9 + (0.08 if word.cyrillic else 0.06) * sim
            best[v] = (score, reason)
        i += 1
    if part == "g":
        for gid, lang in word.groups:
            add(found[i], 0.95, f"equiv:{gid}:{lang}")
            i += 1
    if part == "p" and word.stem:
        add(found[i], 0.95, "stem")
        i += 1
        # Father's-name equivalents (Егорович = Георгиевич, Прокофьевич = Прокопьевич).
        from memorybook.search.names import equivalents

        gids = equivalents().by_stem.get(word.stem, ())
        for ids in vocab.lookup([f"q:{g}" for g in gids]):
            add(ids, 0.93, "stemgroup")

    # Baltic nominative endings dropped (Latin words only).
    if word.baltic:
        bsk = word.baltic if part != "s" else tuple(dict.fromkeys(word.baltic))
        for ids in vocab.lookup([f"k:{s}" for s in bsk]):
            add(ids, 0.93, "baltic")

    strong = sum(1 for s, _ in best.values() if s >= STRONG)
    # Typos: symmetric delete on the skeleton (query ± one symbol vs names ± one symbol).
    typo_keys: list[str] = []
    for s in (skels + word.baltic)[:_TYPO_SKELETONS]:
        dels = deletions(s)
        typo_keys += [f"e:{s}"] + [f"k:{d}" for d in dels] + [f"e:{d}" for d in dels]
    if typo_keys:
        cand: set[int] = set()
        for ids in vocab.lookup(typo_keys):
            cand.update(ids.tolist())
        cand.difference_update(best)
        for v in list(cand)[:_VERIFY_CAP]:
            sk = vocab.skel(v)
            if min(Levenshtein.distance(s, sk) for s in skels + word.baltic) > 2:
                continue
            sim = _sim(word, vocab, v)
            if sim >= 0.6:
                best[v] = (0.55 + 0.33 * sim, "typo")

    # Sounds alike: only when the word has few strong matches (DM codes are coarse).
    if strong < 3 and word.dm:
        budget = _VERIFY_CAP
        for ids in vocab.lookup([f"d:{c}" for c in word.dm]):
            if len(ids) > _DM_CAP or budget <= 0:
                continue
            budget -= len(ids)
            for v in ids.tolist():
                if v in best:
                    continue
                sim = _sim(word, vocab, v)
                if sim >= 0.5:
                    best[v] = (0.5 + 0.35 * sim, "sound")

    # The start of a name: explicit "Милев*", or a surname word that is no name itself.
    if part == "s" and (word.prefix or (not len(exact) and len(word.norm) >= 3)):
        base = 0.8  # below the 0.9 of a confident answer: a prefix is not a name
        if word.cyrillic:
            ids = vocab.prefix(word.norm, "n", _PREFIX_CAP)
            for v in ids.tolist():
                n = vocab.norm(v)
                score = base + 0.09 * len(word.norm) / max(len(n), 1)
                if v not in best or best[v][1] in ("typo", "sound"):
                    best[v] = (max(score, best[v][0] if v in best else 0.0), "prefix")
        else:
            for s in word.skels:
                ids = vocab.prefix(s, "k", _PREFIX_CAP)
                for v in ids.tolist():
                    score = base + 0.09 * len(s) / max(len(vocab.skel(v)), 1)
                    if v not in best or best[v][1] in ("typo", "sound"):
                        best[v] = (max(score, best[v][0] if v in best else 0.0), "prefix")

    # Last resort for badly mistyped words: names sharing the first skeleton symbols.
    if not best or max(s for s, _ in best.values()) < 0.8:
        for s in skels[:2]:
            if len(s) < 5:
                continue
            ids = vocab.prefix(s[:4], "k", _FALLBACK_CAP)
            for v in ids.tolist():
                if v in best:
                    continue
                sim = float(fuzz.ratio(s, vocab.skel(v))) / 100.0
                if sim >= 0.75:
                    best[v] = (0.5 + 0.35 * _sim(word, vocab, v), "typo")

    if not best:
        return Candidates.empty()
    items = sorted(best.items(), key=lambda kv: -kv[1][0])[:limit]
    return Candidates(
        vids=np.fromiter((k for k, _ in items), dtype=np.int32, count=len(items)),
        scores=np.fromiter((v[0] for _, v in items), dtype=np.float32, count=len(items)),
        reasons=[v[1] for _, v in items],
    )

"""Benchmark of the name search on SYNTHETIC archives (never run by the test suite).

    python3 bench/search.py [--records 3000000] [--shape small|national|both] [--queries 1000]
                            [--rounds 3] [--workdir DIR --reuse] [--out result.json]
                            [--build-only] [--only suggest]

Build the archive once outside the bench lock (`--workdir DIR --build-only`), then measure
under it (`flock /tmp/memorybook-bench.lock python3 bench/search.py --workdir DIR --reuse
…`); `--only suggest` measures the autocomplete alone: cold (fresh processes), warm in the
library and through `GET /api/suggest` (the web app in process, its result cache off).

Two shapes of synthetic archive (every record marked synthetic): names, patronymics and
birth years drawn from the real Moscow list's distributions, with the surname vocabulary
extended plausibly (real stems × real endings, halves of real surnames spliced) to ~90k
distinct surnames ("small") or ≥ 800k ("national"). Measures the index build, the cold
start (process start to first answer, through the CLI), resident memory and index size, and
p50/p95/p99 latency of N queries of every kind, with and without each filter, in the
library and through `memorybook search --batch`."""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PAGES = (
    Path(os.environ.get("MEMORYBOOK_SHARED", ROOT.parent / "shared")) / "data/memorial-moscow/pages"
)

_ENDINGS = ("ов", "ев", "ин", "ын", "ский", "цкий", "енко", "ук", "юк", "чук", "ович", "евич",
            "ман", "ер", "ис", "айтис", "ян", "швили", "ко", "ец", "ых", "ой", "ий", "ан")  # fmt: skip
_SUFFIX_RE = re.compile(r"(" + "|".join(sorted(_ENDINGS, key=len, reverse=True)) + r")$")


# --- the real distributions --------------------------------------------------------------
def real_distributions() -> dict[str, Any]:
    from memorybook.ingest.formats.memorial_moscow import iter_entries
    from memorybook.text.normalise import split_words

    sur: Counter[str] = Counter()
    giv: dict[str, Counter[str]] = {"m": Counter(), "f": Counter()}
    pat: dict[str, Counter[str]] = {"m": Counter(), "f": Counter()}
    years: Counter[int] = Counter()
    nat: Counter[str] = Counter()
    bur: Counter[str] = Counter()
    for e in iter_entries(PAGES):
        head = re.sub(r"\(.*?\)", "", e.verbatim.split(",")[0])
        w = split_words(head)
        if len(w) != 3 or not all(x.isalpha() for x in w):
            continue
        sex = "f" if w[2].endswith(("вна", "чна")) else "m"
        sur[_masc(w[0])] += 1
        giv[sex][w[1]] += 1
        pat[sex][w[2]] += 1
        m = re.search(r"род\. (?:\d+\.\d+\.)?(\d{4})", e.verbatim)
        if m:
            years[int(m.group(1))] += 1
        m = re.search(r"\d{4}, [^,]*, (\w+), (?:б/п|член|кандидат|исключ)", e.verbatim)
        if m:
            nat[m.group(1)] += 1
        m = re.search(r"Место захоронения: ([^.]+)", e.verbatim)
        if m:
            bur[m.group(1).strip()] += 1
    return {"sur": sur, "giv": giv, "pat": pat, "years": years, "nat": nat, "bur": bur}


def _masc(s: str) -> str:
    for f, m in (("ская", "ский"), ("цкая", "цкий"), ("ова", "ов"), ("ева", "ев"), ("ина", "ин")):
        if s.endswith(f):
            return s[: -len(f)] + m
    return s


def _fem(s: str) -> str:
    for m, f in (("ский", "ская"), ("цкий", "цкая"), ("ов", "ова"), ("ев", "ева"), ("ин", "ина")):
        if s.endswith(m):
            return s[: -len(m)] + f
    return s


def surname_vocab(real: list[str], size: int, rng: random.Random) -> list[str]:
    """`size` distinct plausible surnames: the real ones, then real stems with real endings,
    then halves of two real surnames spliced (Мил|евский + Шид|ловский → Милловский …)."""
    out = dict.fromkeys(real)
    stems = sorted({_SUFFIX_RE.sub("", s) for s in real if len(_SUFFIX_RE.sub("", s)) >= 3})
    tries = 0
    while len(out) < size and tries < size * 3:
        tries += 1
        stem = rng.choice(stems)
        out.setdefault(stem + rng.choice(_ENDINGS))
    heads = [s[: max(2, len(s) // 2)] for s in real]
    tails = [s[len(s) // 2 :] for s in real]
    while len(out) < size:
        name = rng.choice(heads) + rng.choice(tails)
        if 4 <= len(name) <= 16:
            out.setdefault(name)
    return list(out)[:size]


def _draw(counter: Counter[Any], rng: random.Random, k: int) -> list[Any]:
    items = list(counter)
    return rng.choices(items, weights=[counter[i] for i in items], k=k)


# --- the synthetic archive -----------------------------------------------------------------
def build_archive(
    path: Path, records: int, shape: str, dist: dict[str, Any], seed: int, reuse: bool = False
) -> dict[str, Any]:
    from memorybook.search.index import rebuild
    from memorybook.search.keys import name_key_rows
    from memorybook.storage import search_store as store
    from memorybook.storage.engine import open_archive, write_transaction
    from memorybook.storage.migrate import upgrade

    side = path.with_suffix(".truth.pickle")
    if reuse and path.exists() and side.exists():
        return _reuse(path, side)
    rng = random.Random(seed)
    target = 90_000 if shape == "small" else 820_000
    target = min(target, max(records // 3, 1000))
    t0 = time.perf_counter()
    vocab = surname_vocab(sorted(dist["sur"]), target, rng)
    # Every surname at least once, the rest drawn with a Zipf-like law (rank r: 1/(r+20)).
    weights = [1.0 / (r + 20) for r in range(len(vocab))]
    drawn = vocab[: min(len(vocab), records)] + rng.choices(
        vocab, weights, k=max(0, records - len(vocab))
    )
    rng.shuffle(drawn)
    n_f = int(records * 0.07)
    sexes = ["f"] * n_f + ["m"] * (records - n_f)
    rng.shuffle(sexes)
    giv = {s: _draw(dist["giv"][s], rng, records) for s in "mf"}
    pat = {s: _draw(dist["pat"][s], rng, records) for s in "mf"}
    years = _draw(dist["years"], rng, records)
    nats = _draw(dist["nat"], rng, records)
    burs = _draw(dist["bur"], rng, records)
    t_gen = time.perf_counter() - t0

    if reuse and path.exists():
        # Same seed, same records: only the truth sample is regenerated; the index is rebuilt
        # only if it was written by older code.
        t_build = _index_rebuilt_if_stale(path)
        truth = []
        for i in range(records):
            if i < 200_000 or i % 10 == 0:
                sex = sexes[i]
                s = _fem(drawn[i]) if sex == "f" else drawn[i]
                truth.append((s, giv[sex][i], pat[sex][i], years[i]))
        _save_truth(side, records, truth, vocab)
        return {"records": records, "distinct_surnames": len(vocab), "generate_s": t_gen,
                "insert_s": None, "index_build_s": t_build, "index_bytes": None,
                "db_bytes": path.stat().st_size, "truth": truth, "vocab": vocab}  # fmt: skip
    if path.exists():
        path.unlink()
    engine = open_archive(str(path))
    upgrade(engine)
    t1 = time.perf_counter()
    truth: list[tuple[str, str, str, int]] = []
    with write_transaction(engine) as conn:
        sid = store.insert_plain_source(
            conn, f"synthetic:{shape}@1", f"synthetic:{shape}", f"SYNTHETIC {shape} archive",
            synthetic=True,
        )  # fmt: skip
        batch: list[dict[str, Any]] = []
        keys: list[dict[str, Any]] = []
        for i in range(records):
            sex = sexes[i]
            s = _fem(drawn[i]) if sex == "f" else drawn[i]
            g, p = giv[sex][i], pat[sex][i]
            y = years[i]
            two = rng.random() < 0.03
            edtf = f"[{y},{y - 1}]" if two else str(y)
            aliases = [_fem(rng.choice(vocab))] if rng.random() < 0.02 else []
            printed = f"{s} {g} {p}"
            batch.append(
                {"id": i + 1, "key": f"syn-{shape}-{i}", "family": f"synthetic:{shape}",
                 "source_id": sid, "file": f"synthetic-{i // 1000}.txt", "idx": i % 1000,
                 "verbatim": printed, "name": printed, "surname": s, "given_name": g,
                 "patronymic": p, "birth_edtf": edtf, "birth_from": y - 1 if two else y,
                 "birth_to": y, "death_year": 1937 + (i % 2), "nationality": nats[i],
                 "burial_place": burs[i], "synthetic": True,
                 "extra_json": json.dumps({"aliases": aliases}, ensure_ascii=False)}
            )  # fmt: skip
            keys.extend(name_key_rows(i + 1, s, g, p, aliases))
            if i < 200_000 or i % 10 == 0:
                truth.append((s, g, p, y))
            if len(batch) >= 50_000:
                store.insert_plain_records(conn, batch)
                store.insert_name_keys(conn, keys)
                batch, keys = [], []
        store.insert_plain_records(conn, batch)
        store.insert_name_keys(conn, keys)
    t_insert = time.perf_counter() - t1
    t2 = time.perf_counter()
    with write_transaction(engine) as conn:
        rebuild(conn)
    t_build = time.perf_counter() - t2
    with engine.connect() as conn:
        blob = sum(len(b) for b in store.read_blobs(conn).values())
    engine.dispose()
    _save_truth(side, records, truth, vocab)
    return {
        "records": records, "distinct_surnames": len(vocab), "generate_s": t_gen,
        "insert_s": t_insert, "index_build_s": t_build, "index_bytes": blob,
        "db_bytes": path.stat().st_size, "truth": truth, "vocab": vocab,
    }  # fmt: skip


def _save_truth(side: Path, records: int, truth: list[Any], vocab: list[str]) -> None:
    """The records' names and the surname vocabulary beside the archive, so a measurement
    under the bench lock reuses them instead of drawing 3 M records again."""
    with side.open("wb") as f:
        pickle.dump({"records": records, "truth": truth, "vocab": vocab}, f)


def _index_rebuilt_if_stale(path: Path) -> float | None:
    """Upgrade a built archive and rebuild its name index only if older code wrote it:
    the seconds the rebuild took, or None when the index was current."""
    from memorybook.search.index import needs_rebuild, rebuild
    from memorybook.storage.engine import open_archive, write_transaction
    from memorybook.storage.migrate import upgrade

    engine = open_archive(str(path))
    upgrade(engine)
    t_build: float | None = None
    with write_transaction(engine) as conn:
        if needs_rebuild(conn):
            t = time.perf_counter()
            rebuild(conn)
            t_build = time.perf_counter() - t
    engine.dispose()
    return t_build


def _reuse(path: Path, side: Path) -> dict[str, Any]:
    """A built archive and its names (see `_save_truth`); the index is rebuilt only if it
    was written by older code."""
    with side.open("rb") as f:
        saved = pickle.load(f)
    t_build = _index_rebuilt_if_stale(path)
    return {"records": saved["records"], "distinct_surnames": len(saved["vocab"]),
            "generate_s": None, "insert_s": None, "index_build_s": t_build, "index_bytes": None,
            "db_bytes": path.stat().st_size, "truth": saved["truth"], "vocab": saved["vocab"]}  # fmt: skip


# --- queries -------------------------------------------------------------------------------
KINDS = ("cyr_full", "cyr_variant", "cyr_typo", "order", "latin_popular", "latin_iso9",
         "latin_german", "native", "initials", "surname", "prefix", "gender", "absent")  # fmt: skip
# What people type into the search box letter by letter (`Searcher.suggest`).
SUGGEST_KINDS = ("s_start", "s_g_start", "g_p_s_start", "latin_s_g_start", "latin_g_s_start",
                 "nonsense")  # fmt: skip


def make_queries(info: dict[str, Any], n: int, seed: int) -> dict[str, list[tuple[str, int]]]:
    import iuliia

    from memorybook.search.names import equivalents
    from memorybook.text.translit import transliterate

    rng = random.Random(seed)
    eq = equivalents()
    native_given: dict[str, list[str]] = {}
    for gid, ru in enumerate(eq.russian):
        for form, pairs in eq.by_form.items():
            if any(g == gid and lang != "ru" for g, lang in pairs) and form.isascii():
                for r in ru:
                    native_given.setdefault(r, []).append(form)
    truth = info["truth"]
    existing = set(info["vocab"])
    out: dict[str, list[tuple[str, int]]] = {k: [] for k in (*KINDS, *SUGGEST_KINDS)}

    def cap(x: str) -> str:
        return x[:1].upper() + x[1:]

    def variant(s: str) -> str:
        for a, b in (("о", "а"), ("е", "и"), ("ий", "ой"), ("в", "ф"), ("нн", "н"), ("ь", "")):
            i = s.find(a, 1)
            if i > 0:
                return s[:i] + b + s[i + len(a) :]
        return s + "ъ"

    def typo(s: str) -> str:
        i = rng.randrange(1, max(2, len(s) - 1))
        return s[:i] + s[i + 1 : i + 2] + s[i : i + 1] + s[i + 2 :]

    while min(len(v) for v in out.values()) < n:
        s, g, p, y = rng.choice(truth)
        sl = s.casefold()
        k = {
            "cyr_full": f"{s} {g} {p}",
            "cyr_variant": f"{cap(variant(sl))} {g}",
            "cyr_typo": f"{cap(typo(sl))} {g}",
            "order": f"{g} {s}",
            "latin_popular": f"{cap(iuliia.WIKIPEDIA.translate(g.casefold()))} {cap(iuliia.WIKIPEDIA.translate(sl))}",
            "latin_iso9": f"{cap(iuliia.GOST_779.translate(g.casefold()))} {cap(iuliia.GOST_779.translate(sl))}",
            "latin_german": f"{cap(transliterate(g.casefold(), 'german'))} {cap(transliterate(sl, 'german'))}",
            "native": f"{cap(rng.choice(native_given.get(g.casefold(), [transliterate(g.casefold(), 'polish')])))} {cap(transliterate(sl, 'polish'))}",
            "initials": f"{s} {g[0]}.{p[0]}.",
            "surname": s,
            "prefix": f"{s[:5]}*",
            "gender": _fem(s) if _fem(s) != s else _masc(s),
            # Cut off while typing: a few letters of the last word.
            "s_start": s[: rng.randint(4, 6)],
            "s_g_start": f"{s} {g[: rng.randint(2, 4)]}",
            "g_p_s_start": f"{g} {p} {s[: rng.randint(2, 5)]}",
            "latin_s_g_start": f"{cap(transliterate(sl, 'polish'))} {cap(transliterate(g.casefold(), 'popular'))[: rng.randint(2, 4)]}",
            "latin_g_s_start": f"{cap(rng.choice(native_given.get(g.casefold(), [transliterate(g.casefold(), 'popular')])))} {cap(transliterate(sl, 'popular'))[: rng.randint(3, 6)]}",
            "nonsense": "".join(rng.choice("qxzjwvkh") for _ in range(rng.randint(4, 9))),
        }  # fmt: skip
        for kind, q in k.items():
            if len(out[kind]) < n:
                out[kind].append((q, y))
        if len(out["absent"]) < n:
            a = rng.choice(info["vocab"])[:3] + rng.choice(info["vocab"])[-5:]
            if a not in existing:
                out["absent"].append((f"{a} {g} {p}", y))
    return out


def pct(xs: list[float], q: float) -> float:
    """The q-quantile of durations in seconds, in milliseconds."""
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000.0


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# Targets: issue 4 (the name search at 3 M records) and issue 10 (suggest).
GOALS: dict[str, dict[str, float]] = {
    "national": {"search_p95_ms": 10.0, "search_p99_ms": 25.0, "suggest_p95_ms": 20.0,
                 "cold_start_s": 2.0, "index_rss_mb": 500.0, "filter_ratio": 2.0},
    "small": {"search_p95_ms": 5.0, "search_p99_ms": 25.0, "suggest_p95_ms": 20.0,
              "cold_start_s": 2.0, "index_rss_mb": 500.0, "filter_ratio": 2.0},
}  # fmt: skip


def timed(
    call: Any,
    queries: list[tuple[str, int]],
    filt: Any = None,
    clear: Any = None,
    cpu: list[float] | None = None,
) -> list[float]:
    """Seconds per query (wall clock). `clear` runs before each query, untimed (to measure
    without the searcher's per-word match cache); `cpu` collects the CPU seconds of each
    query, which a loaded shared machine inflates far less than the wall clock."""
    ts = []
    for q, y in queries:
        f = filt(y) if filt else None
        if clear is not None:
            clear()
        c = time.process_time()
        t = time.perf_counter()
        call(q, f)
        ts.append(time.perf_counter() - t)
        if cpu is not None:
            cpu.append(time.process_time() - c)
    return ts


def measure(call: Any, sets: list[list[tuple[str, int]]], clear: Any) -> dict[str, Any]:
    """Fresh queries (each set met for the first time, one set per round) and the first set
    again with the match cache cleared before each query: medians over rounds of p50/p95/p99."""
    per_round, cpu_round = [], []
    for qs in sets[:-1]:
        cpu: list[float] = []
        ts = timed(call, qs, cpu=cpu)
        per_round.append([pct(ts, 0.5), pct(ts, 0.95), pct(ts, 0.99)])
        cpu_round.append([pct(cpu, 0.5), pct(cpu, 0.95), pct(cpu, 0.99)])
    off = timed(call, sets[-1], clear=clear) if clear is not None else []
    med = [statistics.median(r[i] for r in per_round) for i in range(3)]
    return {"p50": med[0], "p95": med[1], "p99": med[2], "rounds": per_round,
            "cache_off": [pct(off, 0.5), pct(off, 0.95), pct(off, 0.99)] if off else None,
            "cpu": [statistics.median(r[i] for r in cpu_round) for i in range(3)],
            "cpu_rounds": cpu_round}  # fmt: skip


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def probe(path: str, query: str, typed: str) -> None:
    """Run in a fresh process: import, index load and the first answers (cold), resident
    memory of the loaded index."""
    t0 = time.perf_counter()
    before = rss_mb()
    from memorybook.search.api import Searcher
    from memorybook.storage.engine import open_archive

    t1 = time.perf_counter()
    imports = rss_mb()
    s = Searcher.open(open_archive(path, read_only=True))
    t2 = time.perf_counter()
    after = rss_mb()
    s.search(query)
    t3 = time.perf_counter()
    s.suggest(typed)
    t4 = time.perf_counter()
    print(json.dumps({"rss_start_mb": before, "rss_after_imports_mb": imports,
                      "rss_after_open_mb": after, "index_rss_mb": after - imports,
                      "index_nbytes_mb": s.index.nbytes() / 2**20 if s.index else 0,
                      "import_s": t1 - t0, "open_s": t2 - t1, "first_search_s": t3 - t2,
                      "first_suggest_s": t4 - t3}))  # fmt: skip


def probe_suggest(path: str, how: str, typed: list[str]) -> None:
    """Run in a fresh process: the index loaded (untimed), then the first suggestions ever
    answered by this process, each timed (wall and CPU), through the library ("lib") or
    through `GET /api/suggest` of the web app in process ("web", result cache off)."""
    t0 = time.perf_counter()
    if how == "lib":
        from memorybook.search.api import Searcher
        from memorybook.storage.engine import open_archive

        s = Searcher.open(open_archive(path, read_only=True))
        call = s.suggest
    else:
        client = _web_client(path)
        call = lambda q: _get_suggest(client, q)  # noqa: E731
    load = time.perf_counter() - t0
    wall, cpu = [], []
    for q in typed:
        c, t = time.process_time(), time.perf_counter()
        call(q)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    print(json.dumps({"load_s": load, "wall_s": wall, "cpu_s": cpu}))


def _web_client(path: str) -> Any:
    """A client of the web app over `path`, its result caches and rate limit off, once the
    app's background warming (charts, facets) has finished, so it does not share the CPU
    with what is timed."""
    from fastapi.testclient import TestClient

    from memorybook.web.app import create_app
    from memorybook.web.settings import Settings

    app = create_app(Settings(archive=path, search_cache=0, record_cache=0, rate=0))
    client = TestClient(app)
    client.__enter__()
    for thread in list(app.state.site._warm_threads):
        thread.join()
    return client


def _get_suggest(client: Any, q: str) -> Any:
    r = client.get("/api/suggest", params={"q": q})
    if r.status_code != 200:
        raise SystemExit(f"GET /api/suggest?q={q!r}: {r.status_code} {r.text[:200]}")
    return r.json()


def measure_suggest(
    path: Path, queries: dict[str, Any], n: int, rounds: int, goals: dict[str, float]
) -> dict[str, Any]:
    """Autocomplete alone: cold (the first answers of fresh processes), then warm through
    the library and through `GET /api/suggest`, each on fresh queries per round after an
    untimed warm-up; p50/p95/p99 of wall and CPU time, medians over rounds."""
    from memorybook.search.api import Searcher
    from memorybook.storage.engine import open_archive

    out: dict[str, Any] = {"cold": {}}
    mixed = [queries[k][i][0] for i in range(3) for k in SUGGEST_KINDS if k != "nonsense"]
    # Fresh processes, each answering 3 queries it never saw, through the library (the web
    # server's first answers: `measure_http`).
    for how, runs in (("lib", 5),):
        probes = []
        for i in range(runs):
            typed = mixed[i * 3 : i * 3 + 3]
            probes.append(json.loads(subprocess.run(
                [sys.executable, __file__, "--probe-suggest", str(path), how, *typed],
                check=True, capture_output=True, text=True, env=_env()).stdout))  # fmt: skip
        first = [p["wall_s"][0] * 1000 for p in probes]
        later = [w * 1000 for p in probes for w in p["wall_s"][1:]]
        first_cpu = [p["cpu_s"][0] * 1000 for p in probes]
        out["cold"][how] = {"first_ms": first, "first_cpu_ms": first_cpu, "next_ms": later,
                            "load_s": [p["load_s"] for p in probes]}  # fmt: skip
        print(f"cold {how} ({runs} fresh processes; start-up untimed, median {statistics.median(p['load_s'] for p in probes):.1f} s): "
              f"first suggestion median {statistics.median(first):.1f} ms (max {max(first):.1f}, "
              f"CPU median {statistics.median(first_cpu):.1f} ms); 2nd and 3rd median "
              f"{statistics.median(later):.1f} ms (max {max(later):.1f})", flush=True)  # fmt: skip
    searcher = Searcher.open(open_archive(str(path), read_only=True))
    client = _web_client(str(path))
    lib = lambda q, f: searcher.suggest(q)  # noqa: E731
    web = lambda q, f: _get_suggest(client, q)  # noqa: E731
    for kind in SUGGEST_KINDS:  # warm-up on queries never timed
        for q, _ in queries[kind][:50]:
            searcher.suggest(q)
            _get_suggest(client, q)
    print(f"warm ({n} fresh queries per kind and round, median of {rounds} rounds; warm-up "
          f"untimed; library: match cache cleared before each query in 'p95 cache off'; "
          f"web: GET /api/suggest, result cache off)", flush=True)  # fmt: skip
    clear = searcher._matches.clear
    for name, call, start in (("library", lib, 50), ("web", web, 50 + n * (rounds + 1))):
        rows = {}
        for kind in SUGGEST_KINDS:
            qs = queries[kind][start:]
            sets = [qs[i * n : (i + 1) * n] for i in range(rounds + 1)]
            rows[kind] = measure(call, sets if name == "library" else [*sets[:rounds], []],
                                 clear if name == "library" else None)  # fmt: skip
        _print_table(f"suggest {name}", rows, goals["suggest_p95_ms"])
        worst = max(m["p95"] for m in rows.values())
        worst_cpu = max(m["cpu"][1] for m in rows.values())
        print(f"suggest {name}: worst kind p95 {worst:.2f} ms wall = "
              f"{_ratio(worst, goals['suggest_p95_ms'])}; CPU {worst_cpu:.2f} ms = "
              f"{_ratio(worst_cpu, goals['suggest_p95_ms'])}", flush=True)  # fmt: skip
        out[name] = rows
    client.__exit__(None, None, None)
    searcher.close()
    return out


class _Server:
    """`uvicorn memorybook.web.app:create_app` over the archive in its own process (one
    worker, result caches and rate limit off), asked over a kept-alive HTTP connection."""

    def __init__(self, path: Path) -> None:
        import http.client
        import socket
        import urllib.parse

        self._quote = urllib.parse.quote
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        env = {**_env(), "MEMORYBOOK_ARCHIVE": str(path), "MEMORYBOOK_WEB_SEARCH_CACHE": "0",
               "MEMORYBOOK_WEB_RECORD_CACHE": "0", "MEMORYBOOK_WEB_RATE": "0"}  # fmt: skip
        t = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "memorybook.web.app:create_app",
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning",
             "--no-access-log", "--timeout-keep-alive", "600"], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        while True:  # up when it answers; ready when its background counting is over
            try:
                self.conn.request("GET", "/api/suggest?q=")
                self.conn.getresponse().read()
                break
            except OSError:
                if self.proc.poll() is not None or time.perf_counter() - t > 900:
                    raise SystemExit("the web server did not start") from None
                self.conn.close()
                time.sleep(1)
        idle = 0
        while idle < 3:
            before = self.cpu()
            time.sleep(1)
            idle = idle + 1 if self.cpu() - before < 0.02 else 0
        self.conn.close()  # a new connection for what is measured
        self.start_s = time.perf_counter() - t

    def cpu(self) -> float:
        """CPU seconds the server process has used so far."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def suggest(self, q: str) -> float:
        t = time.perf_counter()
        self.conn.request("GET", "/api/suggest?q=" + self._quote(q))
        r = self.conn.getresponse()
        body = r.read()
        if r.status != 200:
            raise SystemExit(f"GET /api/suggest?q={q!r}: {r.status} {body[:200]!r}")
        return time.perf_counter() - t

    def close(self) -> None:
        self.conn.close()
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def measure_http(
    path: Path, queries: dict[str, Any], start: int, n: int, rounds: int, goals: dict[str, float]
) -> dict[str, Any]:
    """`GET /api/suggest` of a real server process: its first three answers (cold), then per
    kind fresh queries per round after an untimed warm-up; wall time at the client, the
    server's CPU time per request (from /proc, its mean over each round)."""
    server = _Server(path)
    try:
        mixed = [queries[k][i][0] for i in range(3, 4) for k in SUGGEST_KINDS if k != "nonsense"]
        cold = [server.suggest(q) * 1000 for q in mixed[:3]]
        print(f"cold http (a fresh server, start-up {server.start_s:.0f} s untimed): first three "
              f"answers {', '.join(f'{c:.1f}' for c in cold)} ms", flush=True)  # fmt: skip
        for kind in SUGGEST_KINDS:
            for q, _ in queries[kind][10:50]:
                server.suggest(q)
        rows: dict[str, Any] = {}
        print(f"{'suggest http':16} {'p50':>7} {'p95':>7} {'p99':>7} {'server CPU/request':>19}"
              f"  ms   p95/goal ({goals['suggest_p95_ms']:g} ms)")  # fmt: skip
        for kind in SUGGEST_KINDS:
            per_round, cpu_round = [], []
            for r in range(rounds):
                qs = queries[kind][start + r * n : start + (r + 1) * n]
                c = server.cpu()
                ts = [server.suggest(q) for q, _ in qs]
                cpu_round.append((server.cpu() - c) / max(len(qs), 1) * 1000)
                per_round.append([pct(ts, 0.5), pct(ts, 0.95), pct(ts, 0.99)])
            med = [statistics.median(x[i] for x in per_round) for i in range(3)]
            rows[kind] = {"p50": med[0], "p95": med[1], "p99": med[2], "rounds": per_round,
                          "server_cpu_mean_ms": statistics.median(cpu_round)}  # fmt: skip
            print(f"{kind:16} {med[0]:7.2f} {med[1]:7.2f} {med[2]:7.2f} "
                  f"{statistics.median(cpu_round):19.2f}       "
                  f"{med[1] / goals['suggest_p95_ms']:.2f}", flush=True)  # fmt: skip
        worst = max(m["p95"] for m in rows.values())
        print(f"suggest http: worst kind p95 {worst:.2f} ms wall = "
              f"{_ratio(worst, goals['suggest_p95_ms'])}", flush=True)  # fmt: skip
        return {"cold_ms": cold, "start_s": server.start_s, "warm": rows}
    finally:
        server.close()


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def cold_start(path: Path, query: str, runs: int = 3) -> list[float]:
    """Process start to first answer through the CLI, each in a fresh process (the OS page
    cache is not cleared: the machine is shared)."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "memorybook.cli.main", "search", "--archive", str(path), "--json", query],
            check=True, capture_output=True, env=_env(),
        )  # fmt: skip
        times.append(time.perf_counter() - t)
    return times


def _ratio(value: float, goal: float) -> str:
    return f"{value / goal:.2f}× goal"


def _print_table(title: str, rows: dict[str, dict[str, Any]], goal: float) -> None:
    print(f"{title:16} {'p50':>7} {'p95':>7} {'p99':>7} {'p95 cache off':>14} {'CPU p50':>8} "
          f"{'CPU p95':>8}  ms   p95/goal ({goal:g} ms)")  # fmt: skip
    for kind, m in rows.items():
        off = m["cache_off"][1] if m["cache_off"] else float("nan")
        print(f"{kind:16} {m['p50']:7.2f} {m['p95']:7.2f} {m['p99']:7.2f} {off:14.2f}"
              f" {m['cpu'][0]:8.2f} {m['cpu'][1]:8.2f}       {m['p95'] / goal:.2f}",
              flush=True)  # fmt: skip


def _report_build(info: dict[str, Any]) -> None:
    if info["insert_s"] is None:
        print(f"distinct surnames {info['distinct_surnames']:,}; archive reused (--reuse), "
              f"file {info['db_bytes'] / 2**20:.0f} MB"
              + (f"; index rebuilt in {info['index_build_s']:.1f} s" if info["index_build_s"]
                 else ""), flush=True)  # fmt: skip
    else:
        print(f"distinct surnames {info['distinct_surnames']:,}; generate {info['generate_s']:.1f} s, "
              f"insert {info['insert_s']:.1f} s, index build {info['index_build_s']:.1f} s; "
              f"index blobs {info['index_bytes'] / 2**20:.0f} MB, archive file "
              f"{info['db_bytes'] / 2**20:.0f} MB", flush=True)  # fmt: skip


def measure_cold(path: Path, queries: dict[str, Any], goals: dict[str, float]) -> dict[str, Any]:
    """Fresh processes: three probes (index load, first answers, memory) and three CLI runs."""
    probes = [json.loads(subprocess.run(
        [sys.executable, __file__, "--probe", str(path), queries["cyr_full"][i][0],
         queries["s_g_start"][i][0]], check=True, capture_output=True, text=True,
        env=_env()).stdout) for i in range(3)]  # fmt: skip
    mem = {k: statistics.median(p[k] for p in probes) for k in probes[0]}
    cold = cold_start(path, queries["cyr_full"][3][0])
    print(f"cold (fresh process, median of 3): CLI process start to first answer "
          f"{statistics.median(cold):.2f} s ({_ratio(statistics.median(cold), goals['cold_start_s'])}); "
          f"in process: imports {mem['import_s']:.2f} s, index load {mem['open_s']:.2f} s, "
          f"first search {mem['first_search_s'] * 1000:.0f} ms, first suggest "
          f"{mem['first_suggest_s'] * 1000:.0f} ms; index resident {mem['index_rss_mb']:.0f} MB "
          f"({_ratio(mem['index_rss_mb'], goals['index_rss_mb'])}), arrays "
          f"{mem['index_nbytes_mb']:.0f} MB", flush=True)  # fmt: skip
    return {"memory": mem, "cold_start_cli_s": cold}


def measure_warm(
    searcher: Any, queries: dict[str, Any], n: int, rounds: int, goals: dict[str, float]
) -> dict[str, Any]:
    """Search and suggest per kind on fresh queries (after untimed warm-up on others)."""
    for kind in (*KINDS, *SUGGEST_KINDS):  # warm-up on queries never timed
        for q, _ in queries[kind][:50]:
            searcher.search(q)
    print(
        f"warm (index loaded, warm-up untimed; {n} fresh queries per kind and round, median "
        f"of {rounds} rounds; cache off: the per-word match cache cleared before each query)"
    )

    def sets(kind: str) -> list[list[tuple[str, int]]]:
        qs = queries[kind][50:]
        return [qs[i * n : (i + 1) * n] for i in range(rounds + 1)]

    search = lambda q, f: searcher.search(q, f, limit=10)  # noqa: E731
    suggest = lambda q, f: searcher.suggest(q)  # noqa: E731
    clear = searcher._matches.clear
    out: dict[str, Any] = {"search": {}, "suggest": {}}
    for kind in KINDS:
        out["search"][kind] = measure(search, sets(kind), clear)
    _print_table("search", out["search"], goals["search_p95_ms"])
    for kind in SUGGEST_KINDS:
        out["suggest"][kind] = measure(suggest, sets(kind), clear)
    _print_table("suggest", out["suggest"], goals["suggest_p95_ms"])
    for what, goal in (("suggest", goals["suggest_p95_ms"]), ("search", goals["search_p95_ms"])):
        worst = max(m["p95"] for m in out[what].values())
        print(f"{what}: worst kind p95 {worst:.2f} ms = {_ratio(worst, goal)}", flush=True)
    return out


def measure_filters(
    searcher: Any, rest: list[tuple[str, int]], shape: str, goals: dict[str, float]
) -> dict[str, Any]:
    """Each filter on its own fresh mixed queries; p95 against the unfiltered p95."""
    from memorybook.search.api import SearchFilters

    per = len(rest) // 8
    filters: dict[str, Any] = {
        "none": None,
        "born": lambda y: SearchFilters(born=y),
        "born_range": lambda y: SearchFilters(born_from=y - 2, born_to=y + 2),
        "died": lambda y: SearchFilters(died=1937),
        "nationality": lambda y: SearchFilters(nationality="латыш"),
        "burial": lambda y: SearchFilters(burial_place="Бутово"),
        "source": lambda y: SearchFilters(source=f"synthetic:{shape}"),
        "all": lambda y: SearchFilters(born_from=y - 2, born_to=y + 2, died=1937,
                                       burial_place="Бутово", source=f"synthetic:{shape}"),
    }  # fmt: skip
    print(f"{'filter':14} {'p50':>7} {'p95':>7} {'p99':>7}  ms   p95 / unfiltered p95"
          f"   ({per} fresh mixed queries each; goal ≤ {goals['filter_ratio']:g})")  # fmt: skip
    out: dict[str, Any] = {}
    base = None
    search = lambda q, f: searcher.search(q, f, limit=10)  # noqa: E731
    for n_f, (name, f) in enumerate(filters.items()):
        ts = timed(search, rest[n_f * per : (n_f + 1) * per], f)
        p95 = pct(ts, 0.95)
        base = base or p95
        out[name] = [pct(ts, 0.5), p95, pct(ts, 0.99), p95 / base]
        print(f"{name:14} {pct(ts, .5):7.2f} {p95:7.2f} {pct(ts, .99):7.2f}      {p95 / base:.2f}",
              flush=True)  # fmt: skip
    return out


def measure_batch(
    searcher: Any, mixed: list[tuple[str, int]], path: Path, work: Path, cold_s: float
) -> dict[str, Any]:
    """The library's batch (one connection) and the CLI's --batch."""
    items = [{"id": i, "query": q, "filters": {"birth_year": y}} for i, (q, y) in enumerate(mixed)]
    ts, last = [], time.perf_counter()
    for _ in searcher.search_batch(items):
        now = time.perf_counter()
        ts.append(now - last)
        last = now
    lib = [pct(ts, 0.5), pct(ts, 0.95), pct(ts, 0.99)]
    bfile = work / f"batch-{path.stem}.jsonl"
    bfile.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), "utf-8")
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "memorybook.cli.main", "search", "--archive", str(path), "--batch", str(bfile)],
        check=True, capture_output=True, env=_env(),
    )  # fmt: skip
    total = time.perf_counter() - t
    print(f"batch, library: p50 {lib[0]:.2f} p95 {lib[1]:.2f} p99 {lib[2]:.2f} ms; CLI --batch "
          f"of {len(items)}: {total:.1f} s ({(total - cold_s) / len(items) * 1000:.2f} ms/query "
          f"after start)")  # fmt: skip
    return {"batch_library": lib, "batch_cli_s": total}


def run_shape(
    shape: str, args: argparse.Namespace, dist: dict[str, Any], work: Path
) -> dict[str, Any]:
    from memorybook.search.api import Searcher
    from memorybook.storage.engine import open_archive

    goals = GOALS[shape]
    path = work / f"synthetic-{shape}-{args.records}.sqlite"
    print(f"\n## {shape} vocabulary, {args.records:,} SYNTHETIC records ({path}); "
          f"load average {load_average()}", flush=True)  # fmt: skip
    info = build_archive(path, args.records, shape, dist, args.seed, args.reuse)
    _report_build(info)
    n, rounds = args.queries, args.rounds
    if args.build_only:
        return {"build": {k: v for k, v in info.items() if k not in ("truth", "vocab")}}
    if args.only == "suggest":
        queries = make_queries(info, 50 + n * (3 * rounds + 1), args.seed + 1)
        res = {"load_average_start": load_average(), "goals": goals}
        res["suggest"] = measure_suggest(path, queries, n, rounds, goals)
        res["suggest"]["http"] = measure_http(
            path, queries, 50 + n * (2 * rounds + 1), n, rounds, goals
        )
        res["load_average_end"] = load_average()
        print(f"load average at the end: {res['load_average_end']}")
        return res
    # Disjoint query sets: warm-up (never timed), one per timed round, one for the cache-off
    # run, and one per filter, so no timed query was seen before by the searcher.
    queries = make_queries(info, 50 + n * (rounds + 1) + n * 8, args.seed + 1)
    res: dict[str, Any] = {
        "load_average_start": load_average(), "goals": goals,
        "build": {k: v for k, v in info.items() if k not in ("truth", "vocab")},
    }  # fmt: skip
    res.update(measure_cold(path, queries, goals))
    searcher = Searcher.open(open_archive(str(path), read_only=True))
    res.update(measure_warm(searcher, queries, n, rounds, goals))
    offset = 50 + n * (rounds + 1)
    rest = [queries[k][i] for i in range(offset, offset + n * 8) for k in KINDS]
    res["filters"] = measure_filters(searcher, rest, shape, goals)
    cold_s = statistics.median(res["cold_start_cli_s"])
    res.update(measure_batch(searcher, rest[: len(rest) // 8], path, work, cold_s))
    res["load_average_end"] = load_average()
    print(f"load average at the end: {res['load_average_end']}")
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=3_000_000)
    ap.add_argument("--shape", choices=("small", "national", "both"), default="both")
    ap.add_argument("--queries", type=int, default=1000, help="queries per kind and round")
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds (medians reported)")
    ap.add_argument("--seed", type=int, default=1937)
    ap.add_argument("--workdir", default=None, help="where the synthetic archives go (kept)")
    ap.add_argument("--out", default=None, help="write the figures as JSON here")
    ap.add_argument("--reuse", action="store_true", help="reuse archives already in --workdir")
    ap.add_argument("--build-only", action="store_true", help="build (or reuse) and stop")
    ap.add_argument("--only", choices=("all", "suggest"), default="all",
                    help="suggest: measure the autocomplete alone")  # fmt: skip
    ap.add_argument("--probe", nargs=3, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--probe-suggest", nargs="+", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.probe:
        probe(*args.probe)
        return 0
    if args.probe_suggest:
        probe_suggest(args.probe_suggest[0], args.probe_suggest[1], args.probe_suggest[2:])
        return 0
    work = Path(args.workdir or tempfile.mkdtemp(prefix="memorybook-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    dist = real_distributions()
    shapes = ("small", "national") if args.shape == "both" else (args.shape,)
    results = {s: run_shape(s, args, dist, work) for s in shapes}
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1), "utf-8")
        print(f"figures written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

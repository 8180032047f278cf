"""Builds tests/data/search_eval.jsonl from the real Moscow list (run by hand, not by pytest).

    python3 tests/search/make_search_eval.py ARCHIVE.sqlite > tests/data/search_eval.jsonl

Queries are derived from real records by written rules (README-search.md); each query's
expected records are computed from the whole list by the same rules — never from the search.
The own-language names (Polish, Latvian, …) and the absent names are written by hand below."""

from __future__ import annotations

import json
import random
import re
import sys
from collections import defaultdict
from typing import Any

import iuliia

from memorybook.storage.engine import open_archive
from memorybook.storage.search_store import iter_record_names
from memorybook.text.translit import transliterate

SEED = 20261123


def n(s: str | None) -> str:
    return (s or "").casefold().replace("ё", "е").strip()


def cap(s: str) -> str:
    return "-".join(p[:1].upper() + p[1:] for p in s.split("-"))


# Latin look-alikes in the printed names (Hиколай): the rule-side normalisation fixes them too.
_LOOK = str.maketrans({"h": "н", "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х",
                       "k": "к", "m": "м", "t": "т", "b": "в", "y": "у"})  # fmt: skip


def nn(s: str | None) -> str:
    return n(s).translate(_LOOK)


class List:
    def __init__(self, recs: list[dict[str, Any]]) -> None:
        self.recs = recs
        self.by_s: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in recs:
            r["s"], r["g"], r["p"] = nn(r["surname"]), nn(r["given_name"]), nn(r["patronymic"])
            r["aliases"] = json.loads(r["extra_json"] or "{}").get("aliases", [])
            self.by_s[r["s"]].append(r)

    def where(self, s: str, g: str | None = None, p: str | None = None) -> list[dict[str, Any]]:
        return [
            r for r in self.by_s.get(s, [])
            if (g is None or r["g"] == g) and (p is None or r["p"] == p)
        ]  # fmt: skip

    def find(self, s: str, g: str) -> dict[str, Any]:
        hits = self.where(n(s), n(g))
        if not hits:
            raise SystemExit(f"no record {s} {g}")
        return hits[0]


def loc(rs: list[dict[str, Any]]) -> list[list[Any]]:
    return sorted({(r["file"], r["idx"]) for r in rs})  # type: ignore[return-value]


# --- spelling-variant rules (issue 4): each returns a variant or None --------------------
def _sub_inner(s: str, a: str, b: str, rng: random.Random) -> str | None:
    pos = [i for i in range(1, len(s) - 1) if s[i] == a]
    if not pos:
        return None
    i = rng.choice(pos)
    return s[:i] + b + s[i + 1 :]


VARIANT_RULES = [
    ("е→и unstressed", lambda s, r: _sub_inner(s, "е", "и", r)),
    ("о→а unstressed", lambda s, r: _sub_inner(s, "о", "а", r)),
    ("double→single", lambda s, r: re.sub(r"([бвгджзклмнпрстфхцчшщ])\1", r"\1", s, count=1)
     if re.search(r"([бвгджзклмнпрстфхцчшщ])\1", s) else None),
    ("single→double", lambda s, r: re.sub(r"(?<=[аеиоуыэюя])([лнср])(?=[аеиоуыэюя])", r"\1\1", s,
                                          count=1) if re.search(r"[аеиоуыэюя][лнср][аеиоуыэюя]", s) else None),
    ("soft sign dropped", lambda s, r: s.replace("ь", "", 1) if "ь" in s else None),
    ("-ский→-ской", lambda s, r: s[:-4] + "ской" if s.endswith("ский") else None),
    ("-цев/-цов", lambda s, r: s[:-3] + "цов" if s.endswith("цев") else (s[:-3] + "цев" if s.endswith("цов") else None)),
    ("в→ф final", lambda s, r: s[:-1] + "ф" if s.endswith("в") else None),
    ("г→х", lambda s, r: _sub_inner(s, "г", "х", r)),
    ("е→ё", lambda s, r: _sub_inner(s, "е", "ё", r)),
    ("е→э", lambda s, r: _sub_inner(s, "е", "э", r)),
    ("и→ы", lambda s, r: _sub_inner(s, "и", "ы", r)),
    ("й→и", lambda s, r: _sub_inner(s, "й", "и", r)),
    ("и→е unstressed", lambda s, r: _sub_inner(s, "и", "е", r)),
    ("а→о unstressed", lambda s, r: _sub_inner(s, "а", "о", r)),
]  # fmt: skip

KEYB = "йцукенгшщзхъфывапролджэячсмитьбю"
NEAR = {c: KEYB[max(0, i - 1)] + KEYB[min(len(KEYB) - 1, i + 1)] for i, c in enumerate(KEYB)}


def typo(s: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(s) - 1)
    op = rng.choice(["swap", "del", "sub", "ins"])
    if op == "swap":
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    if op == "del":
        return s[:i] + s[i + 1 :]
    if op == "sub":
        return s[:i] + rng.choice(NEAR.get(s[i], "о")) + s[i + 1 :]
    return s[:i] + s[i] + s[i:]


COLLOQUIAL = [("еевич", "еич"), ("аевич", "аич"), ("ьевич", "ьич")]
PATR_VARIANTS = [("егорович", "георгиевич"), ("георгиевич", "егорович"),
                 ("прокофьевич", "прокопьевич"), ("прокопьевич", "прокофьевич"),
                 ("осипович", "иосифович"), ("иосифович", "осипович"),
                 ("федорович", "феодорович")]  # fmt: skip
LATIN_INITIAL = {"я": "Ya", "ю": "Yu", "ж": "Zh", "х": "Kh", "ч": "Ch", "ш": "Sh", "щ": "Shch",
                 "ц": "Ts", "е": "E", "э": "E", "ё": "Yo"}  # fmt: skip

# Own-language forms, written by hand: (query, printed surname, printed given name, language)
NATIVE = [
    ("Zygmunt Milewski", "Милевский", "Сигизмунд", "Polish"),
    ("Milewski Zygmunt", "Милевский", "Сигизмунд", "Polish"),
    ("Bolesław Drozdowski", "Дроздовский", "Болеслав", "Polish"),
    ("Józef Malczewski", "Мальчевский", "Иосиф", "Polish"),
    ("Witold Michałowski", "Михаловский", "Витольд", "Polish"),
    ("Władysław Czapliński", "Чаплинский", "Владислав", "Polish"),
    ("Zygmunt Raczyński", "Рачинский", "Сигизмунд", "Polish"),
    ("Zygmunt Borkowski", "Борковский", "Сигизмунд", "Polish"),
    ("Jan Szydłowski", "Шидловский", "Иван", "Polish"),
    ("Jadwiga Pilawska", "Пилявская", "Ядвига", "Polish"),
    ("Wanda Wolska", "Вольская", "Ванда", "Polish"),
    ("Stefania Paszkowska", "Пашковская", "Стефания", "Polish"),
    ("Zofia Osińska", "Осинская", "Софья", "Polish"),
    ("Jēkabs Siliņš", "Силин", "Яков", "Latvian"),
    ("Eduards Auziņš", "Аузин", "Эдуард", "Latvian"),
    ("Alfrēds Lācis", "Лацис", "Альфред", "Latvian"),
    ("Jānis Ozols", "Озол", "Ян", "Latvian"),
    ("Voldemārs Zaķis", "Закис", "Вольдемар", "Latvian"),
    ("Ernests Rožkalns", "Рожкалнс", "Эрнест", "Latvian"),
    ("Oto Ausekļis", "Аусеклис", "Отто", "Latvian"),
    ("Kārlis Jēkabsons", "Якобсон", "Карл", "Latvian"),
    ("Roberts Eihe", "Эйхе", "Роберт", "Latvian"),
    ("Jānis Rudzutaks", "Рудзутак", "Ян", "Latvian"),
    ("Jēkabs Peterss", "Петерс", "Яков", "Latvian"),
    ("Heinrich Neumann", "Нейман", "Генрих", "German"),
    ("Oskar Hofrichter", "Гофрихтер", "Оскар", "German"),
    ("Erich Schulze", "Шульце", "Эрих", "German"),
    ("Walter Bitter", "Биттер", "Вальтер", "German"),
    ("Alfred Schmidt", "Шмидт", "Альфред", "German"),
    ("Gottfried Band", "Банд", "Готфрид", "German"),
    ("Wilhelm Strauss", "Штраус", "Вильгельм", "German"),
    ("Vytautas Putna", "Путна", "Витовт", "Lithuanian"),
    ("Eduardas Bakutis", "Бакутис", "Эдуард", "Lithuanian"),
    ("Kazimieras Davidaitis", "Давидайтис", "Казимир", "Lithuanian"),
    ("Petras Vitkus", "Виткус", "Петр", "Lithuanian"),
    ("Robert Saks", "Сакс", "Роберт", "Estonian"),
    ("Oskar Martinson", "Мартинсон", "Оскар", "Estonian"),
    ("Mart Meier", "Мейер", "Март", "Estonian"),
    ("Eduard Alas", "Алас", "Эдуард", "Estonian"),
    ("Arvo Tila", "Тила", "Арво", "Finnish"),
    ("Niilo Virtanen", "Виртанен", "Нило", "Finnish"),
    ("Sulo Lahti", "Лахти", "Суло", "Finnish"),
    ("Mauno Haahti", "Хаахти", "Мауно", "Finnish"),
    ("Wolf Berman", "Берман", "Вульф", "Yiddish"),
    ("Hirsch Goldin", "Гольдин", "Гирш", "Yiddish"),
    ("Jakob Gillerson", "Гилерсон", "Яков", "Yiddish"),
    ("Schmuel Polonski", "Полонский", "Самуил", "Yiddish"),
    ("Hersch Schneider", "Шнайдер", "Герш", "Yiddish"),
]

# Hand-typed romanisations as people write them (not produced by our tables).
HAND_LATIN = [
    ("Vasily Kuzmin", "Кузьмин", "Василий", "popular"),
    ("Nikolai Bukharin", "Бухарин", "Николай", "popular"),
    ("Grigory Zinoviev", "Зиновьев", "Григорий", "popular"),
    ("Vsevolod Meyerhold", "Мейерхольд", "Всеволод", "popular"),
    ("Isaac Babel", "Бабель", "Исаак", "popular"),
    ("Mikhail Tukhachevsky", "Тухачевский", "Михаил", "popular"),
    ("Alexei Rykov", "Рыков", "Алексей", "popular"),
    ("Wsewolod Meyerhold", "Мейерхольд", "Всеволод", "german-hand"),
    ("Michail Tuchatschewski", "Тухачевский", "Михаил", "german-hand"),
    ("Grigori Sinowjew", "Зиновьев", "Григорий", "german-hand"),
    ("Isaak Babel", "Бабель", "Исаак", "german-hand"),
    ("Nikolaï Boukharine", "Бухарин", "Николай", "french-hand"),
    ("Grigori Zinoviev", "Зиновьев", "Григорий", "french-hand"),
    ("Mikhaïl Toukhatchevski", "Тухачевский", "Михаил", "french-hand"),
    ("Mikołaj Bucharin", "Бухарин", "Николай", "polish-hand"),
    ("Grigorij Zinowjew", "Зиновьев", "Григорий", "polish-hand"),
    ("Michaił Tuchaczewski", "Тухачевский", "Михаил", "polish-hand"),
    ("Aleksiej Rykow", "Рыков", "Алексей", "polish-hand"),
]

ABSENT = [
    "Сидоренко Тарас Богданович",
    "Коваленко Остап",
    "Чайковский Пётр Ильич",
    "Tadeusz Wiśniewski",
    "John Smith",
    "Hans Zimmermann",
    "Krišjānis Barons",
    "Ludwig Beethoven",
    "Михайловская Евфросиния Панкратьевна",
    "Pyotr Tchaikovsky",
    "Кощеев Ермолай Фокич",
    "Arvydas Sabonis",
    "Toomas Hendrik Ilves",
    "Урхо Кекконен",
    "Brzęczyszczykiewicz Grzegorz",
    "Зюзюкин Афанасий",
    "Шарапов Владимир Иванович",
    "Пушкин Александр Сергеевич",
    "Jochen Rindt",
    "Моисей Ицкович Гершензон",
]

EMPTY: dict[str, Any] = {}


def main(path: str) -> None:
    eng = open_archive(path)
    with eng.connect() as conn:
        L = List(list(iter_record_names(conn)))
    rng = random.Random(SEED)
    out: list[dict[str, Any]] = []

    def emit(kind: str, query: str, expected: list[dict[str, Any]], note: str = "",
             filters: dict[str, Any] | None = None) -> None:  # fmt: skip
        if not expected and kind != "absent":
            raise SystemExit(f"empty expectation for {query}")
        item: dict[str, Any] = {"id": f"{kind}-{len(out):03d}", "kind": kind, "query": query}
        if filters:
            item["filters"] = filters
        item["expected"] = loc(expected)
        if note:
            item["note"] = note
        out.append(item)

    full = [r for r in L.recs if r["s"] and r["g"] and r["p"] and "-" not in r["s"]
            and r["s"].isalpha() and r["g"].isalpha() and r["p"].isalpha()]  # fmt: skip
    rng.shuffle(full)
    pool = iter(full)

    # 1. Cyrillic as printed.
    for _ in range(10):
        r = next(pool)
        emit("cyr_exact", f"{r['surname']} {r['given_name']} {r['patronymic']}",
             L.where(r["s"], r["g"], r["p"]))  # fmt: skip
    # 2. Spelling variants (one rule each, rules taken in turn).
    k = 0
    while k < 22:
        r = next(pool)
        name, rule = VARIANT_RULES[k % len(VARIANT_RULES)]
        v = rule(r["s"], rng)
        if not v or v == r["s"]:
            continue
        exp = L.where(r["s"], r["g"]) + L.where(n(v), r["g"])
        emit("cyr_variant", f"{cap(v)} {r['given_name']}", exp, name)
        k += 1
    # 3. Typos (one, or two in long surnames).
    k = 0
    while k < 15:
        r = next(pool)
        if len(r["s"]) < 6:
            continue
        t = typo(r["s"], rng)
        if k % 3 == 2 and len(r["s"]) >= 8:
            t = typo(t, rng)
        if n(t) == r["s"]:
            continue
        exp = L.where(r["s"], r["g"]) + L.where(n(t), r["g"])
        emit(
            "cyr_typo",
            f"{cap(t)} {r['given_name']}",
            exp,
            "two typos" if k % 3 == 2 else "one typo",
        )
        k += 1
    # 4. Given name first.
    for i in range(10):
        r = next(pool)
        q = (f"{r['given_name']} {r['surname']}" if i % 2 == 0
             else f"{r['given_name']} {r['patronymic']} {r['surname']}")  # fmt: skip
        emit("order", q, L.where(r["s"], r["g"], None if i % 2 == 0 else r["p"]))
    # 5. Patronymic colloquial or a variant of the father's name.
    k = 0
    for r in full:
        if k >= 12:
            break
        p = r["p"]
        alt = None
        for a, b in PATR_VARIANTS:
            if p == a:
                alt, why = b, "father's name variant"
        if alt is None and k < 7:
            for a, b in COLLOQUIAL:
                if p.endswith(a):
                    alt, why = p[: -len(a)] + b, "colloquial"
        if alt is None:
            continue
        emit("patronymic", f"{r['surname']} {r['given_name']} {cap(alt)}",
             L.where(r["s"], r["g"], r["p"]), why)  # fmt: skip
        k += 1
    # 6. Romanisations (iuliia for the standard schemes; our own tables noted as such).
    schemes = [("popular", iuliia.WIKIPEDIA, 10), ("bgn", iuliia.BGN_PCGN, 6),
               ("iso9", iuliia.GOST_779, 6), ("lc", iuliia.ALA_LC, 6),
               ("scholarly", iuliia.SCIENTIFIC, 6)]  # fmt: skip
    for scheme, schema, count in schemes:
        for _ in range(count):
            r = next(pool)
            sur = schema.translate(r["s"]).replace("ё", "ë")
            giv = schema.translate(r["g"]).replace("ё", "ë")
            emit(f"latin_{scheme}", f"{cap(giv)} {cap(sur)}", L.where(r["s"], r["g"]))
    for scheme in ("german", "french", "polish"):
        for _ in range(4):
            r = next(pool)
            q = f"{cap(transliterate(r['g'], scheme))} {cap(transliterate(r['s'], scheme))}"
            emit(f"latin_{scheme}", q, L.where(r["s"], r["g"]), "memorybook's own table")
    for q, s, g, how in HAND_LATIN:
        r = L.find(s, g)
        kind = "latin_popular" if how == "popular" else f"latin_{how.split('-')[0]}"
        emit(kind, q, L.where(r["s"], r["g"]), "typed by hand")
    # 7. Own-language names.
    for q, s, g, lang in NATIVE:
        r = L.find(s, g)
        emit("native", q, L.where(r["s"], r["g"]), lang)
    # 8. Initials.
    for i in range(12):
        r = next(pool)
        gi, pi = r["g"][0], r["p"][0]
        exp = [x for x in L.by_s[r["s"]] if x["g"][:1] == gi and x["p"][:1] == pi]
        if i < 6:
            q = (
                f"{r['surname']} {gi.upper()}.{pi.upper()}."
                if i % 2
                else f"{gi.upper()}. {pi.upper()}. {r['surname']}"
            )
        else:
            lat = cap(iuliia.WIKIPEDIA.translate(r["s"]))
            gl = LATIN_INITIAL.get(gi, iuliia.WIKIPEDIA.translate(gi).upper()[:1])
            pl = LATIN_INITIAL.get(pi, iuliia.WIKIPEDIA.translate(pi).upper()[:1])
            q = f"{lat} {gl}. {pl}."
        emit("initials", q, exp)
    # 9. Surname alone (families of 1-12 records).
    k = 0
    for r in full:
        if k >= 10:
            break
        if (
            1 <= len(L.by_s[r["s"]]) <= 12
            and len(r["s"]) > 4
            and r["s"].endswith(("ов", "ин", "ский", "ман", "ер"))
        ):
            emit("surname", r["surname"], L.by_s[r["s"]])
            k += 1
    # 10. Start of a surname (5-6 letters; half with an explicit *).
    k = 0
    for r in full:
        if k >= 8:
            break
        if len(r["s"]) < 9:
            continue
        pre = r["s"][: 5 + k % 2]
        if pre in L.by_s:
            continue
        exp = [x for x in L.recs if x["s"].startswith(pre)]
        if len(exp) > 10:
            continue
        emit("prefix", cap(pre) + ("*" if k % 2 else ""), exp)
        k += 1
    # 11. The woman's / man's form of the family name.
    k = 0
    pairs = [("ов", "ова"), ("ев", "ева"), ("ин", "ина"), ("ский", "ская"), ("цкий", "цкая")]
    for r in full:
        if k >= 8:
            break
        for m, f in pairs:
            if r["s"].endswith(m):
                other, base = r["s"][: -len(m)] + f, r["s"]
            elif r["s"].endswith(f):
                other, base = r["s"][: -len(f)] + m, r["s"][: -len(f)] + m
            else:
                continue
            fem = base[: -len(m)] + f
            family = L.by_s.get(base, []) + L.by_s.get(fem, [])
            if len(family) > 10:
                break
            emit("gender", cap(other), family)
            k += 1
            break
    # 12. Double surnames.
    doubles = [r for r in L.recs if "-" in r["s"] and r["g"] and r["s"].count("-") == 1]
    rng.shuffle(doubles)
    for i, r in enumerate(doubles[:6]):
        a, b = r["s"].split("-")
        if i % 3 == 0:
            q, exp = f"{cap(r['s'])} {r['given_name']}", L.where(r["s"], r["g"])
        else:
            part = a if i % 3 == 1 else b
            q = f"{cap(part)} {r['given_name']}"
            exp = [x for x in L.recs if x["g"] == r["g"] and part in x["s"].split("-")]
        emit("double", q, exp)
    # 13. Aliases printed in parentheses.
    al = [r for r in L.recs if r["aliases"] and r["g"]]
    rng.shuffle(al)
    k = 0
    for r in al:
        if k >= 8:
            break
        a = r["aliases"][0].split(",")[0].strip()
        head = r["verbatim"].split(",")[0]
        before = head[: head.find("(" + a)].split()
        after = before[-1] if before else ""
        words = a.split()
        if len(words) == 1 and after == r["surname"]:
            q, exp = f"{a} {r['given_name']}", [r, *L.where(n(a), r["g"])]
        elif len(words) == 1 and after == r["given_name"]:
            q, exp = f"{r['surname']} {a}", [r, *L.where(r["s"], n(a))]
        elif len(words) == 1 and after == r["patronymic"]:
            q, exp = f"{r['surname']} {r['given_name']} {a}", [r]
        elif len(words) >= 2 and after == r["patronymic"]:
            q, exp = a, [r, *L.where(n(words[0]), n(words[1]))]
        else:
            continue
        emit("alias", q, exp, f"alias of {r['surname']} {r['given_name']}")
        k += 1
    # 14. Filters.
    fam = [
        s
        for s, rs in L.by_s.items()
        if 3 <= len(rs) <= 40 and len({x["birth_from"] for x in rs}) >= 3
    ]
    rng.shuffle(fam)
    for i, s in enumerate(fam[:12]):
        rs = L.by_s[s]
        r = rs[0]
        if i < 4:
            y = r["birth_from"]
            f = {"born": y}
            exp = [x for x in rs if x["birth_from"] and (x["birth_from"] <= y <= x["birth_to"])]
        elif i < 6:
            y = r["birth_from"]
            f = {"born_from": y - 2, "born_to": y + 2}
            exp = [
                x
                for x in rs
                if x["birth_from"] and x["birth_to"] >= y - 2 and x["birth_from"] <= y + 2
            ]
        elif i < 8:
            f = {"nationality": r["nationality"]}
            exp = [x for x in rs if x["nationality"] == r["nationality"]]
        elif i < 10:
            f = {"burial_place": r["burial_place"]}
            exp = [x for x in rs if x["burial_place"] == r["burial_place"]]
        else:
            f = {"died": r["death_year"]}
            exp = [x for x in rs if x["death_year"] == r["death_year"]]
        emit("filters", rs[0]["surname"], exp, "", f)
    # Two printed birth years: either matches.
    two = [
        r
        for r in L.recs
        if r["birth_from"] and r["birth_to"] and r["birth_to"] - r["birth_from"] >= 2
    ]
    for r in two[:2]:
        y = r["birth_to"]
        exp = [x for x in L.by_s[r["s"]] if x["birth_from"] in (y,) or x["birth_to"] == y]
        emit("filters", r["surname"], exp, "second printed birth year", {"born": y})
    # 15. Absent names: none of these surnames is in the list (checked here).
    for q in ABSENT:
        words = [nn(w) for w in q.split()]
        for a in words:
            for b in words:
                if a != b and L.where(a, b):
                    raise SystemExit(f"absent name {q} is in the list")
        emit("absent", q, [])
    print(f"{len(out)} queries", file=sys.stderr)
    for item in out:
        print(json.dumps(item, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])

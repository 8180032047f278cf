"""Builds tests/data/search_eval_hand.jsonl: queries written by hand, as a relative types a
name — never produced by the index's romanisation code (run by hand, not by pytest).

    python3 tests/search/make_search_eval_hand.py ARCHIVE.sqlite > tests/data/search_eval_hand.jsonl

Each query below was written by a person for a real record of the Memorial Moscow list: in
the spelling of the person's own language (Polish, German, Latvian, Lithuanian, Hungarian,
Yiddish), in the English or German way of writing Russian, with the typing errors people make,
with parts of the name left out or abbreviated, and cut off while typing. The expected records
are the list's records of that printed name (surname, given name and, where the query gives
it, patronymic), found by exact comparison of the printed names — never by the search. The
absent names were checked to have no record of that surname and given name (or equivalent)."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from typing import Any

from memorybook.storage.engine import open_archive
from memorybook.storage.search_store import iter_record_names
from memorybook.text.normalise import norm_word

# (kind, query as typed, printed surname, printed given name, printed patronymic or None)
# Kinds: romanised (the name as a relative writes it in Latin letters), typo, partial (a
# part of the name left out or abbreviated), prefix (the last word cut off while typing).
HAND: list[tuple[str, str, str, str, str | None]] = [
    # --- romanised: own-language spellings and the ways people write Russian names -------
    ("romanised", "Stefan Królikowski", "Круликовский", "Стефан", None),
    ("romanised", "Feliks Sadowski", "Садовский", "Феликс", None),
    ("romanised", "Władysław Stanisławski", "Станиславский", "Владислав", None),
    ("romanised", "Wladyslaw Stanislawski", "Станиславский", "Владислав", None),
    ("romanised", "Wacław Kolesiński", "Колесинский", "Вацлав", None),
    ("romanised", "Zygmunt Piaskiewicz", "Пяскевич", "Сигизмунд", None),
    ("romanised", "Stanisław Kaczmarski", "Качмарский", "Станислав", None),
    ("romanised", "Kazimierz Sznurowski", "Шнуровский", "Казимир", None),
    ("romanised", "Aleksander Bednarski", "Беднарский", "Александр", None),
    ("romanised", "Zdzislaw Gerlich", "Герлич", "Здислав", None),
    ("romanised", "Johann Lerch", "Лерх", "Иоганн", None),
    ("romanised", "Karl Petermeier", "Петермейер", "Карл", None),
    ("romanised", "August Fesch", "Феш", "Август", None),
    ("romanised", "Wladimir Stein", "Штейн", "Владимир", None),
    ("romanised", "Jānis Kiršteins", "Кирштейн", "Ян", None),
    ("romanised", "Indriķis Klinbergs", "Клинберг", "Генрих", None),
    ("romanised", "Roberts Kramiņš", "Краминь", "Роберт", None),
    ("romanised", "Arvīds Drizulis", "Дризул", "Арвид", None),
    ("romanised", "Kārlis Salgus", "Салгус", "Карл", None),
    ("romanised", "Pēteris Murneks", "Мурнэк", "Петр", None),
    ("romanised", "Israel Imas", "Имас", "Израиль", None),
    ("romanised", "Samson Dlugach", "Длугач", "Самсон", None),
    ("romanised", "Samuel Denotkin", "Деноткин", "Самуил", None),
    ("romanised", "Abraham Silberman", "Зильберман", "Абрам", None),
    ("romanised", "Nachum Bychowski", "Быховский", "Наум", None),
    ("romanised", "Naum Bykhovsky", "Быховский", "Наум", None),
    ("romanised", "Jakob Kramer", "Крамер", "Яков", None),
    ("romanised", "Isaac Katsva", "Кацва", "Исаак", None),
    ("romanised", "István Miklós", "Миклош", "Степан", None),
    ("romanised", "Anton Lutz", "Луц", "Антон", None),
    ("romanised", "Vsevolod Meyerhold", "Мейерхольд", "Всеволод", None),
    ("romanised", "Wsewolod Meyerhold", "Мейерхольд", "Всеволод", None),
    ("romanised", "Isaac Babel", "Бабель", "Исаак", None),
    ("romanised", "Michał Tuchaczewski", "Тухачевский", "Михаил", None),
    ("romanised", "Mikhail Tukhachevsky", "Тухачевский", "Михаил", None),
    ("romanised", "Nikolai Bucharin", "Бухарин", "Николай", None),
    ("romanised", "Grigori Sinowjew", "Зиновьев", "Григорий", None),
    ("romanised", "Jan Rudzutak", "Рудзутак", "Ян", None),
    ("romanised", "Jānis Rudzutaks", "Рудзутак", "Ян", None),
    ("romanised", "Robert Eikhe", "Эйхе", "Роберт", None),
    ("romanised", "Vilhelms Knoriņš", "Кнорин", "Вильгельм", None),
    ("romanised", "August Kork", "Корк", "Август", None),
    ("romanised", "Ieronim Uborevich", "Уборевич", "Иероним", None),
    ("romanised", "Hieronim Uborewicz", "Уборевич", "Иероним", None),
    ("romanised", "Vitovt Putna", "Путна", "Витовт", None),
    ("romanised", "Jan Kowalski", "Ковальский", "Ян", None),
    ("romanised", "Józef Brodski", "Бродский", "Иосиф", None),
    ("romanised", "Kazimierz Wiszniewski", "Вишневский", "Казимир", None),
    # --- typo: as people mistype -----------------------------------------------------------
    ("typo", "Мейерхольт Всеволод", "Мейерхольд", "Всеволод", None),
    ("typo", "Тухачевскй Михаил", "Тухачевский", "Михаил", None),
    ("typo", "Шахназоров Левон", "Шахназаров", "Левон", None),
    ("typo", "Круликовскии Стефан", "Круликовский", "Стефан", None),
    ("typo", "Milevski Zigmunt", "Милевский", "Сигизмунд", None),
    ("typo", "Bukharin Nikolay", "Бухарин", "Николай", None),
    ("typo", "Садовскй Феликс", "Садовский", "Феликс", None),
    ("typo", "Станиславкий Владислав", "Станиславский", "Владислав", None),
    ("typo", "Зильберманн Абрам", "Зильберман", "Абрам", None),
    ("typo", "Быховскиий Наум", "Быховский", "Наум", None),
    ("typo", "Качмарскй Станислав", "Качмарский", "Станислав", None),
    ("typo", "Петрижк Иван", "Петржик", "Иван", None),
    ("typo", "Рудзутакк Ян", "Рудзутак", "Ян", None),
    ("typo", "Uborevitch Ieronim", "Уборевич", "Иероним", None),
    ("typo", "Meyerhol Vsevolod", "Мейерхольд", "Всеволод", None),
    ("typo", "Pietrzyk Jan", "Петржик", "Иван", None),
    # --- partial: a part left out or abbreviated --------------------------------------------
    ("partial", "Тухачевский М.Н.", "Тухачевский", "Михаил", "Hиколаевич"),
    ("partial", "Tukhachevsky M.", "Тухачевский", "Михаил", None),
    ("partial", "Мейерхольд В. Э.", "Мейерхольд", "Всеволод", "Эмильевич"),
    ("partial", "Гайлис Август", "Валин-Гайлис", "Август", None),
    ("partial", "Валин Август", "Валин-Гайлис", "Август", None),
    ("partial", "Петржик И. Ф.", "Петржик", "Иван", "Францевич"),
    ("partial", "Пяскевич Сигизмунд", "Пяскевич", "Сигизмунд", None),
    ("partial", "Левон Баласанович Шахназаров", "Шахназаров", "Левон", "Баласанович"),
    ("partial", "Садовский Ф.", "Садовский", "Феликс", None),
    ("partial", "Sadowski F. W.", "Садовский", "Феликс", None),
    ("partial", "Kolesinski W.", "Колесинский", "Вацлав", None),
    ("partial", "Эйхе Р. И.", "Эйхе", "Роберт", "Индрикович"),
    ("partial", "Рудзутак Я.", "Рудзутак", "Ян", None),
    ("partial", "Denotkin S.", "Деноткин", "Самуил", None),
    ("partial", "Длугач Самсон", "Длугач", "Самсон", None),
    ("partial", "Имас И. В.", "Имас", "Израиль", "Владимирович"),
    # --- prefix: cut off while typing -------------------------------------------------------
    ("prefix", "Левон Баласанович Ша", "Шахназаров", "Левон", "Баласанович"),
    ("prefix", "Стефан Александрович Кру", "Круликовский", "Стефан", "Александрович"),
    ("prefix", "Petrzhik Iv", "Петржик", "Иван", None),
    ("prefix", "Milewski Zyg", "Милевский", "Сигизмунд", None),
    ("prefix", "Мейерхольд Все", "Мейерхольд", "Всеволод", None),
    ("prefix", "Vsevolod Meyerh", "Мейерхольд", "Всеволод", None),
    ("prefix", "Тухачевский Ми", "Тухачевский", "Михаил", None),
    ("prefix", "Михаил Тухач", "Тухачевский", "Михаил", None),
    ("prefix", "Tukhachevsky Mik", "Тухачевский", "Михаил", None),
    ("prefix", "Babel Is", "Бабель", "Исаак", None),
    ("prefix", "Исаак Эммануилович Баб", "Бабель", "Исаак", "Эммануилович"),
    ("prefix", "Бухарин Ник", "Бухарин", "Николай", None),
    ("prefix", "Садовский Фе", "Садовский", "Феликс", None),
    ("prefix", "Feliks Sad", "Садовский", "Феликс", None),
    ("prefix", "Władysław Stanisł", "Станиславский", "Владислав", None),
    ("prefix", "Kaczmarski St", "Качмарский", "Станислав", None),
    ("prefix", "Jānis Kiršt", "Кирштейн", "Ян", None),
    ("prefix", "Denotkin Sam", "Деноткин", "Самуил", None),
    ("prefix", "Шахназаров Ле", "Шахназаров", "Левон", None),
    ("prefix", "Zygmunt Piask", "Пяскевич", "Сигизмунд", None),
    ("prefix", "Пяскевич Сиг", "Пяскевич", "Сигизмунд", None),
    ("prefix", "Imas Isr", "Имас", "Израиль", None),
    ("prefix", "Шнуровский Каз", "Шнуровский", "Казимир", None),
    ("prefix", "Kazimierz Sznur", "Шнуровский", "Казимир", None),
    ("prefix", "Рудзутак Я", "Рудзутак", "Ян", None),
    ("prefix", "Jan Rudzu", "Рудзутак", "Ян", None),
    ("prefix", "Роберт Индрикович Эй", "Эйхе", "Роберт", "Индрикович"),
    ("prefix", "Uborevich Ier", "Уборевич", "Иероним", None),
    ("prefix", "Мейерх", "Мейерхольд", "Всеволод", None),
    ("prefix", "Шахназ", "Шахназаров", "Левон", None),
]

# Names that are not in the list (each checked below: no record of that surname with that
# given name or one of its equivalents).
ABSENT = [
    "Karol Wojtyła",
    "Wisława Szymborska",
    "Albert Einstein",
    "Натан Щаранский",
    "Sharansky Natan",
    "Тухачевский Сергей",
    "Мейерхольд Николай Петрович",
    "Babel Nathan",
    "Bucharin Georg",
    "Рудзутак Карл",
    "Tadeusz Kowalewski",
    "Krzysztof Kieślowski",
    "Гагарин Юрий Алексеевич",
    "Miklós Horthy",
    "Anna Achmatowa",
    "Schmidt Gustav Adolfowitsch",
    "Бланк Август",
    "Рикман Август",
    "Яков Пяскевич",
    "Zzzz Qqqq",
]


def main(path: str) -> None:
    eng = open_archive(path)
    by_name: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    with eng.connect() as conn:
        for r in iter_record_names(conn):
            key = (norm_word(r["surname"] or ""), norm_word(r["given_name"] or ""))
            by_name[key].append(r)
    out: list[dict[str, Any]] = []
    for n, (kind, query, surname, given, patronymic) in enumerate(HAND):
        recs = by_name.get((norm_word(surname), norm_word(given)), [])
        if patronymic is not None:
            recs = [r for r in recs if norm_word(r["patronymic"] or "") == norm_word(patronymic)]
        if not recs:
            raise SystemExit(f"no record {surname} {given} {patronymic or ''} for {query!r}")
        expected = sorted({(r["file"], r["idx"]) for r in recs})
        out.append({"id": f"hand-{n:03d}", "kind": kind, "origin": "hand", "query": query,
                    "expected": expected})  # fmt: skip
    for n, query in enumerate(ABSENT):
        out.append({"id": f"hand-absent-{n:03d}", "kind": "absent", "origin": "hand",
                    "query": query, "expected": []})  # fmt: skip
    print(f"{len(out)} queries", file=sys.stderr)
    for item in out:
        print(json.dumps(item, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])

"""A small hand-written archive for the search tests (names as the Moscow list prints them)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine

from memorybook.search.index import rebuild
from memorybook.search.keys import name_key_rows
from memorybook.storage import search_store as store
from memorybook.storage.engine import write_transaction

# surname, given, patronymic, aliases, birth_edtf, birth_from, birth_to, death, nationality, burial
PEOPLE: list[tuple[Any, ...]] = [
    ("Милевский", "Сигизмунд", "Иосифович", [], "1904", 1904, 1904, 1937, "поляк", "Бутово"),
    ("Милевский", "Виктор", "Иосифович", [], "1893", 1893, 1893, 1938, "поляк", "Коммунарка"),
    ("Кузьмин", "Василий", "Иванович", [], "1904", 1904, 1904, 1937, "русский", "Бутово"),
    ("Кузьмина", "Анна", "Петровна", [], "1901", 1901, 1901, 1938, "русская", "Бутово"),
    ("Крон", "Арнольд", "Фрицевич", [], "1884", 1884, 1884, 1937, "немец", "Донское"),
    ("Крон", "Вилли", "Иванович", [], "1896", 1896, 1896, 1938, "немец", "Бутово"),
    ("Силин", "Яков", "Петрович", [], "1889", 1889, 1889, 1937, "латыш", "Бутово"),
    ("Аузин", "Эдуард", "Давыдович", [], "1888", 1888, 1888, 1938, "латыш", "Коммунарка"),
    ("Шмидт", "Альфред", "Карлович", [], "1906", 1906, 1906, 1937, "немец", "Бутово"),
    ("Нейман", "Генрих", "Яковлевич", [], "1903", 1903, 1903, 1938, "немец", "Бутово"),
    ("Фомин", "Александр", "Иванович", [], "1900", 1900, 1900, 1937, "русский", "Бутово"),
    ("Фомина", "Наталья", "Федоровна", [], "1891", 1891, 1891, 1938, "русская", "Бутово"),
    ("Шидловский", "Иван", "Антонович", ["Ян"], "1897", 1897, 1897, 1937, "поляк", "Бутово"),
    ("Ифлянд", "Михаил", "Львович", ["Инфлянд"], "1914", 1914, 1914, 1937, "еврей", "Донское"),
    (
        "Закржевский",
        "Станислав",
        "Петрович",
        ["Герцберг Авраам Львович"],
        "1901",
        1901,
        1901,
        1937,
        "поляк",
        "Коммунарка",
    ),
    (
        "Танин-Каплан",
        "Танхум",
        "Пинхусович",
        ["Каплан"],
        "1893",
        1893,
        1893,
        1938,
        "еврей",
        "Бутово",
    ),
    ("Рябов", "Петр", "Тимофеевич", [], "1890", 1890, 1890, 1937, "русский", "Бутово"),
    ("Жуков", "Егор", "Георгиевич", [], "1895", 1895, 1895, 1938, "русский", "Бутово"),
    ("Прохоров", "Иван", "Прокофьевич", [], "1899", 1899, 1899, 1937, "русский", "Бутово"),
    ("Федоров", "Николай", "Алексеевич", [], "[1896,1895]", 1895, 1896, 1937, "русский", "Бутово"),
    ("Щербаков", "Семен", "Ильич", [], "1892", 1892, 1892, 1937, "русский", "Бутово"),
    ("Мейерхольд", "Всеволод", "Эмильевич", [], "1874-02-10", 1874, 1874, 1940, "немец", "Донское"),
    ("Гольдин", "Гирш", "Израилевич", [], "1903", 1903, 1903, 1937, "еврей", "Бутово"),
    ("Яковлев", "Ян", "Янович", [], "1887", 1887, 1887, 1938, "латыш", "Бутово"),
    ("Хрусталев", "Павел", "Васильевич", [], "1890", 1890, 1890, 1937, "русский", "Бутово"),
    ("Щепкин", "Hиколай", "Hиколаевич", [], "1898", 1898, 1898, 1937, "русский", "Бутово"),
    ("Вишневский", "Казимир", "Станиславович", [], "1885", 1885, 1885, 1937, "поляк", "Бутово"),
    ("Путна", "Витовт", "Казимирович", [], "1893", 1893, 1893, 1937, "литовец", "Донское"),
    # The national database prints entries without the name, sometimes with a variant of it
    # ("(варианты имени: Анна)"): reached by its list and filters, never by a name search.
    (None, None, None, ["Кузьмина Анна"], "1901", 1901, 1901, 1938, "русская", "Бутово"),
]
NAMELESS = len(PEOPLE)  # the record id of the entry without a printed name


def build(engine: Engine) -> None:
    with write_transaction(engine) as conn:
        sid = store.insert_plain_source(conn, "test:small@1", "test:small", "hand-written")
        recs, keys = [], []
        for i, (s, g, p, aliases, edtf, bf, bt, died, nat, burial) in enumerate(PEOPLE, 1):
            printed = " ".join(x for x in (s, g, p) if x) or None
            recs.append(
                {"id": i, "key": f"k{i}", "family": "test:small", "source_id": sid,
                 "file": "small.txt", "idx": i - 1, "verbatim": printed or "Родилась в 1901 г.", "name": printed,
                 "surname": s, "given_name": g, "patronymic": p,
                 "extra_json": json.dumps({"aliases": aliases}, ensure_ascii=False),
                 "birth_edtf": edtf, "birth_from": bf, "birth_to": bt, "death_year": died,
                 "nationality": nat, "burial_place": burial}
            )  # fmt: skip
            keys.extend(name_key_rows(i, s, g, p, aliases))
        store.insert_plain_records(conn, recs)
        store.insert_name_keys(conn, keys)
        rebuild(conn)

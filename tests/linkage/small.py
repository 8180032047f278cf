"""Two small hand-made lists for the linkage tests (imported through the csv format).

List A prints 40 people; list B prints 12 of them again (some spelled differently, one
birth year off by one, one patronymic as an initial) and 6 namesakes of list A's people
who are other men (other birth years, other execution dates)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from memorybook.ingest.importer import import_sources

SURNAMES = [
    "Милевский", "Кузьмин", "Крон", "Силин", "Аузин", "Шмидт", "Нейман", "Фомин", "Рябов",
    "Жуков", "Прохоров", "Федоров", "Щербаков", "Берзин", "Калнин", "Гринберг", "Лацис",
    "Озолин", "Петерсон", "Домбровский",
]  # fmt: skip
GIVEN = ["Иван", "Петр", "Николай", "Ян", "Карл", "Антон", "Михаил", "Федор"]
PATR = ["Иванович", "Петрович", "Янович", "Карлович", "Антонович", "Михайлович"]

MAPPING = ["surname=Фамилия", "given_name=Имя", "patronymic=Отчество", "text=Текст"]
HEADER = "Фамилия,Имя,Отчество,Текст\n"


def person_a(i: int) -> tuple[str, str, str, int, str]:
    """The i-th person of list A: surname, given name, patronymic, birth year, shot on."""
    s = SURNAMES[i % len(SURNAMES)]
    g = GIVEN[(i * 3) % len(GIVEN)]
    p = PATR[(i * 5) % len(PATR)]
    year = 1880 + (i * 7) % 30
    day = f"{1 + i % 27:02d}.{1 + i % 12:02d}.1938"
    return s, g, p, year, day


def _row(s: str, g: str, p: str, year: int, day: str) -> str:
    return f'{s},{g},{p},"Родился в {year} г. Расстрелян {day}"\n'


# (index in A, how list B prints it): spelling variants, a year off, an initial.
SAME_IN_B: list[tuple[int, dict[str, object]]] = [
    (0, {}), (1, {}), (2, {}), (3, {"year": +1}), (4, {}), (5, {"surname": "Шмит"}),
    (6, {}), (11, {"surname": "Фёдоров"}), (13, {}), (15, {"patronymic": "П."}), (17, {}),
    (19, {"surname": "Дамбровский"}),
]  # fmt: skip
# Namesakes: same printed name as A's person, another man (year +12, shot a year earlier).
NAMESAKES_OF = [7, 8, 9, 10, 12, 14]


def write_lists(folder: Path) -> tuple[Path, Path]:
    a = folder / "list_a.csv"
    b = folder / "list_b.csv"
    a.write_text(HEADER + "".join(_row(*person_a(i)) for i in range(40)), encoding="utf-8")
    rows = []
    for i, change in SAME_IN_B:
        s, g, p, year, day = person_a(i)
        s = str(change.get("surname", s))
        p = str(change.get("patronymic", p))
        year += int(change.get("year", 0))  # type: ignore[call-overload]
        rows.append(_row(s, g, p, year, day))
    for i in NAMESAKES_OF:
        s, g, p, year, day = person_a(i)
        rows.append(_row(s, g, p, year + 12, day.replace("1938", "1937")))
    b.write_text(HEADER + "".join(rows), encoding="utf-8")
    return a, b


def build(engine: Engine, folder: Path) -> None:
    a, b = write_lists(folder)
    for path in (a, b):
        report = import_sources(engine, "csv", [path], options={"mapping": MAPPING})
        assert report.status == "imported", report.message


# Locator pairs that are one person, and that are not.
def same_pairs() -> list[tuple[tuple[str, int], tuple[str, int]]]:
    return [(("list_a.csv", i), ("list_b.csv", n)) for n, (i, _) in enumerate(SAME_IN_B)]


def namesake_pairs() -> list[tuple[tuple[str, int], tuple[str, int]]]:
    base = len(SAME_IN_B)
    return [(("list_a.csv", i), ("list_b.csv", base + n)) for n, i in enumerate(NAMESAKES_OF)]

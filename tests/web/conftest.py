"""A small archive built by hand for the web tests: five entries (one of them hostile
markup), two burial sites, a prison, a geocoded address and the authored reference data."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, delete, insert, update

with warnings.catch_warnings():
    # Starlette asks for `httpx2` under its test client; the project pins httpx for now.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from tests.conftest import Archives, location

from memorybook.search.filters import nationality_key
from memorybook.search.index import rebuild as rebuild_search_index
from memorybook.search.keys import name_key_rows
from memorybook.storage import archive_store as store
from memorybook.storage import schema as s
from memorybook.storage import search_store
from memorybook.storage.engine import open_archive, write_transaction
from memorybook.storage.migrate import upgrade
from memorybook.storage.record_codec import stored_event

XSS_NAME = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
REFERENCE = Path(__file__).resolve().parents[2] / "src" / "memorybook" / "reference" / "data"


def _span(text: str, part: str) -> list[int]:
    i = text.index(part)
    return [i, i + len(part)]


def _entry(
    rid: int,
    verbatim: str,
    fields: dict[str, Any],
    *,
    file: str = "1.htm",
    idx: int = 0,
    family: str = "memorial-moscow:pages",
    **cols: Any,
) -> dict[str, Any]:
    spans = {
        k: _span(verbatim, str(v))
        for k, v in fields.items()
        if isinstance(v, str) and str(v) in verbatim
    }
    name = " ".join(
        x for x in (fields.get("surname"), fields.get("given_name"), fields.get("patronymic")) if x
    )
    row = {
        "id": rid,
        "key": f"k{rid}",
        "family": family,
        "source_id": 1,
        "file": file,
        "idx": idx,
        "line": None,
        "verbatim": verbatim,
        "fields_json": json.dumps(fields, ensure_ascii=False),
        "spans_json": json.dumps(spans),
        "warnings_json": None,
        "parsed": True,
        "name": name or None,
        "surname": fields.get("surname"),
        "given_name": fields.get("given_name"),
        "patronymic": fields.get("patronymic"),
        "sex": fields.get("sex"),
        "sort_key": name.casefold().replace("ё", "е") if name else None,
        "synthetic": False,
    }
    row.update(cols)
    if row.get("nationality") and "nationality_key" not in cols:
        row["nationality_key"] = nationality_key(row["nationality"])  # as the importer writes
    return row


def _insert(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    conn.execute(insert(table), rows)


def _uniform(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = sorted({k for r in rows for k in r})
    return [{k: r.get(k) for k in keys} for r in rows]


# ---- a person linked across lists (issue 8): Иванов Иван Иванович of record 1 is also
# printed in a Politburo list (record 6) and once more in the Moscow list with another birth
# year (record 7); Иванов Иван Петрович (record 8) is only a possible match of record 1.

POLITBURO_SOURCE = {
    "id": 3,
    "key": "stalin-lists:stalin-lists@1",
    "family": "stalin-lists:stalin-lists",
    "version": 1,
    "title": "Memorial, Stalin's execution lists",
    "kind": "list",
    "format": "stalin-lists",
    "author": "Memorial Society",
    "url": "http://stalin.memo.ru",
    "licence": None,
    "files_json": "[]",
    "sha256": "12" * 32,
    "size": 60,
    "synthetic": False,
    "imported_at": "2026-01-01T00:00:00+00:00",
    "entry_count": 2,
    "record_count": 2,
}
PERSON_OF = {6: 1, 7: 1}  # record -> the person (id) it was linked into
LINKED_PERSON = "p-k1"
OLD_PERSON = "p-k6"  # record 6's own person before linking: it redirects to p-k1
POSSIBLE_PERSON = "p-k8"
LINK_MODEL = {"comparisons": [{"output_column_name": "surname"}], "link_type": "dedupe_only"}
DECIDED_BY = "Анна Петрова"


def person_records() -> list[dict[str, Any]]:
    context = {
        "list": "100",
        "list_title": "Список лиц - Москва-центр",
        "list_date": "1937-11-13",
        "page": "186",
        "region": "Москва-центр",
        "category": 1,
        "heading": "МОСКВА-ЦЕНТР 1-я категория",
        "archive": "РГАСПИ, ф.17, оп.171, дело 411",
    }
    v7 = "Иванов Иван Иванович, род. 1885, латыш. Адрес: Авиамоторная ул., д.1."
    return [
        _entry(
            6,
            "ИВАНОВ Иван Иванович",
            {"surname": "ИВАНОВ", "given_name": "Иван", "patronymic": "Иванович"},
            file="list100.yaml",
            idx=3,
            family="stalin-lists:stalin-lists",
            source_id=3,
            surname="Иванов",
            context_json=json.dumps({**context, "entry": {"num": "4"}}, ensure_ascii=False),
        ),
        _entry(
            7,
            v7,
            {
                "surname": "Иванов",
                "given_name": "Иван",
                "patronymic": "Иванович",
                "birth": "1885",
                "nationality": "латыш",
            },
            file="15.htm",
            idx=0,
            birth_edtf="1885",
            birth_from=1885,
            birth_to=1885,
            nationality="латыш",
        ),
        _entry(
            8,
            "ИВАНОВ Иван Петрович",
            {"surname": "ИВАНОВ", "given_name": "Иван", "patronymic": "Петрович"},
            file="list100.yaml",
            idx=9,
            family="stalin-lists:stalin-lists",
            source_id=3,
            surname="Иванов",
            context_json=json.dumps({**context, "entry": {"num": "10"}}, ensure_ascii=False),
        ),
    ]


def add_linkage(conn: Any) -> None:
    """What `memorybook link` leaves: a run with its model, links with their comparison
    levels, a human decision, and the redirect of a person id that merged."""
    import hashlib

    from memorybook.storage import link_tables as lt

    conn.execute(delete(s.person).where(s.person.c.id.in_(list(PERSON_OF))))
    conn.execute(update(s.person).where(s.person.c.id == 1).values(decided=True))
    sha = hashlib.sha256(json.dumps(LINK_MODEL, sort_keys=True).encode()).hexdigest()
    _insert(
        conn,
        lt.link_run,
        [
            {
                "id": 1,
                "started_at": "2026-03-02T09:00:00+00:00",
                "finished_at": "2026-03-02T09:02:00+00:00",
                "backend": "duckdb",
                "use_source_identities": True,
                "thresholds_json": json.dumps({"accept": 0.99, "review": 0.5}),
                "model_json": json.dumps(LINK_MODEL, sort_keys=True),
                "model_sha256": sha,
                "counts_json": "{}",
            }
        ],
    )
    same = {"surname": "identical", "given": "identical", "patronymic": "identical"}
    links = [
        (1, 6, "accepted", 0.9993, {**same, "region": "same region"}),
        (1, 7, "decided", 0.93, {**same, "birth": "year differs by one"}),
        (6, 7, "review", 0.72, same),
        (1, 8, "review", 0.61, {**same, "patronymic": "different"}),
    ]
    _insert(
        conn,
        lt.record_link,
        [
            {
                "record_a": a,
                "record_b": b,
                "run_id": 1,
                "status": status,
                "probability": p,
                "weight": 1.0,
                "gamma_json": json.dumps(gamma, ensure_ascii=False, sort_keys=True),
            }
            for a, b, status, p, gamma in links
        ],
    )
    _insert(
        conn,
        lt.link_decision,
        [
            {
                "key_a": "k1",
                "key_b": "k7",
                "verdict": "same",
                "origin": "human",
                "who": DECIDED_BY,
                "decided_at": "2026-03-03T10:00:00+00:00",
                "why": "один адрес и одна семья по семейным документам",
                "citation": None,
            }
        ],
    )
    _insert(
        conn, lt.person_redirect, [{"old_key": OLD_PERSON, "new_key": LINKED_PERSON, "run_id": 1}]
    )


def build_archive(path: Path | str, *, linked: bool = True) -> Engine:
    """The web tests' archive; `linked=False`: as imported, before `memorybook link` ran
    (every record a person of its own)."""
    engine = open_archive(str(path))
    upgrade(engine)
    ref = []
    for kind in ("sources", "orders", "operations", "quotas", "figures", "bodies"):
        data = yaml.safe_load((REFERENCE / f"{kind}.yaml").read_text(encoding="utf-8")) or {}
        ref.extend((kind, str(i["key"]), i) for i in data.get(kind, []) if isinstance(i, dict))
    v1 = "Иванов Иван Иванович, род. 1884, латыш, б/п. Расстрелян 21.10.1937. Место захоронения: Бутово."
    v2 = "Иванова Мария Петровна, род. 1900, русская. Расстреляна 02.03.1938. Место захоронения: Коммунарка."
    v3 = "Шмидт Карл Августович, род. 1890, немец. Расстрелян 20.02.1938. Место захоронения: Бутово. Реабилитирован в 1989 г."
    v4 = f"{XSS_NAME}, род. 1901. Расстрелян 21.10.1937. Место захоронения: Бутово."
    v5 = "Родилась в 1873 г., с.Дмитриевка.\nРеабилитирована 21 июля 1997 г."
    records = [
        _entry(
            1,
            v1,
            {
                "surname": "Иванов",
                "given_name": "Иван",
                "patronymic": "Иванович",
                "sex": "м",
                "birth": "1884",
                "nationality": "латыш",
                "death": "1937-10-21",
                "burial_place": "Бутово",
            },
            idx=0,
            birth_edtf="1884",
            birth_from=1884,
            birth_to=1884,
            death_edtf="1937-10-21",
            death_date=dt.date(1937, 10, 21),
            death_year=1937,
            nationality="латыш",
            burial_place="Бутово",
            burial_place_key="butovo",
            executed=True,
            sentencing_body="тройка при УНКВД по Московской обл.",
            body_key="troika_unkvd",
        ),
        _entry(
            2,
            v2,
            {
                "surname": "Иванова",
                "given_name": "Мария",
                "patronymic": "Петровна",
                "sex": "ж",
                "birth": "1900",
                "nationality": "русская",
                "burial_place": "Коммунарка",
            },
            idx=1,
            birth_edtf="1900",
            birth_from=1900,
            birth_to=1900,
            death_edtf="1938-03-02",
            death_date=dt.date(1938, 3, 2),
            death_year=1938,
            nationality="русская",
            burial_place="Коммунарка",
            burial_place_key="kommunarka",
            executed=True,
            sentencing_body="ВКВС СССР",
            body_key="military_collegium",
        ),
        _entry(
            3,
            v3,
            {
                "surname": "Шмидт",
                "given_name": "Карл",
                "patronymic": "Августович",
                "sex": "м",
                "birth": "1890",
                "nationality": "немец",
                "burial_place": "Бутово",
            },
            file="14.htm",
            idx=6,
            birth_edtf="1890",
            birth_from=1890,
            birth_to=1890,
            death_edtf="1938-02-20",
            death_date=dt.date(1938, 2, 20),
            death_year=1938,
            nationality="немец",
            burial_place="Бутово",
            burial_place_key="butovo",
            executed=True,
            rehab_year=1989,
            sentencing_body="тройка при УНКВД по Московской обл.",
            body_key="troika_unkvd",
        ),
        _entry(
            4,
            v4,
            {"surname": XSS_NAME, "birth": "1901", "burial_place": "Бутово"},
            idx=2,
            birth_edtf="1901",
            birth_from=1901,
            birth_to=1901,
            death_edtf="1937-10-21",
            death_date=dt.date(1937, 10, 21),
            death_year=1937,
            burial_place="Бутово",
            burial_place_key="butovo",
            executed=True,
            nationality=XSS_NAME,
        ),
        _entry(
            5,
            v5,
            {"sex": "ж", "birth": "1873"},
            file="texts.txt",
            idx=0,
            family="memorial-lists:texts.txt",
            birth_edtf="1873",
            birth_from=1873,
            birth_to=1873,
            rehab_year=1997,
        ),
    ]
    records[4]["source_id"] = 2
    records += person_records()
    now = "2026-01-01T00:00:00+00:00"
    with write_transaction(engine) as conn:
        store.replace_reference_items(conn, ref)
        _insert(
            conn,
            s.source,
            _uniform(
                [
                    {
                        "id": 1,
                        "key": "memorial-moscow:pages@1",
                        "family": "memorial-moscow:pages",
                        "version": 1,
                        "title": "Memorial, Execution lists: Moscow",
                        "kind": "list",
                        "format": "memorial-moscow",
                        "author": "Memorial Society",
                        "url": "http://mos.memo.ru",
                        "licence": "not stated",
                        "files_json": json.dumps(
                            [{"name": "1.htm", "sha256": "ab" * 32, "size": 100}]
                        ),
                        "sha256": "cd" * 32,
                        "size": 100,
                        "synthetic": False,
                        "imported_at": now,
                        "entry_count": 4,
                        "record_count": 4,
                    },
                    {
                        "id": 2,
                        "key": "memorial-lists:texts.txt@1",
                        "family": "memorial-lists:texts.txt",
                        "version": 1,
                        "title": "Memorial, Victims of political terror in the USSR",
                        "kind": "list",
                        "format": "memorial-lists",
                        "licence": "Apache-2.0",
                        "files_json": "[]",
                        "sha256": "ef" * 32,
                        "size": 50,
                        "synthetic": False,
                        "imported_at": now,
                        "entry_count": 1,
                        "record_count": 1,
                    },
                    POLITBURO_SOURCE,
                ]
            ),
        )
        _insert(conn, s.record, _uniform(records))
        _insert(
            conn,
            s.record_locator,
            [
                {
                    "record_id": r["id"],
                    "source_id": r["source_id"],
                    "file": r["file"],
                    "idx": r["idx"],
                }
                for r in records
            ],
        )
        _insert(conn, s.person, [{"id": r["id"], "key": f"p-{r['key']}"} for r in records])
        _insert(
            conn,
            s.person_record,
            [
                {"person_id": PERSON_OF.get(r["id"], r["id"]) if linked else r["id"],
                 "record_id": r["id"]}
                for r in records
            ],
        )  # fmt: skip
        if linked:
            add_linkage(conn)
        _insert(
            conn,
            s.event,
            [
                stored_event(
                    1, 0, "birth", dt.date(1884, 1, 1), dt.date(1884, 12, 31), edtf="1884",
                    printed="род. 1884",
                ),
                stored_event(
                    1, 1, "execution", dt.date(1937, 10, 21), dt.date(1937, 10, 21),
                    edtf="1937-10-21", printed="21.10.1937",
                ),
                stored_event(1, 2, "burial", place="Бутово", place_key="butovo"),
                stored_event(4, 0, "burial", place=XSS_NAME, description=XSS_NAME),
            ],
        )  # fmt: skip
        store.upsert_places(
            conn,
            [
                {
                    "key": "butovo",
                    "name": "Бутовский полигон",
                    "normalised": "бутово",
                    "kind": "burial_site",
                    "lon": 37.5869,
                    "lat": 55.5403,
                    "address": "Бутово",
                },
                {
                    "key": "kommunarka",
                    "name": "Коммунарка",
                    "normalised": "коммунарка",
                    "kind": "burial_site",
                    "lon": 37.4889,
                    "lat": 55.5812,
                    "address": None,
                },
                {
                    "key": "topos:prison:0",
                    "name": "Бутырская тюрьма",
                    "normalised": "бутырская тюрьма",
                    "kind": "prison",
                    "lon": 37.5922,
                    "lat": 55.7830,
                    "address": "Новослободская ул., 45",
                },
            ],
        )
        _insert(
            conn,
            s.address_point,
            [
                {
                    "id": 1,
                    "street": "Авиамоторная ул.",
                    "house": "д.1",
                    "street_key": "авиамоторная ул.",
                    "house_key": "д.1",
                    "lon": 37.707961,
                    "lat": 55.763564,
                    "repressed": 1,
                },
            ],
        )
        _insert(conn, s.record_address, [{"record_id": 1, "address_point_id": 1}])
        # The name search's keys and index, as an import makes them.
        keys = [
            row
            for r in records
            for row in name_key_rows(r["id"], r["surname"], r["given_name"], r["patronymic"])
        ]
        search_store.insert_name_keys(conn, keys)
        rebuild_search_index(conn)
    return engine


@pytest.fixture(scope="session")
def archive_path(session_archives: Archives) -> str:
    """The web tests' archive (a SQLite file or a PostgreSQL URL: run on both backends)."""
    path = session_archives.url("web")
    engine = build_archive(path)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def client(archive_path: str) -> Iterator[TestClient]:
    from memorybook.web.app import create_app
    from memorybook.web.settings import Settings

    app = create_app(Settings(archive=str(archive_path), rate=0))
    with TestClient(app) as c:
        yield c
    app.state.site.close()


@contextmanager
def version_following_client(engine: Engine) -> Iterator[TestClient]:
    """A site on `engine` that looks at the archive's version on every request (a second by
    default), its result caches on: a stale cached answer would show."""
    from memorybook.web.app import create_app
    from memorybook.web.settings import Settings

    app = create_app(Settings(archive=location(engine), rate=0, version_seconds=0))
    try:
        with TestClient(app) as c:
            yield c
    finally:
        app.state.site.close()


@pytest.fixture()
def make_client(archive_path: str) -> Iterator[Any]:
    """make_client(**settings) -> a TestClient on its own app (closed after the test)."""
    from memorybook.web.app import create_app
    from memorybook.web.settings import Settings

    made: list[tuple[Any, TestClient]] = []

    def make(raise_server_exceptions: bool = True, **settings: Any) -> TestClient:
        app = create_app(Settings(archive=str(archive_path), **settings))
        c = TestClient(app, raise_server_exceptions=raise_server_exceptions)
        c.__enter__()
        made.append((app, c))
        return c

    yield make
    for app, c in made:
        c.__exit__(None, None, None)
        app.state.site.close()

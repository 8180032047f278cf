"""Every page and its JSON twin, on the small archive of conftest.py."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

PAGES = [
    "/",
    "/search",
    "/search?q=иванов",
    "/records/1",
    "/records/4",
    "/records/5",
    "/sources",
    "/operations",
    "/operations/kulak",
    "/statistics",
    "/map",
]


def twin(url: str) -> str:
    path, _, query = url.partition("?")
    path = "/index.json" if path == "/" else path + ".json"
    return path + (f"?{query}" if query else "")


@pytest.mark.parametrize("url", PAGES)
def test_web_page_and_json_twin(client, url: str) -> None:
    page = client.get(url)
    assert page.status_code == 200, page.text[:300]
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert '<main id="main"' in page.text
    assert f'href="{twin(url)}"' in page.text.replace("&amp;", "&") or twin(url).startswith(
        "/search"
    )
    data = client.get(twin(url))
    assert data.status_code == 200, data.text[:300]
    assert data.headers["content-type"] == "application/json; charset=utf-8"
    assert isinstance(data.json(), dict)


def test_web_home_counts(client) -> None:
    data = client.get("/index.json").json()
    assert data["records"] == 8
    assert data["persons"] == 6  # records 1, 6 and 7 are one person (conftest.add_linkage)
    assert data["linked"] is True
    assert data["with_death"] == 4
    assert data["addresses"] == 1
    assert {s["title"] for s in data["lists"]} >= {"Memorial, Execution lists: Moscow"}
    html = client.get("/?lang=en").text
    assert 'role="search"' in html and 'name="q"' in html


def test_web_home_and_sources_count_beyond_a_page_time_limit(make_client, monkeypatch) -> None:
    """The archive's counts (home, sources) are fixed queries counted once per process: a
    page's time limit, which counting a large archive on a busy machine exceeds, never turns
    the home page into "too heavy, refine your query"."""
    import time

    from memorybook.storage import read_store, stats_store

    def slowly(count: Any) -> Any:  # as on a busy machine: past the page's limit, in SQL
        def slow(conn: Any) -> Any:
            time.sleep(0.05)
            conn.exec_driver_sql(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
                " WHERE x < 200000) SELECT count(*) FROM c"
            ).scalar()
            return count(conn)

        return slow

    monkeypatch.setattr(stats_store, "layer_counts", slowly(stats_store.layer_counts))
    monkeypatch.setattr(read_store, "fill_rates", slowly(read_store.fill_rates))
    c = make_client(rate=0, query_seconds=0.01)
    for url in ("/", "/index.json", "/sources", "/sources.json"):
        assert c.get(url).status_code == 200, url


def test_web_home_counts_each_list_in_its_unit(make_client, monkeypatch) -> None:
    """Each list is counted as its import report counts it: the geocoded list by its houses
    (not its rows), the Topography by its places, the lists of names by their entries."""
    from memorybook.web.views import home

    lists = [
        home.SourceLine(id=i, title=t, format=f, author=None, url=None, licence=None, records=n)
        for i, t, f, n in [
            (1, "Topography", "topography", 105),
            (2, "Moscow", "memorial-moscow", 11789),
            (3, "Houses", "geocoded-addresses", 4594),
        ]
    ]
    ctx = home.HomeContext(
        records=11789, persons=11789, sources=3, places=105, addresses=4594,
        with_death=11789, address_rows=5463, lists=lists,
    )  # fmt: skip
    monkeypatch.setattr(home, "build", lambda site: ctx)
    c = make_client(rate=0)
    en, ru = c.get("/?lang=en").text, c.get("/?lang=ru").text
    assert "— 105 places<" in en and "— 11,789 entries<" in en and "— 4,594 houses<" in en
    assert "— 105 мест<" in ru and "— 11\u00a0789 записей<" in ru and "— 4\u00a0594 дома<" in ru


def test_web_search_finds_and_facets(client) -> None:
    data = client.get("/search.json", params={"q": "иванов"}).json()
    names = [h["name"] for h in data["hits"]]
    assert "Иванов Иван Иванович" in names
    assert data["total"] == len(names) >= 1  # persons: one row each
    assert data["entries"] == 5 > data["total"]  # Иванов Иван Иванович is in three records
    facets = {f["name"]: f["values"] for f in data["facets"]}
    assert set(facets) == {
        "birth_year",
        "death_year",
        "nationality",
        "burial",
        "body",
        "source",
        "sex",
    }
    # facets count entries: records 1 and 2 give a year of death, the other three none
    assert sum(v["count"] for v in facets["death_year"]) == 2


def test_web_search_browse_filters_and_paging(client) -> None:
    data = client.get("/search.json", params={"burial": "butovo", "size": 1}).json()
    assert data["total"] == 3
    assert data["pages"] == 3
    assert len(data["hits"]) == 1
    page2 = client.get("/search.json", params={"burial": "butovo", "size": 1, "page": 2}).json()
    assert page2["hits"][0]["record_id"] != data["hits"][0]["record_id"]
    sel = {f["name"]: f["values"] for f in data["facets"]}["burial"]
    assert sel == [{"value": "butovo", "label": "Бутово", "count": 3, "selected": True}]


def test_web_search_bounds(client) -> None:
    assert client.get("/search.json", params={"size": 1000}).status_code == 400
    r = client.get("/search.json", params={"page": 9000, "size": 100})
    assert r.status_code == 400
    assert "narrow" in r.json()["error"]["message"]
    assert client.get("/search.json", params={"q": "x" * 500}).status_code == 400
    assert client.get("/search.json", params={"birth_year": "abc"}).status_code == 400


def test_web_export_csv_and_json(client) -> None:
    r = client.get("/search/export.csv", params={"burial": "butovo"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0][:2] == ["record_id", "name"]
    assert len(rows) == 4
    # a printed name opening with = or < never becomes a spreadsheet formula; markup stays text
    assert any(row[1].startswith("<script>") for row in rows[1:])
    j = client.get("/search/export.json", params={"q": "иванов"}).json()
    assert j["truncated"] is False
    assert {r["name"] for r in j["records"]} >= {"Иванов Иван Иванович"}


def test_web_record_fields_spans_citation_jsonld(client) -> None:
    data = client.get("/records/1.json").json()
    assert "".join(s["text"] for s in data["segments"]) == data["verbatim"]
    by_key = {f["key"]: f for f in data["fields"]}
    start, end = by_key["surname"]["span"]
    assert data["verbatim"][start:end] == "Иванов"
    assert data["locators"][0]["citation"] == "Memorial, Execution lists: Moscow, page 1, entry 1"
    assert [e["kind"] for e in data["events"]] == ["birth", "execution", "burial"]
    assert {p["role"] for p in data["places"]} == {"burial", "address"}
    # similar names are the library's name search for the printed name, without the record
    searcher = client.app.state.site.searcher()
    expected = [h.record_id for h in searcher.search("Иванов Иван Иванович", None, 11).results]
    assert [s["record_id"] for s in data["similar"]] == [i for i in expected if i not in (1, 6, 7)]
    # the records of the same person are not "similar names": the person link shows them
    assert [s["name"] for s in data["similar"]] == [
        "ИВАНОВ Иван Петрович",
        "Иванова Мария Петровна",
    ]
    assert all(s["why"] for s in data["similar"])
    assert data["jsonld"]["@type"] == "Person"
    html = client.get("/records/3?lang=en").text
    assert "page 14, entry 7" in html
    # the window's title reads the name too, with its romanisation on English pages
    assert "<title>Шмидт Карл Августович (Shmidt Karl Avgustovich) — Memory Book" in html
    # a sex printed as such ("м") is only marked; one read from a word's form is said so
    sex = html.split('<th scope="row">Sex</th>', 1)[1].split("</tr>", 1)[0]
    assert '<mark class="f-sex data" lang="ru">м</mark>' in sex and "grammatical" not in sex


def test_web_record_says_sex_was_read_from_a_words_form(make_client, monkeypatch) -> None:
    """The entry parser reads sex from a verb's or a word's ending ("Расстрелян"): the
    record page shows that word as the printed evidence and says what it is evidence of."""
    from memorybook.web.views import records

    real = records.build

    def build(site: Any, record_id: int, lang: str) -> Any:
        ctx = real(site, record_id, lang)
        for f in ctx.fields:
            if f.key == "sex":
                f.printed = "Расстрелян"
        return ctx

    monkeypatch.setattr(records, "build", build)
    c = make_client(rate=0)
    for lang, note in (("en", "(the grammatical form of this word)"),
                       ("ru", "(по грамматической форме этого слова)")):  # fmt: skip
        html = c.get(f"/records/3?lang={lang}").text
        row = next(r for r in html.split("<tr>") if "f-sex" in r and "<td>" in r)
        assert '<mark class="f-sex data" lang="ru">Расстрелян</mark>' in row
        assert note in row
    assert '<script type="application/ld+json">' in html
    ld = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(ld)["familyName"] == "Шмидт"
    assert "<mark" in html


def test_web_record_missing_is_404(client) -> None:
    assert client.get("/records/999").status_code == 404
    r = client.get("/records/999.json")
    assert r.status_code == 404
    assert r.json() == {"error": {"status": 404, "message": "There is no record with this number."}}
    assert client.get("/records/abc").status_code in (400, 404)
    # the window's title in words, not a bare status code
    assert (
        "<title>Не найдено (404) — Книга памяти</title>" in client.get("/records/999?lang=ru").text
    )


def test_web_sources_fill_rates(client) -> None:
    data = client.get("/sources.json").json()
    moscow = next(s for s in data["sources"] if s["id"] == 1)
    assert moscow["records"] == 5
    assert moscow["fill_rates"]["burial_place"] == 0.8  # record 7 prints no burial place
    assert moscow["sha256"] == "cd" * 32
    assert data["documents"], "the seed documents are listed"


def test_web_operations_ledger_and_quotas(client) -> None:
    data = client.get("/operations.json").json()
    assert any(o["key"] == "kulak" for o in data["operations"])
    shot = next(
        r for r in data["ledger"] if r["operation"] == "great_terror" and r["measure"] == "shot"
    )
    assert shot["disagree"] is True and len(shot["values"]) >= 2
    assert all(v["citation"] for v in shot["values"])
    assert any(q["increase"] for q in data["quotas"])
    html = client.get("/operations").text
    assert "<svg" in html
    assert client.get("/operations/no-such-thing").status_code == 404


def test_web_operations_ledger_is_the_cli_ledger(client, capsys) -> None:
    """The site shows the rows and marks of `memorybook figures`, and the findings of
    `memorybook check`, not a ledger of its own."""
    from memorybook.cli.main import main

    assert main(["figures", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert client.get("/operations.json").json()["ledger"] == cli
    assert main(["figures", "--operation", "polish", "--json"]) == 0
    cli_polish = json.loads(capsys.readouterr().out)
    assert client.get("/operations/polish.json").json()["ledger"] == cli_polish
    # `memorybook check --json` cannot serialise its findings yet (slots dataclasses have no
    # __dict__): compare with the library function it calls.
    from memorybook.reference import load_reference, run_checks

    findings = run_checks(load_reference())
    site = client.get("/operations.json").json()["findings"]
    assert [f["message"] for f in site] == [f.message for f in findings] and site
    html = client.get("/operations?lang=en").text
    assert "Where the sources do not agree" in html
    # each finding in words, from its detail: no source key, no file name
    assert "A part larger than its whole" in html and "shot 800,000 is more than" in html
    assert "seed" not in html.lower() and ".txt" not in html


def test_web_statistics_and_csv(client) -> None:
    data = client.get("/statistics.json").json()
    charts = {c["key"]: c for c in data["charts"]}
    assert set(charts) == {
        "executions-per-month",
        "executions-per-day",
        "ages-at-death",
        "birth-decades",
        "sentencing-bodies",
        "rehabilitation-years",
    }
    for c in charts.values():
        assert "records" in c["counted"].lower() and "not yet persons" in c["counted"]
    month = charts["executions-per-month"]["rows"]
    assert {(r["period"], r["site"]): r["n"] for r in month}[("1937-10", "butovo")] == 2
    assert {r["age"]: r["n"] for r in charts["ages-at-death"]["rows"]} == {
        53: 1,
        38: 1,
        48: 1,
        36: 1,
    }
    assert data["comparisons"][0]["counted"] == 4
    assert data["comparisons"][0]["published"]
    r = client.get("/statistics/executions-per-month.csv")
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.text.splitlines()[0] == "period,site,n"
    assert client.get("/statistics/nothing.csv").status_code == 404
    html = client.get("/statistics").text
    assert html.count("<svg") >= 6


def test_web_map(client) -> None:
    data = client.get("/map.json").json()
    assert {p["burial_key"] for p in data["places"]} >= {"butovo", "kommunarka"}
    assert data["houses"] == 1 and data["people"] == 1
    html = client.get("/map").text
    assert 'id="map"' in html and "Бутовский полигон" in html


def test_web_openapi_and_local_docs(client) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    for path in (
        "/index.json",
        "/search.json",
        "/records/{record_id}.json",
        "/sources.json",
        "/operations.json",
        "/operations/{key}.json",
        "/statistics.json",
        "/map.json",
        "/search/export.csv",
        "/statistics/{key}.csv",
    ):
        assert path in spec["paths"], path
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs
    assert "http" not in docs.replace('"http', "")  # no CDN address
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_web_search_filters_apply_before_the_candidate_cap(make_client: Any) -> None:
    """With room for a single candidate, the filtered match must still be found: the name
    search applies the filter itself, not the page after the cap."""
    client = make_client(search_candidates=1, rate=0)
    both = client.get("/search.json", params={"q": "Иванов"}).json()
    names = [r["name"] for r in both["hits"]]
    assert len(names) == 1  # the cap cut the unfiltered answer to one candidate
    filtered = client.get("/search.json", params={"q": "Иванов", "nationality": "русская"}).json()
    assert [r["name"] for r in filtered["hits"]] == ["Иванова Мария Петровна"]


def test_web_search_without_a_name_is_the_browse_page(client) -> None:
    """No name, no filter: the archive's facets with their counts, not a list of every
    entry (headed by the entries without a name)."""
    data = client.get("/search.json").json()
    assert data["browse"] is True and data["hits"] == [] and data["total"] == 8
    facets = {f["name"]: f["values"] for f in data["facets"]}
    assert {v["value"]: v["count"] for v in facets["burial"]} == {"butovo": 3, "kommunarka": 1}
    html = client.get("/search?lang=en").text
    assert "Browse the lists" in html and "Butovo firing range" in html
    assert 'class="hits"' not in html


def test_web_nameless_entries_come_last_and_never_by_name(client, archive_path) -> None:
    """A filter lists the entries without a printed name after the named ones, in SQL and
    from the in-memory index alike; a name search never lists them."""
    from memorybook.storage import read_store as rs
    from memorybook.storage.engine import open_archive

    female = client.get("/search.json", params={"sex": "ж"}).json()
    ids = [h["record_id"] for h in female["hits"]]
    assert ids and ids[-1] == 5 and all(h["name"] for h in female["hits"][:-1])
    engine = open_archive(str(archive_path), read_only=True)
    with engine.connect() as conn:
        index = rs.FacetIndex.load(conn)
        for filters in (rs.Filters.of(sex="ж"), rs.Filters.of()):
            assert index.page_ids(filters, 10, 0) == rs.page_ids(conn, filters, 10, 0)
        assert rs.page_ids(conn, rs.Filters.of(), 10, 0)[-1] == 5
    engine.dispose()
    for q in ("Реабилитирована", "1873"):
        names = [h["name"] for h in client.get("/search.json", params={"q": q}).json()["hits"]]
        assert all(names), names


def test_web_nationality_facet_and_filter_take_every_printed_form(client) -> None:
    """One facet value per nationality (the shared vocabulary's word): `русская` is counted
    and found under `русский`, and a filter given any form finds the same records."""
    data = client.get("/search.json").json()
    nat = {v["value"]: v for v in {f["name"]: f["values"] for f in data["facets"]}["nationality"]}
    assert "русская" not in nat
    assert nat["русский"]["label"] == "русский" and nat["русский"]["count"] >= 1
    found = {}
    for form in ("русский", "русская", "русские", "Русская"):
        page = client.get("/search.json", params={"nationality": form}).json()
        found[form] = sorted(h["record_id"] for h in page["hits"])
    assert found["русский"] and all(ids == found["русский"] for ids in found.values())
    assert 2 in found["русский"]  # Иванова Мария Петровна, printed `русская`
    named = client.get("/search.json", params={"q": "иванова", "nationality": "русские"}).json()
    assert 2 in [h["record_id"] for h in named["hits"]]

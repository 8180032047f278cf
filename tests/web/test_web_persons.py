"""Persons on the site (issue 8 §3): the person page and its JSON twin, redirects of merged
person ids, accepted, decided and possible links, record pages that lead to their person,
search by person, and person counts. The archive is conftest.py's: records 1, 6 and 7 are
one person (an accepted link, a human decision, and a pair still under review between them),
record 8 is only a possible match of record 1, p-k6 merged into p-k1."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from tests.web.conftest import DECIDED_BY, LINKED_PERSON, OLD_PERSON, POSSIBLE_PERSON


def _main(html: str) -> str:
    """The visible words of a page's main element, tags removed."""
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_person_json_has_the_records_side_by_side(client: Any) -> None:
    data = client.get(f"/persons/{LINKED_PERSON}.json").json()
    assert data["id"] == LINKED_PERSON
    assert [r["id"] for r in data["records"]] == [1, 6, 7]
    assert [r["number"] for r in data["records"]] == [1, 2, 3]
    by_id = {r["id"]: r for r in data["records"]}
    assert by_id[6]["verbatim"] == "ИВАНОВ Иван Иванович"
    assert by_id[6]["locator"] == {"file": "list100.yaml", "index": 3}
    # in words, with the list's date and the entry's printed number, never the file name
    assert by_id[6]["where"] == "list of 13 November 1937, page 186, entry 4"
    assert by_id[1]["where"] == "page 1, entry 1"
    assert data["decided"] is True


def test_a_list_entry_says_where_in_the_list_it_stands(client: Any) -> None:
    data = client.get(f"/persons/{LINKED_PERSON}.json").json()
    by_id = {r["id"]: r for r in data["records"]}
    assert (by_id[6]["heading"], by_id[6]["category"], by_id[6]["archive"]) == (
        "МОСКВА-ЦЕНТР 1-я категория",
        1,
        "РГАСПИ, ф.17, оп.171, дело 411",
    )
    assert (by_id[7]["heading"], by_id[7]["category"]) == (None, None)  # not a list's entry
    for lang, words in (
        ("en", ("Section of the list", "first category (shooting)", "Archive reference")),
        ("ru", ("Раздел списка", "первая категория (расстрел)", "Архивный шифр")),
    ):
        record = "Record" if lang == "en" else "Запись"
        text = _main(client.get(f"/persons/{LINKED_PERSON}?lang={lang}").text)
        card = text.split(f"{record} 2:")[1].split(f"{record} 3:")[0]  # record 6's card
        assert all(w in card for w in words), lang
        assert "МОСКВА-ЦЕНТР 1-я категория" in card and "РГАСПИ, ф.17, оп.171, дело 411" in card


def test_person_disagreement_is_shown_not_merged(client: Any) -> None:
    data = client.get(f"/persons/{LINKED_PERSON}.json").json()
    fields = {d["field"]: d["readings"] for d in data["disagreements"]}
    assert set(fields) == {"birth_edtf"}  # names agree (case aside); only the birth year differs
    assert fields["birth_edtf"] == [
        {"record": 1, "value": "1884"},
        {"record": 2, "value": None},
        {"record": 3, "value": "1885"},
    ]
    for lang, words in (("en", ("Where the records differ", "not printed")),
                        ("ru", ("В чём записи расходятся", "не указано"))):  # fmt: skip
        text = _main(client.get(f"/persons/{LINKED_PERSON}?lang={lang}").text)
        assert all(w in text for w in words), lang
        differ = text.split(words[0], 1)[1]
        # both readings, each with the record it comes from, neither preferred
        assert re.search(
            r"1884 \( (record|запись) 1 \) / .* / 1885 \( (record|запись) 3 \)", differ
        )


def test_person_links_say_how_they_were_made(client: Any) -> None:
    data = client.get(f"/persons/{LINKED_PERSON}.json").json()
    status = {tuple(link["records"]): link["status"] for link in data["links"]}
    assert status == {(1, 6): "accepted", (1, 7): "decided", (6, 7): "review"}
    decided = next(link for link in data["links"] if link["status"] == "decided")
    assert decided["decision"]["who"] == DECIDED_BY and decided["decision"]["verdict"] == "same"
    # record 8 is a possible match: listed apart, never among the person's records
    assert [p["other"]["id"] for p in data["possible"]] == [8]
    assert data["possible"][0]["status"] == "review"
    assert 8 not in [r["id"] for r in data["records"]]

    en = _main(client.get(f"/persons/{LINKED_PERSON}?lang=en").text)
    links = en.split("Why these records are one person", 1)[1].split("Possible matches", 1)[0]
    assert "linked by the model (match probability of the two entries 99.9%)" in links
    assert "Decided: the same person." in links and DECIDED_BY in links
    assert "3 March 2026" in links  # when, in words
    assert "possible match — awaiting review (match probability of the two entries 72%)" in links
    assert "surname, given name and patronymic identical" in links  # the evidence, in words
    possible = en.split("Possible matches — awaiting review", 1)[1].split("How the records", 1)[0]
    assert "ИВАНОВ Иван Петрович" in possible and "61%" in possible
    ru = _main(client.get(f"/persons/{LINKED_PERSON}?lang=ru").text)
    assert "связаны моделью (вероятность совпадения двух записей 99,9 %)" in ru
    assert "фамилия, имя и отчество совпадают" in ru
    assert "возможное совпадение — ждёт проверки" in ru
    assert "Решено: это один и тот же человек." in ru


def test_person_page_cites_the_model_run(client: Any) -> None:
    data = client.get(f"/persons/{LINKED_PERSON}.json").json()
    model = data["model"]
    assert model["run"] == 1 and model["url"] == "/linkage/models/1.json"
    body = client.get(model["url"])
    assert body.status_code == 200
    # the JSON served is exactly what the cited checksum was taken of
    assert hashlib.sha256(body.content).hexdigest() == model["sha256"]
    assert body.headers["x-sha256"] == model["sha256"]
    assert json.loads(body.content)["link_type"] == "dedupe_only"
    assert client.get("/linkage/models/99.json").status_code == 404
    assert client.get(f"/linkage/models/{2**31}.json").status_code == 404  # past 32 bits
    en = _main(client.get(f"/persons/{LINKED_PERSON}?lang=en").text)
    assert "Linkage run 1, finished 2 March 2026." in en and model["sha256"] in en


def test_merged_person_ids_redirect(client: Any) -> None:
    r = client.get(f"/persons/{OLD_PERSON}?lang=en", follow_redirects=False)
    assert r.status_code == 308
    assert r.headers["location"] == f"/persons/{LINKED_PERSON}?lang=en"
    r = client.get(f"/persons/{OLD_PERSON}.json", follow_redirects=False)
    assert r.status_code == 308 and r.headers["location"] == f"/persons/{LINKED_PERSON}.json"
    assert client.get(f"/persons/{OLD_PERSON}.json").json()["id"] == LINKED_PERSON
    assert client.get("/persons/p-nobody").status_code == 404
    assert client.get("/persons/p-nobody.json").json()["error"]["status"] == 404
    assert client.get("/persons/not-a-person-id").status_code in (400, 404, 422)


def test_a_person_of_one_record(client: Any) -> None:
    data = client.get(f"/persons/{POSSIBLE_PERSON}.json").json()
    assert [r["id"] for r in data["records"]] == [8]
    assert data["links"] == [] and data["disagreements"] == []
    assert [p["other"]["id"] for p in data["possible"]] == [1]
    assert data["possible"][0]["other"]["person"] == LINKED_PERSON
    en = _main(client.get(f"/persons/{POSSIBLE_PERSON}?lang=en").text)
    assert "One record names this person" in en
    assert "1 possible match awaits review." in en


def test_record_pages_lead_to_their_person(client: Any) -> None:
    data = client.get("/records/6.json").json()
    assert data["person"] == {"id": LINKED_PERSON, "records": 3, "possible": 1}
    html = client.get("/records/6?lang=en").text
    assert f'href="/persons/{LINKED_PERSON}"' in html
    assert "This record belongs to a person named in 3 records" in html
    ru = client.get("/records/6?lang=ru").text
    assert "Эта запись относится к человеку, которого называют 3 записи" in ru
    # a record alone, with a possible match: the link says so, never "the same person"
    html8 = client.get("/records/8?lang=en").text
    assert f'href="/persons/{POSSIBLE_PERSON}"' in html8
    assert "1 possible match of this record with another awaits review" in html8
    # a record alone without possible matches: no person link at all
    assert client.get("/records/2.json").json()["person"]["records"] == 1
    assert "/persons/" not in client.get("/records/2?lang=en").text


def test_search_gives_one_row_per_person(client: Any) -> None:
    data = client.get("/search.json", params={"q": "Иванов Иван Иванович"}).json()
    persons = [h["person"] for h in data["hits"]]
    assert len(persons) == len(set(persons)) == data["total"]
    first = data["hits"][0]
    assert first["person"] == LINKED_PERSON and first["person_records"] == 3
    assert first["matched"] == 3 and data["entries"] > data["total"]
    # the row keeps the best-matching record and its reason from the library's ranking
    searcher = client.app.state.site.searcher()
    best = searcher.search("Иванов Иван Иванович", None, 10).results[0]
    assert first["record_id"] == best.record_id and first["why"] == best.why
    html = client.get("/search", params={"q": "Иванов Иван Иванович", "lang": "en"}).text
    assert f'href="/persons/{LINKED_PERSON}">3 records</a>' in html
    assert "persons found" in html
    ru = client.get("/search", params={"q": "Иванов Иван Иванович", "lang": "ru"}).text
    assert f'href="/persons/{LINKED_PERSON}">3 записи</a>' in ru


def test_counts_of_records_and_persons(client: Any) -> None:
    home = client.get("/index.json").json()
    assert (home["records"], home["persons"]) == (8, 6)
    assert "persons named in them" in client.get("/?lang=en").text
    stats = client.get("/statistics.json").json()["persons"]
    assert (stats["records"], stats["persons"], stats["linked"]) == (8, 6, True)
    by = {s["family"]: (s["records"], s["persons"]) for s in stats["by_source"]}
    # the Moscow list names the linked person twice (records 1 and 7): 5 records, 4 persons
    assert by["memorial-moscow:pages"] == (5, 4)
    assert by["stalin-lists:stalin-lists"] == (2, 2)
    en = _main(client.get("/statistics?lang=en").text)
    assert "8 records, 6 persons: 2 records name a person already counted." in en
    ru = _main(client.get("/statistics?lang=ru").text)
    assert "8 записей, 6 человек: 2 записи называют человека, уже учтённого" in ru


def test_search_cites_a_list_entry_as_its_page_does(client: Any) -> None:
    # record 8 stands alone in a Politburo list: the search row, its page, the export and the
    # person page all cite it by the list's date, page and printed entry number
    data = client.get("/search.json", params={"q": "Иванов Иван Петрович"}).json()
    hit = next(h for h in data["hits"] if h["record_id"] == 8)
    assert hit["locator"] == "list of 13 November 1937, page 186, entry 10"
    page = client.get("/records/8.json").json()
    assert hit["locator"] in json.dumps(page, ensure_ascii=False)
    for lang, words in (("en", "list of 13 November 1937, page 186, entry 10"),
                        ("ru", "список от 13 ноября 1937, стр. 186, запись 10")):  # fmt: skip
        html = client.get("/search", params={"q": "Иванов Иван Петрович", "lang": lang}).text
        assert words in _main(html), lang
    export = client.get("/search/export.csv", params={"q": "Иванов Иван Петрович"}).text
    assert "list of 13 November 1937, page 186, entry 10" in export


def test_a_person_of_an_unlinked_archive_says_one_true_thing(session_archives: Any) -> None:
    """Before `memorybook link` ran nothing was looked for: the page says so once, and
    never that no other record of the person was found."""
    from fastapi.testclient import TestClient
    from tests.web.conftest import build_archive

    from memorybook.web.app import create_app
    from memorybook.web.settings import Settings

    path = session_archives.url("unlinked")
    build_archive(path, linked=False).dispose()
    app = create_app(Settings(archive=str(path), rate=0))
    with TestClient(app) as c:
        en = _main(c.get(f"/persons/{POSSIBLE_PERSON}?lang=en").text)
        ru = _main(c.get(f"/persons/{POSSIBLE_PERSON}?lang=ru").text)
    app.state.site.close()
    assert "One record names this person." in en
    assert "no other record" not in en
    assert "have not been linked yet" in en
    assert "Этого человека называет одна запись." in ru
    assert "не найдено" not in ru
    assert "ещё не связаны" in ru


def test_a_person_of_a_linked_archive_says_nothing_else_was_found(client: Any) -> None:
    en = _main(client.get(f"/persons/{POSSIBLE_PERSON}?lang=en").text)
    ru = _main(client.get(f"/persons/{POSSIBLE_PERSON}?lang=ru").text)
    assert "no other record of the same person has been found in this archive" in en
    assert "not been linked yet" not in en
    assert "других записей о нём в этом архиве не найдено" in ru
    assert "ещё не связаны" not in ru

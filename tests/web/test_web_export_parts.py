"""Exports in parts (issue 12's mixed load): one response holds at most `export_max` rows,
says where the next part is (Link header, the JSON's `next`, a last line of the CSV), and
following the links gives exactly the whole export; an export over the worker's budget
(the client's request budget, or a compute thread waited for too long) gets 429 with
Retry-After, never a 5xx."""

from __future__ import annotations

import csv
import io
import threading
from typing import Any
from urllib.parse import parse_qs, urlsplit

from memorybook.web.views.search import ExportPart


def _csv_rows(text: str) -> tuple[list[list[str]], list[str]]:
    """The data rows (without the header) and the notes after them (lines opening with #)."""
    rows = list(csv.reader(io.StringIO(text)))[1:]
    notes = [r[0] for r in rows if len(r) == 1 and r[0].startswith("#")]
    return [r for r in rows if not (len(r) == 1 and r[0].startswith("#"))], notes


def _next(response: Any) -> str | None:
    link = response.headers.get("link")
    if link is None:
        return None
    assert link.endswith('>; rel="next"'), link
    return str(link[1 : link.index(">")])


def test_web_export_part_says_where_the_rest_is(make_client: Any) -> None:
    whole = make_client(rate=0).get("/search/export.csv", params={"burial": "butovo"})
    all_rows, notes = _csv_rows(whole.text)
    assert len(all_rows) == 3 and notes == [] and "link" not in whole.headers

    client = make_client(rate=0, export_max=2)
    first = client.get("/search/export.csv", params={"burial": "butovo"})
    assert first.status_code == 200
    rows, notes = _csv_rows(first.text)
    assert rows == all_rows[:2]
    link = _next(first)
    assert link is not None and link.startswith("/search/export.csv?")
    assert parse_qs(urlsplit(link).query) == {"burial": ["butovo"], "start": ["2"]}
    assert notes == [f"# continued: this file holds rows 1 to 2 of 3; the next part is at {link}"]
    assert first.headers["content-disposition"].endswith('memorybook-search-1-2.csv"')
    assert int(first.headers["content-length"]) == len(first.content)

    last = client.get(link)
    rows, notes = _csv_rows(last.text)
    assert rows == all_rows[2:] and notes == [] and _next(last) is None


def test_web_export_json_parts_join_to_the_whole(make_client: Any) -> None:
    whole = make_client(rate=0).get("/search/export.json", params={"q": "иванов"}).json()
    assert whole["next"] is None and whole["start"] == 0
    assert whole["total"] == len(whole["records"]) >= 2

    client = make_client(rate=0, export_max=1)
    url: str | None = "/search/export.json?q=иванов"
    got, starts = [], []
    while url is not None:
        r = client.get(url)
        assert r.status_code == 200
        body = r.json()
        assert len(body["records"]) <= 1 and body["total"] == whole["total"]
        assert body["next"] == _next(r)
        starts.append(body["start"])
        got += body["records"]
        url = body["next"]
    assert got == whole["records"]  # every row once, in the same order
    assert starts == list(range(len(whole["records"])))


def test_web_export_past_the_end_is_empty_not_an_error(client: Any) -> None:
    r = client.get("/search/export.json", params={"burial": "butovo", "start": 50})
    assert r.status_code == 200
    assert r.json()["records"] == [] and r.json()["next"] is None
    assert client.get("/search/export.csv", params={"start": -1}).status_code == 400


def test_web_export_cut_by_the_candidate_limit_says_so(make_client: Any) -> None:
    client = make_client(rate=0, search_candidates=1)
    body = client.get("/search/export.json", params={"q": "иванов"}).json()
    assert body["truncated"] is True and len(body["records"]) == 1
    _, notes = _csv_rows(client.get("/search/export.csv", params={"q": "иванов"}).text)
    assert notes and notes[-1].startswith("# truncated: the name search keeps its best 1 entries")
    whole = make_client(rate=0).get("/search/export.json", params={"q": "иванов"}).json()
    assert whole["truncated"] is False


def test_web_export_part_next_start() -> None:
    assert ExportPart([1, 2], 0, 3, False).next_start() == 2
    assert ExportPart([3], 2, 3, False).next_start() is None
    assert ExportPart([1, 2], 0, None, False, more=True).next_start() == 2  # not counted
    assert ExportPart([1, 2], 0, None, False, more=False).next_start() is None
    assert ExportPart([], 9, 3, False).next_start() is None


def test_web_export_over_the_client_budget_gets_429_with_retry_after(make_client: Any) -> None:
    client = make_client(rate=0.001, burst=3)
    codes = [client.get("/search/export.csv", params={"q": "иванов"}) for _ in range(5)]
    assert [r.status_code for r in codes] == [200, 200, 200, 429, 429]
    assert int(codes[-1].headers["retry-after"]) >= 1


def test_web_export_waiting_for_a_compute_thread_gets_429(make_client: Any) -> None:
    # With `inline` off every export is computed in the worker's compute threads; one that
    # waits for a thread longer than `queue_seconds` is answered 429 with Retry-After.
    client = make_client(rate=0, inline=0, concurrency=1, queue_seconds=0.2)
    svc = client.app.state.site.memo["search_service"]
    entered, release = threading.Event(), threading.Event()
    real = svc.export_body

    def held(*args: Any) -> Any:  # the one thread this worker computes in, held
        entered.set()
        release.wait(30)
        return real(*args)

    svc.export_body = held
    first: list[Any] = []
    worker = threading.Thread(
        target=lambda: first.append(client.get("/search/export.csv", params={"q": "иванов"}))
    )
    worker.start()
    try:
        assert entered.wait(30)
        busy = client.get("/search/export.json", params={"q": "иванов"})
        assert busy.status_code == 429
        assert int(busy.headers["retry-after"]) >= 1
        assert busy.json()["error"]["status"] == 429
    finally:
        release.set()
        worker.join(30)
    assert first[0].status_code == 200
    svc.export_body = real
    assert client.get("/search/export.json", params={"q": "иванов"}).status_code == 200

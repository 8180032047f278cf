"""Issue 12's web items, each as it was reproduced: CSV formula injection in every export,
links built from the route (never from the raw path), no Host header in published URLs,
HEAD on every page, Allow on 405, exports that take no page or size."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest

from memorybook import stats
from memorybook.export.csvfile import csv_text, is_formula, safe_cell
from memorybook.stats import Chart

FORMULAS = ["=1+1", "+1", "-1+2", "@SUM(A1)", "＝HYPERLINK(1)", "＋1", "\t=1", "\r=1", " =1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_web_csv_writer_never_writes_a_formula(value: str) -> None:
    assert is_formula(value)
    cell = list(csv.reader(io.StringIO(csv_text(["v"], [[value]]))))[1][0]
    assert cell == "'" + value


def test_web_csv_writer_keeps_plain_values() -> None:
    assert [safe_cell(v) for v in ("Бутово", 12, -3, None, "1937-10")] == [
        "Бутово",
        12,
        -3,
        "",
        "1937-10",
    ]


def test_web_statistics_csv_escapes_formulas(
    make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def hostile(conn: Any) -> Chart:
        rows = [{"label": v, "n": i} for i, v in enumerate(FORMULAS, 1)]
        return Chart("hostile", "t", "c", ["label", "n"], rows, total=len(rows))

    monkeypatch.setitem(stats.CHARTS, "hostile", hostile)
    client = make_client(rate=0)
    r = client.get("/statistics/hostile.csv")
    assert r.status_code == 200
    cells = [row[0] for row in csv.reader(io.StringIO(r.text))][1:]
    assert cells == ["'" + v for v in FORMULAS]


def test_web_search_export_uses_the_same_writer(client: Any) -> None:
    from memorybook.web.views import search

    part = search.ExportPart([1], 0, 1, capped=True)
    row = {c: "=cmd" for c in search.EXPORT_COLUMNS}
    rows = list(search._csv_lines(iter([row]), part, None, 1000))
    parsed = list(csv.reader(io.StringIO("".join(rows))))
    assert parsed[1] == ["'=cmd"] * len(search.EXPORT_COLUMNS)
    assert parsed[-1][0].startswith("# truncated")


@pytest.mark.parametrize(
    "path", ["//evil.example/x", "//evil.example/x?y=1", "/%2F%2Fevil.example"]
)
def test_web_404_links_never_leave_the_site(client: Any, path: str) -> None:
    for lang in ("ru", "en"):
        r = client.get(path, headers={"cookie": f"lang={lang}"})
        assert r.status_code == 404
        assert "evil.example" not in r.text, re.findall(r'href="[^"]*"', r.text)
        hrefs = re.findall(r'href="([^"]*)"', r.text)
        assert all(h[:1] in "/#" and not h.startswith("//") for h in hrefs), hrefs


def test_web_links_are_rebuilt_from_the_route(client: Any) -> None:
    html = client.get("/records/1?lang=en").text
    assert 'href="/records/1.json?lang=en"' in html
    assert 'href="/records/1?lang=ru"' in html
    # An error raised inside a route keeps the route's own links.
    r = client.get("/records/999999", params={"lang": "ru"})
    assert r.status_code == 404 and 'href="/records/999999?lang=en"' in r.text


def test_web_host_header_never_reaches_published_urls(client: Any, make_client: Any) -> None:
    evil = {"host": "evil.example"}
    ld = client.get("/records/1.json", headers=evil).json()["jsonld"]
    assert ld["url"] == "/records/1"
    html = client.get("/records/1", headers=evil).text
    assert "evil.example" not in html
    export = client.get("/search/export.json", params={"q": "иванов"}, headers=evil).text
    assert "evil.example" not in export
    assert json.loads(export)["records"][0]["url"].startswith("/records/")
    csv_text_ = client.get("/search/export.csv", params={"q": "иванов"}, headers=evil).text
    assert "evil.example" not in csv_text_
    public = make_client(rate=0, public_url="https://memory.example")
    ld = public.get("/records/1.json", headers=evil).json()["jsonld"]
    assert ld["url"] == "https://memory.example/records/1"
    rows = public.get("/search/export.json", params={"q": "иванов"}, headers=evil).json()
    assert rows["records"][0]["url"].startswith("https://memory.example/records/")


def test_web_public_url_must_be_an_address() -> None:
    from memorybook.errors import ConfigurationError
    from memorybook.web.settings import Settings

    for bad in ("memory.example", "javascript:alert(1)", "https://x/?a=1", "https://"):
        with pytest.raises(ConfigurationError):
            Settings(public_url=bad)


def _routes(routes: list[Any]) -> list[Any]:
    out = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        out.extend(_routes(inner.routes) if inner is not None else [route])
    return out


def _get_routes(client: Any) -> list[str]:
    paths = []
    for route in _routes(client.app.routes):
        methods = getattr(route, "methods", None) or set()
        if "GET" not in methods:
            continue
        path = route.path.replace("{record_id}", "1").replace("{key}", "kulak")
        if "{" in path:
            continue
        if path.startswith("/statistics/"):
            path = "/statistics/ages-at-death.csv"
        paths.append(path)
    return sorted(set(paths))


def test_web_head_answers_on_every_get_page(client: Any) -> None:
    paths = _get_routes(client)
    assert len(paths) >= 15, paths
    for path in [*paths, "/static/site.css"]:
        got = client.get(path)
        head = client.head(path)
        assert head.status_code == got.status_code == 200, (path, head.status_code)
        assert head.content == b"", path
        assert head.headers["content-type"] == got.headers["content-type"], path
        assert head.headers["x-content-type-options"] == "nosniff", path
        if "content-length" in got.headers and path != "/search":  # timing on the page
            assert head.headers["content-length"] == got.headers["content-length"], path


def test_web_405_says_what_is_allowed(client: Any) -> None:
    for path in ("/search", "/records/1.json", "/"):
        r = client.post(path)
        assert r.status_code == 405, path
        assert r.headers["allow"] == "GET, HEAD", path
        assert r.headers["x-content-type-options"] == "nosniff"
    r = client.request("DELETE", "/index.json")
    assert r.status_code == 405 and r.json()["error"]["status"] == 405


def test_web_exports_take_no_page_or_size(client: Any) -> None:
    # The page's own limit: page × size beyond the paging window is refused on the page...
    assert client.get("/search.json", params={"page": 600, "size": 100}).status_code == 400
    # ...but an export ignores page and size, so it does not refuse them either.
    for fmt in ("csv", "json"):
        r = client.get(f"/search/export.{fmt}", params={"page": 600, "size": 100})
        assert r.status_code == 200, r.text[:200]
    spec = client.get("/openapi.json").json()
    for fmt in ("csv", "json"):
        names = {p["name"] for p in spec["paths"][f"/search/export.{fmt}"]["get"]["parameters"]}
        assert not names & {"page", "size"}


def test_web_every_response_is_capped(make_client: Any) -> None:
    client = make_client(rate=0, max_response_bytes=600)
    big = client.get("/records/1.json")
    assert big.status_code == 400 and "too large" in big.json()["error"]["message"]
    assert big.headers["x-content-type-options"] == "nosniff"
    # An export part is sent whole with its length: too large, it is refused in words,
    # never cut in the middle of a row.
    export = client.get("/search/export.csv", params={"burial": "butovo"})
    assert export.status_code == 400 and "too large" in export.json()["error"]["message"]
    assert client.get("/static/site.css").status_code == 400  # nothing slips past
    roomy = make_client(rate=0)
    assert roomy.get("/records/1.json").status_code == 200
    assert len(roomy.get("/search/export.csv", params={"burial": "butovo"}).content) > 600

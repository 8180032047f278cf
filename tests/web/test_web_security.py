"""Escaping, headers, error envelopes and the per-client rate limit."""

from __future__ import annotations

import re
from pathlib import Path

from memorybook.web.security import TokenBucket

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "memorybook" / "web" / "templates"


def test_web_templates_never_mark_data_safe() -> None:
    for t in TEMPLATES.glob("*.html"):
        text = t.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", ""), t.name
        assert "autoescape false" not in text, t.name


def test_web_hostile_entry_renders_escaped(client) -> None:
    for url in ("/records/4", "/search?q=%3Cscript", "/search?burial=butovo", "/map"):
        html = client.get(url).text
        assert "<script>alert(1)</script>" not in html, url
        assert "<img src=x" not in html, url
    html = client.get("/records/4").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    ld = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in ld  # nothing in the JSON-LD can close its element


def test_web_security_headers_everywhere(client) -> None:
    for url in (
        "/",
        "/index.json",
        "/records/1",
        "/nope",
        "/static/site.css",
        "/statistics/ages-at-death.csv",
    ):
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
        assert "charset=utf-8" in r.headers["content-type"], url


def test_web_no_inline_script_but_json_ld(client) -> None:
    for url in (
        "/",
        "/search?q=ив",
        "/records/1",
        "/operations",
        "/statistics",
        "/map",
        "/sources",
    ):
        html = client.get(url).text
        for tag in re.findall(r"<script[^>]*>", html):
            assert 'type="application/ld+json"' in tag or "src=" in tag, (url, tag)
        assert " style=" not in html and "<style" not in html, url
        assert "http://" not in re.sub(r">[^<]*<", "><", html).replace(
            "http://www.w3.org/2000/svg", ""
        )


def test_web_errors_are_generic(make_client) -> None:
    c = make_client(raise_server_exceptions=False, rate=0)

    @c.app.get("/boom.json")
    def boom() -> None:
        raise RuntimeError("SELECT secret FROM record")

    r = c.get("/boom.json")
    assert r.status_code == 500
    assert r.json() == {"error": {"status": 500, "message": "Something went wrong on our side."}}
    assert "SELECT" not in r.text and "Traceback" not in r.text


def test_web_rate_limit_answers_429_with_retry_after(make_client) -> None:
    c = make_client(rate=1, burst=3)
    if True:
        codes = [c.get("/index.json").status_code for _ in range(6)]
        assert codes[:3] == [200, 200, 200]
        assert 429 in codes[3:]
        r = c.get("/index.json")
        assert r.status_code == 429
        assert int(r.headers["retry-after"]) >= 1
        assert r.headers["x-content-type-options"] == "nosniff"
        assert c.get("/static/site.css").status_code == 200  # assets are not counted


def test_web_token_bucket_refills() -> None:
    b = TokenBucket(rate=2, burst=2)
    assert b.take("a", now=0.0) == 0 and b.take("a", now=0.0) == 0
    assert b.take("a", now=0.0) > 0
    assert b.take("b", now=0.0) == 0  # per client
    assert b.take("a", now=1.0) == 0


def test_web_query_time_limit(archive_path) -> None:
    import pytest
    from sqlalchemy import text

    from memorybook.storage import read_store as rs
    from memorybook.storage.engine import open_archive

    engine = open_archive(str(archive_path), read_only=True)
    slow = (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000)"
        " SELECT COUNT(*) FROM c"
    )
    with engine.connect() as conn:
        with pytest.raises(rs.QueryTimeout), rs.time_limit(conn, 0.2):
            conn.execute(text(slow)).scalar()
        assert conn.execute(text("SELECT 1")).scalar() == 1  # the handler is gone afterwards
    engine.dispose()

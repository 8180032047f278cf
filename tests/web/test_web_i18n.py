"""RU and EN on every page: ?lang= with a cookie, Accept-Language, and complete catalogues."""

from __future__ import annotations

import re
from pathlib import Path

from memorybook import stats
from memorybook.web.i18n import catalog_ids

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "memorybook" / "web" / "templates"
PAGES = (
    "/",
    "/search?q=ив",
    "/records/1",
    "/sources",
    "/operations",
    "/operations/kulak",
    "/statistics",
    "/map",
)


def test_web_every_template_string_is_translated() -> None:
    ru = catalog_ids("ru")
    used: set[str] = set()
    for t in TEMPLATES.glob("*.html"):
        text = t.read_text(encoding="utf-8")
        used |= set(re.findall(r'_\("([^"]+)"\)', text)) | set(re.findall(r"_\('([^']+)'\)", text))
    missing = sorted(u for u in used if not ru.get(u))
    assert not missing, missing


def test_web_chart_texts_are_translated(archive_path) -> None:
    from memorybook.storage.engine import open_archive

    ru = catalog_ids("ru")
    engine = open_archive(str(archive_path), read_only=True)
    with engine.connect() as conn:
        for chart in stats.compute(conn):
            assert ru.get(chart.title), chart.title
            assert ru.get(chart.counted), chart.counted
    engine.dispose()


def test_web_language_switch_and_cookie(client) -> None:
    for url in PAGES:
        sep = "&" if "?" in url else "?"
        ru = client.get(f"{url}{sep}lang=ru")
        assert '<html lang="ru">' in ru.text and "Поиск" in ru.text, url
        en = client.get(f"{url}{sep}lang=en")
        assert '<html lang="en">' in en.text and ">Search<" in en.text, url
    # the last switch (en) is remembered
    assert client.cookies.get("lang") == "en"
    assert '<html lang="en">' in client.get("/").text
    client.get("/?lang=ru")
    assert '<html lang="ru">' in client.get("/").text


def test_web_accept_language(make_client) -> None:
    c = make_client(rate=0)
    if True:
        r = c.get("/", headers={"accept-language": "en-GB,en;q=0.9,ru;q=0.5"})
        assert '<html lang="en">' in r.text and r.headers["content-language"] == "en"
        r = c.get("/", headers={"accept-language": "ru-RU,ru;q=0.9,en;q=0.8"})
        assert '<html lang="ru">' in r.text
        r = c.get("/", headers={"accept-language": "de"})
        assert '<html lang="ru">' in r.text  # the archive's own language by default

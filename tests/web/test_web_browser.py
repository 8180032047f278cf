"""A real browser: headless Chromium (Debian's package) driven by Selenium over the archive of
conftest.py. Every page type (tests/web/pages.py) is walked in both languages: no console
errors, no failed requests, no dialog from hostile entries; no visible key, file name, machine
date or untranslated word; axe-core finds no serious or critical violation; screenshots at
1280 and 360 pixels land in artifacts/screenshots/ for a person to look at."""

from __future__ import annotations

import json
import re
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from tests.web.pages import PAGE_TYPES, PageType

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
DRIVER_PATHS = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
HERE = Path(__file__).resolve().parent
SHOTS = HERE.parents[1] / "artifacts" / "screenshots"
AXE = HERE / "vendor" / "axe-core" / "axe.min.js"
VISIBLE_TEXT = (HERE / "visible_text.js").read_text(encoding="utf-8")
WIDTHS = (1280, 360)

pytestmark = pytest.mark.browser


def _found(name: str, paths: tuple[str, ...]) -> str | None:
    found = shutil.which(name)
    return found or next((p for p in paths if Path(p).exists()), None)


def missing(
    chromium: str | None = None, driver: str | None = None, selenium: bool | None = None
) -> str | None:
    """What is missing for the browser tests, exactly (None: nothing)."""
    chromium = chromium if chromium is not None else _found("chromium", CHROMIUM_PATHS) or ""
    driver = driver if driver is not None else _found("chromedriver", DRIVER_PATHS) or ""
    if selenium is None:
        try:
            import selenium as _selenium  # noqa: F401

            selenium = True
        except ImportError:
            selenium = False
    lacking = []
    if not chromium:
        lacking.append("the Chromium browser (Debian package chromium)")
    if not driver:
        lacking.append("its WebDriver, chromedriver (Debian package chromium-driver)")
    if not selenium:
        lacking.append("the Python package selenium (pip install selenium)")
    if not lacking:
        return None
    return "browser tests need " + " and ".join(lacking) + ": not installed here"


def test_web_browser_skip_says_what_is_missing() -> None:
    assert missing("/usr/bin/chromium", "/usr/bin/chromedriver", True) is None
    only_driver = missing("/usr/bin/chromium", "", True)
    assert only_driver is not None
    assert "chromium-driver" in only_driver and "Chromium browser" not in only_driver
    only_browser = missing("", "/usr/bin/chromedriver", True)
    assert only_browser is not None
    assert "package chromium)" in only_browser and "chromium-driver" not in only_browser
    assert "selenium" in (missing("/usr/bin/chromium", "/usr/bin/chromedriver", False) or "")


@contextmanager
def serving(archive: str) -> Iterator[str]:
    """The web archive on uvicorn in a thread, on a free port: its address."""
    import uvicorn

    from memorybook.web.app import create_app
    from memorybook.web.settings import Settings

    app = create_app(Settings(archive=archive, rate=0))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        assert srv.started, "uvicorn did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        t.join(10)
        app.state.site.close()


@pytest.fixture(scope="module")
def server(archive_path: Path) -> Iterator[str]:
    with serving(str(archive_path)) as url:
        yield url


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Chromium driven by Selenium, with a fresh profile removed afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="memorybook-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = _found("chromium", CHROMIUM_PATHS) or ""
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    from selenium.common.exceptions import SessionNotCreatedException

    for attempt in range(3):  # on a loaded machine Chromium may fail to come up at once
        try:
            driver = webdriver.Chrome(
                service=Service(_found("chromedriver", DRIVER_PATHS) or ""), options=opts
            )
            break
        except SessionNotCreatedException:
            if attempt == 2:
                raise
            time.sleep(3)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    driver.get("about:blank")
    _problems(driver)  # drain what the browser logged about its own start page
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = missing()
    if reason:
        pytest.skip(reason)
    shutil.rmtree(SHOTS, ignore_errors=True)  # this run's pictures only
    with chromium() as driver:
        yield driver


def _problems(driver: Any, allow_status: int | None = None) -> list[str]:
    out = [
        f"console {e['level']}: {e['message']}"
        for e in driver.get_log("browser")
        if e["level"] in ("SEVERE", "WARNING")
        and not (allow_status and f"status of {allow_status}" in e["message"])
    ]
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.loadingFailed":
            out.append(f"failed request: {msg['params'].get('errorText')}")
        elif msg["method"] == "Network.responseReceived":
            resp = msg["params"]["response"]
            if resp["status"] >= 400 and resp["status"] != allow_status:
                out.append(f"HTTP {resp['status']}: {resp['url']}")
            if resp["url"].startswith(("http:", "https:", "ws:", "wss:")) and not resp[
                "url"
            ].startswith("http://127.0.0.1"):
                out.append(f"external request: {resp['url']}")
    return out


def _shot(driver: Any, name: str, width: int, folder: Path | None = None) -> Path:
    """A full-page screenshot at `width` CSS pixels (in `folder`, else artifacts/screenshots)."""
    folder = folder or SHOTS
    folder.mkdir(parents=True, exist_ok=True)
    driver.set_window_size(width, 900)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(int(height), 600), 16000))
    path = folder / f"{name}-{width}.png"
    driver.save_screenshot(str(path))
    return path


# ---- what a visitor must never read ---------------------------------------------------------

KEY = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
SEED = re.compile(r"\b\d{3}_[0-9a-f]{16}(?:\.txt)?\b|\bseeds?\b", re.IGNORECASE)
MACHINE_DATE = re.compile(
    r"\b1[5-9]\d\d-[0-4]\d\b"  # 1937-08, 1938-05-17, 1938-21
    r"|\b\d{4}/\d{4}\b|\.\./|/\.\.|\[\d{4}|\d{4}[~%?]|\b1[5-9]\dX\b"
    r"|\d{4}-\d\d-\d\dT\d\d:\d\d"
)
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*")
CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]+")
# Latin words Russian pages use as they are: language switch, formats, standards, licences.
LATIN_ON_RU = {
    "RU", "EN", "API", "JSON", "CSV", "SHA", "HTML", "YAML", "ISO", "BGN", "PCGN", "ICAO",
    "Duden", "ODbL", "Apache", "CC-BY", "Lines", "shapefile", "windows-1251", "memoru",
}  # fmt: skip
DOMAIN = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:ru|org|com|net|txt|htm|html)\b")
WRONG_DIGITS = {
    "en": re.compile(r"\b\d{1,3}[\u00a0\u202f ]\d{3}\b(?! ?[–-])"),
    "ru": re.compile(r"\b\d{1,3},\d{3}\b"),
}


def _untranslated(lang: str) -> list[str]:
    """English messages of the catalogue that must not appear on a Russian page."""
    from memorybook.web.i18n import catalog_ids

    return [m for m, t in catalog_ids("ru").items() if t and t != m and len(m) > 14]


def text_problems(pieces: list[dict[str, Any]], lang: str) -> list[str]:
    """The visible text's problems: keys, file names, machine dates, digits in the other
    locale's style, words of the other language in the page's own words."""
    out = []
    english = _untranslated(lang) if lang == "ru" else []
    for p in pieces:
        text, where = p["text"], p["where"]
        if KEY.search(text):
            out.append(f"key {KEY.search(text).group(0)!r} in {where}: {text[:80]!r}")
        if SEED.search(text):
            out.append(f"document file name or 'seed' in {where}: {text[:80]!r}")
        if p["data"]:
            continue  # the entries' own words, marked with their language
        # the page's title and a chart's read-out names may hold names (data) unmarked: no
        # markup can mark them; the other rules still hold there
        named = where == "title" or where.endswith((" > title", " > desc"))
        if MACHINE_DATE.search(text):
            out.append(f"machine date {MACHINE_DATE.search(text).group(0)!r} in {where}")
        if WRONG_DIGITS[lang].search(text):
            out.append(f"digits not in the {lang} style in {where}: {text[:80]!r}")
        if lang == "ru":
            words = LATIN_WORD.findall(DOMAIN.sub(" ", text))
            foreign = [w for w in words if w not in LATIN_ON_RU and len(w) > 1]
            if foreign and not named:
                out.append(f"Latin words {foreign[:5]} on a Russian page in {where}")
            out += [f"untranslated message in {where}: {m[:60]!r}" for m in english if m in text]
        elif CYRILLIC_WORD.search(text) and not named:
            out.append(f"Cyrillic {CYRILLIC_WORD.search(text).group(0)!r} unmarked in {where}")
    return out


def test_web_text_problems_are_found() -> None:
    """The rules above catch what they are for (and let data values be)."""

    def piece(text: str, data: bool = False) -> dict[str, Any]:
        return {"text": text, "lang": "ru", "data": data, "where": "p"}

    found = text_problems(
        [
            piece("great_terror · stalin lists"),
            piece("001_b463fc6979b49176.txt, para 30"),
            piece("seed 001"),
            piece("Родился 1937-08"),
            piece("около 1900~"),
            piece("58,234 записи"),
            piece("Executed: да"),
            piece("Бутово", data=True),
            piece("Werth 2010", data=True),
        ],
        "ru",
    )
    kinds = " ".join(found)
    for expected in ("key 'great_terror'", "file name", "machine date '1937-08'",
                     "'1900~'", "digits not in the ru style", "Latin words ['Executed']"):  # fmt: skip
        assert expected in kinds, (expected, found)
    # the data values (Бутово, Werth 2010) raised nothing
    assert not [f for f in found if "Бутово" in f or "Werth" in f], found
    assert text_problems([piece("Милевский", data=True)], "en") == []
    assert text_problems([{**piece("Search Бутово"), "lang": "en"}], "en")
    assert text_problems([{**piece("58 234 entries"), "lang": "en"}], "en")


# ---- the walk -----------------------------------------------------------------------------


def _visit(browser: Any, server: str, page: PageType, lang: str) -> None:
    sep = "&" if "?" in page.path else "?"
    browser.set_window_size(1280, 900)
    browser.get(f"{server}{page.path}{sep}lang={lang}")


# The outermost elements that stick out past the right edge of the window.
WIDE = """
const w = document.documentElement.clientWidth, out = [];
for (const el of document.querySelectorAll("body *")) {
  const r = el.getBoundingClientRect();
  if (r.right > w + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > w + 1))
    out.push(el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : "") + " " + Math.round(r.right - w) + "px");
}
return out.slice(0, 5);
"""


def _axe(browser: Any) -> list[str]:
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));"
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize(
    "page",
    [
        pytest.param(p, marks=pytest.mark.xfail(reason=p.pending, strict=False)) if p.pending else p
        for p in PAGE_TYPES
    ],
    ids=[p.name for p in PAGE_TYPES],
)
def test_web_browser_page(server: str, browser: Any, page: PageType, lang: str) -> None:
    """One page type in one language, as a visitor meets it."""
    _visit(browser, server, page, lang)
    assert browser.find_element("css selector", "html").get_attribute("lang") == lang
    assert browser.find_element("css selector", "main h1").text.strip()
    _no_alert(browser)
    problems = page_problems(browser, f"{page.name}-{lang}", lang, page.status)
    assert not problems, "\n".join(problems)


def page_problems(
    browser: Any, name: str, lang: str, status: int = 200, folder: Path | None = None
) -> list[str]:
    """Everything wrong with the page the browser shows, as a visitor would meet it: failed
    requests and console errors, visible text (keys, file names, machine dates, the other
    language), axe-core's serious and critical findings, sideways scrolling at 360 pixels;
    screenshots at each width land in `folder`."""
    problems = _problems(browser, allow_status=status if status != 200 else None)
    problems += text_problems(browser.execute_script(VISIBLE_TEXT), lang)
    problems += _axe(browser)
    for width in WIDTHS:
        path = _shot(browser, name, width, folder)
        if path.stat().st_size <= 5_000:
            problems.append(f"the screenshot at {width}px is blank ({path})")
        if width == 360:
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                problems.append(
                    f"scrolls sideways by {overflow}px at 360px: {browser.execute_script(WIDE)}"
                )
    return problems


def test_web_browser_axe_finds_what_it_is_for(server: str, browser: Any) -> None:
    """The accessibility check is live: an image without text and an empty button are
    reported as the critical violations they are."""
    browser.get(f"{server}/?lang=en")
    browser.execute_script(
        "const m = document.querySelector('main');"
        "m.insertAdjacentHTML('beforeend', '<img src=\"/static/favicon.svg\"><button></button>');"
    )
    found = " ".join(_axe(browser))
    assert "image-alt" in found and "button-name" in found, found


def _no_alert(driver: Any) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        return
    text = alert.text
    alert.dismiss()
    pytest.fail(f"a dialog opened: {text!r}")


def _wait_for_map(browser: Any, seconds: float = 10) -> Any:
    deadline = time.monotonic() + seconds
    node = browser.find_element("css selector", ".map[data-labels]")
    while time.monotonic() < deadline and not node.get_attribute("data-ready"):
        assert not node.get_attribute("data-error"), node.get_attribute("data-error")
        time.sleep(0.1)
    assert node.get_attribute("data-ready") == "1", "the map did not finish loading"
    return node


def test_web_browser_map_pans_zooms_and_opens_a_popup(server: str, browser: Any) -> None:
    browser.get(f"{server}/map?lang=en")
    node = _wait_for_map(browser)
    assert node.find_elements("css selector", ".leaflet-control-zoom-in")
    # the offline base map is drawn (rivers as vector lines) and nothing came from elsewhere
    assert node.find_elements("css selector", "path.bm-river")
    markers = node.find_elements("css selector", ".mk-wrap, .cl")
    assert markers, "no marker on the map"
    browser.execute_script(
        "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))",
        node.find_element("css selector", ".mk-wrap"),
    )
    time.sleep(0.3)
    popup = node.find_element("css selector", ".leaflet-popup-content")
    assert popup.text.strip()
    assert not _problems(browser)
    browser.get(f"{server}/records/1?lang=ru")
    node = _wait_for_map(browser)
    assert len(node.find_elements("css selector", ".mk-wrap")) == 2
    assert not _problems(browser)


# The base map's names a visitor can see, as rectangles, and the map's box and controls.
NAMES_SHOWN = """
const map = arguments[0], box = map.getBoundingClientRect();
const rect = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
const names = [...map.querySelectorAll(".bm-name")]
  .filter(n => getComputedStyle(n).visibility !== "hidden")
  .map(n => ({text: n.textContent, ...rect(n.firstChild.getBoundingClientRect())}));
const controls = [...map.querySelectorAll(".leaflet-control")].map(c => rect(c.getBoundingClientRect()));
return {box: rect(box), names, controls};
"""


def _meet(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


def _names_settled(browser: Any, node: Any, before: Any = None, seconds: float = 30) -> Any:
    """What NAMES_SHOWN sees once the map has settled: no zoom animation running, the same in
    two looks 0.3 s apart and, after a move, no longer what it was `before` (the page
    places the names again at the end of each move; under load that end comes late, so a
    fixed pause measured names in mid-move)."""
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        moving = "leaflet-zoom-anim" in (node.get_attribute("class") or "")
        seen = browser.execute_script(NAMES_SHOWN, node)
        if not moving and seen == last and seen != before:
            return seen
        last = None if moving else seen
        time.sleep(0.3)
    raise AssertionError(f"the map's names did not settle in {seconds:.0f} s")


@pytest.mark.parametrize("url", ["/map?lang=en", "/records/1?lang=ru"])
def test_web_browser_map_names_are_never_cut(server: str, browser: Any, url: str) -> None:
    """The base map's place names are shown whole or not at all: none over another, under a
    control or across the map's edge, also after zooming in."""
    browser.set_window_size(1280, 900)
    browser.get(server + url)
    node = _wait_for_map(browser)
    browser.execute_async_script("document.fonts.ready.then(arguments[0])")  # names' widths
    seen = _names_settled(browser, node)
    for step in range(2):
        box = seen["box"]
        names = [n for n in seen["names"] if _meet(n, box)]  # those a visitor can see
        assert len(names) >= 5, f"too few place names shown to orient a visitor: {names}"
        for i, a in enumerate(names):
            inside = a["left"] >= box["left"] and a["right"] <= box["right"]
            assert inside and a["top"] >= box["top"] and a["bottom"] <= box["bottom"], a
            assert not any(_meet(a, c) for c in seen["controls"]), ("under a control", a)
            clash = [b["text"] for b in names[i + 1 :] if _meet(a, b)]
            assert not clash, f"{a['text']!r} drawn over {clash}"
        if step == 0:
            node.find_element("css selector", ".leaflet-control-zoom-in").click()
            seen = _names_settled(browser, node, before=seen)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_web_browser_map_popup_fits_a_phone(server: str, browser: Any, lang: str) -> None:
    """At 360 pixels a place's popup, its name, words and close button included, lies inside
    the map: nothing of it is cut."""
    browser.set_window_size(360, 780)
    browser.get(f"{server}/map?lang={lang}")
    node = _wait_for_map(browser)
    browser.execute_script("arguments[0].scrollIntoView()", node)
    for marker in node.find_elements("css selector", ".mk-wrap")[:3]:
        browser.execute_script(
            "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", marker
        )
        time.sleep(0.8)  # the map pans to show the popup
        box, pop = browser.execute_script(
            "const r = e => { const b = e.getBoundingClientRect();"
            " return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };"
            "return [r(arguments[0]), r(arguments[0].querySelector('.leaflet-popup'))];",
            node,
        )
        assert pop["left"] >= box["left"] and pop["right"] <= box["right"], (pop, box)
        assert pop["top"] >= box["top"] and pop["bottom"] <= box["bottom"], (pop, box)
        node.find_element("css selector", ".leaflet-popup-close-button").click()
    browser.set_window_size(1280, 900)


def test_web_browser_hostile_entry_opens_no_dialog(server: str, browser: Any) -> None:
    for url in (
        "/records/4",
        "/search?burial=butovo",
        "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/search?q=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E",
    ):
        browser.get(server + url)
        time.sleep(0.2)
        _no_alert(browser)
        assert "alert(1)" in browser.page_source.replace("&lt;", "<")  # shown, as text
    _shot(browser, "hostile-entry", 1280)
    browser.get(server + "/records/4")
    heading = browser.find_element("css selector", "main h1").text
    assert heading.startswith("<script>alert(1)</script>")


def test_web_browser_keyboard_reaches_search(server: str, browser: Any) -> None:
    from selenium.webdriver.common.keys import Keys

    browser.get(server + "/?lang=en")
    body = browser.find_element("css selector", "body")
    body.send_keys(Keys.TAB)
    first = browser.switch_to.active_element
    assert first.get_attribute("class") == "skip"
    for _ in range(15):
        if browser.switch_to.active_element.get_attribute("id") == "q":
            break
        browser.switch_to.active_element.send_keys(Keys.TAB)
    box = browser.switch_to.active_element
    assert box.get_attribute("id") == "q"
    box.send_keys("Шмидт", Keys.ENTER)
    time.sleep(0.3)
    assert "Шмидт Карл Августович" in browser.page_source

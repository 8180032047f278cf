"""A real browser: headless Chromium (Debian's package) driven by Selenium over the archive of
conftest.py. No console errors, no failed requests, no dialog from hostile entries;
screenshots land in artifacts/screenshots/ for a person to look at."""

from __future__ import annotations

import json
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "search": "/search?q=%D0%B8%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2",
    "record": "/records/1",
    "operation": "/operations/kulak",
    "operations": "/operations",
    "statistics": "/statistics",
    "map": "/map",
    "sources": "/sources",
}


def _missing() -> str | None:
    if not Path(CHROMIUM).exists() or not Path(DRIVER).exists():
        return "headless Chromium is not installed (apt-get install -y chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install selenium)"
    return None


@pytest.fixture(scope="module")
def server(archive_path: Path) -> Iterator[str]:
    import uvicorn

    from memorybook.web.app import create_app
    from memorybook.web.settings import Settings

    app = create_app(Settings(archive=str(archive_path), rate=0))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 10
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    t.join(10)
    app.state.site.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _missing()
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="memorybook-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
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
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.set_page_load_timeout(30)
    driver.get("about:blank")
    _problems(driver)  # drain what the browser logged about its own start page
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _problems(driver: Any) -> list[str]:
    out = [
        f"console {e['level']}: {e['message']}"
        for e in driver.get_log("browser")
        if e["level"] in ("SEVERE", "WARNING")
    ]
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.loadingFailed":
            out.append(f"failed request: {msg['params'].get('errorText')}")
        elif msg["method"] == "Network.responseReceived":
            resp = msg["params"]["response"]
            if resp["status"] >= 400:
                out.append(f"HTTP {resp['status']}: {resp['url']}")
            if resp["url"].startswith(("http:", "https:", "ws:", "wss:")) and not resp[
                "url"
            ].startswith("http://127.0.0.1"):
                out.append(f"external request: {resp['url']}")
    return out


def _shot(driver: Any, name: str, width: int = 1280) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(int(height), 600), 4000))
    path = SHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 900)
    return path


def _no_alert(driver: Any) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        return
    text = alert.text
    alert.dismiss()
    pytest.fail(f"a dialog opened: {text!r}")


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_web_browser_pages(server: str, browser: Any, lang: str) -> None:
    problems: dict[str, list[str]] = {}
    for name, url in PAGES.items():
        sep = "&" if "?" in url else "?"
        browser.get(f"{server}{url}{sep}lang={lang}")
        assert browser.find_element("css selector", "html").get_attribute("lang") == lang
        assert browser.find_element("css selector", "main h1").text.strip()
        _no_alert(browser)
        path = _shot(browser, f"{name}-{lang}")
        assert path.stat().st_size > 5_000
        found = _problems(browser)
        if found:
            problems[name] = found
    assert not problems, problems


def test_web_browser_narrow_screen(server: str, browser: Any) -> None:
    browser.set_window_size(360, 800)
    try:
        for name in ("home", "search", "record"):
            browser.get(f"{server}{PAGES[name]}")
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 360px"
            _shot(browser, f"{name}-360", width=360)
        assert not _problems(browser)
    finally:
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
    _shot(browser, "hostile-entry")
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

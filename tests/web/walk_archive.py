"""Walk a real archive's site in Chromium as the browser tests walk the test archive.

    python -m tests.web.walk_archive --archive memorybook.sqlite [--out DIR]

The test suite's walk (tests/web/test_web_browser.py) runs on a small archive made for it;
this one runs the same checks — keys, document file names, machine dates, words of the
other language, digits in the other locale's style, axe-core, sideways scrolling at 360
pixels — on the pages of an archive built from the real lists (`make archive`), each page
type in both languages, with screenshots at 1280 and 360 pixels in `--out` to look at.
The pages are found through the site's own JSON (one record of each list, a record with
places, a record without a name, a person, each operation, document, set of doubtful
readings, a house), so it needs no ids. It prints one line per page and every problem, and
exits 1 when there is any. It reads the archive only; no request leaves the machine."""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from pathlib import Path
from typing import Any

from tests.web.test_web_browser import _no_alert, chromium, missing, page_problems, serving

HERE = Path(__file__).resolve().parent
OUT = HERE.parents[1] / "artifacts" / "screenshots-archive"


def _get(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + path, timeout=120) as r:
        return json.load(r)


def pages(base: str) -> list[tuple[str, str, int]]:
    """(name, path, status) of every page type, found in this archive."""
    out = [
        ("home", "/", 200),
        ("search-browse", "/search", 200),
        ("search-latin", "/search?q=Zygmunt+Milewski", 200),
        ("search-cyrillic", "/search?q=%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2", 200),
        ("search-filtered", "/search?burial=butovo", 200),
        ("operations", "/operations", 200),
        ("statistics", "/statistics", 200),
        ("map", "/map", 200),
        ("sources", "/sources", 200),
        ("not-found", "/records/999999999", 404),
    ]
    sources = _get(base, "/sources.json")
    for s in sources["sources"]:
        hits = _get(base, f"/search.json?source={s['id']}&size=1")["hits"]
        if hits:
            out.append((f"record-{s['format']}", f"/records/{hits[0]['record_id']}", 200))
    nameless = [
        h for s in sources["sources"]
        for h in _get(base, f"/search.json?source={s['id']}&size=5")["hits"] if not h["name"]
    ]  # fmt: skip
    if nameless:
        out.append(("record-without-name", f"/records/{nameless[0]['record_id']}", 200))
    first = next((p for n, p, _ in out if n.startswith("record-")), None)
    if first:
        person = (_get(base, first + ".json").get("person") or {}).get("id")
        if person:
            out.append(("person", f"/persons/{person}", 200))
    out += [(f"operation-{k}", f"/operations/{k}", 200) for k in _operations(base)]
    out += [(f"document-{d['work']}", f"/sources/{d['work']}", 200) for d in sources["documents"]]
    selections = {
        a["selection"]
        for c in _get(base, "/statistics.json")["charts"]
        for a in c.get("set_apart", [])
        if a.get("selection")
    }
    out += [(f"entries-{x}", f"/statistics/entries/{x}", 200) for x in sorted(selections)]
    houses = _get(base, "/map/houses.geojson")["features"]
    if houses:
        out.append(("house", houses[0]["properties"]["url"], 200))
    return out


def _operations(base: str) -> list[str]:
    return [o["key"] for o in _get(base, "/operations.json")["operations"]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archive", required=True, help="archive file or database URL")
    ap.add_argument("--out", type=Path, default=OUT, help=f"screenshots (default {OUT})")
    ap.add_argument("--only", help="walk only the page types whose name contains this")
    args = ap.parse_args(argv)
    reason = missing()
    if reason:
        print(f"walk_archive: {reason}", file=sys.stderr)
        return 2
    failed = 0
    with serving(args.archive) as base, chromium() as browser:
        for name, path, status in pages(base):
            if args.only and args.only not in name:
                continue
            for lang in ("ru", "en"):
                sep = "&" if "?" in path else "?"
                browser.set_window_size(1280, 900)
                browser.get(f"{base}{path}{sep}lang={lang}")
                _no_alert(browser)
                found = page_problems(browser, f"{name}-{lang}", lang, status, args.out)
                failed += bool(found)
                print(f"{name} ({lang}) {path}: " + (f"{len(found)} problems" if found else "ok"))
                for p in found:
                    print(f"    {p}")
    print(f"screenshots in {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

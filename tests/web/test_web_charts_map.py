"""Charts and maps on the web: colours a colour-blind reader can tell apart, the calendar,
numbers as tables, the map's GeoJSON, the Content-Security-Policy with and without a tile
server, no external address on any page by default, and counts that agree everywhere."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from tests.conftest import DATA, location, needs_data
from tests.web.colour import CVD, delta_e, lab, rgb, simulate

from memorybook.web import svg
from memorybook.web.security import csp, tile_source

STATIC = Path(__file__).resolve().parents[2] / "src" / "memorybook" / "web" / "static"


@pytest.mark.parametrize("vision", [None, *CVD])
def test_web_palette_colours_stay_apart(vision: str | None) -> None:
    """The series colours (as many as a chart uses, with the grey of "unknown") differ by at
    least 15 ΔE*ab in normal vision and under simulated protanopia, deuteranopia, tritanopia."""
    colours = [*svg.PALETTE[:6], svg.UNKNOWN]

    def seen(c: str) -> tuple[float, float, float]:
        return simulate(rgb(c), vision) if vision else rgb(c)

    closest = min(delta_e(seen(a), seen(b)) for a, b in itertools.combinations(colours, 2))
    assert closest >= 15, (vision, closest)


def test_web_calendar_scale_reads_in_lightness_alone() -> None:
    """The calendar's steps darken one after another for every kind of vision (and in grey)."""
    for vision in (None, *CVD):
        light = [lab(simulate(rgb(c), vision) if vision else rgb(c))[0] for c in svg.SEQUENTIAL]
        assert all(a - b >= 10 for a, b in itertools.pairwise(light)), (vision, light)
    assert svg.colours(["a", "", "b"], "") == {
        "a": svg.PALETTE[0],
        "": svg.UNKNOWN,
        "b": svg.PALETTE[1],
    }


def test_web_calendar_has_a_cell_per_day_and_its_scale() -> None:
    months = [
        svg.CalendarMonth("February 1938", 28, {d: d * 10 for d in range(1, 29)}, {1: "1 Feb"}),
        svg.CalendarMonth("March 1938", 31, {2: 400}, {2: "2 March 1938"}),
    ]
    out = str(svg.calendar(months, title="t", desc="d", legend_title="scale", none_label="none"))
    cells = re.findall(r"<rect [^>]*><title>([^<]*)</title>", out)
    assert len(cells) == 28 + 31
    assert "2 March 1938: 400" in cells
    assert "scale" in out and "none" in out
    assert svg.steps([1, 3, 8, 40, 90, 120, 400]) == sorted(
        set(svg.steps([1, 3, 8, 40, 90, 120, 400]))
    )
    assert svg.step_labels([1, 10, 50], 400) == ["1–9", "10–49", "50–400"]


def test_web_bars_keep_labels_whole_and_give_each_bar_a_tooltip() -> None:
    long = 'Commission of the NKVD and the Prosecutor of the USSR (the "dvoika")'
    out = str(svg.row_chart([svg.Row(long, 832), svg.Row("Military tribunal", 5)]))
    assert "…" not in out and "the NKVD and the Prosecutor" in out
    cols = [
        svg.Column("Jan", "January 1937", {"a": 3, "b": 0}, "1937"),
        svg.Column("Feb", "February 1937", {"a": 1, "b": 2}, "1937"),
    ]
    series = svg.Series(["a", "b"], {"a": "Butovo", "b": "Kommunarka"}, svg.colours(["a", "b"]))
    out = str(svg.bar_chart(cols, series))
    assert len(re.findall(r"<rect ", out)) == 3 == len(re.findall(r"<title>[^<]+: \d", out))
    assert "February 1937 · Kommunarka: 2" in out


def test_web_statistics_page_shows_periods_tables_and_doubts(client) -> None:
    data = client.get("/statistics.json").json()
    month = next(c for c in data["charts"] if c["key"] == "executions-per-month")
    assert (month["period_start"], month["period_end"]) == ("1937-01-01", "1938-12-31")
    en = client.get("/statistics?lang=en").text
    assert 'Executions per month, by burial site, <span class="period">1937–1938</span>' in en
    assert en.count('<details class="numbers">') == sum(1 for c in data["charts"] if c["rows"])
    assert "October 1937" in en and "1937-10" not in re.sub(r"<[^>]+>", " ", en).replace('id="', "")
    ru = client.get("/statistics?lang=ru").text
    assert "октябрь 1937" in ru
    # canonical bodies by the reference model's names, the printed forms under each
    assert "Troika of a regional NKVD directorate" in en
    assert "тройка при УНКВД по Московской обл." in en


def test_web_entries_behind_a_count(client) -> None:
    r = client.get("/statistics/entries/executions-doubtful.json")
    assert r.status_code == 200 and r.json()["total"] == 0
    assert client.get("/statistics/entries/nothing-here").status_code == 404
    html = client.get("/statistics/entries/births-doubtful?lang=en").text
    assert "Doubtful years of birth" in html


def test_web_map_geojson(client) -> None:
    r = client.get("/map/places.geojson")
    assert r.headers["content-type"].startswith("application/geo+json")
    places = r.json()
    assert places["type"] == "FeatureCollection"
    page = client.get("/map.json").json()
    assert len(places["features"]) == len(page["places"]) == 3
    butovo = next(
        f for f in places["features"] if f["properties"]["url"] == "/search?burial=butovo"
    )
    assert butovo["properties"]["people"] == 3 and butovo["geometry"]["type"] == "Point"
    lon, lat = butovo["geometry"]["coordinates"]
    assert 37 < lon < 38 and 55 < lat < 56
    houses = client.get("/map/houses.geojson").json()["features"]
    assert [h["properties"]["url"] for h in houses] == ["/map/houses/1"]
    assert client.get("/map/houses/1.json").json()["entries"][0]["id"] == 1
    assert "Авиамоторная ул., д.1" in client.get("/map/houses/1").text
    # the people of a house by name, romanised beside it on English pages
    en = client.get("/map/houses/1?lang=en").text
    assert '<span class="data" lang="ru" translate="no">Иванов Иван Иванович</span>' in en
    assert '<span class="latin">(Ivanov Ivan Ivanovich)</span>' in en
    assert "(Ivanov" not in client.get("/map/houses/1?lang=ru").text
    # the house's address, read aloud on English pages
    assert '<span class="latin">(Aviamotornaya ul., d.1)</span></h1>' in en


def test_web_place_names_romanised_on_english_pages(client) -> None:
    """A place without an English name gets its romanisation beside the Cyrillic on English
    pages (the places table, the popups through the GeoJSON); Russian pages keep the name."""
    prison = next(
        f["properties"]
        for f in client.get("/map/places.geojson").json()["features"]
        if f["properties"]["name"] == "Бутырская тюрьма"
    )
    assert prison["latin"] == "Butyrskaya tyurma" and prison["name_en"] is None
    en = client.get("/map?lang=en").text
    assert '<span lang="ru">Бутырская тюрьма</span> <span class="latin">(Butyrskaya tyurma)' in en
    assert "Butyrskaya" not in client.get("/map?lang=ru").text
    assert client.get("/map/houses/99").status_code == 404
    # Past the ids' 32 bits: still "no such house" (PostgreSQL refuses such a parameter).
    assert client.get(f"/map/houses/{2**31}.json").status_code == 404


def test_web_map_page_is_a_leaflet_map_with_its_layers(client) -> None:
    html = client.get("/map?lang=en").text
    assert '<script defer src="/static/vendor/leaflet/leaflet.js"></script>' in html
    assert 'data-places="/map/places.geojson"' in html and "data-tiles" not in html
    assert 'data-basemap="/static/vendor/basemap/basemap.geojson"' in html
    for kind in ("place of shooting", "burial ground", "prison", "house of a last address"):
        assert kind in html
    assert client.get("/static/vendor/leaflet/leaflet.js").status_code == 200
    assert (
        client.get("/static/vendor/leaflet-markercluster/leaflet.markercluster.js").status_code
        == 200
    )
    base = client.get("/static/vendor/basemap/basemap.geojson").json()
    layers = {f["properties"]["layer"] for f in base["features"]}
    assert layers == {"river", "border", "place"}
    moscow = [f for f in base["features"] if f["properties"].get("name") == "Moscow"]
    assert moscow and moscow[0]["properties"]["name_ru"] == "Москва"
    for folder in ("leaflet", "leaflet-markercluster", "basemap"):
        assert any((STATIC / "vendor" / folder).glob("LICENSE*")), folder


def test_web_record_places_use_the_map_and_no_empty_grid(client) -> None:
    html = client.get("/records/1").text
    assert 'class="map record-map"' in html and "data-points=" in html
    points = json.loads(
        re.search(r'data-points="([^"]*)"', html)[1].replace("&#34;", '"').replace("&quot;", '"')  # type: ignore[index]
    )
    assert {p["properties"]["role"] for p in points} == {"burial", "address"}
    assert "record-map" not in client.get("/records/5").text  # no coordinates: no map at all


def test_web_csp_adds_a_tile_server_only_when_configured(make_client) -> None:
    assert csp("") == csp() and "img-src 'self' data:;" in csp()
    assert (
        tile_source("https://{s}.tile.example.org/{z}/{x}/{y}.png") == "https://*.tile.example.org"
    )
    assert tile_source("https://tiles.example.net:8443/osm/{z}/{x}/{y}.png") == (
        "https://tiles.example.net:8443"
    )
    for bad in ("javascript:alert(1)", "https://example.org/tiles.png", "https://a b/{z}/{x}/{y}"):
        with pytest.raises(ValueError):
            tile_source(bad)
    plain = make_client(rate=0)
    assert "example" not in plain.get("/map").headers["content-security-policy"]
    tiled = make_client(rate=0, tile_url="https://{s}.tile.example.org/{z}/{x}/{y}.png")
    r = tiled.get("/map")
    assert (
        "img-src 'self' data: https://*.tile.example.org;" in r.headers["content-security-policy"]
    )
    assert 'data-tiles="https://{s}.tile.example.org/{z}/{x}/{y}.png"' in r.text
    assert "script-src 'self';" in r.headers["content-security-policy"]


def test_web_bad_tile_url_stops_the_app(archive_path) -> None:
    from memorybook.web.app import create_app
    from memorybook.web.settings import Settings

    with pytest.raises(ValueError, match="tile_url"):
        create_app(Settings(archive=str(archive_path), tile_url="ftp://x/{z}/{x}/{y}"))


def test_web_no_external_address_on_any_page_by_default(client) -> None:
    """Nothing a page loads comes from another server: no src, href to a stylesheet or
    script, or data-* address outside this site (links a reader may follow are fine)."""
    for url in (
        "/",
        "/map",
        "/records/1",
        "/statistics",
        "/sources",
        "/operations",
        "/search?q=ив",
    ):
        html = client.get(url).text
        loads = re.findall(r'(?:src|data-[a-z]+)="(https?:[^"]*|//[^"]*)"', html)
        loads += [h for h in re.findall(r'<link [^>]*href="([^"]+)"', html) if "//" in h]
        assert not loads, (url, loads)
    js = (STATIC / "map.js").read_text(encoding="utf-8")
    assert "http" not in js


@needs_data
def test_web_counts_agree_with_the_import_reports(engine) -> None:
    """Home, sources and map repeat the numbers the imports report for the map layers:
    places read from the Topography of Terror (105, not the 111 rows of the place table,
    which also holds the gazetteer's own records of burial sites) and the geocoded houses
    (4,594 distinct houses with coordinates among 5,463 rows)."""
    from fastapi.testclient import TestClient

    from memorybook.ingest.topography import import_geocoded, import_topography
    from memorybook.web.app import create_app
    from memorybook.web.settings import Settings

    topo = import_topography(engine, [DATA / "topography-of-terror"])
    geo = import_geocoded(engine, [DATA / "memorial-moscow" / "geocoded" / "addresses.csv"])
    engine.dispose()
    app = create_app(Settings(archive=location(engine), rate=0))
    with TestClient(app) as c:
        home = c.get("/index.json").json()
        srcs = {s["format"]: s for s in c.get("/sources.json").json()["sources"]}
        page = c.get("/map.json").json()
        assert (
            home["places"]
            == topo.records_created
            == srcs["topography"]["kept"]
            == page["layer_places"]
        )
        assert (
            home["addresses"]
            == geo.records_created
            == srcs["geocoded-addresses"]["kept"]
            == page["houses"]
        )
        assert (
            home["address_rows"]
            == geo.entries
            == srcs["geocoded-addresses"]["entries"]
            == page["address_rows"]
        )
        assert (topo.records_created, geo.entries, geo.records_created) == (105, 5463, 4594)
        html = c.get("/?lang=en").text
        assert "105" in html and "4,594" in html and "5,463" in html
        html = c.get("/?lang=ru").text
        assert "4\xa0594" in html and "5\xa0463" in html
        assert len(page["places"]) < 105  # one marker per place
    app.state.site.close()


def test_web_quota_chart_tells_the_categories_apart(client) -> None:
    """Each quota category has its colour in the chart and its name in the legend; the stems
    of one date stand side by side (none hides another)."""
    import re

    from memorybook.web.views.operations import QUOTA_COLOURS

    html = client.get("/operations/kulak?lang=en").text
    chart = html.split('<svg xmlns="http://www.w3.org/2000/svg"', 1)[1].split("</svg>", 1)[0]
    stems = re.findall(r'<line x1="([\d.]+)"[^>]* stroke="(#[0-9A-Fa-f]{6})" stroke-width="3">'
                       r"<title>([^<]*)</title>", chart)  # fmt: skip
    assert {c for _, c, _ in stems} == set(QUOTA_COLOURS.values())
    for _, colour, tip in stems:
        assert ("shooting" in tip) == (colour == QUOTA_COLOURS["1"]), tip
    july = [float(x) for x, _, tip in stems if tip.startswith("30 July 1937")]
    assert len(july) == 3 and len(set(july)) == 2  # two categories: two places, not one
    legend = html.split('<ul class="legend"', 1)[1].split("</ul>", 1)[0]
    for words in ("first category (shooting)", "second category (camps)", "both categories"):
        assert words in legend
    assert "первая категория (расстрел)" in client.get("/operations/kulak?lang=ru").text

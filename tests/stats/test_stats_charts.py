"""The chart functions on a small archive made for them: the period the bars cover, the
entries counted outside it, doubtful readings set apart (and listed), canonical bodies."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import Engine, insert

from memorybook import stats
from memorybook.stats import mapping
from memorybook.storage import schema as s
from memorybook.storage.engine import write_transaction
from memorybook.storage.record_codec import stored_event


def _rec(rid: int, **cols: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": rid,
        "key": f"k{rid}",
        "family": "test:list",
        "source_id": 1,
        "file": "list.txt",
        "idx": rid,
        "verbatim": f"entry {rid}",
        "fields_json": "{}",
        "spans_json": "{}",
        "parsed": True,
        "synthetic": False,
        "name": f"Person {rid}",
    }
    death = cols.pop("shot", None)
    if death is not None:
        cols.update(
            executed=True, death_date=death, death_year=death.year, death_edtf=death.isoformat()
        )
    born = cols.pop("born", None)
    if born is not None:
        cols.update(birth_from=born, birth_to=born, birth_edtf=str(born))
    row.update(cols)
    return row


RECORDS = [
    _rec(1, shot=dt.date(1937, 10, 21), born=1884, burial_place_key="butovo"),
    _rec(2, shot=dt.date(1938, 3, 2), born=1900, burial_place_key="kommunarka"),
    _rec(3, shot=dt.date(1936, 5, 1), born=1890),  # before the period
    _rec(4, shot=dt.date(1939, 2, 1), born=1895),  # after the period
    _rec(5, shot=dt.date(1937, 9, 2), born=1971),  # shot before they were born: doubtful
    _rec(6, executed=True, death_year=1938, death_edtf="1938"),  # only the year
    _rec(7, born=1814, rehab_year=2006),  # born in the 1810s: doubtful
    _rec(8, born=1882, rehab_year=1901),  # rehabilitated in 1901: doubtful
    _rec(9, born=1914, executed=False, death_year=1974, death_edtf="1974"),  # died, not shot
    _rec(
        10, born=1885, rehab_year=1957, sentencing_body="тройка при УНКВД", body_key="troika_unkvd"
    ),
    _rec(11, sentencing_body="тройка при УНКВД", body_key="troika_unkvd"),
    _rec(12, sentencing_body="тройкой УНКВД", body_key="troika_unkvd"),
    _rec(13, sentencing_body="тройка ПП ОГПУ", body_key="ogpu_troika"),
    _rec(14, sentencing_body="собрание бедноты"),
    _rec(15, born=1984),  # arrested in 1938: a misprinted year of birth, doubtful
    _rec(16, born=1942),  # born in exile, the family's sentence of 1941 printed: believable
]
EVENTS = [
    stored_event(8, 0, "sentence", dt.date(1932, 1, 1), dt.date(1932, 12, 31)),
    stored_event(5, 0, "execution", dt.date(1937, 9, 2), dt.date(1937, 9, 2)),
    stored_event(15, 0, "arrest", dt.date(1938, 5, 13), dt.date(1938, 5, 13)),
    stored_event(16, 0, "sentence", dt.date(1941, 9, 1), dt.date(1941, 9, 30)),
]
PLACES = [
    # the gazetteer's own record of Butovo and the same site in two layers of the topography
    {
        "key": "butovo",
        "name": "Бутово",
        "kind": "burial_site",
        "lon": 37.595518,
        "lat": 55.533188,
        "extra_json": json.dumps({"name_en": "Butovo firing range"}),
    },
    {
        "key": "topos:burial:0",
        "name": 'Спецобъект "Бутовский полигон" (1934-1938',
        "kind": "burial_site",
        "lon": 37.595518,
        "lat": 55.533188,
        "extra_json": json.dumps({"layer": "burial"}),
    },
    {
        "key": "topos:shooting:5",
        "name": 'Спецобъект "Бутовский полигон" (1934-1938)',
        "kind": "shooting_site",
        "lon": 37.595518,
        "lat": 55.533188,
        "extra_json": json.dumps({"layer": "shooting"}),
    },
    {
        "key": "topos:prison:1",
        "name": "Бутырская тюрьма",
        "kind": "prison",
        "lon": 37.594,
        "lat": 55.7845,
        "extra_json": json.dumps({"layer": "prison"}),
    },
]


@pytest.fixture
def archive(engine: Engine) -> Engine:
    keys = sorted({k for r in RECORDS for k in r})
    with write_transaction(engine) as conn:
        conn.execute(
            insert(s.source),
            [
                {
                    "id": 1,
                    "key": "test:list@1",
                    "family": "test:list",
                    "version": 1,
                    "title": "test",
                    "kind": "list",
                    "synthetic": False,
                }
            ],
        )
        conn.execute(insert(s.record), [{k: r.get(k) for k in keys} for r in RECORDS])
        conn.execute(insert(s.event), EVENTS)
        conn.execute(
            insert(s.place),
            [{"normalised": p["name"].casefold(), "address": None, **p} for p in PLACES],
        )
    return engine


def _apart(chart: stats.Chart) -> dict[str, tuple[int, str]]:
    return {a.reason: (a.n, a.selection) for a in chart.set_apart}


def test_stats_executions_show_their_period_and_count_the_rest(archive: Engine) -> None:
    with archive.connect() as conn:
        month = stats.executions_per_month(conn)
        day = stats.executions_per_day(conn)
        assert (month.period_start, month.period_end) == ("1937-01-01", "1938-12-31")
        assert {(r["period"], r["site"]): r["n"] for r in month.rows} == {
            ("1937-10", "butovo"): 1,
            ("1938-03", "kommunarka"): 1,
        }
        assert [r["day"] for r in day.rows] == ["1937-10-21", "1938-03-02"]
        apart = _apart(month)
        assert apart["shot before %(year)s"] == (1, "executions-before")
        assert apart["shot after %(year)s"] == (1, "executions-after")
        assert apart["dated only to the month or the year"] == (1, "")
        doubt = next(a for a in month.set_apart if a.kind == "doubtful")
        assert (doubt.n, doubt.selection) == (1, "executions-doubtful")
        # every execution with a day is in exactly one place: the bars, outside, or doubtful
        dated = sum(1 for r in RECORDS if r.get("executed") and r.get("death_date"))
        assert month.total + sum(a.n for a in month.set_apart if a.selection) == dated
        # a record that died but was not shot is no execution
        assert all(a.n for a in month.set_apart) and month.total == 2


def test_stats_counts_outside_the_period_list_the_same_entries(archive: Engine) -> None:
    with archive.connect() as conn:
        chart = stats.executions_per_month(conn)
        for a in chart.set_apart:
            if not a.selection:
                continue
            total, rows = stats.entries(conn, a.selection)
            assert total == a.n == len(rows)
        assert [r["id"] for r in stats.entries(conn, "executions-before")[1]] == [3]
        assert [r["id"] for r in stats.entries(conn, "executions-after")[1]] == [4]
        assert [r["id"] for r in stats.entries(conn, "executions-doubtful")[1]] == [5]
        # another period moves the entry of 1936 into the bars
        wider = stats.executions_per_month(conn, start=dt.date(1936, 1, 1))
        assert wider.total == 3 and wider.period_start == "1936-01-01"
        with pytest.raises(KeyError):
            stats.entries(conn, "no-such-list")


def test_stats_doubtful_readings_are_set_apart_not_counted(archive: Engine) -> None:
    with archive.connect() as conn:
        births = stats.birth_decades(conn)
        assert 1810 not in {r["decade"] for r in births.rows}
        assert 1970 not in {r["decade"] for r in births.rows}
        assert 1980 not in {r["decade"] for r in births.rows}
        assert 1940 in {r["decade"] for r in births.rows}
        assert [a.n for a in births.set_apart] == [3]
        assert [r["id"] for r in stats.entries(conn, "births-doubtful")[1]] == [5, 7, 15]

        rehab = stats.rehabilitation_years(conn)
        assert {r["year"] for r in rehab.rows} == {1957, 2006}
        assert [r["id"] for r in stats.entries(conn, "rehabilitations-doubtful")[1]] == [8]
        assert rehab.period_start == "1957-01-01" and rehab.period_end == "2006-12-31"

        ages = stats.ages_at_death(conn)
        assert {r["age"]: r["n"] for r in ages.rows} == {53: 1, 38: 1, 46: 1, 44: 1}
        assert [r["id"] for r in stats.entries(conn, "ages-doubtful")[1]] == [5]


def test_stats_sentencing_bodies_by_canonical_body_with_printed_forms(archive: Engine) -> None:
    with archive.connect() as conn:
        chart = stats.sentencing_bodies(conn)
    by = {r["body"]: r for r in chart.rows}
    assert by["troika_unkvd"]["n"] == 3 and by["troika_unkvd"]["forms"] == 2
    assert by["troika_unkvd"]["variants"] == [
        {"printed": "тройка при УНКВД", "n": 2},
        {"printed": "тройкой УНКВД", "n": 1},
    ]
    # the OGPU troika is another body, not a variant of the NKVD troika
    assert by["ogpu_troika"]["variants"] == [{"printed": "тройка ПП ОГПУ", "n": 1}]
    assert chart.rows[-1]["body"] == "" and chart.rows[-1]["n"] == 1  # not linked: last
    assert chart.total == 5


def test_stats_map_one_marker_per_place(archive: Engine) -> None:
    with archive.connect() as conn:
        places = mapping.map_places(conn)
    assert len(places) == 2
    butovo = next(p for p in places if p.burial_key == "butovo")
    assert butovo.name == "Бутово" and butovo.name_en == "Butovo firing range"
    assert butovo.kinds == ["shooting_site", "burial_site"]
    # the two layers' names, the cut-off copy dropped
    assert [x.name for x in butovo.listed] == ['Спецобъект "Бутовский полигон" (1934-1938)']
    assert butovo.people == 1  # record 1
    prison = next(p for p in places if p is not butovo)
    assert prison.people == 0 and prison.burial_key is None

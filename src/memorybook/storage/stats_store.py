"""The statistics' SQL: set-based SQLAlchemy Core that runs alike on SQLite and PostgreSQL.

Every chart groups the records once; a reading outside the bounds of `model.plausible` is
grouped apart (a `doubt` column) so that charts show it as doubtful instead of counting it.
The same predicates select the entries behind a doubtful or out-of-period count
(`selection`), so a count and the list it links to always agree.

What is counted: printed entries (records). `_count(unit)` is the one place that says so; a
count of persons (once linkage has grouped records) is another unit there, not another
set of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from sqlalchemy import (
    Connection,
    Integer,
    and_,
    case,
    cast,
    exists,
    extract,
    func,
    or_,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from memorybook.model.plausible import Plausible
from memorybook.storage import schema as s
from memorybook.storage.record_codec import EVENT_KIND_CODE

Unit = Literal["records"]
r = s.record
e = s.event

# Events that cannot come before a person's birth. An arrest is one's own ("born in 1984,
# arrested 13 May 1938" is a misprinted year); not the sentence: children born in exile carry
# the sentence passed on their family years before they were born.
LIFE_EVENTS = ("arrest", "execution", "death", "rehabilitation")
# Events a rehabilitation cannot precede.
SENTENCE_EVENTS = ("arrest", "sentence", "execution")


def _codes(kinds: tuple[str, ...]) -> list[int]:
    return [EVENT_KIND_CODE[k] for k in kinds]


def _count(unit: Unit) -> ColumnElement[int]:
    if unit != "records":  # persons: COUNT(DISTINCT person_record.person_id), once linked
        raise ValueError(f"cannot count {unit!r} yet")
    return func.count().label("n")


def _year(column: Any) -> ColumnElement[int]:
    return cast(extract("year", column), Integer)


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


# ---- predicates ----


def executed_dated() -> ColumnElement[bool]:
    """Records saying the person was shot, with the exact day printed."""
    return and_(r.c.executed.is_(True), r.c.death_date.is_not(None))


def execution_doubt(b: Plausible) -> ColumnElement[bool]:
    year = _year(r.c.death_date)
    return or_(
        year < b.soviet_from,
        year > b.soviet_to,
        and_(r.c.birth_from.is_not(None), r.c.birth_from > year),
    )


def dated_births() -> ColumnElement[bool]:
    """Records whose year of birth is known to within a decade."""
    return and_(
        r.c.birth_from.is_not(None), r.c.birth_to.is_not(None), r.c.birth_to - r.c.birth_from < 10
    )


def birth_doubt(b: Plausible) -> ColumnElement[bool]:
    before = exists().where(
        e.c.record_id == r.c.id,
        e.c.kind.in_(_codes(LIFE_EVENTS)),
        e.c.latest // 10000 < r.c.birth_from,  # a day number's year (schema.event)
    )
    return or_(r.c.birth_to < b.born_from, r.c.birth_from > b.soviet_to, before)


def aged() -> ColumnElement[bool]:
    """Records of executions with an exact year of birth and a year of death."""
    return and_(
        r.c.executed.is_(True),
        r.c.death_year.is_not(None),
        r.c.birth_from.is_not(None),
        r.c.birth_from == r.c.birth_to,
    )


def _age() -> ColumnElement[int]:
    return r.c.death_year - r.c.birth_from


def age_doubt(b: Plausible) -> ColumnElement[bool]:
    return or_(_age() < b.age_from, _age() > b.age_to)


def rehabilitated() -> ColumnElement[bool]:
    return r.c.rehab_year.is_not(None)


def rehab_doubt(b: Plausible, this_year: int | None = None) -> ColumnElement[bool]:
    this_year = this_year or dt.date.today().year
    after = exists().where(
        e.c.record_id == r.c.id,
        e.c.kind.in_(_codes(SENTENCE_EVENTS)),
        e.c.earliest // 10000 > r.c.rehab_year,
    )
    return or_(r.c.rehab_year < b.rehabilitated_from, r.c.rehab_year > this_year, after)


SELECTIONS: tuple[str, ...] = (
    "executions-doubtful",
    "executions-before",
    "executions-after",
    "births-doubtful",
    "ages-doubtful",
    "rehabilitations-doubtful",
)


def selection(name: str, b: Plausible, start: dt.date, end: dt.date) -> ColumnElement[bool]:
    """The entries behind one doubtful or out-of-period count (names in `SELECTIONS`)."""
    if name == "executions-doubtful":
        return and_(executed_dated(), execution_doubt(b))
    if name == "executions-before":
        return and_(executed_dated(), ~execution_doubt(b), r.c.death_date < start)
    if name == "executions-after":
        return and_(executed_dated(), ~execution_doubt(b), r.c.death_date > end)
    if name == "births-doubtful":
        return and_(dated_births(), birth_doubt(b))
    if name == "ages-doubtful":
        return and_(aged(), age_doubt(b))
    if name == "rehabilitations-doubtful":
        return and_(rehabilitated(), rehab_doubt(b))
    raise KeyError(name)


# ---- grouped counts ----


def executions_by_day(
    conn: Connection, b: Plausible, unit: Unit = "records"
) -> list[dict[str, Any]]:
    """(day, burial site key or '', doubt 0/1, n) for every dated execution."""
    doubt = _flag(execution_doubt(b)).label("doubt")
    site = func.coalesce(r.c.burial_place_key, "").label("site")
    q = (
        select(r.c.death_date.label("day"), site, doubt, _count(unit))
        .where(executed_dated())
        .group_by(r.c.death_date, site, doubt)
        .order_by(r.c.death_date, site)
    )
    out = []
    for row in conn.execute(q):
        day = row.day if isinstance(row.day, dt.date) else dt.date.fromisoformat(str(row.day))
        out.append({"day": day, "site": str(row.site), "doubt": bool(row.doubt), "n": int(row.n)})
    return out


def executions_without_day(conn: Connection, unit: Unit = "records") -> int:
    """Records of executions dated only to a year or a month (not in the per-day charts)."""
    q = select(_count(unit)).where(
        r.c.executed.is_(True), r.c.death_date.is_(None), r.c.death_year.is_not(None)
    )
    return int(conn.execute(q).scalar() or 0)


def birth_decades(conn: Connection, b: Plausible, unit: Unit = "records") -> list[dict[str, Any]]:
    decade = ((r.c.birth_from // 10) * 10).label("decade")
    doubt = _flag(birth_doubt(b)).label("doubt")
    q = select(decade, doubt, _count(unit)).where(dated_births()).group_by(decade, doubt)
    return [
        {"decade": int(x.decade), "doubt": bool(x.doubt), "n": int(x.n)}
        for x in conn.execute(q.order_by(decade))
    ]


def ages_at_execution(
    conn: Connection, b: Plausible, unit: Unit = "records"
) -> list[dict[str, Any]]:
    age = _age().label("age")
    q = select(age, _count(unit)).where(aged()).group_by(age).order_by(age)
    return [
        {"age": int(x.age), "doubt": not (b.age_from <= int(x.age) <= b.age_to), "n": int(x.n)}
        for x in conn.execute(q)
    ]


def rehabilitation_years(
    conn: Connection, b: Plausible, unit: Unit = "records"
) -> list[dict[str, Any]]:
    doubt = _flag(rehab_doubt(b)).label("doubt")
    q = (
        select(r.c.rehab_year.label("year"), doubt, _count(unit))
        .where(rehabilitated())
        .group_by(r.c.rehab_year, doubt)
        .order_by(r.c.rehab_year)
    )
    return [{"year": int(x.year), "doubt": bool(x.doubt), "n": int(x.n)} for x in conn.execute(q)]


def sentencing_bodies(
    conn: Connection, variants: int = 6, unit: Unit = "records"
) -> list[dict[str, Any]]:
    """Per canonical body (the reference key; '' for printed bodies not linked to one): its
    most frequent printed forms (at most `variants`), how many forms there are in all, and
    the records of the body in all."""
    key = func.coalesce(r.c.body_key, "").label("body")
    forms = (
        select(key, r.c.sentencing_body.label("printed"), _count(unit))
        .where(r.c.sentencing_body.is_not(None))
        .group_by(key, r.c.sentencing_body)
        .subquery()
    )
    ranked = select(
        forms.c.body,
        forms.c.printed,
        forms.c.n,
        func.row_number()
        .over(partition_by=forms.c.body, order_by=(forms.c.n.desc(), forms.c.printed))
        .label("rank"),
        func.count().over(partition_by=forms.c.body).label("forms"),
        func.sum(forms.c.n).over(partition_by=forms.c.body).label("total"),
    ).subquery()
    q = (
        select(ranked)
        .where(ranked.c.rank <= variants)
        .order_by(ranked.c.total.desc(), ranked.c.body, ranked.c.rank)
    )
    return [
        {
            "body": str(x.body),
            "printed": str(x.printed),
            "n": int(x.n),
            "forms": int(x.forms),
            "total": int(x.total),
        }
        for x in conn.execute(q)
    ]


# ---- the entries behind a count ----


def selected_records(
    conn: Connection, where: ColumnElement[bool], limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    """How many records match, and one page of them (by id) with what a list shows."""
    total = int(conn.execute(select(func.count()).select_from(r).where(where)).scalar() or 0)
    q = (
        select(
            r.c.id,
            r.c.name,
            r.c.birth_edtf,
            r.c.death_edtf,
            r.c.rehab_year,
            r.c.source_id,
            r.c.file,
            r.c.idx,
        )
        .where(where)
        .order_by(r.c.id)
        .limit(limit)
        .offset(offset)
    )
    return total, [dict(x._mapping) for x in conn.execute(q)]


# ---- what the map layers hold ----

TOPOGRAPHY, GEOCODED = "topography", "geocoded-addresses"


def layer_counts(conn: Connection) -> dict[str, int]:
    """The numbers the import reports give for the map layers, as the home, sources and map
    pages must repeat them: `places` read from the Topography of Terror layers (the latest
    version of each), `address_rows` of the geocoded list read, and `addresses`, the distinct
    houses with coordinates kept from them."""
    src = s.source
    latest = (
        select(src.c.family, func.max(src.c.version).label("version"))
        .group_by(src.c.family)
        .subquery()
    )
    q = (
        select(
            src.c.format,
            func.sum(src.c.entry_count).label("entries"),
            func.sum(src.c.record_count).label("kept"),
        )
        .join(latest, and_(src.c.family == latest.c.family, src.c.version == latest.c.version))
        .where(src.c.format.in_((TOPOGRAPHY, GEOCODED)))
        .group_by(src.c.format)
    )
    by = {str(x.format): (int(x.entries or 0), int(x.kept or 0)) for x in conn.execute(q)}
    houses = conn.execute(select(func.count()).select_from(s.address_point)).scalar()
    return {
        "places": by.get(TOPOGRAPHY, (0, 0))[1],
        "address_rows": by.get(GEOCODED, (0, 0))[0],
        "addresses": int(houses or 0),
    }

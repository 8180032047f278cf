"""Read the authored YAML under `data/` into `ReferenceData`, validating as it goes.

Every malformed item raises `ReferenceDataError` naming the file and the item; nothing is
skipped silently. The result is cached: the data ships with the package and never changes
while a process runs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import yaml

from memorybook.errors import ReferenceDataError
from memorybook.model.history import Figure, Operation, Order, Quota
from memorybook.model.places import Body, BodyKind
from memorybook.model.sources import Citation, Source, SourceKind
from memorybook.reference.measures import MEASURES
from memorybook.reference.types import (
    BodyInfo,
    HistoricalPerson,
    NationalityRow,
    NationalityTable,
    OperationGroup,
    PersonDate,
    ReferenceData,
    Trial,
)

DATA_DIR = Path(__file__).with_name("data")
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LOCATOR_KEYS = ("para", "section", "table", "row")
_QUALIFIERS = ("over", "at least", "almost", "at most")
T = TypeVar("T")


def load_reference(data_dir: Path | None = None) -> ReferenceData:
    """The reference data (cached per directory). Raises `ReferenceDataError`."""
    return _load(Path(data_dir) if data_dir is not None else DATA_DIR)


@lru_cache(maxsize=4)
def _load(data_dir: Path) -> ReferenceData:
    sources = _sources(_read(data_dir, "sources.yaml", "sources"))
    by_file = {s.file_name: s.key for s in sources.values() if s.file_name}
    cites = _Cites(by_file)
    orders = _orders(_read(data_dir, "orders.yaml", "orders"), cites)
    ops_doc = _read_doc(data_dir, "operations.yaml")
    operations, parents = _operations(_items(ops_doc, "operations", "operations.yaml"), cites)
    groups = _groups(ops_doc.get("groups") or {}, parents, operations)
    printed: dict[str, str] = {}
    part_of: dict[str, str] = {}
    figures = _figures(_read(data_dir, "figures.yaml", "figures"), cites, printed, part_of)
    tables = _tables(_read(data_dir, "nationality_tables.yaml", "tables"), cites)
    for table in tables.values():
        for fig, text in _table_figures(table):
            _put(figures, fig.key, fig, "nationality_tables.yaml")
            printed[fig.key] = text
    quotas = _quotas(_read(data_dir, "quotas.yaml", "quotas"), cites, printed)
    bodies, body_info = _bodies(_read(data_dir, "bodies.yaml", "bodies"), cites)
    persons_doc = _read_doc(data_dir, "persons.yaml")
    trials = _trials(_items(persons_doc, "trials", "persons.yaml"), cites)
    persons = _persons(_items(persons_doc, "persons", "persons.yaml"), cites)

    _validate_links(orders, operations, figures, quotas, part_of, trials, persons, bodies)
    return ReferenceData(
        sources=_frozen(sources),
        orders=_frozen(orders),
        operations=_frozen(operations),
        groups=_frozen(groups),
        figures=_frozen(figures),
        quotas=_frozen(quotas),
        bodies=_frozen(bodies),
        body_info=_frozen(body_info),
        persons=_frozen(persons),
        trials=_frozen(trials),
        tables=_frozen(tables),
        printed=_frozen(printed),
        part_of=_frozen(part_of),
    )


# ---- reading ------------------------------------------------------------------------------


def _read_doc(data_dir: Path, name: str) -> dict[str, Any]:
    path = data_dir / name
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except OSError as e:
        raise ReferenceDataError(f"{path}: cannot read ({e})") from e
    except yaml.YAMLError as e:
        raise ReferenceDataError(f"{path}: not valid YAML ({e})") from e
    if not isinstance(doc, dict):
        raise ReferenceDataError(f"{path}: expected a mapping at the top")
    return doc


def _items(doc: Mapping[str, Any], key: str, name: str) -> list[dict[str, Any]]:
    items = doc.get(key)
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ReferenceDataError(f"{name}: `{key}` must be a list of mappings")
    return items


def _read(data_dir: Path, name: str, key: str) -> list[dict[str, Any]]:
    return _items(_read_doc(data_dir, name), key, name)


class _Item:
    """One YAML mapping being read: typed getters that name the item in every error."""

    def __init__(self, raw: dict[str, Any], where: str, allowed: set[str]) -> None:
        self.raw, self.where = raw, where
        unknown = set(raw) - allowed
        if unknown:
            raise ReferenceDataError(f"{where}: unknown field(s) {sorted(unknown)}")

    def req(self, name: str, kind: type[T]) -> T:
        value = self.raw.get(name)
        if value is None:
            raise ReferenceDataError(f"{self.where}: `{name}` is required")
        return self._typed(name, value, kind)

    def opt(self, name: str, kind: type[T]) -> T | None:
        value = self.raw.get(name)
        return None if value is None else self._typed(name, value, kind)

    def text(self, name: str, *, required: bool = False) -> str | None:
        value = self.raw.get(name)
        if value is None:
            if required:
                raise ReferenceDataError(f"{self.where}: `{name}` is required")
            return None
        if isinstance(value, str):
            return value.strip()
        # YAML reads 1937 as an int and 1937-07-30 as a date; keys and EDTF stay text.
        if isinstance(value, dt.date | int) and not isinstance(value, bool):
            return value.isoformat() if isinstance(value, dt.date) else str(value)
        raise ReferenceDataError(f"{self.where}: `{name}` must be text, not {value!r}")

    def strings(self, name: str) -> tuple[str, ...]:
        value = self.raw.get(name) or []
        if not isinstance(value, list):
            raise ReferenceDataError(f"{self.where}: `{name}` must be a list")
        return tuple(str(v) for v in value)

    def _typed(self, name: str, value: Any, kind: type[T]) -> T:
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)  # type: ignore[return-value]
        if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
            raise ReferenceDataError(f"{self.where}: `{name}` must be {kind.__name__}")
        return value


class _Cites:
    """Turns `cite:` entries into Citations against the seed file names in sources.yaml."""

    def __init__(self, by_file: Mapping[str, str]) -> None:
        self.by_file = by_file

    def one(self, raw: Any, where: str) -> Citation:
        if not isinstance(raw, dict):
            raise ReferenceDataError(f"{where}: a citation must be a mapping with `file`")
        item = _Item(raw, where, {"file", *_LOCATOR_KEYS})
        file = item.req("file", str)
        if file not in self.by_file:
            raise ReferenceDataError(f"{where}: cites {file!r}, which no source names")
        locator: dict[str, Any] = {}
        for k in _LOCATOR_KEYS:
            if raw.get(k) is not None:
                locator[k] = raw[k]
        if "para" in locator and (not isinstance(locator["para"], int) or locator["para"] < 1):
            raise ReferenceDataError(f"{where}: `para` must be a positive integer")
        if not locator:
            raise ReferenceDataError(f"{where}: a citation needs a para, section or table")
        return Citation(source_key=self.by_file[file], locator=locator)

    def many(self, raw: Any, where: str, *, required: bool = True) -> tuple[Citation, ...]:
        if raw is None:
            if required:
                raise ReferenceDataError(f"{where}: `cite` is required")
            return ()
        entries = raw if isinstance(raw, list) else [raw]
        if required and not entries:
            raise ReferenceDataError(f"{where}: `cite` is empty")
        return tuple(self.one(e, where) for e in entries)


def _put(target: dict[str, T], key: str, value: T, where: str) -> None:
    if key in target:
        raise ReferenceDataError(f"{where}: duplicate key {key!r}")
    target[key] = value


def _frozen(d: dict[str, T]) -> Mapping[str, T]:
    return MappingProxyType(d)


# ---- one reader per file ------------------------------------------------------------------


def _sources(items: list[dict[str, Any]]) -> dict[str, Source]:
    out: dict[str, Source] = {}
    for raw in items:
        it = _Item(raw, f"sources.yaml: {raw.get('key')!r}", set(Source.__slots__))
        key = it.req("key", str)
        try:
            kind = SourceKind(it.opt("kind", str) or "publication")
        except ValueError as e:
            raise ReferenceDataError(f"{it.where}: {e}") from e
        src = Source(
            key=key,
            title=it.req("title", str),
            kind=kind,
            author=it.opt("author", str),
            year=it.opt("year", int),
            url=it.opt("url", str),
            file_name=it.req("file_name", str),
            sha256=it.opt("sha256", str),
            size=it.opt("size", int),
        )
        _put(out, key, src, "sources.yaml")
    return out


def _orders(items: list[dict[str, Any]], cites: _Cites) -> dict[str, Order]:
    out: dict[str, Order] = {}
    fields = {"key", "title", "number", "date", "issuer", "kind", "targets", "summary", "cite"}
    for raw in items:
        it = _Item(raw, f"orders.yaml: {raw.get('key')!r}", fields)
        key = it.text("key", required=True) or ""
        order = Order(
            key=key,
            title=it.req("title", str),
            number=it.text("number"),
            date=it.text("date"),
            issuer=it.opt("issuer", str),
            kind=it.opt("kind", str) or "order",
            targets=it.opt("targets", str),
            summary=it.opt("summary", str),
            citations=cites.many(raw.get("cite"), it.where),
        )
        _put(out, key, order, "orders.yaml")
    return out


def _operations(
    items: list[dict[str, Any]], cites: _Cites
) -> tuple[dict[str, Operation], dict[str, str]]:
    out: dict[str, Operation] = {}
    parents: dict[str, str] = {}
    fields = {"key", "name", "orders", "start", "end", "targets", "procedure", "aliases", "cite"}
    for raw in items:
        it = _Item(raw, f"operations.yaml: {raw.get('key')!r}", fields | {"part_of"})
        key = it.req("key", str)
        op = Operation(
            key=key,
            name=it.req("name", str),
            orders=it.strings("orders"),
            start=it.text("start"),
            end=it.text("end"),
            targets=it.opt("targets", str),
            procedure=it.opt("procedure", str),
            aliases=it.strings("aliases"),
            citations=cites.many(raw.get("cite"), it.where),
        )
        _put(out, key, op, "operations.yaml")
        if (parent := it.opt("part_of", str)) is not None:
            parents[key] = parent
    return out, parents


def _groups(
    raw: Mapping[str, Any], parents: Mapping[str, str], operations: Mapping[str, Operation]
) -> dict[str, OperationGroup]:
    out: dict[str, OperationGroup] = {}
    for child, parent in parents.items():
        if parent not in operations:
            raise ReferenceDataError(f"operations.yaml: {child!r} is part of unknown {parent!r}")
        if parent not in raw:
            raise ReferenceDataError(f"operations.yaml: group {parent!r} is not declared")
    for key, spec in raw.items():
        if key not in operations or not isinstance(spec, dict):
            raise ReferenceDataError(f"operations.yaml: bad group {key!r}")
        parts = tuple(c for c, p in parents.items() if p == key)
        out[key] = OperationGroup(key=key, parts=parts, exhaustive=bool(spec.get("exhaustive")))
    return out


def _figures(
    items: list[dict[str, Any]],
    cites: _Cites,
    printed: dict[str, str],
    part_of: dict[str, str],
) -> dict[str, Figure]:
    out: dict[str, Figure] = {}
    fields = {
        "key", "measure", "value", "low", "high", "about", "qualifier", "operation",
        "nationality", "region", "period", "unit", "note", "printed", "part_of", "cite",
    }  # fmt: skip
    for raw in items:
        it = _Item(raw, f"figures.yaml: {raw.get('key')!r}", fields)
        key = it.req("key", str)
        measure = it.req("measure", str)
        if measure not in MEASURES:
            raise ReferenceDataError(f"{it.where}: unknown measure {measure!r}")
        qualifier = it.opt("qualifier", str)
        if qualifier is not None and qualifier not in _QUALIFIERS:
            raise ReferenceDataError(f"{it.where}: qualifier must be one of {_QUALIFIERS}")
        citations = cites.many(raw.get("cite"), it.where)
        if len(citations) != 1:
            raise ReferenceDataError(f"{it.where}: a figure cites exactly one place")
        try:
            fig = Figure(
                key=key,
                measure=measure,
                citation=citations[0],
                value=it.opt("value", float),
                low=it.opt("low", float),
                high=it.opt("high", float),
                about=bool(it.opt("about", bool)),
                operation=it.opt("operation", str),
                nationality=it.opt("nationality", str),
                region=it.opt("region", str),
                period=it.text("period"),
                unit=it.opt("unit", str) or "persons",
                note=it.opt("note", str),
                tags=(f"qualifier:{qualifier}",) if qualifier else (),
            )
        except ValueError as e:
            raise ReferenceDataError(f"{it.where}: {e}") from e
        if fig.low is not None and fig.high is not None and fig.low > fig.high:
            raise ReferenceDataError(f"{it.where}: low exceeds high")
        _put(out, key, fig, "figures.yaml")
        printed[key] = it.text("printed", required=True) or ""
        if (whole := it.opt("part_of", str)) is not None:
            part_of[key] = whole
    return out


def _quotas(
    items: list[dict[str, Any]], cites: _Cites, printed: dict[str, str]
) -> dict[str, Quota]:
    out: dict[str, Quota] = {}
    fields = {"key", "region", "category", "limit", "date", "decision", "increase", "operation"}
    for raw in items:
        it = _Item(raw, f"quotas.yaml: {raw.get('key')!r}", fields | {"cite", "printed", "note"})
        key = it.req("key", str)
        category = it.text("category", required=True) or ""
        if category not in {"1", "2", "total"}:
            raise ReferenceDataError(f"{it.where}: category must be 1, 2 or total")
        quota = Quota(
            key=key,
            region=it.req("region", str),
            category=category,
            limit=it.req("limit", int),
            date=it.text("date"),
            decision=it.text("decision"),
            increase=bool(it.opt("increase", bool)),
            operation=it.opt("operation", str),
            citations=cites.many(raw.get("cite"), it.where),
        )
        _put(out, key, quota, "quotas.yaml")
        printed[key] = it.text("printed", required=True) or ""
    return out


def _tables(items: list[dict[str, Any]], cites: _Cites) -> dict[str, NationalityTable]:
    out: dict[str, NationalityTable] = {}
    fields = {"key", "title", "period", "cite", "rows_start_para", "columns", "rows", "total"}
    for raw in items:
        it = _Item(raw, f"nationality_tables.yaml: {raw.get('key')!r}", fields)
        key = it.req("key", str)
        citation = cites.one(raw.get("cite"), it.where)
        start = it.req("rows_start_para", int)
        raw_rows = raw.get("rows")
        if not isinstance(raw_rows, list) or not raw_rows:
            raise ReferenceDataError(f"{it.where}: `rows` must be a non-empty list")
        rows = tuple(_table_row(r, citation, start + i, it.where) for i, r in enumerate(raw_rows))
        total = _table_row(raw.get("total"), citation, start + len(rows), it.where)
        table = NationalityTable(
            key=key,
            title=it.req("title", str),
            period=it.text("period", required=True) or "",
            citation=citation,
            rows=rows,
            total=total,
        )
        _put(out, key, table, "nationality_tables.yaml")
    return out


_NUMERAL = re.compile(r"^\d{1,3}(,\d{3})*$")
_DECIMAL = re.compile(r"^\d+(\.\d+)?$")


def _table_row(raw: Any, table_cite: Citation, para: int, where: str) -> NationalityRow:
    if not isinstance(raw, list) or len(raw) != 5 or not all(isinstance(c, str) for c in raw):
        raise ReferenceDataError(f"{where}: a row is five quoted cells, got {raw!r}")
    name, count, share, pop, over = raw
    if not _NUMERAL.match(count) or not all(_DECIMAL.match(c) for c in (share, pop, over)):
        raise ReferenceDataError(f"{where}: row {name!r} has a cell that is not a number")
    locator = {**table_cite.locator, "para": para, "row": name}
    return NationalityRow(
        nationality=name,
        arrested=int(count.replace(",", "")),
        share_printed=share,
        population_share_printed=pop,
        overrepresentation_printed=over,
        citation=Citation(source_key=table_cite.source_key, locator=locator),
    )


def _table_figures(table: NationalityTable) -> list[tuple[Figure, str]]:
    """Each row as Figures with nationality scope, so the ledger and checks see them too."""
    out: list[tuple[Figure, str]] = []
    for row in table.rows:
        slug = row.nationality.casefold().replace(" ", "_")
        base = f"{table.key}.{slug}"
        cells = (
            ("arrested", float(row.arrested), "persons", f"{row.arrested:,}"),
            ("share_of_arrested", float(row.share), "percent", row.share_printed),
            ("share_of_population", float(row.population_share), "percent",
             row.population_share_printed),
            ("overrepresentation", float(row.overrepresentation), "ratio",
             row.overrepresentation_printed),
        )  # fmt: skip
        for measure, value, unit, text in cells:
            fig = Figure(
                key=f"{base}.{measure}",
                measure=measure,
                citation=row.citation,
                value=value,
                nationality=row.nationality,
                period=table.period,
                unit=unit,
                tags=("table", f"table:{table.key}"),
            )
            out.append((fig, text))
    return out


def _bodies(
    items: list[dict[str, Any]], cites: _Cites
) -> tuple[dict[str, Body], dict[str, BodyInfo]]:
    bodies: dict[str, Body] = {}
    info: dict[str, BodyInfo] = {}
    fields = {"key", "name", "name_ru", "kind", "description", "active_from", "active_to"}
    for raw in items:
        it = _Item(raw, f"bodies.yaml: {raw.get('key')!r}", fields | {"aliases", "cite"})
        key = it.req("key", str)
        try:
            kind = BodyKind(it.req("kind", str))
        except ValueError as e:
            raise ReferenceDataError(f"{it.where}: {e}") from e
        if "cite" not in raw:
            raise ReferenceDataError(f"{it.where}: `cite` is required (null if undescribed)")
        citations = cites.many(raw["cite"], it.where, required=False)
        description = it.opt("description", str)
        if not citations and "not described in the seeds" not in (description or "").lower():
            raise ReferenceDataError(f"{it.where}: uncited; say 'not described in the seeds'")
        body = Body(
            key=key,
            name=it.req("name", str),
            kind=kind,
            name_ru=it.opt("name_ru", str),
            description=description,
            active_from=it.text("active_from"),
            active_to=it.text("active_to"),
        )
        _put(bodies, key, body, "bodies.yaml")
        info[key] = BodyInfo(citations=citations, aliases=it.strings("aliases"))
    return bodies, info


def _trials(items: list[dict[str, Any]], cites: _Cites) -> dict[str, Trial]:
    out: dict[str, Trial] = {}
    fields = {"key", "name", "start", "end", "body", "defendants", "sentenced_death", "note"}
    for raw in items:
        it = _Item(raw, f"persons.yaml trial {raw.get('key')!r}", fields | {"cite"})
        key = it.req("key", str)
        trial = Trial(
            key=key,
            name=it.req("name", str),
            citations=cites.many(raw.get("cite"), it.where),
            start=it.text("start"),
            end=it.text("end"),
            body=it.opt("body", str),
            defendants=it.opt("defendants", int),
            sentenced_death=it.opt("sentenced_death", int),
            note=it.opt("note", str),
        )
        _put(out, key, trial, "persons.yaml")
    return out


def _persons(items: list[dict[str, Any]], cites: _Cites) -> dict[str, HistoricalPerson]:
    out: dict[str, HistoricalPerson] = {}
    fields = {"key", "name", "name_ru", "group", "role", "trials", "cite", "dates"}
    for raw in items:
        it = _Item(raw, f"persons.yaml person {raw.get('key')!r}", fields)
        key = it.req("key", str)
        citations = cites.many(raw.get("cite"), it.where)
        dates: list[PersonDate] = []
        for d in raw.get("dates") or []:
            dit = _Item(d, f"{it.where} date", {"event", "date", "note", "cite"})
            own = dit.raw.get("cite")
            dates.append(
                PersonDate(
                    event=dit.req("event", str),
                    date=dit.text("date", required=True) or "",
                    citation=cites.one(own, dit.where) if own is not None else citations[0],
                    note=dit.opt("note", str),
                )
            )
        person = HistoricalPerson(
            key=key,
            name=it.req("name", str),
            group=it.req("group", str),
            role=it.req("role", str),
            citations=citations,
            name_ru=it.opt("name_ru", str),
            dates=tuple(dates),
            trials=it.strings("trials"),
        )
        _put(out, key, person, "persons.yaml")
    return out


def _validate_links(
    orders: Mapping[str, Order],
    operations: Mapping[str, Operation],
    figures: Mapping[str, Figure],
    quotas: Mapping[str, Quota],
    part_of: Mapping[str, str],
    trials: Mapping[str, Trial],
    persons: Mapping[str, HistoricalPerson],
    bodies: Mapping[str, Body],
) -> None:
    """Every key one item uses to point at another must exist."""
    problems: list[str] = []
    for op in operations.values():
        problems += [f"operation {op.key}: unknown order {o}" for o in op.orders if o not in orders]
    for fig in figures.values():
        if fig.operation is not None and fig.operation not in operations:
            problems.append(f"figure {fig.key}: unknown operation {fig.operation}")
    for part, whole in part_of.items():
        if whole not in figures:
            problems.append(f"figure {part}: part_of unknown figure {whole}")
    for q in quotas.values():
        if q.decision is not None and q.decision not in orders:
            problems.append(f"quota {q.key}: unknown decision {q.decision}")
        if q.operation is not None and q.operation not in operations:
            problems.append(f"quota {q.key}: unknown operation {q.operation}")
    for t in trials.values():
        if t.body is not None and t.body not in bodies:
            problems.append(f"trial {t.key}: unknown body {t.body}")
    for p in persons.values():
        problems += [f"person {p.key}: unknown trial {t}" for t in p.trials if t not in trials]
    if problems:
        raise ReferenceDataError("reference data links are broken: " + "; ".join(problems))

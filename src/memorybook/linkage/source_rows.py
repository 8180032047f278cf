"""Archive rows -> `LinkRecord`s: where each source keeps what linkage compares.

The Politburo lists (`stalin-lists`) keep the list (number, date, region, category) in the
record's context and the editors' person id in `extra.source_person_id`; the Moscow
execution list's records were all shot in Moscow; other sources give what their parsed
fields give."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from memorybook.linkage.record import LinkRecord

SOURCE_IDENTITY_CITATION = (
    "Memorial, «Сталинские расстрельные списки» (stalin.memo.ru): the editors' person id {id}"
)


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _loads(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        out = json.loads(text)
    except ValueError:
        return {}
    return out if isinstance(out, dict) else {}


def has_name(row: dict[str, Any]) -> bool:
    """Whether the record names a person well enough to be compared: a surname with a given
    name or patronymic, or a name of several hyphenated parts printed as one (Korean and
    Chinese names, Ким-Дю-Ван, are printed so in both the Moscow list and the Politburo
    lists, with no given name or patronymic apart); a lone surname is not enough."""
    surname = str(row.get("surname") or "")
    if not surname:
        return False
    return bool(row.get("given_name") or row.get("patronymic") or one_word_name(surname))


def one_word_name(surname: str) -> bool:
    """A name of several parts printed as one hyphenated word (Ким-Дю-Ван, Ван-И)."""
    parts = [p for p in surname.split("-") if p.strip()]
    return len(parts) >= 2


def link_record(row: dict[str, Any]) -> LinkRecord:
    context = _loads(row.get("context_json"))
    extra = _loads(row.get("extra_json"))
    events = row.get("events") or {}
    family = str(row["family"])
    region = context.get("region")
    outcome = None
    category = extra.get("category", context.get("category"))
    if category in (1, "1"):
        outcome = "shot"
    elif category in (2, 3, "2", "3"):
        outcome = "camp"
    execution = _date(events.get("execution"))
    if family.startswith("memorial-moscow"):
        region = region or "Москва"
        execution = execution or _date(row.get("death_date"))
        outcome = "shot"
    elif execution is not None:
        outcome = outcome or "shot"
    sanction = extra.get("sanction") if isinstance(extra.get("sanction"), dict) else {}
    list_id = context.get("list") or (sanction or {}).get("list")
    list_date = _date(events.get("sanction")) or _date(context.get("list_date"))
    section = f"{family}|{list_id}|{region}" if list_id is not None else None
    identity = extra.get("source_person_id")
    name = row.get("name") or " ".join(
        p for p in (row.get("surname"), row.get("given_name"), row.get("patronymic")) if p
    )
    return LinkRecord(
        id=int(row["id"]),
        key=str(row["key"]),
        family=family,
        surname=row.get("surname"),
        given_name=row.get("given_name"),
        patronymic=row.get("patronymic"),
        birth_from=row.get("birth_from"),
        birth_to=row.get("birth_to"),
        arrest=_date(events.get("arrest")),
        sentence=_date(events.get("sentence")),
        list_date=list_date,
        list_id=f"{family}|{list_id}" if list_id is not None else None,
        section=section,
        execution=execution,
        region=region,
        outcome=outcome,
        identity=f"{family.split(':')[0]}:{identity}" if identity is not None else None,
        identity_citation=SOURCE_IDENTITY_CITATION.format(id=identity) if identity else None,
        label=f"{name} — {row.get('file')}, {row.get('idx')}",
    )

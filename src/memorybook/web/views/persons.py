"""Person: the records that linkage holds to be one person, side by side, each as printed
with its source and place in it; the fields where they disagree, shown as a disagreement;
the evidence of every link and who or what decided it; the possible matches that wait for
a person to review them (never shown as certain); and the model run to cite.

Everything comes from the linkage library (`memorybook.linkage.person`); a person id that
merged into another redirects (308) to the person that holds its records now."""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from sqlalchemy import Connection

from memorybook import linkage
from memorybook.storage import link_store, person_store
from memorybook.web.cite import locator_text
from memorybook.web.errors import ERROR_RESPONSES, ErrorBody
from memorybook.web.i18n import request_lang
from memorybook.web.site import LRU, Site, json_bytes
from memorybook.web.words import Words, mark_cyrillic

# The fields compared across records, in the order a reader meets them.
SHOWN_FIELDS = ("surname", "given_name", "patronymic", "birth_edtf", "death_edtf",
                "nationality", "burial_place")  # fmt: skip
DATE_FIELDS = ("birth_edtf", "death_edtf")


@dataclass(slots=True)
class PersonRecord:
    """One record of the person, as printed, with its source and its place in it."""

    id: int
    key: str
    number: int  # 1, 2, … in the order of the page
    name: str | None
    verbatim: str
    source: str
    source_id: int
    format: str | None
    family: str
    locator: dict[str, Any]  # {"file", "index"}, as `memorybook persons --json` gives it
    where: str  # the locator in words ("list of 13 November 1937, page 186, entry 1")
    fields: dict[str, Any] = field(default_factory=dict)  # the compared fields
    # A Politburo list's entry: the section of the list as printed (region and category),
    # the category it stands in, and the list's archive reference as printed.
    heading: str | None = None
    category: int | None = None
    archive: str | None = None


@dataclass(slots=True)
class Reading:
    record: int  # the record's number on the page
    value: str | None


@dataclass(slots=True)
class Disagreement:
    """A field the records print differently: every record's reading, none preferred."""

    field: str
    readings: list[Reading] = dataclasses.field(default_factory=list)


@dataclass(slots=True)
class Decision:
    verdict: str  # same | not_same
    origin: str  # human | source
    who: str
    decided_at: str | None
    why: str | None
    citation: str | None
    records: list[int] = field(default_factory=list)  # record ids (when in the archive)


@dataclass(slots=True)
class OtherRecord:
    """A record outside this person that a link points at."""

    id: int
    name: str | None
    source: str
    format: str | None
    where: str
    person: str | None
    person_records: int


@dataclass(slots=True)
class Link:
    """Why two records were compared and what came of it. `status`: accepted (by the
    model), decided (by a decision), review (a possible match, waiting), cut (kept apart:
    a decision or a contradiction forbids joining them)."""

    records: list[int]  # record ids [a, b]
    numbers: list[int]  # their numbers on this page (0: a record of another person)
    status: str
    probability: float
    explanation: dict[str, Any] = field(default_factory=dict)  # {"ru", "en", "parts"}
    other: OtherRecord | None = None
    decision: Decision | None = None


@dataclass(slots=True)
class ModelRun:
    """The linkage run whose model made the links: cite it to reproduce them."""

    run: int
    sha256: str
    finished_at: str | None
    backend: str | None
    url: str


@dataclass(slots=True)
class PersonContext:
    id: str
    name: str | None
    decided: bool
    records: list[PersonRecord] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)  # between this person's records
    possible: list[Link] = field(default_factory=list)  # to other records, awaiting review
    kept_apart: list[Link] = field(default_factory=list)  # likely, but not joined
    decisions: list[Decision] = field(default_factory=list)
    model: ModelRun | None = None
    sources: int = 0


def _decision(d: dict[str, Any], ids: dict[str, int]) -> Decision:
    return Decision(
        verdict=str(d["verdict"]),
        origin=str(d["origin"]),
        who=str(d["who"]),
        decided_at=d.get("decided_at") or None,
        why=d.get("why"),
        citation=d.get("citation"),
        records=[ids[k] for k in (d["key_a"], d["key_b"]) if k in ids],
    )


def build(conn: Connection, person_id: str, lang: str) -> PersonContext | None:
    found = linkage.person(conn, person_id)
    if found is None:
        return None
    recs = found["records"]
    member_ids = [int(r["id"]) for r in recs]
    linked_ids = {int(x) for link in found["links"] for x in link["records"]}
    others = sorted(linked_ids - set(member_ids))
    printed = person_store.record_sources(conn, member_ids + others)
    number = {rid: n for n, rid in enumerate(member_ids, start=1)}

    def where(rid: int) -> str:
        p = printed.get(rid) or {}
        return locator_text(str(p.get("file", "")), int(p.get("idx") or 0), lang, p.get("context"))

    records = [
        PersonRecord(
            id=int(r["id"]),
            key=str(r["key"]),
            number=number[int(r["id"])],
            name=r.get("name"),
            verbatim=str(r["verbatim"]),
            source=str(r["source"]),
            source_id=int((printed.get(int(r["id"])) or {}).get("source_id") or 0),
            format=(printed.get(int(r["id"])) or {}).get("format"),
            family=str(r["family"]),
            locator=dict(r["locator"]),
            where=where(int(r["id"])),
            fields={f: r.get(f) for f in SHOWN_FIELDS if r.get(f) not in (None, "")},
            **_list_context((printed.get(int(r["id"])) or {}).get("context")),
        )
        for r in recs
    ]
    keys = {str(r["key"]): int(r["id"]) for r in recs}
    decision_keys = {k for d in found["decisions"] for k in (d["key_a"], d["key_b"])}
    keys.update(link_store.record_ids_by_key(conn, sorted(decision_keys - set(keys))))
    decisions = [_decision(d, keys) for d in found["decisions"]]
    by_pair = {tuple(sorted(d.records)): d for d in decisions if len(d.records) == 2}
    of_other = person_store.persons_of_records(conn, others)
    ctx = PersonContext(
        id=str(found["id"]),
        name=_name(found, recs),
        decided=bool(found["decided"]),
        records=records,
        decisions=decisions,
        sources=len({r.family for r in records}),
    )
    for f in SHOWN_FIELDS:
        given = found["disagreements"].get(f)
        if given:
            ctx.disagreements.append(
                Disagreement(
                    f,
                    [
                        Reading(number[int(v["record"])], _text(v["value"]))
                        for v in given
                        if int(v["record"]) in number
                    ],
                )
            )
    for link in sorted(found["links"], key=lambda x: -float(x["probability"])):
        a, b = (int(x) for x in link["records"])
        item = Link(
            records=[a, b],
            numbers=[number.get(a, 0), number.get(b, 0)],
            status=str(link["status"]),
            probability=float(link["probability"]),
            explanation=dict(link.get("explanation") or {}),
            decision=by_pair.get((min(a, b), max(a, b))),
        )
        outside = next((x for x in (a, b) if x not in number), None)
        if outside is not None:
            p = printed.get(outside) or {}
            held = of_other.get(outside)
            item.other = OtherRecord(
                id=outside,
                name=p.get("name"),
                source=str(p.get("title") or ""),
                format=p.get("format"),
                where=where(outside),
                person=held[0] if held else None,
                person_records=held[1] if held else 1,
            )
        if item.status == "cut":
            ctx.kept_apart.append(item)
        elif outside is not None:
            # a link to a record of another person can only be a possible match: it never
            # joined them (else the record would be this person's)
            ctx.possible.append(item)
        else:
            ctx.links.append(item)
    model = found.get("model")
    if model is not None:
        run = person_store.run_info(conn, int(model["run"])) or {}
        ctx.model = ModelRun(
            run=int(model["run"]),
            sha256=str(model["sha256"]),
            finished_at=run.get("finished_at"),
            backend=run.get("backend"),
            url=f"/linkage/models/{int(model['run'])}.json",
        )
    return ctx


def _list_context(context: Any) -> dict[str, Any]:
    """What a record's printed context says of the list it stands in (nothing for a record
    of another kind of source)."""
    if not isinstance(context, dict):
        return {}
    category = context.get("category")
    return {
        "heading": _text(context.get("heading")),
        "category": int(category) if isinstance(category, int) else None,
        "archive": _text(context.get("archive")),
    }


def _name(found: dict[str, Any], recs: list[dict[str, Any]]) -> str | None:
    """The name printed in the person's anchor record (whose id the person's carries),
    else in its first named record."""
    anchor = str(found["id"])[2:]
    for r in sorted(recs, key=lambda r: str(r["key"]) != anchor):
        if r.get("name"):
            return str(r["name"])
    return None


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def probability_text(p: float, w: Words) -> str:
    """A link's match probability as a reader reads it: a percentage, never "100 %" (the
    model is never certain), "over 99.9 %" above that."""
    if p >= 0.9995:
        return w._("over %(pct)s") % {"pct": w.pct(0.999, 1)}
    return w.pct(p, 1 if p >= 0.95 else 0)


def evidence_text(link: Link, w: Words) -> Markup:
    """The link's explanation in the page's language; on English pages the places and names
    it quotes (Russian words) are marked as Russian."""
    text = str(link.explanation.get(w.lang) or "")
    return mark_cyrillic(text) if w.lang == "en" else escape(text)


_CITED_ID = re.compile(r"(\d+)\s*$")


def cited_id(citation: str | None) -> str | None:
    """The source's own person id at the end of a source decision's citation."""
    m = _CITED_ID.search(citation or "")
    return m.group(1) if m else None


PersonId = Annotated[str, Path(max_length=80, pattern=r"^p-[A-Za-z0-9_-]{1,77}$")]
RunId = Annotated[int, Path(ge=1, le=2**62)]


def router(site: Site) -> APIRouter:
    r = APIRouter()
    # Kept per archive version (`Site.epoch`): a linkage run changes who a person is.
    contexts: LRU[tuple[int, str, str], PersonContext] = site.lru(site.settings.record_cache)

    def lookup(person_id: str, lang: str) -> PersonContext | str:
        """The person's page context, or the id it now lives under (a redirect)."""
        with site.read() as conn:
            current = linkage.resolve(conn, person_id)
            if current is None:
                raise HTTPException(404, "There is no person with this id.")
            if current != person_id:
                return current
            ctx = build(conn, person_id, lang)
        if ctx is None:
            raise HTTPException(404, "There is no person with this id.")
        return ctx

    async def context(person_id: str, lang: str) -> PersonContext | str:
        key = (site.epoch(), person_id, lang)
        ctx = contexts.get(key)
        if ctx is not None:
            return ctx
        got = await site.compute(lookup, person_id, lang, short=True)
        if isinstance(got, PersonContext):
            contexts.put(key, got)
        return got

    def moved(request: Request, current: str, suffix: str = "") -> RedirectResponse:
        query = request.url.query
        target = f"/persons/{current}{suffix}" + (f"?{query}" if query else "")
        return RedirectResponse(target, status_code=308)

    @r.get(
        "/persons/{person_id}.json",
        response_model=PersonContext,
        tags=["pages"],
        summary="One person: the records linked as one person, disagreements, evidence, "
        "decisions and the model run",
        responses={404: {"model": ErrorBody}, 308: {"description": "merged into another"},
                   **ERROR_RESPONSES},
    )  # fmt: skip
    async def person_json(person_id: PersonId, request: Request) -> Response:
        got = await context(person_id, "en")
        if isinstance(got, str):
            return moved(request, got, ".json")
        return Response(json_bytes(got), media_type="application/json")

    @r.get("/persons/{person_id}", response_class=HTMLResponse, include_in_schema=False)
    async def person(person_id: PersonId, request: Request) -> Response:
        lang = request_lang(request, site.settings.default_lang)
        got = await context(person_id, lang)
        if isinstance(got, str):
            return moved(request, got)
        w = site.words(request)
        return site.render(
            request,
            "person.html",
            got,
            cited_id=cited_id,
            prob=lambda p: probability_text(p, w),
            evidence=lambda link: evidence_text(link, w),
        )

    @r.get(
        "/linkage/models/{run_id}.json",
        tags=["pages"],
        summary="The trained linkage model of a run (Splink JSON): its sha256 is the one "
        "person pages cite",
        responses={404: {"model": ErrorBody}, **ERROR_RESPONSES},
        response_class=Response,
    )
    def model_json(run_id: RunId) -> Response:
        with site.read() as conn:
            found = linkage.trained_model(conn, run_id)
        if found is None:
            raise HTTPException(404, "There is no linkage run with this number.")
        # Served exactly as the sha256 was taken (sorted keys), so anyone can check it.
        body = json.dumps(found["model"], sort_keys=True).encode()
        return Response(
            body, media_type="application/json", headers={"x-sha256": str(found["sha256"])}
        )

    return r

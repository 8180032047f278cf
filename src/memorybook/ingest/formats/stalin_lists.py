"""`stalin-lists`: the Politburo ("Stalin") lists of 1936–1938 as Memorial published them on
stalin.memo.ru (open data: `lists.csv` and `lists/listN.yaml`).

One record per person entry, i.e. per mapping in a `persons:` sequence, counted in document
order whatever the nesting (most files: pages → sublists → persons; a few older ones:
sublists → pages → persons). The locator is `{"file": "listN.yaml", "index": k}`.

The YAML is read with libyaml (PyYAML's C loader) as a node tree, so every person keeps the
line it starts on and the exact text of its `name` in the file. A file that is not valid YAML
stops the import with its name and line. `lists.csv`, the catalogue of the archive's
documents, gives nothing to import itself; it tells which lists should be there, so a list
that is missing is reported, never guessed."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from memorybook.errors import ImportFailed
from memorybook.ingest.formats.base import FileInput, RawEntry, SourceFormat, register
from memorybook.ingest.formats.decoding import read_file

CATALOGUE = "lists.csv"
FORMAT_NAME = "stalin-lists"
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LIST_FILE = re.compile(r"^list(\d+)\.yaml$")
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
# "1-я КАТЕГОРИЯ", "1 категория", "2-я категория." in the printed headings of a sublist.
_CATEGORY = re.compile(r"(?<!\d)([123])\s*(?:-?\s*я)?\s+категори", re.IGNORECASE)

# The site's definitions of the three categories (stalin.memo.ru, "О списках").
CATEGORY_MEANING: dict[int, str] = {
    1: "1st category: shooting",
    2: "2nd category: 10 years of camps",
    3: "3rd category: 5 to 8 years of camps",
}


def list_number(name: str) -> int | None:
    m = _LIST_FILE.match(name)
    return int(m.group(1)) if m else None


def _file_order(p: Path) -> tuple[int, int, str]:
    n = list_number(p.name)
    return (0, n, p.name) if n is not None else (1, 0, p.name)


def expand(paths: list[Path]) -> list[Path]:
    """A data folder becomes its catalogue (if present) and its list files in list order."""
    out: list[Path] = []
    for p in paths:
        if not p.is_dir():
            out.append(p)
            continue
        if (p / CATALOGUE).is_file():
            out.append(p / CATALOGUE)
        folder = p / "lists" if (p / "lists").is_dir() else p
        out.extend(sorted(folder.glob("list*.yaml"), key=_file_order))
    return out


# ---- reading one list ---------------------------------------------------------------------


def compose(src: FileInput) -> yaml.MappingNode:
    """The document's node tree; malformed YAML stops the import with file and line."""
    try:
        node = yaml.compose(src.text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}" if mark is not None else "unknown line"
        problem = exc.problem or exc.context or "not valid YAML"
        raise ImportFailed(f"{src.path}: {where}: malformed YAML ({problem})") from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml marks its errors
        raise ImportFailed(f"{src.path}: malformed YAML ({exc})") from None
    if not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1 if node is not None else 1
        raise ImportFailed(f"{src.path}: line {line}: not a list (expected a YAML mapping)")
    return node


def plain(node: yaml.Node | None) -> Any:
    """A node as plain Python values. Scalars keep their text except the YAML booleans and
    nulls the site's export writes (`true`, `false`, `null`); nothing else is converted."""
    if node is None:
        return None
    if isinstance(node, yaml.MappingNode):
        return {str(k.value): plain(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [plain(v) for v in node.value]
    if node.tag.endswith(":bool"):
        return node.value.lower() in ("true", "yes", "on")
    if node.tag.endswith(":null"):
        return None
    return node.value


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return v
    return None


def _text(node: yaml.Node | None) -> str | None:
    if isinstance(node, yaml.ScalarNode) and not node.tag.endswith(":null"):
        return node.value
    return None


def clean_html(fragment: str | None) -> str | None:
    if not fragment:
        return None
    text = _SPACES.sub(" ", _TAG.sub(" ", fragment)).strip()
    return text or None


def heading_category(heading: str | None) -> int | None:
    m = _CATEGORY.search(heading or "")
    return int(m.group(1)) if m else None


@dataclass(slots=True)
class _Sublist:
    """A sublist of the list as its header describes it (region and category flags)."""

    title: str | None
    categories: tuple[int, ...]


@dataclass(slots=True)
class _Walk:
    """The state of one pass over a document in order."""

    src: FileInput
    header: dict[str, Any]
    by_sublid: dict[str, _Sublist | None]
    index: int = 0
    headings: dict[str, str] = field(default_factory=dict)  # sublist → heading in force


def _sublist_of(node: yaml.MappingNode) -> _Sublist:
    cats = tuple(k for k in (1, 2, 3) if plain(_get(node, f"kat{k}")) is True)
    title = _text(_get(node, "sublisttitle")) or _text(_get(node, "title"))
    return _Sublist(title.strip() if title else None, cats)


def _page_sublids(doc: yaml.MappingNode) -> list[str]:
    seen: list[str] = []
    pages = _get(doc, "pages")
    for page in pages.value if isinstance(pages, yaml.SequenceNode) else []:
        subs = _get(page, "sublists")
        for sub in subs.value if isinstance(subs, yaml.SequenceNode) else []:
            sid = _text(_get(sub, "sublid"))
            if sid is not None and sid not in seen:
                seen.append(sid)
    return seen


def _match_sublists(doc: yaml.MappingNode) -> dict[str, _Sublist | None]:
    """Which header sublist each page-level `sublid` stands for. The export writes a list's
    sublists in the order of their ids, so when there are as many ids as header sublists they
    pair in numeric order (checked against the printed headings of all 413 files). Where the
    numbers differ (a few files whose pages carry another list's sublists) nothing is
    guessed: those entries get no region or category from the header."""
    header = _get(doc, "sublists")
    heads = [
        _sublist_of(s)
        for s in (header.value if isinstance(header, yaml.SequenceNode) else [])
        if isinstance(s, yaml.MappingNode) and _get(s, "pages") is None
    ]
    sublids = _page_sublids(doc)
    if len(sublids) != len(heads) or not all(s.isdigit() for s in sublids):
        return dict.fromkeys(sublids)
    return dict(zip(sorted(sublids, key=int), heads, strict=True))


def _header(doc: yaml.MappingNode, src: FileInput) -> dict[str, Any]:
    archive = _get(doc, "archive")
    number = _text(_get(doc, "id"))
    if number is None:
        n = list_number(src.name)
        number = str(n) if n is not None else None
    return {
        "list": number,
        "list_title": _text(_get(doc, "title")),
        "list_date": _text(_get(doc, "date")),
        "list_date_printed": _text(_get(doc, "date_ru")),
        "archive": _text(_get(archive, "ref")),
        "first_page": _text(_get(archive, "page1")),
        "signed": [str(k) for k, v in (plain(_get(doc, "signs")) or {}).items() if v is True],
    }


def read_entries(src: FileInput, options: dict[str, Any] | None = None) -> Iterator[RawEntry]:
    if src.name == CATALOGUE:
        return  # the catalogue lists documents; it holds no person entries
    doc = compose(src)
    walk = _Walk(src, _header(doc, src), _match_sublists(doc))
    yield from _walk(walk, doc, page=None, sublist=None, sublid=None, top=True)


def _walk(
    w: _Walk,
    node: yaml.Node,
    *,
    page: yaml.MappingNode | None,
    sublist: _Sublist | None,
    sublid: str | None,
    top: bool,
) -> Iterator[RawEntry]:
    """Every person mapping under `node`, in document order, with the page and sublist that
    enclose it."""
    if not isinstance(node, yaml.MappingNode):
        return
    for key_node, value in node.value:
        key = key_node.value
        if not isinstance(value, yaml.SequenceNode):
            if isinstance(value, yaml.MappingNode):
                yield from _walk(w, value, page=page, sublist=sublist, sublid=sublid, top=False)
            continue
        for item in value.value:
            if key == "persons":
                if not isinstance(item, yaml.MappingNode):
                    raise ImportFailed(
                        f"{w.src.path}: line {item.start_mark.line + 1}: "
                        "an item of `persons:` is not a person entry (expected a mapping)"
                    )
                yield _person(w, item, page, sublist, sublid)
                w.index += 1
            elif key == "pages":
                yield from _walk(w, item, page=item, sublist=sublist, sublid=sublid, top=False)
            elif key == "sublists":
                if top and _get(item, "pages") is None:
                    continue  # a header sublist: describes, holds no persons
                if top:  # older layout: the sublist holds its pages
                    yield from _walk(
                        w, item, page=page, sublist=_sublist_of(item), sublid=None, top=False
                    )
                else:
                    sid = _text(_get(item, "sublid"))
                    yield from _walk(
                        w,
                        item,
                        page=page,
                        sublist=w.by_sublid.get(sid) if sid is not None else None,
                        sublid=sid,
                        top=False,
                    )
            else:
                yield from _walk(w, item, page=page, sublist=sublist, sublid=sublid, top=False)


def _page_number(page: yaml.MappingNode | None) -> str | None:
    if page is None:
        return None
    return _text(_get(page, "pageintom")) or _text(_get(_get(page, "page"), "pageintom"))


def _person(
    w: _Walk,
    node: yaml.MappingNode,
    page: yaml.MappingNode | None,
    sublist: _Sublist | None,
    sublid: str | None,
) -> RawEntry:
    text = w.src.text
    name_node = _get(node, "name")
    printed = _text(name_node)
    fields = {k: v for k, v in plain(node).items() if k not in ("name", "subtitle1")}
    scope = sublid or (sublist.title if sublist else "") or ""
    heading_html = _text(_get(node, "subtitle1"))
    if heading_html:
        w.headings[scope] = clean_html(heading_html) or ""
    heading = w.headings.get(scope) or None
    context: dict[str, Any] = {**w.header, "page": _page_number(page)}
    warnings: list[str] = []
    if sublist is not None:
        context["region"] = sublist.title
        context["categories"] = list(sublist.categories)
    elif sublid is not None:
        warnings.append(
            f"sublist_unmatched: sublist {sublid} is not among the list's own sublists; "
            "region and category left open"
        )
    category = _category(sublist, heading, warnings)
    context["category"] = category
    if heading:
        context["heading"] = heading
    if heading_html:
        context["heading_printed"] = heading_html
    context["entry"] = fields
    shown, struck = render_name(printed or "")
    if struck:
        context["struck_words"] = [list(span) for span in struck]
    context = {k: v for k, v in context.items() if v not in (None, [], "")}
    if isinstance(name_node, yaml.ScalarNode) and printed is not None:
        start, end = name_node.start_mark.index, name_node.end_mark.index
    else:
        start = end = node.start_mark.index
        warnings.append("no_name: the person entry has no printed name")
    return RawEntry(
        locator={"file": w.src.name, "index": w.index},
        verbatim=shown,
        raw=text[start:end],
        raw_start=start,
        raw_end=end,
        line=node.start_mark.line + 1,
        context=context,
        warnings=warnings,
    )


def _category(sublist: _Sublist | None, heading: str | None, warnings: list[str]) -> int | None:
    """The category of an entry: the sublist's only category, else the one its printed
    heading names; where neither says, none. A heading that contradicts the sublist's
    categories is reported and not used."""
    printed = heading_category(heading)
    cats = sublist.categories if sublist is not None else ()
    if printed is not None and cats and printed not in cats:
        warnings.append(
            f"category_conflict: heading says category {printed}, the sublist has {list(cats)}"
        )
        return None
    if len(cats) == 1:
        return cats[0]
    return printed


# ---- the printed name as a reader sees it --------------------------------------------------

_NAME_MARKUP = re.compile(r"(?P<br>\s*<\s*br\s*/?\s*>\s*)|<\s*(?P<close>/?)\s*s\s*>", re.I)


def render_name(printed: str) -> tuple[str, list[tuple[int, int]]]:
    """The name as the page shows it, and the spans in it of the words printed struck
    through. A line break (`<br/>`) becomes one space; the strike-through tags are dropped
    (the struck words stay); everything else is left exactly as printed."""
    if "<" not in printed:
        return printed, []
    parts: list[str] = []
    struck: list[tuple[int, int]] = []
    n = pos = 0
    start: int | None = None
    for m in _NAME_MARKUP.finditer(printed):
        chunk = printed[pos : m.start()]
        parts.append(chunk)
        n += len(chunk)
        if m.group("br") is not None:
            parts.append(" ")
            n += 1
        elif m.group("close"):
            if start is not None and n > start:
                struck.append((start, n))
            start = None
        else:
            start = n
        pos = m.end()
    parts.append(printed[pos:])
    return "".join(parts), struck


def display_name(printed: str) -> str:
    return render_name(printed)[0]


# ---- the catalogue and what is missing -----------------------------------------------------


def read_catalogue(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def survey(inputs: list[FileInput]) -> list[dict[str, Any]]:
    """Notes for the import report: lists the catalogue names whose file is not there, list
    files the catalogue does not name, and files that differ from their MANIFEST digest."""
    notes: list[dict[str, Any]] = []
    catalogue = next((fi for fi in inputs if fi.name == CATALOGUE), None)
    present = {fi.name for fi in inputs}
    if catalogue is not None:
        rows = read_catalogue(catalogue.text)
        named = set()
        for row in rows:
            number = (row.get("listid") or "").strip()
            if not number:
                continue
            file = f"list{number}.yaml"
            named.add(file)
            if file not in present:
                date = (row.get("adate") or "").strip()
                notes.append(
                    {
                        "kind": "missing_list",
                        "file": file,
                        "list": number,
                        "date": None if date.startswith("0000") else date or None,
                        "title": (row.get("listtitle") or "").strip() or None,
                        "message": f"list {number} is in {CATALOGUE} but {file} is not "
                        "in the data: its entries are not imported",
                    }
                )
        for fi in inputs:
            if fi is not catalogue and fi.name not in named:
                notes.append(
                    {
                        "kind": "unlisted_file",
                        "file": fi.name,
                        "message": f"{fi.name} is not named in {CATALOGUE}",
                    }
                )
    notes.extend(_manifest_notes(inputs))
    return notes


def _manifest_notes(inputs: list[FileInput]) -> list[dict[str, Any]]:
    folders = {fi.path.parent for fi in inputs} | {fi.path.parent.parent for fi in inputs}
    expected: dict[str, str] = {}
    for folder in folders:
        for manifest in sorted(folder.glob("MANIFEST*.tsv")):
            for line in manifest.read_text(encoding="utf-8").splitlines()[1:]:
                parts = line.split("\t")
                if len(parts) >= 4:
                    expected[parts[0].rsplit("/", 1)[-1]] = parts[3].strip()
    notes = []
    for fi in inputs:
        digest = expected.get(fi.name)
        if digest and hashlib.sha256(fi.data).hexdigest() != digest:
            notes.append(
                {
                    "kind": "manifest_mismatch",
                    "file": fi.name,
                    "message": f"{fi.name} differs from the digest its MANIFEST records",
                }
            )
    return notes


def _finish(conn: Any, source_id: int, family: str, inputs: list[FileInput]) -> int:
    # Imported here: the lists' reference items need the storage layer, the reader does not.
    from memorybook.ingest.politburo_lists import finish

    return finish(conn, source_id, family, inputs)


FORMAT = register(
    SourceFormat(
        name=FORMAT_NAME,
        title=(
            "Memorial, Stalin's execution lists (Сталинские расстрельные списки): "
            "the Politburo lists of 1936–1938"
        ),
        style="stalin",
        expand=expand,
        read=read_entries,
        decode=lambda path, enc: read_file(path, enc),
        source_defaults={
            "author": "Memorial Society",
            "url": "http://stalin.memo.ru",
            "licence": "no licence stated by the open-data repository (itpp-labs/stalin); "
            "cite Memorial",
            "year": 2002,
        },
        survey=survey,
        finish=_finish,
    )
)


def iter_entries(path: str | Path, encoding: str | None = None) -> Iterator[RawEntry]:
    """Every person entry of a list file, or of all lists of a data folder, in order."""
    for file in expand([Path(path)]):
        yield from read_entries(read_file(file, encoding))

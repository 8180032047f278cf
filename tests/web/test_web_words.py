"""The words pages use: labels for every key, catalogues complete in both languages, numbers
and plurals in each locale's style, citations as a historian writes them, findings and
search reasons in the page's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from memorybook.ingest.entry import ENTRY_KEYS
from memorybook.model.places import PlaceKind
from memorybook.reference import load_reference, run_checks
from memorybook.reference.measures import MEASURES
from memorybook.storage.read_store import FACETS, FILL_COLUMNS
from memorybook.web import labels
from memorybook.web.findings import finding_text
from memorybook.web.i18n import catalog_ids
from memorybook.web.why import match_text
from memorybook.web.words import Words

WEB = Path(__file__).resolve().parents[2] / "src" / "memorybook" / "web"
LATIN_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
KEYISH = re.compile(r"\b[a-z]+(?:[_-][a-z]+)+\b")


def _messages() -> dict[str, str]:
    """Every message the templates and the web code ask the catalogue for (Babel's own
    extractors), singular id -> where."""
    method_map = [("templates/**.html", "jinja2"), ("**.py", "python")]
    keywords = {"_": None, "ngettext": (1, 2), "plural": (1, 2)}
    out: dict[str, str] = {}
    for filename, line, message, *_ in extract_from_dir(str(WEB), method_map, keywords=keywords):
        msgid = message if isinstance(message, str) else message[0]
        out.setdefault(msgid, f"{filename}:{line}")
    return out


def test_web_every_message_is_in_the_russian_catalogue() -> None:
    ru = catalog_ids("ru")
    messages = _messages()
    assert len(messages) > 150
    missing = {m: where for m, where in messages.items() if not ru.get(m)}
    assert not missing, missing


def test_web_catalogue_placeholders_match() -> None:
    """A translation names the same %(placeholders)s as its message."""
    ru = catalog_ids("ru")
    for msgid, text in ru.items():
        want = set(re.findall(r"%\((\w+)\)s", msgid))
        for form in text.split(" | "):
            assert set(re.findall(r"%\((\w+)\)s", form)) == want, (msgid, form)


def test_web_labels_cover_every_key_the_library_gives() -> None:
    ref = load_reference()
    wanted = {
        "field": set(ENTRY_KEYS) | set(FILL_COLUMNS),
        "facet": set(FACETS),
        "measure": set(MEASURES),
        "place_kind": {k.value for k in PlaceKind},
        "unit": {f.unit for f in ref.figures.values()},
        "qualifier": {"over", "at least", "almost", "at most", "about"},
        "category": {q.category for q in ref.quotas.values()},
        "scope": {s for f in ref.figures.values() for s in (f.nationality, f.region) if s}
        | {q.region for q in ref.quotas.values()}
        | {r.nationality for t in ref.tables.values() for r in t.rows},
        "order_kind": {o.kind for o in ref.orders.values()},
        "finding": {f.kind for f in run_checks(ref)},
        "source_kind": {str(s.kind) for s in ref.sources.values()},
    }
    for vocabulary, keys in wanted.items():
        missing = {k for k in keys if not labels.has_label(vocabulary, k)}
        assert not missing, (vocabulary, missing)
    for vocabulary, table in labels.VOCABULARIES.items():
        for key, (en, ru) in table.items():
            assert en and ru, (vocabulary, key)
            assert (
                CYRILLIC.search(ru)
                or not LATIN_WORD.search(ru)
                or vocabulary in ("format", "licence", "source_title", "scope", "publisher")
            ), (vocabulary, key, ru)


def test_web_numbers_and_plurals_in_each_locale() -> None:
    ru, en = Words("ru"), Words("en")
    assert en.num(58234) == "58,234" and ru.num(58234) == "58\u00a0234"
    assert en.pct(0.85) == "85%" and ru.pct(0.85) == "85\u00a0%"
    assert ru.pct(0.853, 1) == "85,3\u00a0%"
    forms = [ru.plural("%(num)s entry", "%(num)s entries", n) for n in (1, 2, 5, 21, 58234)]
    assert forms == ["1 запись", "2 записи", "5 записей", "21 запись", "58\u00a0234 записи"]
    assert en.plural("%(num)s file", "%(num)s files", 1) == "1 file"
    assert en.plural("%(num)s file", "%(num)s files", 2) == "2 files"


def test_web_findings_in_both_languages() -> None:
    """Every finding of `memorybook check` is worded from its detail: numbers in the
    locale's style, no key, no source key or file name, and no English on Russian pages."""
    ru, en = Words("ru"), Words("en")
    findings = run_checks(load_reference())
    assert findings
    for f in findings:
        for w in (ru, en):
            text = finding_text(f.kind, f.detail, w)
            assert text, f
            assert not re.search(r"\w_\w|seed|\.txt", text), text
        # on Russian pages, the only Latin words are the cited documents, marked as English
        ru_text = re.sub(
            r'<span [^>]*lang="en">.*?</span>', "", str(finding_text(f.kind, f.detail, ru))
        )
        assert not LATIN_WORD.findall(ru_text), ru_text


def test_web_search_reasons_in_both_languages() -> None:
    parts = [
        {"part": "surname", "typed": "Milewski", "matched": "Милевский", "rule": "romanisation",
         "basis": "romanisation", "detail": {"schemes": ["Polish"]}},
        {"part": "given_name", "typed": "Zygmunt", "matched": "Сигизмунд", "rule": "equivalent",
         "basis": "equivalence", "detail": {"language": "pl", "group": "Сигизмунд"}},
        {"part": "patronymic", "typed": "И", "matched": "Иосифович", "rule": "initial",
         "basis": "identity", "detail": {}},
    ]  # fmt: skip
    en_markup = str(match_text(parts, True, Words("en")))
    assert '<span lang="ru">Милевский</span>' in en_markup  # names marked as Russian data
    en = re.sub(r"<[^>]+>", "", en_markup)
    ru = re.sub(r"<[^>]+>", "", str(match_text(parts, True, Words("ru"))))
    assert en == (
        "Surname: Милевский in Polish romanisation; Given name: Zygmunt (Polish) is an "
        "equivalent of Сигизмунд; Patronymic: the initial matches; matched the name printed "
        "in parentheses"
    )
    assert "польск" in ru and "Фамилия" in ru and "в скобках" in ru
    assert not [w for w in LATIN_WORD.findall(ru) if w not in ("Milewski", "Zygmunt")], ru


# Every rule the name search gives as its reason (memorybook.search.why.PartMatch).
SEARCH_RULES = (
    "exact", "romanisation", "equivalent", "same_father_name", "father_name_equivalent",
    "spelling_variant", "woman_man_form", "own_language_ending", "prefix", "equivalent_prefix",
    "equivalent_typo", "typo", "sounds_alike", "initial", "no_match",
)  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_web_every_search_rule_has_its_words(lang: str) -> None:
    """No rule falls back to the general "matched …": each says how the name matched."""
    from memorybook.web.why import part_text

    w = Words(lang)
    detail = {"schemes": ["Polish"], "language": "pl", "group": "Сигизмунд", "form": "zygmund"}

    def said(rule: str) -> str:
        m = {"part": "given_name", "typed": "Zygmunt", "matched": "Сигизмунд", "rule": rule,
             "detail": detail}  # fmt: skip
        return re.sub(r"<[^>]+>", "", str(part_text(m, w)))

    fallback = said("a rule nobody knows")
    texts = {rule: said(rule) for rule in SEARCH_RULES}
    assert not [r for r, t in texts.items() if t == fallback], texts
    assert len(set(texts.values())) == len(SEARCH_RULES), texts
    if lang == "ru":
        for t in texts.values():
            assert not [x for x in LATIN_WORD.findall(t) if x not in ("Zygmunt", "Zygmund")], t


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "Werth 2010, ¶\u00a08"), ("ru", "Werth 2010, ¶\u00a08")],
)
def test_web_citations_name_the_work_and_paragraph(lang: str, text: str) -> None:
    ref = load_reference()
    order = ref.orders["00439"]
    cites = [Words(lang).cite(c) for c in order.citations]
    assert text in [c.text for c in cites]
    assert all(c.url.startswith("/sources/") and "seed" not in c.url for c in cites)


def test_web_every_parser_note_has_a_label() -> None:
    """The notes importers leave on entries ("kind: detail") are shown by their label: every
    kind the ingest code can write has one in both languages."""
    ingest = Path(__file__).resolve().parents[2] / "src" / "memorybook" / "ingest"
    kinds: set[str] = set()
    for path in ingest.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        kinds |= set(re.findall(r"\bwarn\(\s*\"(\w+)\"", text))
        kinds |= set(re.findall(r"warnings\.append\(\s*f?\"(\w+):", text))
    assert {"unparsed_line", "invalid_date", "truncated_entry"} <= kinds
    missing = sorted(k for k in kinds if not labels.has_label("warning", k))
    assert not missing, missing
    w = Words("en")
    assert str(w.warning("no_such_kind: whatever")) == "A note from reading the entry"
    assert "invalid_date" not in str(w.warning("invalid_date: death: 31.02.1938"))
    note = str(w.warning("date: birth: около 1900(?): season: may be another year"))
    assert "около 1900(?)" in note and "season" not in note and "Born" in note.title()


def test_web_api_documentation_never_says_seed(client) -> None:
    """/docs is a page too: its descriptions name documents as readers know them."""
    spec = client.get("/openapi.json").text
    assert not re.search(r"\bseeds?\b", spec, re.IGNORECASE)


def test_web_error_pages_speak_the_page_language(client) -> None:
    """Every error message the web raises is in the catalogue; one built at run time falls
    back to the general sentence for its status, never to English on a Russian page."""
    import ast

    from memorybook.web.errors import MESSAGES

    ru = catalog_ids("ru")
    raised = set(MESSAGES.values())
    for path in WEB.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "HTTPException"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
            ):
                raised.add(node.args[1].value)
    assert len(raised) > 8
    assert not [m for m in raised if not ru.get(m)]
    page = client.get("/search?lang=ru&birth_year=abc").text
    assert "На этот запрос нельзя ответить в таком виде." in page
    assert "Invalid parameter" not in page
    assert "Документа с таким названием нет." in client.get("/sources/no-such?lang=ru").text


def test_web_charts_still_computing_show_no_key(make_client, monkeypatch) -> None:
    """On a large archive a chart is computed in the background; meanwhile its block says
    so in words, never with the chart's key or its code's English docstring."""
    from memorybook.web.views import stats as stats_view

    monkeypatch.setattr(
        stats_view, "_chart", lambda site, key, seconds=None: None
    )  # none computed yet
    c = make_client(rate=0)
    for lang in ("ru", "en"):
        page = c.get(f"/statistics?lang={lang}").text
        headings = re.findall(r"<h2[^>]*>(.*?)</h2>", page, re.S)
        assert not [h for h in headings if KEYISH.search(h)], headings
        assert "Per body of the reference" not in page
    assert "A chart still being computed" in page  # the path was taken (en, the last page)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_whole_numbers_are_formatted_as_babel_formats_them(lang: str) -> None:
    # The pages format whole numbers without Babel's pattern machinery (words._thousands):
    # the same text, for every size of number a page shows.
    from babel.numbers import format_decimal

    from memorybook.web.words import format_number

    numbers = [*range(0, 2_000), *range(2_000, 3_000_000, 997), 10**9 + 7, 2**62]
    for n in numbers:
        assert format_number(n, lang) == str(format_decimal(n, locale=lang)), n
    assert format_number(1234.0, lang) == str(format_decimal(1234, locale=lang))
    assert format_number(-1234, lang) == str(format_decimal(-1234, locale=lang))

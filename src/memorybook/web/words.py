"""What a page says, in its language: `Words(lang)` is handed to every template as `w`.

Templates never print a key, a machine date or an unformatted number: they call

    w.label("field", "given_name")     Given name / Имя            (memorybook.web.labels)
    w.num(58234), w.pct(0.853)         58,234 · 85.3% / 58 234 · 85,3 %
    w.plural("%(num)s entry", "%(num)s entries", n)     through the Babel catalogue
    w.date("1937-08/1938-11")          August 1937 – November 1938 (memorybook.dates.display)
    w.operation("kulak"), w.ref(...)   the reference data's own names, in the page's language
    w.cite(citation)                   Werth 2010, ¶ 16 (memorybook.reference.bibliography)
    w.value(field, value)              a parsed value in words (sex, yes/no, dates)
    w.gloss(field, value)              the English of a Russian data value (EN pages only)
    w.romanised(name)                  a Cyrillic name in Latin letters (EN pages only)
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
from functools import cached_property, lru_cache
from typing import Any

from babel.numbers import format_decimal, format_percent
from markupsafe import Markup, escape

from memorybook import glossary
from memorybook.dates.display import format_edtf, format_period, format_timestamp
from memorybook.model.sources import Citation
from memorybook.reference import ReferenceData, load_reference
from memorybook.reference import translations as tr
from memorybook.reference.bibliography import Cite, cite
from memorybook.web import i18n, labels


def format_number(value: float | int, lang: str, digits: int | None = None) -> str:
    """58,234 (en) / 58 234 (ru, with a no-break space); `digits` fixes the decimals."""
    if isinstance(value, float) and value.is_integer() and digits is None:
        value = int(value)
    if type(value) is int and value >= 0 and digits is None:
        sep = _thousands(lang)
        if sep is not None:  # Babel's answer, without its pattern machinery per number
            return f"{value:,}".replace(",", sep)
    if digits is not None:
        value = round(float(value), digits)
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return str(format_decimal(value, pattern, locale=lang))
    return str(format_decimal(value, locale=lang))


@lru_cache(maxsize=16)
def _thousands(lang: str) -> str | None:
    """The locale's group separator when Babel groups its whole numbers by threes from a
    thousand on (English, Russian), else None (then Babel formats every number): a search
    page cites each of its entries by number, and Babel took a sixth of the page's CPU."""
    sep = str(format_decimal(1234567, locale=lang))[1:2]
    if sep.isdigit() or not sep:
        return None
    for n in (0, 7, 999, 1000, 1234567, 10**12 + 5):
        if str(format_decimal(n, locale=lang)) != f"{n:,}".replace(",", sep):
            return None
    return sep


def format_share(fraction: float, lang: str, digits: int = 0) -> str:
    """0.853 -> "85%" / "85 %" (the locale's own percent pattern, with `digits` decimals)."""
    from babel import Locale

    pattern = Locale.parse(lang).percent_formats[None].pattern
    if digits:
        pattern = pattern.replace("0", "0." + "0" * digits, 1)
    return str(format_percent(fraction, pattern, locale=lang))


_CYRILLIC_RUN = re.compile(r"[А-Яа-яЁё][А-Яа-яЁё\-]*")


def mark_cyrillic(text: str) -> Markup:
    """Text with its Cyrillic words marked as Russian (names inside an English sentence)."""
    out = Markup("")
    pos = 0
    for m in _CYRILLIC_RUN.finditer(text):
        out += escape(text[pos : m.start()])
        out += Markup('<span lang="ru">{}</span>').format(m.group(0))
        pos = m.end()
    return out + escape(text[pos:])


class Words:
    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in i18n.LANGS else "en"
        self._tr = i18n.translations(self.lang)

    @property
    def ru(self) -> bool:
        return self.lang == "ru"

    @cached_property
    def reference(self) -> ReferenceData:
        return load_reference()

    # ---- messages and numbers -------------------------------------------------------------

    @property
    def translations(self) -> gettext.NullTranslations:
        return self._tr

    def _(self, message: str) -> str:
        return self._tr.gettext(message)

    def plural(self, singular: str, plural: str, n: int, **values: Any) -> str:
        """A counted phrase through the catalogue's plural forms; `%(num)s` is `n` in the
        locale's digits ("1 запись", "2 записи", "58 234 записи")."""
        text = self._tr.ngettext(singular, plural, int(n))
        return text % {"num": self.num(n), **values}

    def num(self, value: Any, digits: int | None = None) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return str(value)
        return format_number(value, self.lang, digits)

    def pct(self, fraction: float, digits: int = 0) -> str:
        return format_share(float(fraction), self.lang, digits)

    # ---- keys and reference items -------------------------------------------------------------

    def label(self, vocabulary: str, key: Any) -> str:
        return labels.label(vocabulary, key, self.lang)

    def operation(self, key: str | None) -> str:
        if not key:
            return self._("no operation")
        op = self.reference.operations.get(key)
        if op is None:
            return key
        return tr.localise("operations", key, "name", op.name, self.lang) or op.name

    def ref(self, kind: str, key: str, field: str, english: str | None) -> str | None:
        return tr.localise(kind, key, field, english, self.lang)

    def note(self, english: str | None) -> str | None:
        return tr.note(english, self.lang)

    def scope(self, value: str | None) -> str:
        return labels.label("scope", value, self.lang) if value else ""

    def cite(self, citation: Citation) -> Cite:
        return cite(self.reference, citation)

    @staticmethod
    def cite_groups(cites: Any) -> list[dict[str, Any]]:
        """Citations of one work together, as a historian writes them: "Werth 2010, ¶ 9,
        10; Crawford 2014, ¶ 346" (each paragraph its own link). `cites` hold `work`,
        `short`, `title` and `para` (page citations or `finding_cites`)."""
        out: dict[str, dict[str, Any]] = {}
        for c in cites:
            get = c.get if isinstance(c, dict) else lambda k, c=c: getattr(c, k)
            fresh: dict[str, Any] = {
                "work": get("work"),
                "short": get("short"),
                "title": get("title"),
                "paras": [],
            }
            group = out.setdefault(str(get("work")), fresh)
            if get("para") and get("para") not in group["paras"]:
                group["paras"].append(get("para"))
        for group in out.values():
            group["paras"].sort()
        return list(out.values())

    def order_title(self, key: str) -> str:
        order = self.reference.orders.get(key)
        if order is None:
            return key
        return self.ref("orders", key, "title", order.title) or order.title

    def figure(self, key: str) -> str:
        """A published figure's number as its source hedges it ("over 1,500,000")."""
        from memorybook.web.findings import figure_value

        fig = self.reference.figures.get(key)
        return figure_value(fig, self) if fig is not None else ""

    def cited_item(self, kind: str, key: str) -> Markup:
        """An item of the reference data that cites a document, named and linked."""
        ref = self.reference
        link = Markup('<a href="{}">{}</a>')
        if kind == "operation" and key in ref.operations:
            return link.format(f"/operations/{key}", self.operation(key))
        if kind == "order" and key in ref.orders:
            return link.format(f"/operations#order-{key}", self.order_title(key))
        if kind == "figure" and key in ref.figures:
            fig = ref.figures[key]
            where = f"/operations/{fig.operation}#ledger" if fig.operation else "/operations#ledger"
            scope = ", ".join(
                [self.operation(fig.operation)] * bool(fig.operation)
                + [self.scope(s) for s in (fig.nationality, fig.region) if s]
            )
            text = f"{self.label('measure', fig.measure)} {self.figure(key)}"
            return link.format(where, f"{scope}: {text}" if scope else text)
        if kind == "quota" and key in ref.quotas:
            q = ref.quotas[key]
            text = (
                f"{self.label('category', q.category)}, {self.scope(q.region)}: {self.num(q.limit)}"
            )
            return link.format(f"/operations/{q.operation or 'kulak'}#quotas-h", text)
        if kind == "body" and key in ref.bodies:
            return escape(glossary.body_name(key, self.lang) or key)
        if kind.startswith("person") and key.split(":")[0] in ref.persons:
            person = ref.persons[key.split(":")[0]]
            if self.ru and person.name_ru:
                return escape(person.name_ru)
            return self.data(person.name, "en")
        if kind == "trial" and key in ref.trials:
            trial = ref.trials[key]
            return escape(self.ref("trials", key, "name", trial.name) or trial.name)
        if kind == "table":
            table_key, _, row = key.partition(":")
            table = ref.tables.get(table_key)
            if table is not None:
                title = self.ref("tables", table_key, "title", table.title) or table.title
                text = f"{title}: {self.scope(row)}" if row else title
                return link.format("/operations#findings", text)
        return escape(key)

    def figure_cite(self, key: str) -> Cite | None:
        fig = self.reference.figures.get(key)
        return self.cite(fig.citation) if fig is not None else None

    def finding(self, finding: Any) -> Markup:
        """A consistency finding in words (the English message where the page has none)."""
        from memorybook.web.findings import finding_text

        return finding_text(finding.kind, finding.detail, self) or self.data(finding.message, "en")

    def finding_cites(self, finding: Any) -> list[dict[str, Any]]:
        """The places a finding rests on, as `_cite.html` shows citations."""
        ref = self.reference
        citations = [ref.figures[k].citation for k in finding.figures if k in ref.figures]
        citations += [
            c for k in finding.figures if k in ref.quotas for c in ref.quotas[k].citations
        ]
        table = ref.tables.get(str(finding.detail.get("table", "")))
        if table is not None:
            rows = {r.nationality: r for r in table.rows}
            row = rows.get(str(finding.detail.get("row", "")))
            citations.append(row.citation if row is not None else table.citation)
        out: dict[tuple[str, int | None], dict[str, Any]] = {}
        for c in citations:
            where = self.cite(c)
            out.setdefault(
                (where.work.slug, where.para),
                {
                    "work": where.work.slug,
                    "para": where.para,
                    "short": where.work.short,
                    "title": where.work.title,
                },
            )
        return list(out.values())

    # ---- dates ----------------------------------------------------------------------------

    def date(self, edtf: str | None, printed: str | None = None) -> str:
        return format_edtf(edtf, self.lang, printed=printed)

    def period(self, start: str | None, end: str | None) -> str:
        return format_period(start, end, self.lang)

    def day(self, value: dt.date | str | None) -> str:
        if isinstance(value, dt.date):
            return format_edtf(value.isoformat(), self.lang)
        return format_edtf(value, self.lang)

    def stamp(self, value: str | None) -> str:
        return format_timestamp(value, self.lang)

    # ---- data values --------------------------------------------------------------------------

    def value(self, field: str, value: Any) -> str:
        """A parsed field's value in words: sex and yes/no as words, dates in words, the
        rest as printed (a data value: the template marks its language)."""
        if isinstance(value, bool):
            return self.label("yes_no", "yes" if value else "no")
        if field == "executed" and value in ("yes", "no"):
            return self.label("yes_no", value)
        if field == "sex":
            return self.label("sex", value)
        if field in glossary.DATE_FIELDS:
            return self.date(str(value))
        if isinstance(value, list | tuple):
            return "; ".join(self.value(field, v) for v in value)
        return str(value)

    def warning(self, text: str) -> Markup:
        """A parser's note ("kind: field: printed") in words, the printed part marked."""
        kind, _, rest = text.partition(": ")
        if not labels.has_label("warning", kind):  # a new kind of note: never show its key
            return Markup("{}").format(self._("A note from reading the entry"))
        out = Markup("{}").format(self.label("warning", kind))
        if kind not in labels.WARNING_DETAIL or not rest:
            return out
        field, sep, printed = rest.partition(": ")
        if sep and labels.has_label("field", field):
            out += Markup(": {}").format(self.label("field", field).lower())
            rest = printed
            if kind in labels.WARNING_PRINTED_THEN_REASON:
                rest = rest.partition(": ")[0]
        return out + Markup(' — <q class="data" lang="ru">{}</q>').format(rest)

    def is_data(self, field: str, value: Any) -> bool:
        """Whether `value(field, value)` is the entry's own (Russian) text, not our words."""
        return not (
            isinstance(value, bool) or field in ("sex", "executed") or field in glossary.DATE_FIELDS
        )

    def gloss(self, field: str, value: Any) -> str | None:
        """The English for a Russian data value of a controlled vocabulary (nationality,
        sentencing body, sentence, burial place), on English pages only."""
        if self.ru or value is None:
            return None
        return glossary.english(field, str(value))

    def gloss_of(self, field: str, value: Any, key: str | None) -> str | None:
        """Like `gloss`, from the canonical item the value was linked to when there is one
        (a burial site, a sentencing body), else from the printed words."""
        if self.ru or value is None:
            return None
        if key and field in ("burial_place", "burial"):
            return glossary.burial_name(key, "en") or self.gloss(field, value)
        if key and field in ("sentencing_body", "body", "rehabilitating_body"):
            return glossary.body_name(key, "en") or self.gloss(field, value)
        return self.gloss(field, value)

    def romanised(self, name: str | None) -> str | None:
        """ "Милевский Сигизмунд Иосифович" -> "Milevsky Sigizmund Iosifovich" on English
        pages (None on Russian pages and for names without Cyrillic letters)."""
        if self.ru or not name:
            return None
        return glossary.romanise_name(name)

    def name(self, name: str | None) -> Markup:
        """A person's name as printed, marked as Russian data, with its romanisation beside it
        on English pages."""
        if not name:
            return Markup('<span class="noname">{}</span>').format(self._("(no name printed)"))
        # a name is never translated (translate="no" tells browsers' translators so too)
        out = Markup('<span class="data" lang="ru" translate="no">{}</span>').format(name)
        latin = self.romanised(name)
        if latin:
            out += Markup(' <span class="latin">({})</span>').format(latin)
        return out

    def data(self, text: Any, lang: str = "ru") -> Markup:
        """A data value (the entries' or a document's own words) marked as such, with its
        language, so that readers and the page checks tell it from the page's own words."""
        return Markup('<span class="data" lang="{}">{}</span>').format(lang, escape(str(text)))

    def error_message(self, message: str, status: int) -> str:
        """An error page's sentence in the page's language: the message when the catalogue
        has it, else the general one for its status (a message built at run time, "Invalid
        parameter: q", is never shown untranslated)."""
        from memorybook.web.errors import MESSAGES

        translated = self._(message)
        if self.ru and translated == message:
            general = MESSAGES.get(status) or MESSAGES[500]
            return self._(general)
        return translated

    # ---- the search page ----------------------------------------------------------------------

    def locator(
        self, file: str | None, index: int | None, context: dict[str, Any] | None = None
    ) -> str:
        """ "page 52, entry 126" / "стр. 52, запись 126"; a dated list's entry by the list's
        date, page and printed number (`context`, as `cite.citing_context` gives it)."""
        from memorybook.web.cite import locator_text

        return locator_text(file or "", index or 0, self.lang, context)

    def facet_value(self, facet: str, value: Any, label: str, formats: Any = None) -> Markup:
        """A facet's value as a reader reads it: a year as printed, a sex, a burial site or
        a sentencing body in the page's language, a list by its title; entries' own words
        (nationality) marked as Russian data, glossed on English pages."""
        if facet == "sex":
            return escape(self.label("sex", value))
        if facet == "burial":
            known = glossary.burial_name(str(value), self.lang)
            return escape(known) if known else self.data(label)
        if facet == "body":
            known = glossary.body_name(str(value), self.lang)
            return escape(known) if known else self.data(label)
        if facet == "source":
            fmt = (formats or {}).get(str(value))
            return escape(self.source_title(fmt, label))
        if facet == "nationality":
            out = self.data(label)
            gloss = self.gloss("nationality", label)
            return out + Markup(" ({})").format(gloss) if gloss else out
        return escape(str(label))

    def why(self, hit: Any) -> Markup:
        """A hit's reason in the page's language (the library's English where it gave no
        reason as data)."""
        from memorybook.web.why import match_text

        if getattr(hit, "match", None):
            return match_text(hit.match, bool(getattr(hit, "alias", False)), self)
        if not hit.why or self.ru:  # the library's English sentence is not for Russian pages
            return Markup("")
        return Markup('<span lang="en">{}</span>').format(mark_cyrillic(hit.why))

    # ---- imported lists -----------------------------------------------------------------------

    def source_title(self, fmt: str | None, title: str) -> str:
        """An imported list's title in the page's language (by its format; a list of a
        custom format keeps its own title)."""
        if fmt and labels.has_label("source_title", fmt):
            return self.label("source_title", fmt)
        return title

    def licence(self, text: str | None) -> str:
        if not text:
            return self._("not stated")
        return self.label("licence", text)

"""Why a name search found a record, in the page's language.

The library gives each hit's reason as data (`memorybook.search.why.PartMatch`: per name
part, the rule that joined the typed word to the printed name and its detail) beside an
English sentence (`why`). Pages word the data here through the message catalogue."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from babel import Locale
from markupsafe import Markup, escape

from memorybook.web.words import Words, mark_cyrillic

# The romanisation schemes as the search names them (memorybook.text.translit.SCHEMES).
SCHEMES_RU = {
    "popular English": "популярная английская",
    "BGN/PCGN": "BGN/PCGN",
    "ISO 9 / GOST 7.79": "ISO 9 / ГОСТ 7.79",
    "Library of Congress": "Библиотеки Конгресса",
    "scholarly": "научная",
    "passport (ICAO)": "паспортная (ICAO)",
    "German (Duden)": "немецкая (Duden)",
    "French": "французская",
    "Polish": "польская",
    "as printed": "как напечатано",
}


def _language(code: str, w: Words) -> str:
    if code == "yi":  # the search's group of Yiddish and Hebrew forms
        return w._("Yiddish or Hebrew")
    name = Locale.parse(w.lang).languages.get(code)
    return str(name) if name else code


def _schemes(names: Sequence[str], w: Words) -> str:
    shown = [SCHEMES_RU.get(n, n) if w.ru else n for n in names]
    if len(shown) > 3:
        more = w.plural("%(num)s more scheme", "%(num)s more schemes", len(shown) - 2)
        shown = [*shown[:2], more]
    return " / ".join(shown) or w._("a known scheme")


def part_text(m: Mapping[str, Any], w: Words) -> Markup:
    """One name part's reason: "given name: Zygmunt (Polish) is an equivalent of Сигизмунд"
    (markup: the names are marked with their script's language)."""

    def _(message: str) -> Markup:
        return Markup(escape(w._(message)))

    rule = str(m.get("rule", ""))
    d: Mapping[str, Any] = m.get("detail") or {}
    values = {
        "typed": mark_cyrillic(str(m.get("typed") or "")),
        "name": mark_cyrillic(str(m.get("matched") or "")),
    }
    texts = {
        "exact": _("exact"),
        "same_father_name": _("the same father's name as %(name)s"),
        "father_name_equivalent": _("a variant of the father's name: %(typed)s ~ %(name)s"),
        "spelling_variant": _("a spelling variant of %(name)s"),
        "woman_man_form": _("the woman's or man's form of %(name)s"),
        "own_language_ending": _("the own-language form of %(name)s"),
        "prefix": _("the start of %(name)s"),
        "typo": _("a similar spelling: %(name)s (a typing error?)"),
        "sounds_alike": _("sounds like %(name)s"),
        "initial": _("the initial matches"),
        "no_match": _("no match"),
    }
    if rule in texts:
        text = texts[rule] % values
    elif rule == "romanisation":
        text = _("%(name)s in %(schemes)s romanisation") % {
            **values,
            "schemes": _schemes(list(d.get("schemes") or []), w),
        }
    elif rule == "equivalent":
        text = _("%(typed)s (%(language)s) is an equivalent of %(name)s") % {
            **values,
            "language": _language(str(d.get("language", "")), w),
        }
    elif rule == "equivalent_typo":
        text = _(
            "similar to %(form)s (%(language)s), an equivalent of %(name)s (a typing error?)"
        ) % {
            **values,
            "form": mark_cyrillic(str(d.get("form", "")).capitalize()),
            "language": _language(str(d.get("language", "")), w),
        }
    elif rule == "equivalent_prefix":
        text = _("the start of %(form)s (%(language)s), an equivalent of %(name)s") % {
            **values,
            "form": mark_cyrillic(str(d.get("form", "")).capitalize()),
            "language": _language(str(d.get("language", "")), w),
        }
    else:
        text = _("matched %(name)s") % values
    if d.get("double_name"):
        text += " " + _("(one part of a double name)")
    part = w.label("field", m.get("part", ""))
    return Markup("{}: {}").format(part, text)


def match_text(parts: Sequence[Mapping[str, Any]], alias: bool, w: Words) -> Markup:
    out = [part_text(m, w) for m in parts]
    if alias:
        out.append(escape(w._("matched the name printed in parentheses")))
    return Markup("; ").join(out)

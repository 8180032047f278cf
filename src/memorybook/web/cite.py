"""Ready citations of a record's place in its list, in the page's language.

Entries are counted from 1 for readers (the stored index counts from 0). A list printed on
numbered pages is cited by page and entry ("page 52, entry 126" / "стр. 52, запись 126"),
a list of numbered lists by list and entry, a list in one file by its entry alone. A
Politburo list, whose record keeps the list's date, its page in the archive file and the
entry's printed number, is cited by those ("list of 13 November 1937, page 186, entry 1")."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any

from memorybook.dates.display import format_edtf
from memorybook.web import i18n
from memorybook.web.words import format_number

_LIST = re.compile(r"^list[-_]?(\d+)$", re.IGNORECASE)


@lru_cache(maxsize=65_536)
def _entry_number(n: int, lang: str) -> str:
    # An export cites thousands of entries: Babel's formatting once per number and language.
    return format_number(n, lang)


@lru_cache(maxsize=4096)
def _list_day(edtf: str, lang: str) -> str:
    # A list's date in words: one Babel formatting per list, not per entry it holds.
    return format_edtf(edtf, lang)


@lru_cache(maxsize=4096)
def _stem(file: str) -> str:
    return PurePosixPath(file).stem


def locator_text(
    file: str, idx: int, lang: str = "en", context: Mapping[str, Any] | None = None
) -> str:
    _ = i18n.translations(lang).gettext
    entry = _entry_number(int(idx) + 1, lang)
    dated = _dated_list(context, entry, lang)
    if dated:
        return dated
    stem = _stem(str(file))
    if stem.isdigit():
        return _("page %(page)s, entry %(entry)s") % {"page": stem, "entry": entry}
    m = _LIST.match(stem)
    if m:
        return _("list %(list)s, entry %(entry)s") % {"list": m.group(1), "entry": entry}
    return _("entry %(entry)s") % {"entry": entry}


def citing_context(raw: str | Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Of a record's printed context (JSON text or parsed), what its citation in words
    needs: a dated list's date, page and the entry's printed number; None for a record of
    another kind of source (then its file and index are cited)."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return None
    if not isinstance(raw, Mapping) or not raw.get("list_date"):
        return None
    entry = raw.get("entry")
    num = entry.get("num") if isinstance(entry, Mapping) else None
    return {"list_date": raw["list_date"], "page": raw.get("page"), "entry": {"num": num}}


def _dated_list(context: Mapping[str, Any] | None, entry: str, lang: str) -> str | None:
    """A dated list's words, from the record's printed context; None for other sources."""
    if not context or not context.get("list_date"):
        return None
    _ = i18n.translations(lang).gettext
    day = _list_day(str(context["list_date"]), lang)
    fields = context.get("entry")
    printed = fields.get("num") if isinstance(fields, dict) else None
    if printed is not None and str(printed).strip().isdigit():
        entry = _entry_number(int(str(printed).strip()), lang)
    page = str(context.get("page") or "").strip()
    if page:
        return _("list of %(date)s, page %(page)s, entry %(entry)s") % {
            "date": day, "page": page, "entry": entry,
        }  # fmt: skip
    return _("list of %(date)s, entry %(entry)s") % {"date": day, "entry": entry}


def citation(
    title: str, file: str, idx: int, lang: str = "en", context: Mapping[str, Any] | None = None
) -> str:
    return f"{title}, {locator_text(file, idx, lang, context)}"

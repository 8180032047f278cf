"""Ready citations of a record's place in its list, in the page's language.

Entries are counted from 1 for readers (the stored index counts from 0). A list printed on
numbered pages is cited by page and entry ("page 52, entry 126" / "стр. 52, запись 126"),
a list of numbered lists by list and entry, a list in one file by its entry alone."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePosixPath

from memorybook.web import i18n
from memorybook.web.words import format_number

_LIST = re.compile(r"^list[-_]?(\d+)$", re.IGNORECASE)


@lru_cache(maxsize=65_536)
def _entry_number(n: int, lang: str) -> str:
    # An export cites thousands of entries: Babel's formatting once per number and language.
    return format_number(n, lang)


@lru_cache(maxsize=4096)
def _stem(file: str) -> str:
    return PurePosixPath(file).stem


def locator_text(file: str, idx: int, lang: str = "en") -> str:
    _ = i18n.translations(lang).gettext
    entry = _entry_number(int(idx) + 1, lang)
    stem = _stem(str(file))
    if stem.isdigit():
        return _("page %(page)s, entry %(entry)s") % {"page": stem, "entry": entry}
    m = _LIST.match(stem)
    if m:
        return _("list %(list)s, entry %(entry)s") % {"list": m.group(1), "entry": entry}
    return _("entry %(entry)s") % {"entry": entry}


def citation(title: str, file: str, idx: int, lang: str = "en") -> str:
    return f"{title}, {locator_text(file, idx, lang)}"

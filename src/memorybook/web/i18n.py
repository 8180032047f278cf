"""RU and EN: Babel catalogues (`locale/<lang>/LC_MESSAGES/messages.po`), compiled to `.mo`
in memory at import time, and the language of a request (`?lang=`, cookie, Accept-Language).
Message ids are the English text; the English catalogue only names data keys
(given_name -> Given name)."""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from starlette.requests import Request

LANGS: tuple[str, ...] = ("ru", "en")
LOCALE_DIR = Path(__file__).parent / "locale"
COOKIE = "lang"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def catalog_ids(lang: str) -> dict[str, str]:
    """msgid -> translation of a catalogue (for tests and tooling). A plural message is
    keyed by its singular and gives its forms joined by " | " ("" if any form is empty)."""
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    out: dict[str, str] = {}
    for m in catalog:
        if not m.id:
            continue
        if isinstance(m.id, tuple | list):
            forms = [str(f) for f in m.string] if isinstance(m.string, tuple | list) else []
            out[str(m.id[0])] = " | ".join(forms) if forms and all(forms) else ""
        else:
            out[str(m.id)] = str(m.string)
    return out


def _accept_language(header: str) -> str | None:
    best: tuple[float, str] | None = None
    for part in header.split(","):
        bits = part.strip().split(";")
        tag = bits[0].strip().lower()[:2]
        q = 1.0
        for b in bits[1:]:
            b = b.strip()
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if tag in LANGS and (best is None or q > best[0]):
            best = (q, tag)
    return best[1] if best else None


def request_lang(request: Request, default: str = "ru") -> str:
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGS:
        return cookie
    return _accept_language(request.headers.get("accept-language", "")) or default

"""Strict decoding: a file is in its declared encoding or the import stops with the byte offset.

Never a guess and never a replacement character: a wrong encoding would silently corrupt
names, which in a memorial archive is worse than an error."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from memorybook.errors import DecodeError, ImportFailed
from memorybook.ingest.formats.base import FileInput

_META_CHARSET = re.compile(rb"""<meta[^>]*charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CP1251_OF_UTF8 = re.compile("[РС][\u0080-\u00bf\u0402-\u040f\u0452-\u045f\u2013-\u203a\u2116]")


def read_bytes(path: Path) -> bytes:
    """A source file's bytes, or `ImportFailed` saying why they cannot be read."""
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise ImportFailed(f"{path}: is a directory, not a file") from None
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such file") from None
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot be read ({exc.strerror or exc})") from None


def read_file(path: Path, encoding: str | None, *, html: bool = False) -> FileInput:
    data = read_bytes(path)
    enc = encoding
    if enc is None and html:
        m = _META_CHARSET.search(data[:4096])
        if m:
            enc = m.group(1).decode("ascii")
    if enc is None:
        enc = "utf-8"
    text = decode_bytes(data, enc, str(path))
    return FileInput(path=path, name=path.name, data=data, text=text, encoding=enc)


def decode_bytes(data: bytes, encoding: str, where: str) -> str:
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise DecodeError(where, encoding, 0, "unknown encoding") from None
    name = codec.name
    if name == "utf-8" and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode(name, errors="strict")
    except UnicodeDecodeError as exc:
        raise DecodeError(where, encoding, exc.start, exc.reason) from None
    if "\ufffd" in text:
        raise DecodeError(
            where, encoding, data.find(b"\xef\xbf\xbd"), "replacement character U+FFFD"
        )
    if name != "utf-8" and _is_mojibake(text):
        offset = _mojibake_offset(text, name)
        raise DecodeError(where, encoding, offset, "the bytes look like UTF-8 read as " + name)
    # Universal newlines: CRLF and lone CR become LF, as text-mode reading does.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_mojibake(text: str) -> bool:
    hits = len(_CP1251_OF_UTF8.findall(text[:200_000]))
    return hits >= 20 and hits * 50 > sum(1 for ch in text[:200_000] if "\u0400" <= ch <= "\u04ff")


def _mojibake_offset(text: str, encoding: str) -> int:
    m = _CP1251_OF_UTF8.search(text)
    return len(text[: m.start()].encode(encoding, errors="replace")) if m else 0

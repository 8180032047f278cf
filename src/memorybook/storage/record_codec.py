"""How a record's parsed values are stored compactly, and read back exactly.

Measured on the real lists (58,234 entries), the parsed values as JSON took 603 bytes per
entry and the raw HTML slice beside the verbatim text 82: most of it text already in the
verbatim entry. So a record stores:

- `spans_json`: where each parsed value was printed (verbatim[start:end]), as a flat list
  `[key number, start, end, …]` over the entry keys' order (an object where a span has a key
  outside them, and in archives written before);
- `fields_json`: only the values that are NOT the printed slice at their span (dates as
  EDTF, sex, executed, a value with no span, or an explicit null where a span exists);
  reading puts the slices back, so `decode_fields` gives exactly the parser's values;
- `raw_edits`: the raw slice of the decoded file as an edit of the verbatim text
  (`[start, end, replacement]`: raw = verbatim[:start] + replacement + verbatim[end:]),
  instead of a second full copy of the entry.

Pure functions, no SQL: the importer encodes, `read_store` decodes."""

from __future__ import annotations

import datetime as dt
import json
import struct
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import zstandard

from memorybook.ingest.entry import ENTRY_KEYS as ENTRY_KEY_ORDER

# One encoder for every call: json.dumps with arguments builds a new JSONEncoder each time,
# which cost more than encoding a record's small values (about 2 us of ~3 per call).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)
_encode = _ENCODER.encode
# The C string escaper the encoder itself uses when ensure_ascii is off.
_json_str: Any = (
    getattr(json.encoder, "c_encode_basestring", None) or json.encoder.encode_basestring
)


def dumps(value: Any) -> str:
    """Compact JSON, non-ASCII kept (as json.dumps(value, ensure_ascii=False,
    separators=(",", ":"), default=str))."""
    if type(value) is dict:
        fast = _dumps_plain_dict(value)
        if fast is not None:
            return fast
    return _encode(value)


def _dumps_plain_dict(value: dict[Any, Any]) -> str | None:
    """`dumps` of a dict of text keys and text, boolean or null values, written directly
    (what a record's stored fields mostly are); None for any other dict."""
    parts = []
    for k, v in value.items():
        if type(k) is not str:
            return None
        if type(v) is str:
            parts.append(_json_str(k) + ":" + _json_str(v))
        elif v is None:
            parts.append(_json_str(k) + ":null")
        elif v is True:
            parts.append(_json_str(k) + ":true")
        elif v is False:
            parts.append(_json_str(k) + ":false")
        else:
            return None
    return "{" + ",".join(parts) + "}"


def encode_fields(
    verbatim: str, values: Mapping[str, Any], spans: Mapping[str, tuple[int, int]]
) -> str:
    """The values that the spans do not already give (see the module's docstring)."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        span = spans.get(key)
        if span is None:
            if value is not None:
                out[key] = value
        elif not (isinstance(value, str) and verbatim[span[0] : span[1]] == value):
            out[key] = value
    return dumps(out)


def decode_fields(
    verbatim: str, keys: Iterable[str], stored: Mapping[str, Any], spans: Mapping[str, Any]
) -> dict[str, Any]:
    """Every key (None where the entry gives nothing): slices first, stored values over them.

    Archives written before the compact form stored every value; those win here too, so both
    read alike."""
    fields: dict[str, Any] = dict.fromkeys(keys)
    for key, span in spans.items():
        if isinstance(span, list | tuple) and len(span) == 2:
            fields[key] = verbatim[int(span[0]) : int(span[1])]
    fields.update(stored)
    return fields


def encode_spans(spans: Mapping[str, tuple[int, int]], keys: Sequence[str]) -> str:
    at = _key_numbers(keys)
    if any(k not in at for k in spans):
        return dumps(spans)
    parts: list[str] = []
    for key, (start, end) in spans.items():
        if type(start) is not int or type(end) is not int:
            return _encode([x for k, (a, b) in spans.items() for x in (at[k], a, b)])
        parts.append(f"{at[key]},{start},{end}")
    # what dumps() of the flat list of numbers gives
    return "[" + ",".join(parts) + "]"


_KEY_NUMBERS: dict[tuple[str, ...], dict[str, int]] = {}


def _key_numbers(keys: Sequence[str]) -> dict[str, int]:
    """Each key's number in `keys` (computed once per key order)."""
    t = tuple(keys)
    found = _KEY_NUMBERS.get(t)
    if found is None:
        if len(_KEY_NUMBERS) > 16:
            _KEY_NUMBERS.clear()
        found = _KEY_NUMBERS[t] = {k: i for i, k in enumerate(t)}
    return found


def decode_spans(stored: Any, keys: Sequence[str]) -> dict[str, list[int]]:
    if isinstance(stored, dict):
        return stored
    if not isinstance(stored, list):
        return {}
    return {keys[stored[i]]: [stored[i + 1], stored[i + 2]] for i in range(0, len(stored) - 2, 3)}


def encode_raw(verbatim: str, raw: str) -> str | None:
    """`raw` as one edit of `verbatim` (None where they are the same): the common prefix and
    suffix are kept once, the differing middle of the raw text is stored."""
    if raw == verbatim:
        return None
    n = min(len(raw), len(verbatim))
    p = 0
    while p < n and raw[p] == verbatim[p]:
        p += 1
    s = 0
    while s < n - p and raw[len(raw) - 1 - s] == verbatim[len(verbatim) - 1 - s]:
        s += 1
    return dumps([p, len(verbatim) - s, raw[p : len(raw) - s]])


def decode_raw(verbatim: str, edits: str | None, raw: str | None = None) -> str:
    """The raw slice of the decoded source (a stored full `raw` of an older archive wins)."""
    if raw is not None:
        return raw
    if not edits:
        return verbatim
    start, end, middle = json.loads(edits)
    return verbatim[:start] + middle + verbatim[end:]


# ---- packed records ---------------------------------------------------------------------------
# A record's verbatim text, stored fields and spans compressed together into one zstandard
# frame (`record.packed`), with a dictionary trained on the import's own entries and kept in
# the archive (`codec_dict`, never changed or deleted once written). Many short texts of the
# same list share most of their words and formulae ("Приговорена: … Расстреляна …"): with the
# dictionary the three columns take ~170 instead of ~600 bytes per entry (synthetic national
# list; 92 instead of 375 for the verbatim text of the real lists). A frame names its
# dictionary by the id zstandard derives from the dictionary's content, so a reader finds it
# in the archive it reads. Where `packed` is set, `verbatim`, `fields_json` and `spans_json`
# are stored empty.

PACK_SAMPLES = 1000  # entries a dictionary is trained on: the first of an import
PACK_MIN_SAMPLES = 200  # fewer: no dictionary of its own (an earlier one, or none)
PACK_DICT_BYTES = 64 * 1024
PACK_LEVEL = 3  # level 9 saves ~15 more bytes an entry for 4x the compression CPU
_HEAD = struct.Struct("<II")


# Since revision 0011 a payload may also hold the details of the record's events (their text
# values, `encode_event_details`): the high bit of the second length says so, and a third
# length (of the spans) follows the first two. Payloads written before never set it.
_WITH_EVENTS = 0x8000_0000
_LEN = struct.Struct("<I")


def pack_payload(
    verbatim: str, fields_json: str, spans_json: str, events_json: str | None = None
) -> bytes:
    v, f, s = verbatim.encode("utf-8"), fields_json.encode("utf-8"), spans_json.encode("utf-8")
    if events_json is None:
        return _HEAD.pack(len(v), len(f)) + v + f + s
    head = _HEAD.pack(len(v), len(f) | _WITH_EVENTS) + _LEN.pack(len(s))
    return head + v + f + s + events_json.encode("utf-8")


def split_payload(payload: bytes) -> tuple[str, str, str, str | None]:
    """(verbatim, fields_json, spans_json, events_json or None) of a decompressed payload."""
    nv, nf = _HEAD.unpack_from(payload)
    a = _HEAD.size
    ns: int | None = None
    if nf & _WITH_EVENTS:
        nf &= ~_WITH_EVENTS
        (ns,) = _LEN.unpack_from(payload, a)
        a += _LEN.size
    b = a + nv + nf
    end = len(payload) if ns is None else b + ns
    return (
        payload[a : a + nv].decode("utf-8"),
        payload[a + nv : b].decode("utf-8"),
        payload[b:end].decode("utf-8"),
        None if ns is None else payload[end:].decode("utf-8"),
    )


def unpack_payload(payload: bytes) -> tuple[str, str, str]:
    """(verbatim, fields_json, spans_json) of a decompressed payload."""
    return split_payload(payload)[:3]


def train_dictionary(samples: Sequence[bytes]) -> bytes | None:
    """A zstandard dictionary for these payloads (None when they are too few to train on).
    Fixed cover parameters: the default search of them took 20-30 s for 5,000 entries and
    compressed no better."""
    if len(samples) < PACK_MIN_SAMPLES:
        return None
    try:
        d = zstandard.train_dictionary(
            PACK_DICT_BYTES, list(samples), k=256, d=8, steps=1, threads=1
        )
    except zstandard.ZstdError:
        return None
    return d.as_bytes()


def dictionary_id(data: bytes) -> int:
    return int(zstandard.ZstdCompressionDict(data).dict_id())


def frame_dictionary_id(packed: bytes) -> int:
    return int(zstandard.get_frame_parameters(packed).dict_id)


class Packer:
    """Compresses payloads with one dictionary (one per process and dictionary: workers
    build theirs from the bytes the writer hands them)."""

    def __init__(self, dictionary: bytes) -> None:
        self.dict_id = dictionary_id(dictionary)
        self._zc = zstandard.ZstdCompressor(
            level=PACK_LEVEL,
            dict_data=zstandard.ZstdCompressionDict(dictionary),
            write_checksum=True,  # a damaged frame fails loudly instead of reading wrong
            write_content_size=True,
            write_dict_id=True,
        )

    def pack(
        self, verbatim: str, fields_json: str, spans_json: str, events_json: str | None = None
    ) -> bytes:
        return self._zc.compress(pack_payload(verbatim, fields_json, spans_json, events_json))


_PACKERS: dict[bytes, Packer] = {}


def packer_for(dictionary: bytes) -> Packer:
    found = _PACKERS.get(dictionary)
    if found is None:
        _PACKERS.clear()  # one import at a time per process
        found = _PACKERS[dictionary] = Packer(dictionary)
    return found


class Unpacker:
    """Decompresses packed records with the dictionaries it is given (by id). Zstandard's
    decompressors are not thread-safe: one per thread and dictionary."""

    def __init__(self) -> None:
        self._dicts: dict[int, zstandard.ZstdCompressionDict] = {}
        self._local = threading.local()

    def known(self, dict_id: int) -> bool:
        return dict_id in self._dicts

    def add(self, data: bytes) -> None:
        d = zstandard.ZstdCompressionDict(data)
        self._dicts[int(d.dict_id())] = d

    def unpack(self, packed: bytes) -> tuple[str, str, str, str | None]:
        """(verbatim, fields_json, spans_json, events_json or None)."""
        dict_id = frame_dictionary_id(packed)
        per_thread: dict[int, Any] = self._local.__dict__.setdefault("zd", {})
        zd = per_thread.get(dict_id)
        if zd is None:
            zd = per_thread[dict_id] = zstandard.ZstdDecompressor(
                dict_data=self._dicts[dict_id] if dict_id else None
            )
        return split_payload(zd.decompress(packed))


# ---- events -------------------------------------------------------------------------------------
# An event row (revision 0011) holds what the SQL selects on: its record, its place among the
# record's events, its kind as a number and its bounds as day numbers (YYYYMMDD, ordered as
# the dates are; a year is the number // 10000). Its text values (date as EDTF and as printed,
# place, body, description, their keys) are slices and copies of the record's own values:
# for a packed record they are kept in its payload, where the compression finds them in the
# verbatim text beside them; for a plain record in the row's `detail`, as JSON.

EVENT_KINDS: tuple[str, ...] = (
    "birth", "arrest", "sentence", "execution", "death", "burial", "rehabilitation",
    "sanction", "custom",
)  # fmt: skip
EVENT_KIND_CODE: dict[str, int] = {k: i for i, k in enumerate(EVENT_KINDS)}
EVENT_DETAIL: tuple[str, ...] = (
    "edtf", "printed", "place", "place_key", "body", "body_key", "description", "custom_label",
)  # fmt: skip


def day_number(d: dt.date | None) -> int | None:
    return None if d is None else d.year * 10000 + d.month * 100 + d.day


def day_of(n: int | None) -> dt.date | None:
    if n is None:
        return None
    n = int(n)
    return dt.date(n // 10000, n // 100 % 100, n % 100)


def event_detail(values: Sequence[Any]) -> list[Any] | None:
    """An event's detail values (`EVENT_DETAIL` order) as stored: trailing nulls left out,
    None when it has none."""
    out = list(values)
    while out and out[-1] is None:
        out.pop()
    return out or None


def encode_event_details(
    verbatim: str, values: Mapping[str, Any], details: Sequence[Sequence[Any] | None]
) -> str:
    """The details of a record's events as its payload keeps them: a text value that is one
    of the record's parsed values is stored as that value's number in `ENTRY_KEYS`, one that
    is printed in the verbatim text as its span `[start, end]`, any other as itself (a value
    that is not text as `{"v": value}`). Measured on the synthetic national list: 37 → 19
    bytes per entry in the compressed payload."""
    number: dict[str, int] = {}
    for i, key in enumerate(ENTRY_KEY_ORDER):
        value = values.get(key)
        if isinstance(value, str):
            number.setdefault(value, i)
    out: list[Any] = []
    for detail in details:
        if detail is None:
            out.append(None)
            continue
        coded: list[Any] = []
        for value in detail:
            if value is None:
                coded.append(None)
            elif not isinstance(value, str):
                coded.append({"v": value})
            elif value in number:
                coded.append(number[value])
            elif value and (at := verbatim.find(value)) >= 0:
                coded.append([at, at + len(value)])
            else:
                coded.append(value)
        out.append(coded)
    return dumps(out)


def decode_event_details(
    verbatim: str, values: Mapping[str, Any], stored: str
) -> list[list[Any] | None]:
    """The details `encode_event_details` stored, as they were given to it."""
    out: list[list[Any] | None] = []
    for coded in json.loads(stored):
        if coded is None:
            out.append(None)
            continue
        detail: list[Any] = []
        for value in coded:
            if isinstance(value, int):
                detail.append(values[ENTRY_KEY_ORDER[value]])
            elif isinstance(value, list):
                detail.append(verbatim[value[0] : value[1]])
            elif isinstance(value, dict):
                detail.append(value["v"])
            else:
                detail.append(value)
        out.append(detail)
    return out


def read_event_detail(stored: Any) -> dict[str, Any]:
    """Every detail key of one event (None where it has none)."""
    values = json.loads(stored) if isinstance(stored, str) else (stored or [])
    return {k: (values[i] if i < len(values) else None) for i, k in enumerate(EVENT_DETAIL)}


def stored_event(
    record_id: int,
    seq: int,
    kind: str,
    earliest: dt.date | None = None,
    latest: dt.date | None = None,
    **details: Any,
) -> dict[str, Any]:
    """The row of an event of a plain record (details by their `EVENT_DETAIL` names): for an
    archive written by hand (tests, tools), as the importer writes one."""
    unknown = set(details) - set(EVENT_DETAIL)
    if unknown:
        raise ValueError(f"not an event's detail: {sorted(unknown)}")
    detail = event_detail([details.get(k) for k in EVENT_DETAIL])
    return {
        "record_id": record_id, "seq": seq, "kind": EVENT_KIND_CODE[kind],
        "earliest": day_number(earliest), "latest": day_number(latest),
        "detail": dumps(detail) if detail is not None else None,
    }  # fmt: skip

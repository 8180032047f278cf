"""What the storage tests import and read back: real list entries as a file's text, and every
read of an archive's records, to compare two archives (or one before and after a migration)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from memorybook.storage import read_store, search_store
from tests.conftest import DATA

TEXTS = DATA / "memorial-lists-texts" / "texts.txt"


def real_list_entries(n: int, skip: int = 0) -> str:
    """`n` entries of the real national lists (from the `skip`-th) in their own text format."""
    if not TEXTS.exists():
        pytest.skip("the real lists are not here")
    text_ = TEXTS.read_text(encoding="utf-8").replace("\r\n", "\n")
    pieces = [p for p in text_.split("\n---\n") if p.strip()][skip : skip + n]
    return "\n---\n".join(pieces) + "\n---\n"


def real_list_file(folder: Path, n: int, skip: int = 0) -> Path:
    """A list file of `n` real entries (from the `skip`-th), as `folder/texts.txt`."""
    folder.mkdir(parents=True)
    path = folder / "texts.txt"
    path.write_text(real_list_entries(n, skip), encoding="utf-8")
    return path


def record_ids(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return [int(i) for (i,) in conn.execute(text("SELECT id FROM record ORDER BY id"))]


def every_read(engine: Engine) -> dict[str, object]:
    """Every record, raw slice, name and event as the library reads them."""
    ids = record_ids(engine)
    with engine.connect() as conn:
        return {
            "records": [read_store.record(conn, i) for i in ids],
            "raw": list(read_store.iter_raw_slices(conn)),
            "names": list(search_store.iter_record_names(conn)),
            "events": [read_store.record_events(conn, i) for i in ids],
        }

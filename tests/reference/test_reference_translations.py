"""The reference data in Russian: every piece of English prose a page shows has its Russian
version in data/ru.yaml, and nothing there is left over from an item that is gone."""

from __future__ import annotations

import re

from memorybook.reference import load_reference
from memorybook.reference.bibliography import works
from memorybook.reference.translations import localise, note, russian

CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def test_reference_prose_has_russian_versions() -> None:
    ref = load_reference()
    wanted: list[tuple[str, str, str, str | None]] = []
    for op in ref.operations.values():
        wanted += [
            ("operations", op.key, f, getattr(op, f)) for f in ("name", "targets", "procedure")
        ]
    for o in ref.orders.values():
        wanted += [
            ("orders", o.key, f, getattr(o, f)) for f in ("title", "issuer", "targets", "summary")
        ]
    wanted += [("tables", t.key, "title", t.title) for t in ref.tables.values()]
    wanted += [("trials", t.key, "name", t.name) for t in ref.trials.values()]
    wanted += [("sources", s.key, "title", s.title) for s in ref.sources.values()]
    missing = []
    for kind, key, field, english in wanted:
        if english is None:
            continue
        text = localise(kind, key, field, english, "ru")
        if text == english or not text or not CYRILLIC.search(text):
            missing.append((kind, key, field))
    assert not missing, missing
    notes = {f.note for f in ref.figures.values() if f.note}
    assert not [n for n in notes if note(n, "ru") == n]


def test_reference_russian_has_no_orphans() -> None:
    ref = load_reference()
    items = {
        "operations": ref.operations,
        "orders": ref.orders,
        "tables": ref.tables,
        "trials": ref.trials,
        "sources": ref.sources,
    }
    doc = russian()
    for kind, known in items.items():
        assert set(doc.get(kind) or {}) <= set(known), kind
    notes = {f.note for f in ref.figures.values() if f.note}
    assert set(doc.get("notes") or {}) <= notes


def test_reference_english_pages_keep_the_english() -> None:
    ref = load_reference()
    kulak = ref.operations["kulak"]
    assert localise("operations", "kulak", "name", kulak.name, "en") == kulak.name
    assert localise("operations", "kulak", "name", kulak.name, "ru") == "Кулацкая операция"


def test_reference_prose_never_says_seed() -> None:
    """Pages show this prose: it names documents as a reader knows them, never as "seed"."""
    ref = load_reference()
    texts = [op.name for op in ref.operations.values()]
    texts += [t for op in ref.operations.values() for t in (op.targets, op.procedure) if t]
    texts += [t for o in ref.orders.values() for t in (o.title, o.summary, o.targets) if t]
    texts += [f.note for f in ref.figures.values() if f.note]
    assert not [t for t in texts if "seed" in t.lower()]


def test_reference_works_have_short_forms_and_addresses() -> None:
    known = works(load_reference())
    assert {w.short for w in known.values()} >= {"Werth 2010", "Crawford 2014"}
    slugs = [w.slug for w in known.values()]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9-]+", s) and "seed" not in s for s in slugs)

"""Tables of record linkage (SQL for them lives in storage/link_store.py).

- `link_run`: one row per `memorybook link`: backend, thresholds, the trained Splink model
  (JSON) a person page cites, counts.
- `record_link`: the scored pairs kept after a run, accepted or waiting for review, with the
  match probability and the comparison vector (the level of each comparison) that explain
  them.
- `link_decision`: human and source-asserted decisions ("same person" / "not the same"),
  keyed by record content ids (record.key) so they survive re-imports and re-linking.
- `person_redirect`: person ids that merged into another person; old URLs follow them.

Persons themselves are the `person` and `person_record` tables of schema.py; linkage sets
their membership, keeps their ids stable and marks the ones a decision touched."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, String, Table, Text

from memorybook.storage.schema import metadata

link_run = Table(
    "link_run",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", String, nullable=False),
    Column("finished_at", String),
    Column("backend", String, nullable=False),
    Column("use_source_identities", Boolean, nullable=False),
    Column("thresholds_json", Text, nullable=False),
    Column("model_json", Text, nullable=False),  # Splink's trained model, as saved
    Column("model_sha256", String, nullable=False),
    Column("counts_json", Text),
)

record_link = Table(
    "record_link",
    metadata,
    Column("record_a", ForeignKey("record.id"), primary_key=True),  # record_a < record_b
    Column("record_b", ForeignKey("record.id"), primary_key=True),
    Column("run_id", ForeignKey("link_run.id"), nullable=False),
    Column("status", String, nullable=False),  # accepted / review
    Column("probability", Float, nullable=False),
    Column("weight", Float, nullable=False),
    Column("gamma_json", Text, nullable=False),  # {"surname": "identical", ...}
)
Index("ix_record_link_b", record_link.c.record_b)
Index("ix_record_link_status", record_link.c.status, record_link.c.probability)

link_decision = Table(
    "link_decision",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key_a", String, nullable=False),  # record.key, key_a < key_b
    Column("key_b", String, nullable=False),
    Column("verdict", String, nullable=False),  # same / not_same
    Column("origin", String, nullable=False),  # human / source
    Column("who", Text, nullable=False),
    Column("decided_at", String, nullable=False),
    Column("why", Text),
    Column("citation", Text),
)
Index("ix_link_decision_pair", link_decision.c.key_a, link_decision.c.key_b, link_decision.c.origin)
Index("ix_link_decision_b", link_decision.c.key_b)

person_redirect = Table(
    "person_redirect",
    metadata,
    Column("old_key", String, primary_key=True),
    Column("new_key", String, nullable=False),
    Column("run_id", ForeignKey("link_run.id"), nullable=False),
)

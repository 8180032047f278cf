"""record.nationality_key: the printed nationality in the shared vocabulary's canonical form
(`русская`, `русские` -> `русский`), so that the facets count one value per nationality and a
filter on it finds every printed form. Existing records are filled from their printed
nationality; the facet index stored by an earlier import is rebuilt on its next load (its
version changed).

Revision ID: 0005_nationality_key
Revises: 0003_compact
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

from memorybook.search.filters import nationality_key

revision = "0005_nationality_key"
down_revision = "0003_compact"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    # Every text column compares by code point on PostgreSQL (revision 0003_compact).
    op.add_column("record", sa.Column("nationality_key", sa.Text(collation="C" if pg else None)))
    printed = [
        str(n)
        for (n,) in bind.exec_driver_sql(
            "SELECT DISTINCT nationality FROM record WHERE nationality IS NOT NULL"
        )
    ]
    keys = [{"printed": n, "key": nationality_key(n) or None} for n in printed]
    if not keys:
        return
    # One pass over the records through a small mapping table (one UPDATE per printed form
    # would scan a national-size table hundreds of times).
    mapping = sa.table("nationality_key_map", sa.column("printed"), sa.column("key"))
    op.create_table(
        "nationality_key_map",
        sa.Column("printed", sa.Text(collation="C" if pg else None), primary_key=True),
        sa.Column("key", sa.Text(collation="C" if pg else None)),
    )
    op.bulk_insert(mapping, keys)
    bind.exec_driver_sql(
        "UPDATE record SET nationality_key = (SELECT m.key FROM nationality_key_map m"
        " WHERE m.printed = record.nationality) WHERE nationality IS NOT NULL"
    )
    op.drop_table("nationality_key_map")


def downgrade() -> None:
    # A plain DROP COLUMN: a batch copy of `record` is refused by its foreign keys (see 0003).
    op.execute("ALTER TABLE record DROP COLUMN nationality_key")

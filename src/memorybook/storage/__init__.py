"""Storage: the one schema (SQLAlchemy Core), its migrations, and every SQL statement.

SQL lives only in this package, so PostgreSQL can become a second backend without touching
the domain code. SQLite is the embedded default."""

from memorybook.storage.engine import open_archive
from memorybook.storage.schema import metadata

__all__ = ["metadata", "open_archive"]

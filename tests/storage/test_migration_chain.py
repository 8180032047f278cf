"""The whole chain of schema revisions, walked down and back up on an archive with data: every
downgrade keeps the archive's records (migrate.downgrade's promise to an older memorybook), and
coming back to the head reads exactly as before. Revisions that copy a table in batch (0003,
0005) are exercised here with rows in them, not only on an empty schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from memorybook.ingest.importer import import_sources
from memorybook.storage.migrate import _config, current_revision, downgrade, upgrade
from tests.conftest import DATA, Archives
from tests.storage.archive_reads import every_read, real_list_file

PAGE = DATA / "memorial-moscow" / "pages" / "1.htm"


def _revisions_newest_first() -> list[str]:
    return [script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()]


@pytest.mark.slow
def test_every_revision_goes_down_and_up_with_data(archives: Archives, tmp_path: Path) -> None:
    path = real_list_file(tmp_path / "list", 300)  # enough to be packed (revision 0010)
    engine = archives.engine()
    import_sources(engine, "memorial-lists", [path])
    import_sources(engine, "memorial-moscow", [PAGE])  # HTML: raw slices kept as edits
    before = every_read(engine)
    assert len(before["records"]) >= 300  # type: ignore[arg-type]
    with engine.connect() as conn:
        edited = conn.execute(text("SELECT count(*) FROM record WHERE raw_edits IS NOT NULL"))
        assert edited.scalar_one() > 0

    revisions = _revisions_newest_first()
    assert len(revisions) >= 2
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM record")).scalar_one()
    for older in revisions[1:]:  # one step at a time, down to the first revision
        downgrade(engine, older)
        assert current_revision(engine) == older
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM record")).scalar_one() == count
    upgrade(engine)
    assert current_revision(engine) == revisions[0]
    assert every_read(engine) == before
    engine.dispose()

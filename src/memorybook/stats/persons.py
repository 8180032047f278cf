"""Records and persons: how many printed entries the archive holds and how many persons
they name, once linkage has grouped the records of one person (`memorybook link`).

    count_persons(conn)                  -> PersonCount(records=103776, persons=98318, ...)
    count_persons(conn, family="stalin-lists:stalin-lists")

Persons are counted from the clusters the linkage run stored (`link_store.person_counts`:
the statistics read stored persons and need nothing of the linkage engine, whose run
imports this module to refresh the counts). A record no linkage run has placed yet
(imported after the last run) counts as a person of its own, so the count is never below
what the lists show until they are linked. Possible matches that wait for
review are not joined: they count as separate persons."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from memorybook.storage import link_store, person_store


@dataclass(slots=True)
class PersonCount:
    records: int  # printed entries
    persons: int  # the persons they name (records of one person counted once)
    linked: bool  # a linkage run has grouped the records (else every record is a person)
    linked_at: str | None = None  # when the last linkage run finished (UTC, ISO)
    unplaced: int = 0  # records no linkage run has placed yet (counted as persons of their own)

    @property
    def repeated(self) -> int:
        """Records that name a person already counted (records - persons)."""
        return self.records - self.persons


def count_persons(conn: Connection, family: str | None = None) -> PersonCount:
    counted = link_store.person_counts(conn, family=family)
    records = person_store.record_count(conn, family)
    unplaced = max(records - counted["records"], 0)
    run = person_store.run_info(conn)
    return PersonCount(
        records=records,
        persons=counted["persons"] + unplaced,
        linked=run is not None,
        linked_at=run["finished_at"] if run else None,
        unplaced=unplaced,
    )


def count_by_family(conn: Connection) -> dict[str, PersonCount]:
    """Each source family's records and the persons they name (a person named in two
    families counts in both; the archive's own count counts them once)."""
    return {f: count_persons(conn, f) for f in person_store.families(conn)}

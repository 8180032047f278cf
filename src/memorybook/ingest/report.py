"""What an import did, for the person who ran it and for the archive's records."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

MAX_LISTED_WARNINGS = 500


@dataclass(slots=True)
class ImportReport:
    format: str
    family: str
    status: str = "running"  # imported | unchanged | failed
    source_key: str | None = None
    version: int | None = None
    files: list[dict[str, Any]] = field(default_factory=list)
    entries: int = 0  # every piece read, empty ones included
    empty: int = 0
    records_created: int = 0
    records_reused: int = 0  # unchanged entries of an earlier version of the same list
    records_reread: int = 0  # of those, read again under this import's reading options
    # The options that decided how entries were read (a CSV's mapping and delimiter).
    reading: dict[str, Any] = field(default_factory=dict)
    events_created: int = 0
    name_keys_created: int = 0
    places_linked: int = 0
    warnings_by_kind: Counter[str] = field(default_factory=Counter)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    filled: Counter[str] = field(default_factory=Counter)
    # Notes on the source as a whole (a list its catalogue names but the data lacks …).
    notes: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    summary_seconds: float = 0.0  # counting the archive's statistics after the import
    message: str = ""

    def warn(self, locator: dict[str, Any], line: int, message: str) -> None:
        kind = message.split(":", 1)[0]
        self.warnings_by_kind[kind] += 1
        if len(self.warnings) < MAX_LISTED_WARNINGS:
            self.warnings.append({"locator": locator, "line": line, "warning": message})

    @property
    def parsed_entries(self) -> int:
        return self.entries - self.empty

    def fill_rates(self) -> dict[str, float]:
        n = self.parsed_entries
        return {k: round(v / n, 4) for k, v in sorted(self.filled.items())} if n else {}

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["warnings_by_kind"] = dict(self.warnings_by_kind.most_common())
        out["fill_rates"] = self.fill_rates()
        del out["filled"]
        out["entries_per_second"] = round(self.entries / self.seconds) if self.seconds else None
        return out

    def render_text(self) -> str:
        lines = [
            f"{self.format}: {self.message or self.status}",
            f"  source: {self.source_key} (version {self.version})",
            f"  entries read: {self.entries} ({self.empty} empty)",
            f"  records created: {self.records_created}; reused from earlier versions: "
            f"{self.records_reused}; events: {self.events_created}",
            f"  time: {self.seconds:.1f} s"
            + (f" ({self.entries / self.seconds:,.0f} entries/s)" if self.seconds else ""),
        ]
        if self.notes:
            lines.append("  notes:")
            lines += [f"    {n.get('message') or n.get('kind')}" for n in self.notes]
        if self.warnings_by_kind:
            lines.append("  warnings by kind:")
            lines += [f"    {k}: {v}" for k, v in self.warnings_by_kind.most_common()]
        rates = self.fill_rates()
        if rates:
            lines.append("  fill rates: " + ", ".join(f"{k} {v:.0%}" for k, v in rates.items()))
        return "\n".join(lines)

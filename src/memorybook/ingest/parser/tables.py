"""Word tables of the entry parser: line labels and their gendered forms (nationality words
are the shared vocabulary's: memorybook.vocab).

Data, not code: a new label or ethnonym seen in a source is one more entry here."""

from __future__ import annotations

# Leading word of a line (lower case, as matched by the label regex) -> (field, sex).
# field names are the parser's line kinds, not contract keys.
LABELS: dict[str, tuple[str, str | None]] = {
    "родился": ("birth", "m"),
    "родилась": ("birth", "f"),
    "род.": ("birth", None),
    "р.": ("birth", None),
    "проживал": ("residence", "m"),
    "проживала": ("residence", "f"),
    "прож.": ("residence", None),
    "арестован": ("arrest", "m"),
    "арестована": ("arrest", "f"),
    "арест.": ("arrest", None),
    "приговорен": ("sentenced", "m"),
    "приговорена": ("sentenced", "f"),
    "осужден": ("sentenced", "m"),
    "осуждена": ("sentenced", "f"),
    "приговор": ("sentence", None),
    "расстрелян": ("executed", "m"),
    "расстреляна": ("executed", "f"),
    "рассстрелян": ("executed", "m"),
    "рассстреляна": ("executed", "f"),
    "умер": ("died", "m"),
    "умерла": ("died", "f"),
    "погиб": ("died", "m"),
    "погибла": ("died", "f"),
    "место": ("burial", None),
    "реабилитирован": ("rehab", "m"),
    "реабилитирована": ("rehab", "f"),
    "реабил.": ("rehab", None),
    "реабилитированы": ("rehab", None),
    "источник": ("source", None),
    "предъявленное": ("charge", None),
    "освобожден": ("released", "m"),
    "освобождена": ("released", "f"),
}

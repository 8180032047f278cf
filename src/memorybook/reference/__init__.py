"""Authored reference data on the mass operations: sources, orders, operations, quotas,
figures, sentencing bodies, named persons and trials, each fact cited to a seed document.

    load_reference()            -> ReferenceData (cached, validated; ReferenceDataError)
    ledger(ref, operation, measure) -> list[LedgerRow]; render_ledger_text, ledger_json
    run_checks(ref)             -> list[Finding]; render_findings_text
"""

from memorybook.reference.checks import Finding, render_findings_text, run_checks
from memorybook.reference.ledger import (
    LedgerRow,
    LedgerValue,
    ledger,
    ledger_json,
    render_ledger_text,
)
from memorybook.reference.loader import load_reference
from memorybook.reference.seeds import seeds_dir
from memorybook.reference.types import (
    BodyInfo,
    HistoricalPerson,
    NationalityRow,
    NationalityTable,
    OperationGroup,
    PersonDate,
    ReferenceData,
    Trial,
)

__all__ = [
    "BodyInfo",
    "Finding",
    "HistoricalPerson",
    "LedgerRow",
    "LedgerValue",
    "NationalityRow",
    "NationalityTable",
    "OperationGroup",
    "PersonDate",
    "ReferenceData",
    "Trial",
    "ledger",
    "ledger_json",
    "load_reference",
    "render_findings_text",
    "render_ledger_text",
    "run_checks",
    "seeds_dir",
]

"""The one exception tree of memorybook.

    MemorybookError                 base of everything raised on purpose
    ├── ConfigurationError          a setting or path is wrong
    ├── ReferenceDataError          the authored reference data does not load or validate
    ├── ImportFailed                an import could not run at all (nothing was written)
    │   ├── DecodeError             the file is not in the declared encoding (names the byte offset)
    │   └── UnknownFormat           no source format of that name is registered
    ├── StorageError                the archive could not be opened or written
    │   └── SchemaOutOfDate         the archive needs `memorybook init` (migrations)
    ├── LinkageFailed               the linkage engine (Splink and its backend) could not run
    ├── NotFound                    a requested record, source or page does not exist
    └── BadQuery                    a search or filter cannot be answered as asked

Per-entry problems during an import are never exceptions: they are warnings in the report.
"""

from __future__ import annotations


class MemorybookError(Exception):
    """Base class; `str(error)` is a one-line message fit for a user."""


class ConfigurationError(MemorybookError):
    pass


class ReferenceDataError(MemorybookError):
    pass


class ImportFailed(MemorybookError):
    pass


class DecodeError(ImportFailed):
    def __init__(self, path: str, encoding: str, offset: int, reason: str) -> None:
        self.path, self.encoding, self.offset, self.reason = path, encoding, offset, reason
        super().__init__(
            f"{path}: not valid {encoding} at byte offset {offset} ({reason}); "
            "give the right encoding with --encoding"
        )


class UnknownFormat(ImportFailed):
    pass


class StorageError(MemorybookError):
    pass


class SchemaOutOfDate(StorageError):
    pass


class LinkageFailed(MemorybookError):
    pass


class NotFound(MemorybookError):
    pass


class BadQuery(MemorybookError):
    pass

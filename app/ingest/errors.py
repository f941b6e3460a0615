"""Why a file could not be opened, in words for the reader (shown in the page as is)."""

from __future__ import annotations


class IngestError(Exception):
    """A file we cannot read; `message` is meant for the reader, `kind` for tests and logs."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message

"""Bringing entries in from files: the register's own and other registers' formats.

`formats` says how each format's columns become the record's fields; `files` reads a file
safely as a stream; `importer` reviews a file (a dry run) and imports it in one transaction.
"""

from .files import FileRefused
from .formats import FORMATS, Format
from .importer import (
    CREATE,
    SKIP,
    UNCHANGED,
    UPDATE,
    ImportOptions,
    ImportReport,
    RowOutcome,
    find_organisation,
    review,
    run,
)
from .mapping import ImportedEntry, Note

__all__ = [
    "CREATE",
    "FORMATS",
    "SKIP",
    "UNCHANGED",
    "UPDATE",
    "FileRefused",
    "Format",
    "ImportOptions",
    "ImportReport",
    "ImportedEntry",
    "Note",
    "RowOutcome",
    "find_organisation",
    "review",
    "run",
]

"""Bringing entries in from files: the register's own and other registers' formats.

`formats` says how each format's columns become the record's fields; `files` reads a file
safely as a stream, within `ReadLimits`; `importer` reviews a file (a dry run) and imports
it in one transaction; `reports` keeps a review between the upload and the decision.
"""

from .files import FileRefused, ReadLimits
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
    "ReadLimits",
    "RowOutcome",
    "find_organisation",
    "review",
    "run",
]

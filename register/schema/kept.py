"""Section 7 of the record: what the register keeps about each entry and version itself.

Nobody types these in (but for the change note, which the publisher writes when publishing),
so they have no place in the form's sections. They are declared here once, with their real
kinds, what they mean and which of them every record has; the entry page, the JSON records
and the API, the CSV columns, `datapackage.json` and the data dictionary all read them here.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fields import Field, Kind
from .record import MEDIUM


@dataclass(frozen=True, eq=False)
class KeptField(Field):
    """A field the register keeps. `description` says what it means, for people reading the
    open data. `always` fields are in every row of every table that has them (declared
    required in the data package); `may_be_empty` ones are null in a JSON record until there
    is something to say (no review yet, no change note on a first version), and the others
    are always there in JSON."""

    description: str = ""
    always: bool = False
    may_be_empty: bool = False


REFERENCE = KeptField(
    "reference",
    "Reference",
    Kind.TEXT,
    max_length=20,
    description="The entry's public reference; never reused, even after withdrawal.",
    always=True,
)
VERSION = KeptField(
    "version",
    "Version",
    Kind.INTEGER,
    description="The number of this published version: 1, 2, ...",
    always=True,
)
SCHEMA_VERSION = KeptField(
    "schema_version",
    "Schema version",
    Kind.INTEGER,
    description="The version of the record definition the entry follows.",
)
PUBLISHED_AT = KeptField(
    "published_at",
    "Published",
    Kind.DATETIME,
    description="When this version was published (UTC).",
    always=True,
)
IS_CURRENT = KeptField(
    "is_current",
    "Current version",
    Kind.BOOLEAN,
    description="Whether this is the version the public sees now.",
    always=True,
)
FIRST_PUBLISHED_AT = KeptField(
    "first_published_at",
    "First published",
    Kind.DATETIME,
    description="When the entry was first published (UTC).",
)
LAST_PUBLISHED_AT = KeptField(
    "last_published_at",
    "Last published",
    Kind.DATETIME,
    description="When the entry's current version was published (UTC).",
)
LAST_REVIEWED_ON = KeptField(
    "last_reviewed_on",
    "Last reviewed",
    Kind.DATE,
    description="When the organisation last reviewed the entry.",
    may_be_empty=True,
)
NEXT_REVIEW_DUE = KeptField(
    "next_review_due",
    "Next review due",
    Kind.DATE,
    description="When the organisation should review the entry next.",
    may_be_empty=True,
)
CHANGE_NOTE = KeptField(
    "change_note",
    "Change note",
    Kind.LONG_TEXT,
    max_length=MEDIUM,
    description="What changed in this version.",
    may_be_empty=True,
)

# About the entry, in the order the entry page and entries.csv show them. When this version
# was published is not among them: the entry page calls it "Last published".
REGISTER_FIELDS: tuple[KeptField, ...] = (
    REFERENCE,
    VERSION,
    FIRST_PUBLISHED_AT,
    LAST_PUBLISHED_AT,
    LAST_REVIEWED_ON,
    NEXT_REVIEW_DUE,
    SCHEMA_VERSION,
    CHANGE_NOTE,
)
# The first keys of a JSON record (the API, downloads, the native import), in their order.
RECORD_FIELDS: tuple[KeptField, ...] = (
    REFERENCE,
    VERSION,
    SCHEMA_VERSION,
    PUBLISHED_AT,
    FIRST_PUBLISHED_AT,
    LAST_PUBLISHED_AT,
    LAST_REVIEWED_ON,
    NEXT_REVIEW_DUE,
    CHANGE_NOTE,
)

# Where an imported entry came from: its latest import (see models/provenance.py). Entries
# written on the register have none of them. In entries.csv and the JSON records after the
# register's own fields; the data package's sources table says more of each source.
SOURCE = KeptField(
    "source",
    "Source",
    Kind.TEXT,
    max_length=120,
    description="The register or inventory the entry was imported from, by its name; empty "
    "for entries written on this register.",
    may_be_empty=True,
)
SOURCE_LINK = KeptField(
    "source_link",
    "Link to the source",
    Kind.URL,
    max_length=500,
    description="The entry's own address in its source, or the source's page where the "
    "source gives none.",
    may_be_empty=True,
)
SOURCE_IDENTIFIER = KeptField(
    "source_identifier",
    "Identifier in the source",
    Kind.TEXT,
    max_length=200,
    description="The entry's identifier in its source, where the source gives one.",
    may_be_empty=True,
)
IMPORTED_AT = KeptField(
    "imported_at",
    "Imported",
    Kind.DATETIME,
    description="When the entry was last imported from its source (UTC).",
    may_be_empty=True,
)
PROVENANCE_FIELDS: tuple[KeptField, ...] = (SOURCE, SOURCE_LINK, SOURCE_IDENTIFIER, IMPORTED_AT)

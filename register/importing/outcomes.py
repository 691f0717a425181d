"""What an import does, row by row: the options it runs with, each row's outcome, and the
report of the whole file. Plain data, shared by reviewing, writing and keeping a report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..models import Organisation, User
from .files import DEFAULT_LIMITS, ReadLimits
from .formats import Format
from .mapping import Note
from .missing import MissingEntry

CREATE, UPDATE, UNCHANGED, SKIP = "create", "update", "unchanged", "skip"


@dataclass(frozen=True)
class ImportOptions:
    format: Format
    filename: str
    organisation: Organisation | None = None  # file every entry under this organisation
    create_organisations: bool = False
    publish: bool = False
    actor: User | None = None
    # Publishers import for their own organisations only; None lets anyone be named.
    allowed_organisations: frozenset[int] | None = None
    # Keep, for the report, how every value was read (many notes a row: off for big files).
    explain: bool = False
    limits: ReadLimits = DEFAULT_LIMITS
    # The names to give organisations the import adds, where the person corrected the
    # file's (the file's name -> the name to give).
    organisation_names: Mapping[str, str] = field(default_factory=dict)


@dataclass
class RowOutcome:
    """What the import does with one row of the file."""

    number: int
    where: str
    title: str
    organisation: str
    action: str
    reference: str = ""
    entry_id: int | None = None  # the entry an update changes
    # Asked to be published, but goes (or would go) to another publisher's review instead.
    for_review: bool = False
    problems: list[Note] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)
    mapped: list[Note] = field(default_factory=list)


@dataclass
class ImportReport:
    filename: str
    format: str
    publish: bool
    rows: list[RowOutcome] = field(default_factory=list)
    new_organisations: list[str] = field(default_factory=list)
    file_problem: str = ""  # the file as a whole cannot be read
    written: bool = False
    notes_left_out: int = 0  # warnings not kept with a stored report (see `reports`)
    # Entries imported before from this source, for the organisations the file covers,
    # that the file no longer has; and, once written, those retired or sent for review.
    missing: list[MissingEntry] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    retired_for_review: list[str] = field(default_factory=list)
    # Once written, the `ImportBatch` that records the run (None if it wrote no entry).
    batch_id: int | None = None

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def problem_rows(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.problems]

    @property
    def has_problems(self) -> bool:
        return bool(self.file_problem or self.problem_rows)

    @property
    def to_write(self) -> int:
        return self.count(CREATE) + self.count(UPDATE)

    @property
    def retirable(self) -> list[MissingEntry]:
        return [entry for entry in self.missing if entry.retirable]

    @property
    def reviewed(self) -> list[bool]:
        """For each row to write (or, with none, each row): whether its entry goes to
        another publisher's review rather than public."""
        rows = [row for row in self.rows if row.action in (CREATE, UPDATE)] or self.rows
        return [row.for_review for row in rows]

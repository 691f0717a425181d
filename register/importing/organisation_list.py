"""Loading a reference list of organisations (`flask register import-organisations`), so that
the coverage page can name those that have recorded nothing.

The list is a CSV file with a header row. Its columns, in any order and any case:
- `name` (required): the organisation's name;
- `type`: a code or label of the organisation types vocabulary, or `--type` for every row;
- `identifier` and `identifier_scheme`: its code in the list and which list that is (such as
  `gss`, `oin` or `govuk`); `--scheme` gives the scheme for every row instead;
- `abbreviation`: a short form other registers' files may name it by.
GOV.UK's list the register ships (`govuk_organisations.csv`: `slug`, `name`, `abbreviation`,
with `#` comment lines) is read as it is: with no `identifier` column, its `slug` is the
identifier, in the scheme `govuk`.

Each row finds its organisation by identifier (in its scheme), then by name; the type is
brought up to date, an identifier is added to an organisation that had none, and a missing
organisation is added. Nothing is ever deleted or renamed. All or nothing: if any row is
wrong, every problem is reported by line and nothing is written.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select

from ..accounts import has_control_characters, slugify
from ..audit import record_event
from ..extensions import db
from ..models import Organisation
from ..schema.vocabularies import ORGANISATION_TYPE
from .values import clean, squeeze

GOVUK_SCHEME = "govuk"
_SCHEME = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")
_TYPES = {
    **{squeeze(choice.label): choice.code for choice in ORGANISATION_TYPE.choices},
    **{squeeze(code): code for code in ORGANISATION_TYPE.codes},
}


class ListError(ValueError):
    """The list cannot be read at all (no header, no name column, no type)."""


@dataclass(frozen=True)
class Listed:
    """One row of the list, checked."""

    line: int
    name: str
    type: str
    identifier: str
    scheme: str
    abbreviation: str


@dataclass
class Outcome:
    """What loading the list did (or, in a dry run, would do)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)  # "Line 4: ..." each


def _physical_lines(lines: Iterable[str], numbers: list[int]) -> Iterator[str]:
    """The lines that are not comments, noting the line number of each one given out."""
    for number, line in enumerate(lines, start=1):
        if line.startswith("#"):
            continue
        numbers.append(number)
        yield line


def _columns(header: list[str]) -> dict[str, int]:
    """Where each known column is, by its name in lower case."""
    return {name.strip().lower(): index for index, name in reversed(list(enumerate(header)))}


def read_list(
    lines: Iterable[str], *, default_type: str = "", default_scheme: str = ""
) -> tuple[list[Listed], list[str], list[str]]:
    """The rows of a list that can be loaded, the problems with the others, and notes on
    rows left out as repeats (each "Line N: ..."). `ListError` if the list has no header
    naming its organisations or no way to tell their type."""
    numbers: list[int] = []
    reader = csv.reader(_physical_lines(lines, numbers))
    header = next(reader, None)
    columns = _columns(header or [])
    if "name" not in columns:
        raise ListError("The list needs a header row with a “name” column.")
    if "type" not in columns and not default_type:
        raise ListError("The list has no “type” column: give every row's type with --type.")
    identifier_column = "identifier" if "identifier" in columns else "slug"
    if identifier_column == "slug" and "slug" in columns:
        default_scheme = default_scheme or GOVUK_SCHEME
    rows: list[Listed] = []
    problems: list[str] = []
    for cells in reader:
        line = numbers[reader.line_num - 1 - _continuations(cells)]
        if not any(cell.strip() for cell in cells):
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            index = columns.get(name)
            return clean(cells[index]) if index is not None and index < len(cells) else ""

        found, wrong = _checked(
            line,
            name=" ".join(cell("name").split()),
            type_text=cell("type") or default_type,
            identifier=cell(identifier_column),
            scheme=(cell("identifier_scheme") or default_scheme).lower(),
            abbreviation=cell("abbreviation"),
        )
        problems.extend(f"Line {line}: {problem}" for problem in wrong)
        if found is not None:
            rows.append(found)
    kept, repeated, notes = _repeated(rows)
    return kept, [*problems, *repeated], notes


def _continuations(cells: list[str]) -> int:
    """How many line breaks a row's quoted cells hold, so its first line can be found."""
    return sum(cell.count("\n") for cell in cells)


def _checked(
    line: int, *, name: str, type_text: str, identifier: str, scheme: str, abbreviation: str
) -> tuple[Listed | None, list[str]]:
    problems = []
    if not name:
        problems.append("the name is missing.")
    elif len(name) > 200 or has_control_characters(name):
        problems.append("the name must be up to 200 letters, digits and punctuation.")
    elif not slugify(name):
        problems.append("the name needs letters or digits.")
    code = _TYPES.get(squeeze(type_text))
    if code is None:
        known = ", ".join(ORGANISATION_TYPE.codes)
        problems.append(f"“{type_text[:80]}” is not an organisation type; use one of: {known}.")
    if len(identifier) > 100 or has_control_characters(identifier):
        problems.append("the identifier must be up to 100 characters on one line.")
    if scheme and (len(scheme) > 40 or not _SCHEME.fullmatch(scheme)):
        problems.append("the identifier scheme must be a short code such as gss or oin.")
    if scheme and not identifier:
        scheme = ""  # a scheme with nothing in it says nothing
    if len(abbreviation) > 40 or has_control_characters(abbreviation):
        abbreviation = ""  # not a short form: the name serves
    if problems or code is None:
        return None, problems
    return Listed(line, name, code, identifier, scheme, abbreviation), []


def _repeated(rows: list[Listed]) -> tuple[list[Listed], list[str], list[str]]:
    """The rows without repeats, the problems and the notes. A row with an identifier a row
    above has is wrong; so is one naming an organisation a row above did as another type.
    One naming it again as the same type lists it under a second identifier (GOV.UK's list
    has departments under two slugs): it is left out, with a note, and the first is kept."""
    kept: list[Listed] = []
    problems: list[str] = []
    notes: list[str] = []
    names: dict[str, Listed] = {}
    identifiers: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row.scheme, row.identifier)
        if row.identifier and key in identifiers:
            problems.append(
                f"Line {row.line}: the identifier {row.identifier} is already on line "
                f"{identifiers[key]}."
            )
            continue
        earlier = names.get(squeeze(row.name))
        if earlier is not None and earlier.type != row.type:
            problems.append(
                f"Line {row.line}: “{row.name}” is already on line {earlier.line}, as another type."
            )
        elif earlier is not None:
            notes.append(
                f"Line {row.line}: “{row.name}” is already on line {earlier.line}; its "
                "identifier there is kept."
            )
        else:
            names[squeeze(row.name)] = row
            if row.identifier:
                identifiers[key] = row.line
            kept.append(row)
    return kept, problems, notes


def load_list(rows: list[Listed], *, dry_run: bool = False) -> Outcome:
    """Bring the register's organisations up to date with `rows`, all in one transaction;
    nothing is written if a row cannot be loaded, or in a `dry_run`."""
    outcome = Outcome()
    everyone = list(db.session.scalars(select(Organisation)))
    by_identifier = {(o.identifier_scheme, o.identifier): o for o in everyone if o.identifier}
    by_name = {squeeze(o.name): o for o in everyone}
    slugs = {o.slug for o in everyone}
    now = datetime.now(UTC)
    for row in rows:
        found = by_identifier.get((row.scheme, row.identifier)) if row.identifier else None
        found = found or by_name.get(squeeze(row.name))
        if found is None:
            added = _added(row, slugs, now)
            if added is None:
                outcome.problems.append(
                    f"Line {row.line}: another organisation already has the web address of "
                    f"“{row.name}”; add it by hand with its own slug."
                )
                continue
            slugs.add(added.slug)
            outcome.added.append(row.name)
            continue
        if _other_identifier(found, row):
            outcome.problems.append(
                f"Line {row.line}: “{found.name}” already has the identifier "
                f"{found.identifier}, not {row.identifier}."
            )
            continue
        if _brought_up_to_date(found, row, now):
            outcome.changed.append(found.name)
        else:
            outcome.unchanged += 1
    if outcome.problems or dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return outcome


def _other_identifier(organisation: Organisation, row: Listed) -> bool:
    """Whether the organisation found by the row's name has another identifier in its scheme."""
    return bool(
        row.identifier
        and organisation.identifier
        and organisation.identifier_scheme == row.scheme
        and organisation.identifier != row.identifier
    )


def _added(row: Listed, slugs: set[str], now: datetime) -> Organisation | None:
    """A new organisation for `row`, at a slug of its name (or of its name and identifier,
    if another has that one), in the session; None if both are taken."""
    for slug in (slugify(row.name), slugify(f"{row.name} {row.identifier}")):
        if slug and slug not in slugs:
            organisation = Organisation(
                name=row.name,
                slug=slug,
                type=row.type,
                identifier=row.identifier or None,
                identifier_scheme=row.scheme,
                abbreviation=row.abbreviation or None,
                changed_at=now,
            )
            db.session.add(organisation)
            db.session.flush()
            record_event(
                "organisation_added", None, organisation=organisation, detail="Reference list"
            )
            return organisation
    return None


def _brought_up_to_date(organisation: Organisation, row: Listed, now: datetime) -> bool:
    """Give a found organisation the row's type, and its identifier if it had none; whether
    anything changed."""
    changed = False
    if organisation.type != row.type:
        organisation.type = row.type
        organisation.changed_at = now
        changed = True
    if row.identifier and not organisation.identifier:
        organisation.identifier = row.identifier
        organisation.identifier_scheme = row.scheme
        changed = True
    if changed:
        record_event(
            "organisation_changed", None, organisation=organisation, detail="Reference list"
        )
    return changed

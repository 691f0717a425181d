"""The options of `flask register import` that import a file with a column mapping: a
mapping file (JSON, see docs/importing.md) or a mapping an organisation saved on the
register, by its name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ...models import Organisation
from ..formats import FORMATS, Format
from ..organisations import find_organisation
from .definition import ColumnMapping, MappingError
from .kept import find_saved
from .mapped import LABEL, mapped_format

Command = TypeVar("Command", bound=Callable[..., Any])


def mapping_options(command: Command) -> Command:
    """Add --mapping-file, --mapping and --mapping-organisation to the import command; its
    function takes them as `mapping_file`, `mapping_name` and `mapping_organisation`."""
    options = (
        click.option(
            "--mapping-file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Read a file that follows no known format with this column mapping (JSON: "
            "each column's field, “other” or null, the date order and the organisation), "
            "instead of --format.",
        ),
        click.option(
            "--mapping",
            "mapping_name",
            help="Read the file with the column mapping saved on the register under this "
            "name, instead of --format.",
        ),
        click.option(
            "--mapping-organisation",
            help="The organisation whose saved mapping --mapping names (its slug, name or "
            "abbreviation); by default --organisation.",
        ),
    )
    for option in reversed(options):
        command = option(command)
    return command


def command_format(
    format_name: str | None,
    organisation: Organisation | None,
    *,
    mapping_file: Path | None = None,
    mapping_name: str | None = None,
    mapping_organisation: str | None = None,
) -> tuple[Format, Organisation | None]:
    """The format to read the file in, from --format or a mapping, and the organisation to
    file every entry under: --organisation's, or else the one the mapping fixes. Raises
    `click.ClickException` saying what is wrong with the options or the mapping."""
    given = [
        name
        for name, value in (
            ("--format", format_name),
            ("--mapping-file", mapping_file),
            ("--mapping", mapping_name),
        )
        if value
    ]
    if len(given) != 1:
        raise click.ClickException(
            "Give the file's format with --format, or how its columns map with --mapping-file "
            "or --mapping" + (f", not {' and '.join(given)}." if given else ".")
        )
    if format_name:
        return FORMATS[format_name], organisation
    label = LABEL
    if mapping_file is not None:
        mapping = _read_file(mapping_file)
    else:
        owner = _owner(mapping_organisation, organisation)
        saved = find_saved(mapping_name or "", owner)
        if saved is None:
            raise click.ClickException(
                f"{owner.name} has no saved mapping called {mapping_name!r}."
            )
        mapping, label = ColumnMapping.from_json(saved.definition), f"“{saved.name}” mapped"
    problems = mapping.problems()
    if problems:
        raise click.ClickException(
            "The mapping cannot be used: "
            + "; ".join(
                f"{problem.column}: {problem.message}" if problem.column else problem.message
                for problem in problems
            )
            + "."
        )
    if organisation is None and mapping.organisation:
        organisation = find_organisation(mapping.organisation)
        if organisation is None:
            raise click.ClickException(
                f"The mapping files entries under {mapping.organisation!r}, which is not an "
                "organisation on the register."
            )
    return mapped_format(mapping, label), organisation


def _read_file(path: Path) -> ColumnMapping:
    try:
        return ColumnMapping.from_json(path.read_bytes())
    except MappingError as error:
        raise click.ClickException(f"{path.name}: {error}") from None
    except OSError as error:
        raise click.ClickException(f"{path.name} cannot be read: {error.strerror}.") from None


def _owner(name: str | None, organisation: Organisation | None) -> Organisation:
    if name:
        found = find_organisation(name)
        if found is None:
            raise click.ClickException(f"There is no organisation {name!r}.")
        return found
    if organisation is None:
        raise click.ClickException(
            "A saved mapping belongs to an organisation: name it with --mapping-organisation "
            "(or --organisation)."
        )
    return organisation

"""A column mapping: where each column of a file goes, how its dates are written, and whose
entries it holds. Plain data, read from and written as JSON (a mapping file, or a mapping
kept on the register), checked with `problems`.

Each column goes to a field of the record (a repeating group's field as "group.field"), to
`ORGANISATION` or `IDENTIFIER` (the entry's organisation, and the file's own identifier for
it), to `OTHER` (kept, labelled with its column, under Other information), or to nothing
(`None`: left out). A column the mapping does not name goes to Other information, so nothing
is lost unseen.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext

from ... import schema
from ...schema import Field, Group, Kind
from ...schema.texts import N_, shown
from ..mapping import OTHER_INFORMATION
from ..values import squeeze

OTHER = "other"
IDENTIFIER = "identifier"
ORGANISATION = "organisation"
DAY_FIRST, MONTH_FIRST = "day first", "month first"


class MappingError(ValueError):
    """A mapping that cannot be read at all (not JSON, not the shape of a mapping)."""


@dataclass(frozen=True)
class Target:
    """Somewhere a column can go."""

    value: str  # as a mapping names it: "title", "data_sources.name", "other"
    label: str  # for people
    field: Field | None = None
    group: Group | None = None

    @property
    def takes_several(self) -> bool:
        """Whether several columns may go here: Other information; a long text, where each
        column's text is kept under its name; a list of choices, which gathers them."""
        if self.field is None:
            return self.value == OTHER
        return self.field.kind in (Kind.LONG_TEXT, Kind.CHOICES)

    @property
    def shown(self) -> str:
        """The label in the page's language (`label` is the English, which mappings keep)."""
        if self.group is not None and self.field is not None:
            return f"{shown(self.group.item_label).capitalize()}: {shown(self.field.label).lower()}"
        return shown(self.label)


def _targets() -> tuple[Target, ...]:
    special = (
        Target(OTHER, N_("Other information")),
        Target(IDENTIFIER, N_("Identifier (the file’s own, telling its rows apart)")),
    )
    fields = tuple(
        Target(item.name, item.label, item)
        for item in schema.all_fields()
        # Other information (and its Welsh) is where a column goes as `OTHER`, labelled.
        if (item.welsh_of or item.name) != OTHER_INFORMATION
    )
    grouped = tuple(
        Target(
            f"{group.name}.{item.name}",
            f"{group.item_label.capitalize()}: {item.label.lower()}",
            item,
            group,
        )
        for group in schema.groups()
        for item in group.fields
    )
    return special + fields + grouped


TARGETS: tuple[Target, ...] = _targets()
TARGETS_BY_VALUE: dict[str, Target] = {target.value: target for target in TARGETS}
TITLE = TARGETS_BY_VALUE["title"]


@dataclass(frozen=True)
class Problem:
    """What is wrong with a mapping: about one column, or (`column` "") the whole of it."""

    message: str
    column: str = ""
    about: str = ""  # "title" or "organisation" when it is about no one column


@dataclass(frozen=True)
class ColumnMapping:
    columns: dict[str, str | None] = field(default_factory=dict)  # column -> target or None
    day_first: bool = True
    organisation: str = ""  # every entry's organisation (slug, name or abbreviation), if fixed

    def targets(self) -> dict[str, list[str]]:
        """Each target with the columns that go to it, in the mapping's order; the columns
        left out are listed under ""."""
        found: dict[str, list[str]] = {}
        for column, target in self.columns.items():
            found.setdefault(target or "", []).append(column)
        return found

    def column_for(self, target: str) -> str | None:
        columns = self.targets().get(target)
        return columns[0] if columns else None

    def not_in(self, columns: Iterable[Any]) -> list[str]:
        """The columns the mapping names that `columns` (with a `name`) do not have."""
        have = {squeeze(column.name) for column in columns}
        return [name for name in self.columns if squeeze(name) not in have]

    def problems(self) -> list[Problem]:
        """Everything that stops the mapping being used, each where a person can mend it, in
        the language of the page that asks (English on the command line)."""
        found = []
        first: dict[str, str] = {}
        for column, value in self.columns.items():
            if value is None:
                continue
            target = TARGETS_BY_VALUE.get(value)
            if target is None:
                found.append(
                    Problem(
                        gettext("“%(value)s” is not a field of the record", value=value), column
                    )
                )
            elif value in first and not target.takes_several:
                found.append(
                    Problem(
                        gettext(
                            "Only one column can go to %(target)s: “%(column)s” does already",
                            target=target.shown,
                            column=first[value],
                        ),
                        column,
                    )
                )
            first.setdefault(value, column)
        if TITLE.value not in first:
            found.append(
                Problem(
                    gettext("Choose the column that names each tool: no column goes to Title"),
                    about="title",
                )
            )
        if ORGANISATION not in first and not self.organisation:
            found.append(
                Problem(
                    gettext(
                        "Choose the organisation the entries are for, or the column that names it"
                    ),
                    about="organisation",
                )
            )
        return found

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "columns": self.columns,
            "dates": DAY_FIRST if self.day_first else MONTH_FIRST,
        }
        if self.organisation:
            data["organisation"] = self.organisation
        return json.dumps(data, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str | bytes) -> ColumnMapping:
        """The mapping a JSON text describes; `MappingError` says why one cannot be read."""
        try:
            data = json.loads(text)
        except (ValueError, UnicodeDecodeError) as error:
            raise MappingError(f"The mapping is not JSON that can be read: {error}.") from None
        return cls.from_data(data)

    @classmethod
    def from_data(cls, data: Any) -> ColumnMapping:
        if not isinstance(data, Mapping):
            raise MappingError("A mapping is a JSON object with “columns”.")
        unknown = sorted(set(data) - {"columns", "dates", "organisation"})
        if unknown:
            raise MappingError(
                "A mapping has “columns”, “dates” and “organisation”, not "
                + ", ".join(f"“{key}”" for key in unknown)
                + "."
            )
        columns = data.get("columns")
        if not isinstance(columns, Mapping) or not all(
            isinstance(column, str) and (value is None or isinstance(value, str))
            for column, value in columns.items()
        ):
            raise MappingError(
                "A mapping's “columns” is an object naming, for each column, a field of the "
                "record, “other” or null."
            )
        dates = data.get("dates", DAY_FIRST)
        if dates not in (DAY_FIRST, MONTH_FIRST):
            raise MappingError(f"A mapping's “dates” is “{DAY_FIRST}” or “{MONTH_FIRST}”.")
        organisation = data.get("organisation") or ""
        if not isinstance(organisation, str):
            raise MappingError("A mapping's “organisation” is an organisation's name or slug.")
        return cls(dict(columns), dates == DAY_FIRST, organisation.strip())

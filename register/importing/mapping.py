"""Turning one record of another register's file into the register's answers.

A format describes its columns with a `Mapper`: `mapper.text("title", "use_case_name")`,
`mapper.choice("status", "development_stage", synonyms=...)`, and so on. The mapper reads
each value with `values`, notes how it was read, and keeps whatever it cannot place (a
column the record has no question for, a value outside a vocabulary, a text too long for
its field) in the labelled "Other information" field, so nothing in the file is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import schema
from ..schema import Field, Kind
from ..schema.record import OTHER_INFORMATION_LENGTH
from ..schema.texts import N_, Composed, Given, Listed, Lowered
from ..validation import broken_rules, check_value
from .files import SourceRecord
from .values import (
    Unreadable,
    clean,
    explanations,
    looks_like_link,
    read_code,
    read_codes,
    read_date,
    read_yes_no,
    squeeze,
)

OTHER_INFORMATION = "other_information"
# What `Mapper._readable` gives for a value it could not read (None is a reading: blank).
_UNREADABLE = object()


@dataclass(frozen=True)
class Note:
    """Something about one cell: how it was read, or why it could not be."""

    column: str
    value: str
    message: str
    field: str = ""  # the field of the record it went to, if any


@dataclass
class ImportedEntry:
    """One entry as read from a file, before it is matched to the register and checked."""

    number: int
    where: str  # "row 12", for people
    organisation: str = ""  # as the file names it
    organisation_abbreviation: str = ""
    source_id: str = ""  # the file's own identifier for the entry, if it has one
    # What else tells this entry from others of the same title in its file (a bureau), for
    # files without an identifier.
    distinguishing: tuple[str, ...] = ()
    # The whole text of answers cut to fit their field (field -> text as the file gives it).
    whole: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    mapped: list[Note] = field(default_factory=list)  # how each value was read
    warnings: list[Note] = field(default_factory=list)  # imported, but the person should know
    problems: list[Note] = field(default_factory=list)  # the entry cannot be imported
    # Why the source withheld the entry as a whole (its blank answers are withheld with
    # these words, see `withholding.blanks_withheld`); empty for most entries.
    withheld_because: str = ""


_FIELDS: dict[str, Field] = {item.name: item for item in schema.all_fields()}
_GROUPS: dict[str, schema.Group] = {group.name: group for group in schema.groups()}


class Mapper:
    """Reads the cells of one record into an `ImportedEntry`, one field at a time."""

    def __init__(
        self,
        record: SourceRecord,
        *,
        source: str | None,
        day_first: bool,
        crosswalk: bool = True,
        aliases: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.record = record
        self.source = source
        self.crosswalk = crosswalk
        self.aliases = aliases or {}
        self.day_first = day_first
        self.entry = ImportedEntry(record.number, record.where)
        self._columns = {squeeze(name): name for name in record.cells}
        self._used: set[str] = set()
        self._kept: list[tuple[str, str]] = []

    # Reading cells ----------------------------------------------------------------------

    def columns_for(self, field_name: str) -> tuple[str, ...]:
        """The columns that hold `field_name` in this source's files: the one the record
        definition's crosswalk names (unless the format heads its columns otherwise), then
        the format's declared aliases, other names real files use for it."""
        named = _FIELDS[field_name].crosswalk.get(self.source or "") if self.crosswalk else None
        return (*([named] if named else []), *self.aliases.get(field_name, ()))

    def row_columns(self, group_name: str) -> dict[str, str | tuple[str, ...]]:
        """The columns that hold a repeating group's fields (field -> columns), found as
        `columns_for` finds a field's; the aliases are declared as "group.field". Where
        several columns hold one field, the text of each is joined, labelled."""
        found: dict[str, str | tuple[str, ...]] = {}
        for item in _GROUPS[group_name].fields:
            named = item.crosswalk.get(self.source or "") if self.crosswalk else None
            columns = (
                *([named] if named else []),
                *self.aliases.get(f"{group_name}.{item.name}", ()),
            )
            if columns:
                found[item.name] = columns[0] if len(columns) == 1 else columns
        return found

    def column(self, *names: str) -> str | None:
        """The file's own name of the first of `names` it has (in any case or spacing)."""
        for name in names:
            found = self._columns.get(squeeze(name))
            if found is not None:
                return found
        return None

    def cell(self, *names: str) -> str:
        """The cleaned value of the first of `names` the record has, marking it used."""
        name = self.column(*names)
        if name is None:
            return ""
        self._used.add(name)
        value = self.record.cells.get(name)
        if isinstance(value, list | tuple):
            value = "; ".join(str(item) for item in value if item is not None)
        elif isinstance(value, dict):
            value = "; ".join(f"{key}: {item}" for key, item in value.items())
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        return clean(value)

    def peek(self, *names: str) -> tuple[str | None, str]:
        """The file's name and cleaned value of the first of `names` it has, without marking
        it used: for deciding how to read a cell before reading it."""
        name = self.column(*names)
        return name, (clean(self.record.cells.get(name)) if name is not None else "")

    def use(self, *names: str) -> None:
        """Mark columns as read without storing them (the format has used them otherwise)."""
        for name in names:
            found = self.column(name)
            if found is not None:
                self._used.add(found)

    # Storing answers --------------------------------------------------------------------

    def text(
        self,
        field_name: str,
        *columns: str,
        label: str = "",
        tidy: Callable[[str], str] | None = None,
    ) -> None:
        """A text answer from the first of `columns` present (by default, the field's
        `columns_for`), passed through `tidy` if given (to read a list a source wrote in its
        own notation, say). An email or web address field takes the first address the cell
        gives. Text too long for the field is kept, whole, in Other information instead;
        a required one-line answer (the title) is also cut to fit, since the entry needs it."""
        columns = columns or self.columns_for(field_name)
        column = self.column(*columns)
        raw = self.cell(*columns)
        if not raw or column is None:
            return
        value = tidy(raw) if tidy else raw
        if not value:
            return
        item = _FIELDS[field_name]
        if item.kind is not Kind.LONG_TEXT:
            # One-line answers: line breaks and runs of spaces from the file become one space.
            value = " ".join(value.split())
        if item.kind in (Kind.EMAIL, Kind.URL):
            value = self._first_address(item, column, value)
            if not value:
                return
        if item.max_length and len(value) > item.max_length:
            if item.required and item.kind is Kind.TEXT:
                short = shortened(value, item.max_length)
                self.entry.whole[field_name] = value
                self.keep(
                    column,
                    raw,
                    Composed(
                        N_(
                            "is longer than the %(count)s characters %(label)s allows, so "
                            "%(label)s is cut to “%(short)s” and the whole text is kept in "
                            "Other information"
                        ),
                        count=Given(f"{item.max_length:,}"),
                        label=item.label,
                        short=Given(short),
                    ),
                )
                self.set(field_name, short, column, raw)
                return
            self.keep(
                column,
                raw,
                Composed(
                    N_(
                        "is longer than the %(count)s characters %(label)s allows, so it is "
                        "kept in full in Other information"
                    ),
                    count=Given(f"{item.max_length:,}"),
                    label=item.label,
                ),
            )
            return
        self.set(field_name, value, column, raw)

    def _first_address(self, item: Field, column: str, value: str, label: str = "") -> str:
        """The value, if it is the email or web address `item` holds; otherwise the first
        such address it gives ("a@x.gov; b@x.gov", "Jane Doe <a@x.gov>"), with the rest of
        the cell kept in Other information; "" if it gives none, the cell kept whole."""
        if check_value(item, value) is None:
            return value
        label = label or item.label
        for token in _ADDRESS_BREAK.split(value):
            address = _ADDRESS_WRAPPING.sub("", token)
            if address and check_value(item, address) is None:
                rest = _tidy_rest(value.replace(token, " ", 1))
                if rest:
                    self.keep(
                        column,
                        rest,
                        Composed(
                            N_(
                                "%(label)s takes one address, so %(address)s is used and the "
                                "rest of the cell is kept in Other information"
                            ),
                            label=label,
                            address=Given(address),
                        ),
                    )
                return address
        if item.kind is Kind.EMAIL and looks_like_link(value):
            # A contact page where an address belongs. The record has no field for a
            # contact page, so it is kept where a person will see it and can move it.
            reason = N_(
                "is a web address (a contact page), not an email address, so it is kept in "
                "Other information rather than %(label)s"
            )
        elif item.kind is Kind.EMAIL:
            reason = N_(
                "is not an email address, so it is kept in Other information rather than %(label)s"
            )
        else:
            reason = N_(
                "is not a web address, so it is kept in Other information rather than %(label)s"
            )
        reason = Composed(reason, label=label)
        self.keep(column, value, reason)
        return ""

    def append(self, field_name: str, column: str, *, heading: str = "") -> None:
        """Add a column's text to a long answer another column began, under a heading."""
        value = self.cell(column)
        if not value:
            return
        found = self.column(column) or column
        before = self.entry.values.get(field_name) or ""
        joined = f"{before}\n\n{heading or found}: {value}" if before else value
        item = _FIELDS[field_name]
        if item.max_length and len(joined) > item.max_length:
            self.keep(
                found,
                value,
                Composed(
                    N_("would make %(label)s too long, so it is kept in Other information"),
                    label=item.label,
                ),
            )
            return
        self.entry.values[field_name] = joined
        self.entry.mapped.append(
            Note(found, value, Composed(N_("added to %(label)s"), label=item.label))
        )

    def choice(
        self, field_name: str, *columns: str, synonyms: Mapping[str, str] | None = None
    ) -> None:
        """A code of the field's vocabulary, from its code, label or the source's value."""
        columns = columns or self.columns_for(field_name)
        column = self.column(*columns)
        value = self.cell(*columns)
        if not value or column is None:
            return
        item = _FIELDS[field_name]
        code = self._readable(
            column,
            value,
            lambda text: read_code(item.vocabulary, text, source=self.source, synonyms=synonyms),
        )
        if code is _UNREADABLE:
            return
        self.set(field_name, code, column, value)
        self._keep_explained(item, column, value, synonyms)

    def choice_where_known(
        self, field_name: str, *columns: str, synonyms: Mapping[str, str] | None = None
    ) -> None:
        """A code where the source's value names one; any other value stays in Other
        information without a warning, because the source's list only partly overlaps ours
        (a US topic area of "Other"). A cell listing several values ("Other; Mission-Enabling")
        gives the code of the first that names one, and stays whole in Other information
        too, since one code cannot say all it says."""
        column, raw = self.peek(*(columns or self.columns_for(field_name)))
        if column is None:
            return
        item = _FIELDS[field_name]
        parts = [part for part in map(clean, re.split(r"[;|\n]+", raw)) if part]
        for part in parts:
            try:
                code = read_code(item.vocabulary, part, source=self.source, synonyms=synonyms)
            except Unreadable:
                continue
            if code:
                if len(parts) == 1:
                    self._used.add(column)
                self.set(field_name, code, column, raw)
                return

    def choices(
        self, field_name: str, *columns: str, synonyms: Mapping[str, str] | None = None
    ) -> None:
        """Codes for a multiple-choice field; values outside the vocabulary are kept."""
        columns = columns or self.columns_for(field_name)
        column = self.column(*columns)
        value = self.cell(*columns)
        if not value or column is None:
            return
        item = _FIELDS[field_name]
        codes, unknown = read_codes(item.vocabulary, value, source=self.source, synonyms=synonyms)
        if unknown:
            listed = "; ".join(unknown)
            self.keep(
                column,
                listed,
                Composed(
                    N_(
                        "%(values)s is not a %(kind)s the register knows; kept in Other information"
                    ),
                    values=Given(listed),
                    kind=Lowered(item.vocabulary.label),
                ),
            )
        if codes:
            existing = self.entry.values.get(field_name) or []
            self.set(field_name, list(dict.fromkeys([*existing, *codes])), column, value)
            self._keep_explained(item, column, value, synonyms)

    def _keep_explained(
        self, item: Field, column: str, value: str, synonyms: Mapping[str, str] | None
    ) -> None:
        """A value with words after it ("Other: a fuzzy name matcher") gives its code, and
        is kept whole in Other information so the words are not lost."""
        if explanations(item.vocabulary, value, source=self.source, synonyms=synonyms):
            self._kept.append((column, value))
            self.entry.mapped.append(
                Note(column, value, N_("What it says besides is kept in Other information"))
            )

    def date(self, field_name: str, *columns: str) -> None:
        self._read_into(field_name, columns, self._date)

    def yes_no(self, field_name: str, *columns: str) -> None:
        self._read_into(field_name, columns, read_yes_no)

    def _date(self, text: str) -> str:
        return read_date(text, day_first=self.day_first)

    def _read_into(
        self, field_name: str, columns: tuple[str, ...], read: Callable[[str], Any]
    ) -> None:
        columns = columns or self.columns_for(field_name)
        column = self.column(*columns)
        value = self.cell(*columns)
        if not value or column is None:
            return
        answer = self._readable(column, value, read)
        if answer is not _UNREADABLE:
            self.set(field_name, answer, column, value)

    def _readable(self, column: str, value: str, read: Callable[[str], Any]) -> Any:
        """`read(value)`, or, if it cannot be read, `_UNREADABLE` once the value is kept in
        Other information with the reason."""
        try:
            return read(value)
        except Unreadable as unreadable:
            self.keep(column, value, kept_unreadable(unreadable))
            return _UNREADABLE

    def set(self, field_name: str, value: Any, column: str = "", raw: str = "") -> None:
        """Store an answer, noting how the file's value became it."""
        self.entry.values[field_name] = value
        if column:
            item = _FIELDS[field_name]
            read = Composed(
                N_("%(label)s: %(value)s"), label=item.label, value=_read_as(item, value)
            )
            self.entry.mapped.append(Note(column, raw, read, field_name))

    def row(
        self,
        group_name: str,
        cells: Mapping[str, str | tuple[str, ...]] | None = None,
        *,
        name: str = "",
        link: str = "",
    ) -> None:
        """Add a repeating row (a data source, risk or impact assessment) built from the
        columns named in `cells` (group field -> column; by default the group's
        `row_columns`, its link among them), if any of them has a value. A tuple of columns
        fills one field with the text of each, labelled; `name` names the row when no column
        does. The `link` column is the row's link only if it holds a web address: words
        there ("not published") stay in Other information."""
        group = _GROUPS[group_name]
        if cells is None:
            cells = self.row_columns(group_name)
            link = link or _columns_of(cells.pop("link", ("",)))[0]
        found_link, address = self.peek(link) if link else (None, "")
        if found_link is not None and looks_like_link(address):
            cells = {**cells, "link": found_link}
        row: dict[str, Any] = {}
        read: list[str] = []  # the columns the row was made from, for the note
        for field_name, column in cells.items():
            found, value = self._joined(column)
            if not value:
                continue
            read.append(found)
            item = group.get(field_name)
            if item.kind in (Kind.EMAIL, Kind.URL):
                label = Composed(
                    N_("The %(item)s's %(label)s"),
                    item=group.item_label,
                    label=Lowered(item.label),
                )
                value = self._first_address(item, found, " ".join(value.split()), label)
                if not value:
                    continue
            reader = self._reader_for(item)
            if reader is not None:
                answer = self._readable(found, value, reader)
                if answer is not _UNREADABLE:
                    row[field_name] = answer
            elif item.max_length and len(value) > item.max_length:
                self.keep(
                    found,
                    value,
                    Composed(
                        N_("is too long for the %(item)s's %(label)s; kept in Other information"),
                        item=group.item_label,
                        label=Lowered(item.label),
                    ),
                )
            else:
                row[field_name] = value
        if not row:
            return
        name_field = next(f for f in group.fields if f.kind is Kind.TEXT)
        if not row.get(name_field.name):
            # A row needs its name; say where it came from rather than leave it nameless.
            row[name_field.name] = name or self._joined(next(iter(cells.values())))[0]
        self.entry.rows.setdefault(group_name, []).append(row)
        self.entry.mapped.append(
            Note(", ".join(read), "", f"{group.item_label.capitalize()} added")
        )

    def _reader_for(self, item: Field) -> Callable[[str], Any] | None:
        """How a row's field is read from text; None for text, which is taken as it is."""
        if item.kind is Kind.BOOLEAN:
            return read_yes_no
        if item.kind is Kind.CHOICE:
            return lambda text: read_code(item.vocabulary, text, source=self.source)
        if item.kind is Kind.PARTIAL_DATE:
            return self._date
        return None

    def _joined(self, spec: str | tuple[str, ...]) -> tuple[str, str]:
        """The label and text of one column, or of several joined under their names."""
        found = [(self.column(c) or c, self.cell(c)) for c in _columns_of(spec)]
        filled = [(column, value) for column, value in found if value]
        if len(filled) > 1:
            return (
                ", ".join(column for column, _ in filled),
                "\n\n".join(f"{column}: {value}" for column, value in filled),
            )
        return filled[0] if filled else (found[0][0], "")

    # Where the entry comes from ---------------------------------------------------------

    def organisation(self, name_column: str = "", abbreviation_column: str = "") -> None:
        """The organisation's name (by default from its `columns_for`), and its
        abbreviation if the source gives one."""
        columns = (name_column,) if name_column else self.columns_for("organisation")
        self.entry.organisation = self.cell(*columns)
        if abbreviation_column:
            self.entry.organisation_abbreviation = self.cell(abbreviation_column)

    def identifier(self, *columns: str) -> None:
        self.entry.source_id = self.cell(*columns)[:200]

    def distinguishing(self, *columns: str) -> None:
        """The columns that tell apart rows of one title, for a row without an identifier:
        a department reports one row per bureau under one title. Their values join the
        title in the entry's identity; they are read as answers too, where they have one."""
        self.entry.distinguishing = tuple(self.peek(column)[1] for column in columns)

    def problem(self, column: str, value: str, reason: str) -> None:
        """Something that stops this entry being imported at all."""
        self.entry.problems.append(Note(column, value, reason))

    # What has no home -------------------------------------------------------------------

    def keep(self, column: str, value: str, reason: str) -> None:
        """Keep a value in Other information, telling the person why."""
        self._kept.append((column, value))
        self.entry.warnings.append(Note(column, value, reason))

    def _keep_unusable(self) -> None:
        columns = {note.field: (note.column, note.value) for note in self.entry.mapped}
        for name, value in list(self.entry.values.items()):
            item = _FIELDS.get(name)
            problem = (
                N_("is not a field of the record") if item is None else check_value(item, value)
            )
            if problem and name != OTHER_INFORMATION:
                column, raw = columns.get(name, (name, ""))
                del self.entry.values[name]
                self.keep(column, raw or _as_text(value), _kept_because(problem))
        # Then what the forms refuse between answers (retired before it went into use): the
        # answer the rule is about goes, so what the rest of the row says stands.
        for name, problem in broken_rules(_FIELDS.values(), self.entry.values).items():
            column, raw = columns.get(name, (name, ""))
            value = self.entry.values.pop(name)
            self.keep(column, raw or _as_text(value), _kept_because(problem))
        for group_name, rows in self.entry.rows.items():
            group = _GROUPS[group_name]
            for number, row in enumerate(rows, start=1):
                for name, value in list(row.items()):
                    item = next((f for f in group.fields if f.name == name), None)
                    problem = N_("is not a field") if item is None else check_value(item, value)
                    if problem:
                        del row[name]
                        label = row_label(group, number, item.label if item else Given(name))
                        self.keep(label, _as_text(value), _kept_because(problem))
                for name, problem in broken_rules(group.fields, row).items():
                    label = row_label(group, number, group.get(name).label)
                    value = row.pop(name)
                    self.keep(label, _as_text(value), _kept_because(problem))

    def finish(self) -> ImportedEntry:
        """The entry, with every unused non-empty column kept, labelled, in Other information,
        and so is every answer the forms would refuse (whatever way it was read): a value
        that cannot be used never stops the rest of the row being imported."""
        self._keep_unusable()
        for name in list(self.record.cells):
            if name in self._used:
                continue
            self._used.add(name)
            value = self.cell(name)
            if value:
                self._kept.append((name, value))
        if self._kept:
            before = self.entry.values.get(OTHER_INFORMATION) or ""
            blocks = [before] if before else []
            blocks += [f"{column}: {value}" for column, value in self._kept]
            text = "\n\n".join(blocks)
            if len(text) > OTHER_INFORMATION_LENGTH:
                # Kept as far as it goes rather than refusing the row, and said plainly.
                self.entry.warnings.append(
                    Note(
                        _FIELDS[OTHER_INFORMATION].label,
                        "",
                        Composed(
                            N_(
                                "what has no question of its own comes to %(count)s "
                                "characters, more than the %(most)s Other information holds: "
                                "the rest is not imported"
                            ),
                            count=Given(f"{len(text):,}"),
                            most=Given(f"{OTHER_INFORMATION_LENGTH:,}"),
                        ),
                    )
                )
                text = shortened(text, OTHER_INFORMATION_LENGTH)
            self.entry.values[OTHER_INFORMATION] = text
        return self.entry


def _kept_because(problem: str) -> str:
    return Composed(N_("%(problem)s; kept in Other information"), problem=problem)


def kept_unreadable(unreadable: Unreadable) -> str:
    """Why a value that could not be read is kept in Other information instead."""
    return Composed(N_("%(reason)s; it is kept in Other information"), reason=unreadable.reason)


def row_label(group: schema.Group, number: int, label: str) -> str:
    """Where a value of a repeating row is, in place of a column: “risk 2: level”."""
    return Composed(
        N_("%(item)s %(number)s: %(label)s"),
        item=group.item_label,
        number=Given(str(number)),
        label=label if isinstance(label, Given) else Lowered(label),
    )


def _read_as(item: Field, value: Any) -> str:
    """How a stored answer reads in a note on how the file's value was read."""
    if item.kind is Kind.LONG_TEXT:
        return N_("text")
    if item.kind is Kind.BOOLEAN:
        return item.label_for(value)  # "Yes" or "No"
    if item.vocabulary is None or value in (None, ""):
        return Given(item.label_for(value))
    codes = value if isinstance(value, list | tuple) else [value]
    return Listed(item.vocabulary.label_for(str(code)) for code in codes)


def _columns_of(spec: str | tuple[str, ...]) -> tuple[str, ...]:
    return (spec,) if isinstance(spec, str) else spec


def _as_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return "" if value is None else str(value)


def shortened(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at the end of a word, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—(") + "…"


# Where one address in a cell ends and the next begins, and what wraps one ("<a@x.gov>",
# "mailto:a@x.gov", "(https://x.gov/contact).").
_ADDRESS_BREAK = re.compile(r"[\s,;|]+")
_ADDRESS_WRAPPING = re.compile(r"^[<(\[\"']*(?:mailto:)?|[>)\]\"'.:]*$", re.IGNORECASE)
_LEFT_OVER = re.compile(r"^(?:[\s,;|/]|\b(?:and|or)\b)+|(?:[\s,;|/]|\b(?:and|or)\b)+$", re.I)


def _tidy_rest(text: str) -> str:
    """What is left of a cell once an address is taken out, without the separators and the
    "and" that joined it to the address."""
    return " ".join(_LEFT_OVER.sub("", text).split())

"""The file formats the register imports, each a `Format` that maps one record with a
`Mapper`. Adding a format is one module here and one line in `FORMATS`."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO

from ...models.provenance import published_as_recorded
from ...schema.texts import N_, Composed, Given
from ..files import (
    DEFAULT_LIMITS,
    ONLY_A_HEADER,
    FileRefused,
    ReadLimits,
    SourceRecord,
    csv_records,
    json_records,
)
from ..mapping import ImportedEntry, Mapper
from ..values import squeeze


@dataclass(frozen=True)
class Format:
    name: str  # as `--format` takes it, such as "us-2025"
    label: str  # for people, such as "US federal AI use case inventory (2025)"
    source: str | None  # its key in the record definition's crosswalks
    map: Callable[[Mapper], None]
    # Columns that say a file is of this format: the header must have all of them.
    columns: tuple[str, ...]
    day_first: bool = True  # 1/2/2024 is 1 February (UK) or January 2 (US)
    reads: str = "csv"  # "csv", "json", or "csv or json"; for people if `read` is given
    # A field's column is the one its crosswalk names for `source`, unless the format's
    # files head their columns otherwise (then only `aliases` name them).
    crosswalk: bool = True
    # Other names real files use for a field's column (field, or "group.field" for a
    # repeating group's, -> columns), read after the crosswalk's: older or newer versions
    # of the source's format, its own spellings.
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # How to read a file that is not one record per CSV row or JSON object (a record's web
    # page, a workbook holding one record), if the format has a reader of its own.
    read: Callable[[IO[bytes], ReadLimits], Iterator[SourceRecord]] | None = None
    # The source's name for people, which its entries show ("Imported from ...", "Not
    # recorded in ..."), and its own page, where people can read it for themselves.
    source_name: str = ""
    source_url: str | None = None

    @property
    def as_recorded(self) -> bool:
        """Whether its entries may be published with questions the source did not answer."""
        return published_as_recorded(self.name)

    def link_of(self, imported: ImportedEntry) -> str | None:
        """The entry's own address in the source, where its identifier is one (a record
        on GOV.UK), else None."""
        identifier = imported.source_id
        return identifier if identifier.startswith(("https://", "http://")) else None

    def records(
        self, stream: IO[bytes], limits: ReadLimits = DEFAULT_LIMITS
    ) -> Iterator[SourceRecord]:
        if self.read is not None:
            return self.read(stream, limits)
        if self.reads == "csv":
            return csv_records(stream, limits)
        if self.reads == "json":
            return json_records(stream, limits)
        start = stream.read(1024).lstrip()[:1]
        stream.seek(0)
        if start in (b"[", b"{"):
            return json_records(stream, limits)
        return csv_records(stream, limits)

    def entries(
        self, stream: IO[bytes], limits: ReadLimits = DEFAULT_LIMITS
    ) -> Iterator[ImportedEntry]:
        """Every entry in the file, mapped, one at a time. Raises `FileRefused` if the file
        is not of this format at all, or goes beyond `limits`."""
        first = True
        for record in self.records(stream, limits):
            if first:
                self._check_columns(record)
                first = False
            mapper = Mapper(
                record,
                source=self.source,
                day_first=self.day_first,
                crosswalk=self.crosswalk,
                aliases=self.aliases,
            )
            self.map(mapper)
            yield mapper.finish()
        if first:
            raise FileRefused(ONLY_A_HEADER)

    def _check_columns(self, record: SourceRecord) -> None:
        have = {squeeze(name) for name in record.cells}
        missing = [name for name in self.columns if squeeze(name) not in have]
        if missing:
            named = Given(", ".join(f"“{name}”" for name in missing))
            raise FileRefused(
                Composed(
                    N_("This is not a file of the %(format)s format: it has no %(names)s column.")
                    if len(missing) == 1
                    else N_(
                        "This is not a file of the %(format)s format: it has no %(names)s columns."
                    ),
                    format=Given(self.label),
                    names=named,
                )
            )


# The formats import `Format` from here, so they are imported once it is defined.
from . import atrs, atrs_finder, atrs_record, atrs_template, dutch, native, us  # noqa: E402

FORMATS: dict[str, Format] = {
    item.name: item
    for item in (
        native.FORMAT,
        *atrs.FORMATS,
        *atrs_finder.FORMATS,
        *atrs_record.FORMATS,
        *atrs_template.FORMATS,
        *us.FORMATS,
        *dutch.FORMATS,
    )
}

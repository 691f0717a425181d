"""Reading a spreadsheet workbook (.xlsx) for import, within the same limits as a CSV file.

A workbook is a zip archive of XML parts, and anyone who may import can send a hostile one:
a zip bomb that unpacks to gigabytes, thousands of parts, XML that defines entities to
expand a few bytes into millions. So before the workbook is opened, its directory is read
(how many parts, what they unpack to, nothing encrypted or oddly compressed) and every XML
part is streamed through once, counting what it really unpacks to and refusing a document
type declaration, which no part of a real workbook has. Only then is it opened, by openpyxl
in read-only mode, one row at a time, with the rows, columns, cell length and reading time
of `ReadLimits`.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from openpyxl import load_workbook

from ..schema.texts import N_, Composed, Given
from .files import DEFAULT_LIMITS, Deadline, FileRefused, ReadLimits, too_long, too_many_rows

_ZIP = b"PK\x03\x04"
# The parts every workbook has; a zip archive without them is some other document.
_WORKBOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
_CHUNK = 64 * 1024
# XML a workbook never needs, and entity expansion needs: a document type declaration.
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
DAMAGED = N_("The workbook is damaged and cannot be read.")


@dataclass(frozen=True)
class WorkbookRow:
    """One row of one sheet: its cells' values from column A, as openpyxl reads them."""

    sheet: str
    number: int  # as the spreadsheet numbers it
    values: tuple[Any, ...]


def workbook_rows(stream: IO[bytes], limits: ReadLimits = DEFAULT_LIMITS) -> Iterator[WorkbookRow]:
    """Every row with a value in it, sheet by sheet. Raises `FileRefused` for a file that is
    not a workbook, or one over a limit."""
    deadline = Deadline(limits)
    start = stream.tell()
    if stream.read(len(_ZIP)) != _ZIP:
        stream.seek(start)
        raise FileRefused(N_("The file is not an Excel workbook (.xlsx)."))
    stream.seek(start)
    _check_parts(stream, limits, deadline)
    stream.seek(start)
    try:
        with warnings.catch_warnings():
            # openpyxl warns of the parts it leaves out (data validation, conditional
            # formatting); the answers are all that is read.
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(stream, read_only=True, data_only=True, keep_links=False)
    except FileRefused:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise FileRefused(DAMAGED) from None
    try:
        yield from _rows(workbook, limits, deadline)
    finally:
        workbook.close()


def _check_parts(stream: IO[bytes], limits: ReadLimits, deadline: Deadline) -> None:
    """Refuse the archive, before opening it as a workbook, if it holds too many parts,
    unpacks to too much, or has a part that is encrypted, compressed in a way a workbook's
    never is, or declares a document type."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused(
            N_("The file is not an Excel workbook (.xlsx): it cannot be unpacked.")
        ) from None
    with archive:
        parts = archive.infolist()
        if len(parts) > limits.parts:
            raise FileRefused(
                Composed(
                    N_(
                        "The workbook holds %(count)s parts; a workbook of entries holds far "
                        "fewer than %(most)s, so it was not opened."
                    ),
                    count=Given(f"{len(parts):,}"),
                    most=Given(f"{limits.parts:,}"),
                )
            )
        declared = sum(part.file_size for part in parts)
        if declared > limits.unpacked:
            raise FileRefused(
                Composed(
                    N_(
                        "The workbook would unpack to %(size)s, more than the %(most)s a "
                        "workbook may, so it was not opened."
                    ),
                    size=_megabytes(declared),
                    most=_megabytes(limits.unpacked),
                )
            )
        names = {part.filename for part in parts}
        if not all(name in names for name in _WORKBOOK_PARTS):
            raise FileRefused(N_("The file is a zip archive, not an Excel workbook (.xlsx)."))
        for part in parts:
            if part.flag_bits & 0x1:
                raise FileRefused(N_("The workbook is encrypted; save it without a password."))
            if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise FileRefused(N_("The workbook is compressed in a way Excel never uses."))
        unpacked = 0
        for part in parts:
            unpacked += _scan(archive, part, limits, deadline, unpacked)


def _scan(
    archive: zipfile.ZipFile,
    part: zipfile.ZipInfo,
    limits: ReadLimits,
    deadline: Deadline,
    so_far: int,
) -> int:
    """Stream one part through, counting what it unpacks to (an archive's directory can
    understate it) and refusing a document type declaration in XML. Returns its size."""
    size = 0
    tail = b""
    xml = part.filename.endswith((".xml", ".rels", ".vml"))
    try:
        with archive.open(part) as unpacking:
            while chunk := unpacking.read(_CHUNK):
                size += len(chunk)
                if so_far + size > limits.unpacked:
                    raise FileRefused(
                        Composed(
                            N_(
                                "The workbook unpacks to more than the %(most)s a workbook "
                                "may, so it was not opened."
                            ),
                            most=_megabytes(limits.unpacked),
                        )
                    )
                if xml and any(mark in tail + chunk for mark in _DECLARATIONS):
                    raise FileRefused(
                        N_(
                            "The workbook has XML that declares a document type, which no real "
                            "workbook does, so it was not opened."
                        )
                    )
                tail = chunk[-16:]
                deadline.check()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise FileRefused(DAMAGED) from None
    return size


def _rows(workbook: Any, limits: ReadLimits, deadline: Deadline) -> Iterator[WorkbookRow]:
    count = 0
    try:
        for sheet in workbook.worksheets:
            # The dimensions a sheet declares can be forged to pad every row with thousands
            # of empty cells; the cells themselves are what count.
            sheet.reset_dimensions()
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                deadline.check()
                width = len(values)
                while width and values[width - 1] in (None, ""):
                    width -= 1
                if not width:
                    continue
                if width > limits.columns:
                    raise FileRefused(
                        Composed(
                            N_(
                                "Row %(number)s of the sheet “%(sheet)s” has more than "
                                "%(most)s cells."
                            ),
                            number=Given(str(number)),
                            sheet=Given(sheet.title),
                            most=Given(f"{limits.columns:,}"),
                        )
                    )
                count += 1
                if count > limits.rows:
                    raise too_many_rows(limits)
                for value in values[:width]:
                    if isinstance(value, str) and len(value) > limits.cell:
                        where = Composed(
                            N_("A cell of the sheet “%(sheet)s”"), sheet=Given(sheet.title)
                        )
                        raise too_long(where, limits)
                yield WorkbookRow(sheet.title, number, tuple(values[:width]))
    except FileRefused:
        raise
    except Exception:  # a sheet damaged past its directory
        raise FileRefused(DAMAGED) from None


def _megabytes(size: int) -> str:
    if size >= 1024 * 1024:
        return Composed(N_("%(count)s MB"), count=Given(f"{size / (1024 * 1024):,.0f}"))
    return Composed(N_("%(count)s bytes"), count=Given(f"{size:,}"))

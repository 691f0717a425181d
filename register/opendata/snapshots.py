"""Dated monthly snapshots of the whole register, kept as frozen files a paper can cite.

`flask register snapshot` (run from cron) writes `register-YYYY-MM-DD.zip`, the data
package as it was that day, once a month, beside `register-YYYY-MM-DD.zip.sha256` (its
SHA-256, in the form `sha256sum --check` reads) and a `SHA256SUMS` listing every snapshot.
A snapshot is never written again: the file of a day that has one is left as it is.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from .built_files import write_atomically

NAME = re.compile(r"register-(\d{4}-\d{2}-\d{2})\.zip")
CHECKSUM_SUFFIX = ".sha256"
SUMS = "SHA256SUMS"
READ_SIZE = 1 << 20


@dataclass(frozen=True)
class Snapshot:
    """One snapshot: its file, its day, its size in bytes and its SHA-256 (hex)."""

    path: Path
    day: date
    size: int
    sha256: str

    @property
    def name(self) -> str:
        return self.path.name


def snapshot_name(day: date) -> str:
    return f"register-{day.isoformat()}.zip"


def _checksum_path(path: Path) -> Path:
    return path.with_name(path.name + CHECKSUM_SUFFIX)


def _day(name: str) -> date | None:
    matched = NAME.fullmatch(name)
    if not matched:
        return None
    try:
        return date.fromisoformat(matched.group(1))
    except ValueError:
        return None


def _read(path: Path) -> Snapshot | None:
    """The snapshot at `path`, if it is one whose checksum has been written."""
    day = _day(path.name)
    try:
        recorded = _checksum_path(path).read_text(encoding="ascii").split()[0]
        size = path.stat().st_size
    except (OSError, IndexError, UnicodeDecodeError):
        return None
    return Snapshot(path, day, size, recorded) if day else None


def snapshots(folder: Path) -> list[Snapshot]:
    """Every snapshot, newest first."""
    if not folder.is_dir():
        return []
    found = (_read(path) for path in folder.iterdir() if NAME.fullmatch(path.name))
    return sorted((s for s in found if s), key=lambda snapshot: snapshot.day, reverse=True)


def find(folder: Path, name: str) -> Snapshot | None:
    """The snapshot called `name`, or None for any other name (never a path outside)."""
    if _day(name) is None:
        return None
    return _read(folder / name)


def sums_text(listed: list[Snapshot]) -> str:
    """SHA256SUMS: every snapshot's checksum and name, oldest first."""
    return "".join(f"{s.sha256}  {s.name}\n" for s in sorted(listed, key=lambda s: s.day))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(READ_SIZE):
            digest.update(block)
    return digest.hexdigest()


def take_snapshot(folder: Path, today: date, write: Callable[[BinaryIO], None]) -> Snapshot | None:
    """This month's snapshot, written by `write` if the month has none yet; None if it has.

    The zip is put in place only if its name is free, so a snapshot is never replaced; its
    checksum follows, and a run that stopped between the two writes it next time.
    """
    month = [s for s in _named_in(folder) if (s.year, s.month) == (today.year, today.month)]
    if month:
        path = folder / snapshot_name(month[0])
        if _read(path) is not None:
            return None
    else:
        path = folder / snapshot_name(today)
        write_atomically(path, write, replace=False)
    checksum = _sha256(path)
    write_atomically(
        _checksum_path(path), lambda stream: stream.write(f"{checksum}  {path.name}\n".encode())
    )
    text = sums_text(snapshots(folder)).encode("ascii")
    write_atomically(folder / SUMS, lambda stream: stream.write(text))
    return _read(path)


def _named_in(folder: Path) -> list[date]:
    """The days of the snapshot files in `folder`, checksummed or not."""
    if not folder.is_dir():
        return []
    return sorted(day for path in folder.iterdir() if (day := _day(path.name)))

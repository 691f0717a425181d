"""Downloads kept as files on disk, rebuilt when the register changes.

Writing the whole register takes a minute at 100,000 entries, so it is written once per
change and then served from disk (with range requests and validators). Each kind of file
(a `BuiltFile`) lives in one folder under a name carrying its key: what it was built from,
such as the register's last change and the package's version. A file in place is never
changed; a change to the register gives a new name, and older builds are removed once the
new one is in place (a worker still sending one keeps reading it: POSIX keeps an open file).

A file is written under a temporary name and renamed into place in one step, so a reader
never sees half a file, and a failed build leaves nothing behind. Several workers may ask at
once: a lock on the kind's lock file lets one build it while the others stream a copy of
their own without keeping it. The operating system releases the lock of a worker that dies,
so no lock outlives its builder. Any download written as chunks (`zip_chunks`, a table's
Parquet chunks) can be kept this way: see `BuiltFile.keeping`.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

KEY_LENGTH = 24
TEMPORARY = ".part"


def build_key(*parts: str) -> str:
    """A key for a file built from `parts` (a moment, a version, ...), safe in a file name."""
    digest = hashlib.sha256("\x00".join(parts).encode("utf-8"))
    return digest.hexdigest()[:KEY_LENGTH]


def write_atomically(
    final: Path, write: Callable[[BinaryIO], None], *, replace: bool = True
) -> bool:
    """Write a file through `write` under a temporary name, then move it to `final` in one
    step. With `replace=False` a file already at `final` is kept as it is and False is
    returned. Whatever `write` raises, no temporary file is left behind."""
    with _temporary(final) as (stream, temporary):
        write(stream)
        _finish(stream)
        if replace:
            os.replace(temporary, final)
            return True
        try:
            # A hard link fails if `final` exists, where a rename would replace it.
            os.link(temporary, final)
        except FileExistsError:
            return False
        return True


@contextmanager
def _temporary(final: Path) -> Iterator[tuple[BinaryIO, Path]]:
    final.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}-", suffix=TEMPORARY)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream, temporary
    finally:
        temporary.unlink(missing_ok=True)


def _finish(stream: BinaryIO) -> None:
    stream.flush()
    os.fsync(stream.fileno())


@dataclass(frozen=True)
class BuiltFile:
    """One kind of built file, such as the register's zip: `folder/stem-<key>suffix`."""

    folder: Path
    stem: str
    suffix: str

    def path(self, key: str) -> Path:
        return self.folder / f"{self.stem}-{key}{self.suffix}"

    def find(self, key: str) -> Path | None:
        """The file built for `key`, if it has been."""
        path = self.path(key)
        return path if path.is_file() else None

    def keeping(self, key: str, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """`chunks` as they come, kept as the file for `key` once the last has come. If
        another worker is building the file already, they are only passed on."""
        with self._lock() as locked:
            if not locked or self.find(key):
                yield from chunks
                return
            path = self.path(key)
            with _temporary(path) as (stream, temporary):
                for chunk in chunks:
                    stream.write(chunk)
                    yield chunk
                _finish(stream)
                os.replace(temporary, path)
            self._remove_older(path)

    @contextmanager
    def _lock(self) -> Iterator[bool]:
        """Whether this worker holds the kind's lock (False: another is building)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(self.folder / f".{self.stem}{self.suffix}.lock", os.O_CREAT | os.O_RDWR)
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(handle)  # which releases the lock

    def _remove_older(self, kept: Path) -> None:
        """Remove every other build of this kind, and what builders that died left half
        written (only the lock's holder writes, and it holds the lock now)."""
        name = rf"{re.escape(self.stem)}-[0-9a-f]{{{KEY_LENGTH}}}{re.escape(self.suffix)}"
        pattern = re.compile(rf"{name}|\.{name}-.*{re.escape(TEMPORARY)}")
        for path in self.folder.iterdir():
            if path != kept and pattern.fullmatch(path.name):
                path.unlink(missing_ok=True)

"""What every standard's shape offers: a name, a description and the files it is written as."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

Record = dict[str, Any]


@dataclass(frozen=True)
class Writing:
    """One file format a shape is offered in.

    `one` writes one entry's record as a whole file; `many` writes the records of many
    entries (the whole register) as chunks of one file, streamed, so memory stays flat.
    """

    extension: str
    media_type: str
    label: str
    one: Callable[[Record], bytes]
    many: Callable[[Iterable[Record]], Iterator[bytes]]


@dataclass(frozen=True)
class Shape:
    """One register's standard. `code` names it in addresses (`/download/standards/<code>.json`);
    `import_format` is the name `flask register import --format` and the upload page read the
    same shape by, if the register can import it; `docs_anchor` is its section of
    `docs/standards.md`."""

    code: str
    label: str
    summary: str
    writings: tuple[Writing, ...]
    import_format: str | None = None
    docs_anchor: str = ""

    def writing(self, extension: str) -> Writing:
        for writing in self.writings:
            if writing.extension == extension:
                return writing
        raise KeyError(extension)

"""How far the check of an uploaded file has got, kept where every worker can read it.

The upload page sends the file from the browser and asks, about once a second, how far the
check has got; those requests may reach any worker, not the one checking the file. So the
worker checking it writes its progress to the database (`ImportProgress`), keyed by a random
token the form carries, every few hundred rows, each time in a short transaction on a
connection of its own: it is visible at once to the others, and holds no lock that the check
(or anyone else) waits for. If writing it fails, the check goes on without it.

How many rows the file has is not known until it is all read; it is estimated from the
share of the file's bytes read so far, for formats read from start to end.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import IO

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql import Executable

from ..extensions import db
from ..models import ImportProgress

log = logging.getLogger(__name__)

# How often the progress is written: every this many rows checked.
WRITE_EVERY = 250
# A check that never ended (its worker stopped) leaves its progress this long at most.
KEPT_FOR = timedelta(days=1)
# What a token looks like: `new_token`'s 43 characters, or a little more or less.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")
_TABLE = ImportProgress.__table__


def new_token() -> str:
    """A token for one upload form, to ask for its check's progress by."""
    return secrets.token_urlsafe(32)


def is_token(text: object) -> bool:
    return isinstance(text, str) and _TOKEN.fullmatch(text) is not None


@dataclass(frozen=True)
class Progress:
    """What the upload page shows: rows checked so far, of about how many (if known), and
    whether every row is checked."""

    rows_checked: int
    rows_expected: int | None
    finished: bool

    def as_json(self) -> dict[str, object]:
        return {
            "rows_checked": self.rows_checked,
            "rows_expected": self.rows_expected,
            "finished": self.finished,
        }


def progress_of(token: str, user_id: int) -> Progress | None:
    """The progress of the check the person started with `token`; None if there is none,
    or it is someone else's (which is not told apart)."""
    if not is_token(token):
        return None
    found = db.session.execute(
        select(_TABLE.c.rows_checked, _TABLE.c.rows_expected, _TABLE.c.finished).where(
            _TABLE.c.token == token, _TABLE.c.user_id == user_id
        )
    ).first()
    return None if found is None else Progress(*found)


class Recorder:
    """Records a check's progress as `importing.review` reports it, row by row: use it as
    the review's `progress` callback, inside a `with` block that starts and ends it.

    `stream` is the file being read and `size` its length, for the estimate of how many rows
    it has; pass `stream=None` where the file is not read from start to end (a workbook).
    Without a `token` it records nothing.
    """

    def __init__(
        self, token: str | None, user_id: int, stream: IO[bytes] | None, size: int
    ) -> None:
        self.token = token
        self.user_id = user_id
        self._stream = stream
        self._size = size
        self._expected: int | None = None
        self._written = 0
        self._on = False

    def __enter__(self) -> Recorder:
        if self.token is None:
            return self
        now = datetime.now(UTC)
        self._on = self._write(
            delete(_TABLE).where(_TABLE.c.updated_at < now - KEPT_FOR),
            insert(_TABLE).values(
                token=self.token,
                user_id=self.user_id,
                rows_checked=0,
                rows_expected=None,
                finished=False,
                updated_at=now,
            ),
        )
        return self

    def __call__(self, rows: int) -> None:
        """`rows` rows have been checked: written if a few hundred more than last time."""
        if self._on and rows - self._written >= WRITE_EVERY:
            self._record(rows, self._estimate(rows), finished=False)

    def finished(self, rows: int) -> None:
        """Every row is checked (`rows` of them); the report is being kept."""
        if self._on:
            self._record(rows, rows, finished=True)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._on:
            self._write(delete(_TABLE).where(_TABLE.c.token == self.token))
            self._on = False

    def _record(self, rows: int, expected: int | None, *, finished: bool) -> None:
        self._written = rows
        self._on = self._write(
            update(_TABLE)
            .where(_TABLE.c.token == self.token)
            .values(
                rows_checked=rows,
                rows_expected=expected,
                finished=finished,
                updated_at=datetime.now(UTC),
            )
        )

    def _estimate(self, rows: int) -> int | None:
        """About how many rows the file has: the rows checked, scaled by the share of the
        file read to find them. Kept as it was once the whole file is read (the last rows
        are read in one piece, so the share no longer tells), and never fewer than checked."""
        if self._stream is not None and self._size:
            read = self._stream.tell()
            if 0 < read < self._size:
                self._expected = round(rows * self._size / read)
        return None if self._expected is None else max(self._expected, rows)

    def _write(self, *statements: Executable) -> bool:
        """Run the statements in a transaction of their own, on a connection of their own;
        whether that worked (if not, the check goes on without recording its progress)."""
        try:
            with db.engine.begin() as connection:
                for statement in statements:
                    connection.execute(statement)
        except SQLAlchemyError:
            log.warning("Could not record an import's progress", exc_info=True)
            return False
        return True

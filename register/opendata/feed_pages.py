"""One page of a feed: its publications and withdrawals, and where the pages either side begin.

A feed is one timeline of events, newest first: the publication of each current version
the feed lists, and each withdrawal of an entry it held (a tombstone). Pages are found by a
cursor naming the last event seen (its moment, kind and id), never by position, so a reader
walking back while entries are published neither sees an event twice nor misses one: new
events only ever join the newest end. (An entry revised or withdrawn meanwhile leaves its
older place for the newest end too, where the reader's next look at the first page finds
it.) The order is total, to the microsecond and then by kind and id, so events of the same
moment are never split or repeated either.

Paged feeds (RFC 5005 section 3) rather than archived ones (section 4): an archive page
must never change, but a feed's older pages do, as entries are revised or withdrawn, and a
search's feed has no fixed archive at all.

A cursor is written as a short opaque token (`cursor_token`) and read back by
`parse_cursor`, which refuses anything it did not write with `CursorError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, or_

from ..extensions import db
from ..models import Entry, EntryVersion
from . import feeds
from .records import utc

# The kinds of event, in the order they take within one moment (the higher first).
WITHDRAWAL, PUBLICATION = 0, 1
_KIND_LETTERS = {WITHDRAWAL: "w", PUBLICATION: "p"}
_TOKEN = re.compile(r"([on])([0-9]{1,18})\.([pw])([0-9]{1,12})")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_FOLLOW = "follow the feed's own links from its first page"


class CursorError(ValueError):
    """A cursor this register did not write; the message says so in plain words."""


@dataclass(frozen=True)
class Cursor:
    """An event of the timeline, and which side of it a page lies: older events (the next
    page, walking back) or newer ones (the previous page)."""

    moment: datetime
    kind: int
    id: int
    newer: bool = False

    def key(self) -> tuple[datetime, int, int]:
        return (self.moment, self.kind, self.id)


def cursor_token(cursor: Cursor) -> str:
    """The cursor as it goes in an address, such as `o1740821400000000.p42`."""
    micros = (cursor.moment - _EPOCH) // timedelta(microseconds=1)
    direction = "n" if cursor.newer else "o"
    return f"{direction}{micros}.{_KIND_LETTERS[cursor.kind]}{cursor.id}"


def parse_cursor(token: str) -> Cursor:
    """The cursor `cursor_token` wrote as `token`; `CursorError` for anything else."""
    found = _TOKEN.fullmatch(token)
    if found is None:
        raise CursorError("is not a cursor this feed gave: " + _FOLLOW)
    direction, micros, kind, number = found.groups()
    try:
        moment = _EPOCH + timedelta(microseconds=int(micros))
    except OverflowError:
        raise CursorError("names a moment outside the calendar: " + _FOLLOW) from None
    kind_code = WITHDRAWAL if kind == "w" else PUBLICATION
    return Cursor(moment, kind_code, int(number), newer=direction == "n")


@dataclass(frozen=True)
class FeedPage:
    """The events on one page, newest first: the ids of the versions published and the rows
    of the withdrawals (as `published.withdrawals` gives them); and the cursors of the pages
    of older (`next`) and newer (`previous`) events, None where there are none."""

    version_ids: list[int]
    withdrawals: list[Row]
    next: Cursor | None
    previous: Cursor | None


@dataclass(frozen=True)
class _Event:
    moment: datetime
    kind: int
    id: int
    row: Any

    def key(self) -> tuple[datetime, int, int]:
        return (self.moment, self.kind, self.id)

    def cursor(self, *, newer: bool) -> Cursor:
        return Cursor(self.moment, self.kind, self.id, newer=newer)


def _beyond(moment: Any, identity: Any, kind: int, cursor: Cursor) -> ColumnElement[bool]:
    """The condition on one stream for events on the cursor's side of it."""
    before, after = (moment > cursor.moment, identity > cursor.id)
    if not cursor.newer:
        before, after = (moment < cursor.moment, identity < cursor.id)
    if kind == cursor.kind:
        return or_(before, and_(moment == cursor.moment, after))
    # Within one moment a publication comes after (is newer than) a withdrawal.
    if (kind > cursor.kind) == cursor.newer:
        return or_(before, moment == cursor.moment)
    return before


def _stream(
    query: Select, moment: Any, identity: Any, kind: int, cursor: Cursor | None, length: int
) -> list[_Event]:
    """Up to `length` events of one stream on the cursor's side, nearest the cursor first."""
    newer = cursor is not None and cursor.newer
    if cursor is not None:
        query = query.where(_beyond(moment, identity, kind, cursor))
    order = (moment.asc(), identity.asc()) if newer else (moment.desc(), identity.desc())
    rows = db.session.execute(query.order_by(None).order_by(*order).limit(length))
    return [_Event(utc(row.moment), kind, row.identity, row) for row in rows]


def feed_page(
    versions: Select,
    withdrawals: Select | None = None,
    cursor: Cursor | None = None,
    since: datetime | None = None,
) -> FeedPage:
    """The page of the feed of `versions` (current versions, as `published` or the search
    select them) and `withdrawals` (as `published.withdrawals` selects them) that `cursor`
    names: the newest events if it is None. With `since`, withdrawals before it are left
    out (the caller narrows `versions` itself, as the search does). A page holds
    `FEED_LENGTH` events."""
    length = feeds.FEED_LENGTH
    published_versions = versions.with_only_columns(
        EntryVersion.id.label("identity"), EntryVersion.published_at.label("moment")
    )
    events = _stream(
        published_versions,
        EntryVersion.published_at,
        EntryVersion.id,
        PUBLICATION,
        cursor,
        length + 1,
    )
    if withdrawals is not None:
        if since is not None:
            withdrawals = withdrawals.where(Entry.withdrawn_at >= since)
        gone = withdrawals.add_columns(
            Entry.withdrawn_at.label("moment"), Entry.id.label("identity")
        )
        events += _stream(gone, Entry.withdrawn_at, Entry.id, WITHDRAWAL, cursor, length + 1)
    newer = cursor is not None and cursor.newer
    events.sort(key=_Event.key, reverse=not newer)
    more = len(events) > length
    shown = events[:length]
    if newer:
        shown.reverse()
    older_page = shown[-1].cursor(newer=False) if shown and (more or newer) else None
    newer_page = None
    if shown and cursor is not None and (more or not newer):
        newer_page = shown[0].cursor(newer=True)
    return FeedPage(
        version_ids=[event.id for event in shown if event.kind == PUBLICATION],
        withdrawals=[event.row for event in shown if event.kind == WITHDRAWAL],
        next=older_page,
        previous=newer_page,
    )

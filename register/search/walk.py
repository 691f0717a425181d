"""A walk through every result of a search, a page at a time, by cursor (for the API).

Page numbers count from the top of a list that moves: publish an entry while a client pages
through by number and one result is shown twice, withdraw one and another is never shown. A
walk instead follows an order no change can disturb, the order in which entries were
created (that of their references), and each page starts after the last entry of the one
before. A revision keeps its entry's place, a newly published entry takes its own place
ahead or behind, and a withdrawn one leaves its place empty, so every entry public for the
whole walk is met exactly once. (The updated and title orders cannot promise this: a
revision moves its entry in both.)
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select

from ..cursors import CursorError, read_cursor, write_cursor
from ..extensions import db
from ..models import EntryVersion
from .conditions import conditions
from .facets import counts, directory
from .query import SearchError, SearchQuery

# The cursor of a walk's first page.
START = "start"
CURSOR = "cursor"
_PURPOSE = "entries"


@dataclass(frozen=True)
class WalkPage:
    """One page of a walk: its versions' ids in order, how many results the search has in
    all, and the cursor of the next page (None after the last)."""

    version_ids: tuple[int, ...]
    total: int
    next_cursor: str | None


def _search_key(query: SearchQuery) -> str:
    """A short digest of the search, so a cursor is not taken on by another search."""
    params = json.dumps(query.to_params(paging=False), ensure_ascii=False)
    return hashlib.sha256(params.encode()).hexdigest()[:16]


def _after(query: SearchQuery, cursor: str) -> int:
    """The entry id the page starts after."""
    if cursor == START:
        return 0
    try:
        after, key = read_cursor(cursor, _PURPOSE, 2)
    except CursorError:
        raise SearchError(
            CURSOR,
            f"is not a cursor the register gave out; start the walk again with {CURSOR}={START}",
        ) from None
    if key != _search_key(query) or not isinstance(after, int):
        raise SearchError(
            CURSOR, "belongs to another search; follow links.next as given with its parameters"
        )
    return after


def walk(query: SearchQuery, cursor: str) -> WalkPage:
    """The page of `query`'s results after `cursor` (`START` for the first), `page_size`
    current versions in order of their entries. Raises `SearchError` for a cursor this
    search did not give out."""
    after = _after(query, cursor)
    rows = db.session.execute(
        select(EntryVersion.id, EntryVersion.entry_id)
        .where(*conditions(query), EntryVersion.entry_id > after)
        .order_by(EntryVersion.entry_id)
        .limit(query.page_size + 1)
    ).all()
    page = rows[: query.page_size]
    following = None
    if len(rows) > query.page_size:
        following = write_cursor([page[-1].entry_id, _search_key(query)], _PURPOSE)
    total = counts(query, directory(), facets=False).total
    return WalkPage(tuple(row.id for row in page), total, following)

"""Atom feeds of new and updated entries (any search, and per organisation), the sitemap, and
robots.txt that points crawlers to it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, request, url_for
from flask_babel import gettext
from sqlalchemy import Row, Select, func, select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from .. import published
from ..addresses import absolute_path, absolute_url, current_address, in_every_language
from ..extensions import db
from ..languages import PREFIXES, current_language, in_page_language, writing_in
from ..models import Entry, Organisation
from ..opendata.feed_pages import (
    Cursor,
    CursorError,
    FeedPage,
    cursor_token,
    feed_page,
    parse_cursor,
)
from ..opendata.feeds import (
    SITEMAP_PAGE,
    FeedItem,
    Tombstone,
    atom_feed,
    item_id,
    sitemap_index,
    url_set,
)
from ..opendata.freshness import search_freshness
from ..opendata.records import utc
from ..search import SearchError, SearchQuery, matching, parse_query
from ..search.query import CHANGED_SINCE
from .api_errors import json_error
from .download_responses import allow_cors, is_fresh, not_modified

blueprint = Blueprint("feeds", __name__)
blueprint.after_request(allow_cors)

ATOM_TYPE = "application/atom+xml"
XML_TYPE = "application/xml"
# The parameter naming a page of a feed, and the feed's name for the search's changed_since.
CURSOR = "cursor"
SINCE = "since"


def _entry_url(reference: str) -> str:
    return absolute_url("entry_pages.entry", reference=reference)


def _items(version_ids: list[int]) -> list[FeedItem]:
    """The feed's entries, each with its title and summary in the feed's language where the
    entry gives them in it."""
    items = []
    for row in published.announcements(version_ids):
        title = in_page_language(row.title or row.reference, row.title_cy)
        summary = in_page_language(row.summary, row.summary_cy)
        items.append(
            FeedItem(
                url=_entry_url(row.reference),
                title=title,
                summary=summary,
                organisation=row.name,
                version=row.number,
                updated=utc(row.published_at),
                published=utc(row.first_published_at or row.published_at),
                change_note=row.change_note or "",
                title_lang=title.lang,
                summary_lang=summary.lang,
            )
        )
    return items


def _tombstones(rows: list[Row]) -> list[Tombstone]:
    """Withdrawals as tombstones, each naming the feed's id for its entry's last version."""
    found = []
    for row in rows:
        url = _entry_url(row.reference)
        found.append(
            Tombstone(item_id(url, row.last_version), url, utc(row.withdrawn_at), row.reason)
        )
    return found


def _page_links(page: FeedPage) -> dict[str, str]:
    """RFC 5005's links from a page of the feed to the first page and its neighbours: the
    feed's own address and parameters, with the cursor of each neighbour."""
    kept = [(name, value) for name, value in request.args.items(multi=True) if name != CURSOR]

    def address(cursor: Cursor | None) -> str:
        pairs = kept + ([(CURSOR, cursor_token(cursor))] if cursor else [])
        return absolute_path(request.path + (f"?{urlencode(pairs)}" if pairs else ""))

    links = {"first": address(None)}
    if page.next is not None:
        links["next"] = address(page.next)
    if page.previous is not None:
        links["previous"] = address(page.previous)
    return links


def _feed(
    title: str,
    page_url: str,
    versions: Select,
    withdrawals: Select | None = None,
    since: datetime | None = None,
) -> Response:
    """A page of the feed of `versions`' publications, and of `withdrawals` (those at or after
    `since`) if the feed can say which withdrawn entries belonged in it: the newest, or the
    page the `cursor` parameter names."""
    token = request.args.get(CURSOR)
    try:
        cursor = parse_cursor(token) if token is not None else None
    except CursorError as error:
        return json_error(400, str(error), CURSOR)
    # Each language's feed is its own (its title and links): the ETag says which.
    freshness = search_freshness(request.args, "atom", current_language(), request.full_path)
    if is_fresh(freshness):
        return not_modified(freshness)
    page = feed_page(versions, withdrawals, cursor, since)
    items = _items(page.version_ids)
    withdrawn = _tombstones(page.withdrawals)
    moments = [item.updated for item in items[:1]] + [gone.when for gone in withdrawn[:1]]
    links = _page_links(page)
    body = atom_feed(
        title=title,
        feed_url=current_address(),
        page_url=page_url,
        updated=max(moments) if moments else freshness.last_changed,
        items=items,
        withdrawn=withdrawn,
        feed_id=links["first"],
        pages=links,
    )
    response = current_app.response_class(body, mimetype=ATOM_TYPE)
    response.set_etag(freshness.etag)
    response.last_modified = freshness.last_changed
    return response


def _search_arguments() -> MultiDict[str, str]:
    """The request's parameters, with `since` read as the search's `changed_since`."""
    args = MultiDict(request.args)
    if SINCE in args:
        if CHANGED_SINCE in args:
            raise SearchError(SINCE, f"give {SINCE} or {CHANGED_SINCE}, not both")
        args.setlist(CHANGED_SINCE, args.poplist(SINCE))
    return args


def _search(args: Mapping[str, Any]) -> SearchQuery:
    """The search `args` ask for; `SearchError` naming the parameter as the request did."""
    try:
        return parse_query(args, strict=True)[0]
    except SearchError as error:
        if error.parameter == CHANGED_SINCE and SINCE in request.args:
            raise SearchError(SINCE, error.message) from None
        raise


@blueprint.get("/entries.atom")
def entries_feed() -> Response:
    """The published and updated entries matching the listing's parameters, newest first,
    a page at a time."""
    try:
        query = _search(_search_arguments())
    except SearchError as error:
        return json_error(400, error.message, error.parameter)
    # Written in the language of its address, links and all: /cy/entries.atom in Welsh.
    with writing_in(current_language()):
        name = gettext(current_app.config["REGISTER_NAME"])
        # The listing of the same search (a feed's cursor and `since` are not the listing's).
        params = query.to_params(paging=False)
        listing = absolute_path("/entries" + (f"?{urlencode(params)}" if params else ""))
        # Withdrawn entries leave the search index, so only the feed of the whole register
        # (since a moment, or ever) can say which were withdrawn; a search's feed cannot tell
        # which of them it would have held.
        everything = replace(query, changed_since=None).finds_everything
        withdrawals = published.withdrawals() if everything else None
        return _feed(
            gettext("%(register)s: new and updated entries", register=name),
            listing,
            matching(query),
            withdrawals,
            query.changed_since,
        )


@blueprint.get("/organisations/<slug>.atom")
def organisation_feed(slug: str) -> Response:
    """The published and updated entries of one organisation, newest first, a page at a
    time; `since` (or `changed_since`) as on the search feed."""
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        abort(404)
    try:
        args = _search_arguments()
        query = _search({"organisation": [slug], CHANGED_SINCE: args.getlist(CHANGED_SINCE)})
    except SearchError as error:
        return json_error(400, error.message, error.parameter)
    with writing_in(current_language()):
        page = absolute_path(f"/organisations/{organisation.slug}")
        return _feed(
            gettext("%(organisation)s: new and updated entries", organisation=organisation.name),
            page,
            matching(query),
            published.withdrawals(organisation),
            query.changed_since,
        )


def _xml(body: bytes) -> Response:
    return current_app.response_class(body, mimetype=XML_TYPE)


# Where crawlers have nothing to read: pages for signed-in people, and forms.
NOT_FOR_CRAWLERS = (
    "/manage",
    "/admin",
    "/account",
    "/sign-in",
    "/sign-out",
    "/forgot-password",
    "/reset-password",
    "/invitations",
)


@blueprint.get("/robots.txt")
def robots() -> Response:
    """Every public page may be crawled; the sitemap lists them."""
    # The same pages in every language: English has no prefix, Welsh starts /cy.
    starts = ["", *PREFIXES.values()]
    lines = ["User-agent: *"]
    lines += [f"Disallow: {start}{path}" for start in starts for path in NOT_FOR_CRAWLERS]
    lines += ["", f"Sitemap: {absolute_url('feeds.sitemap')}", ""]
    return current_app.response_class("\n".join(lines), mimetype="text/plain")


def _entry_files() -> int:
    """How many sitemap files the entries take: one per block of ids, up to the highest."""
    highest = db.session.scalar(select(func.max(Entry.id))) or 0
    return highest // SITEMAP_PAGE + 1


@blueprint.get("/sitemap.xml")
def sitemap() -> Response:
    """A sitemap index: the register's pages, then the entries a file at a time."""
    files = [absolute_url("feeds.sitemap_pages")]
    files += [
        absolute_url("feeds.sitemap_entries", number=number)
        for number in range(1, _entry_files() + 1)
    ]
    return _xml(sitemap_index(files))


@blueprint.get("/sitemaps/pages.xml")
def sitemap_pages() -> Response:
    """The register's own pages, and the page of each organisation with public entries, in
    each language."""
    paths = [url_for("public.home"), "/entries"]
    paths += [
        url_for(endpoint)
        for endpoint in (
            "organisations.index",
            "open_data.open_data",
            "open_data.api_page",
            "public.accessibility",
        )
    ]
    slugs = db.session.scalars(
        select(published.organisations_with_entries().subquery().c.slug).order_by("slug")
    )
    paths += [url_for("organisations.organisation", slug=slug) for slug in slugs]
    return _xml(url_set((in_every_language(path), None) for path in paths))


@blueprint.get("/sitemaps/entries-<int(min=1, max=100000):number>.xml")
def sitemap_entries(number: int) -> Response:
    """Entries whose ids fall in the `number`th block: the same block every time, so each
    file stays the same size and is found without counting."""
    if number > _entry_files():
        abort(404)  # the index lists no such file
    first = (number - 1) * SITEMAP_PAGE + 1
    rows = published.entries_by_id(first, first + SITEMAP_PAGE)
    return _xml(
        url_set(
            (in_every_language(url_for("entry_pages.entry", reference=reference)), utc(modified))
            for reference, modified in rows
        )
    )

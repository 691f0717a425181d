"""Atom feeds of new and updated entries (any search, and per organisation), the sitemap, and
robots.txt that points crawlers to it."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request
from sqlalchemy import Select, func, select
from werkzeug.wrappers import Response

from .. import published
from ..addresses import absolute_path, absolute_url, current_address
from ..extensions import db
from ..models import Entry, EntryVersion, Organisation
from ..opendata.feeds import (
    FEED_LENGTH,
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
from ..search import SearchError, matching, parse_query
from .api_errors import json_error
from .download_responses import allow_cors, is_fresh, not_modified

blueprint = Blueprint("feeds", __name__)
blueprint.after_request(allow_cors)

ATOM_TYPE = "application/atom+xml"
XML_TYPE = "application/xml"


def _entry_url(reference: str) -> str:
    return absolute_url("entry_pages.entry", reference=reference)


def _items(version_ids: list[int]) -> list[FeedItem]:
    return [
        FeedItem(
            url=_entry_url(row.reference),
            title=row.title or row.reference,
            summary=row.summary or "",
            organisation=row.name,
            version=row.number,
            updated=utc(row.published_at),
            published=utc(row.first_published_at or row.published_at),
            change_note=row.change_note or "",
        )
        for row in published.announcements(version_ids)
    ]


def _newest(versions: Select) -> list[int]:
    """The ids `versions` selects, newest publication first, at most a feed's length."""
    query = (
        versions.with_only_columns(EntryVersion.id)
        .order_by(None)
        .order_by(EntryVersion.published_at.desc(), EntryVersion.id.desc())
        .limit(FEED_LENGTH)
    )
    return list(db.session.scalars(query))


def _tombstones(withdrawals: Select) -> list[Tombstone]:
    """The newest withdrawals, each naming the feed's id for its entry's last version."""
    found = []
    for row in db.session.execute(withdrawals.limit(FEED_LENGTH)):
        url = _entry_url(row.reference)
        found.append(
            Tombstone(item_id(url, row.last_version), url, utc(row.withdrawn_at), row.reason)
        )
    return found


def _feed(
    title: str, page_url: str, versions: Select, withdrawals: Select | None = None
) -> Response:
    """A feed of `versions`' newest publications, and of `withdrawals` if the feed can say
    which withdrawn entries belonged in it."""
    freshness = search_freshness(request.args, "atom", request.full_path)
    if is_fresh(freshness):
        return not_modified(freshness)
    items = _items(_newest(versions))
    withdrawn = _tombstones(withdrawals) if withdrawals is not None else []
    moments = [item.updated for item in items[:1]] + [gone.when for gone in withdrawn[:1]]
    body = atom_feed(
        title=title,
        feed_url=current_address(),
        page_url=page_url,
        updated=max(moments) if moments else freshness.last_changed,
        items=items,
        withdrawn=withdrawn,
    )
    response = current_app.response_class(body, mimetype=ATOM_TYPE)
    response.set_etag(freshness.etag)
    response.last_modified = freshness.last_changed
    return response


@blueprint.get("/entries.atom")
def entries_feed() -> Response:
    """The newest published and updated entries matching the listing's parameters."""
    try:
        query, _notices = parse_query(request.args, strict=True)
    except SearchError as error:
        return json_error(400, error.message, error.parameter)
    name = current_app.config["REGISTER_NAME"]
    listing = absolute_path("/entries")
    if request.query_string:
        listing += "?" + request.query_string.decode("latin-1")
    # Withdrawn entries leave the search index, so only the feed of the whole register can
    # say which were withdrawn; a search's feed cannot tell which of them it would have held.
    withdrawals = published.withdrawals() if query.finds_everything else None
    return _feed(f"{name}: new and updated entries", listing, matching(query), withdrawals)


@blueprint.get("/organisations/<slug>.atom")
def organisation_feed(slug: str) -> Response:
    """The newest published and updated entries of one organisation."""
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        abort(404)
    versions = published.current_versions(organisation)
    page = absolute_path(f"/organisations/{organisation.slug}")
    return _feed(
        f"{organisation.name}: new and updated entries",
        page,
        versions,
        published.withdrawals(organisation),
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
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in NOT_FOR_CRAWLERS)]
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
    """The register's own pages, and the page of each organisation with public entries."""
    pages = [absolute_url("public.home"), absolute_path("/entries")]
    pages += [
        absolute_url(endpoint)
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
    pages += [absolute_url("organisations.organisation", slug=slug) for slug in slugs]
    return _xml(url_set((page, None) for page in pages))


@blueprint.get("/sitemaps/entries-<int(min=1, max=100000):number>.xml")
def sitemap_entries(number: int) -> Response:
    """Entries whose ids fall in the `number`th block: the same block every time, so each
    file stays the same size and is found without counting."""
    if number > _entry_files():
        abort(404)  # the index lists no such file
    first = (number - 1) * SITEMAP_PAGE + 1
    rows = published.entries_by_id(first, first + SITEMAP_PAGE)
    return _xml(url_set((_entry_url(reference), utc(modified)) for reference, modified in rows))

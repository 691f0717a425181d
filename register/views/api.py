"""The read API at /api/v1: entries (searched as on /entries), versions, organisations,
vocabularies and statistics, as JSON shaped by the schemas in `opendata.serialisers`.

Everything here only reads and is open to any site (CORS); organisations write through
the submission API (`api_submissions`). Errors come as JSON (`api_errors`).
The OpenAPI document describing all of this is built and served by `api_openapi.py`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, current_app, request
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from .. import published, schema
from ..addresses import absolute_url
from ..cursors import CursorError
from ..extensions import db, limiter
from ..models import Organisation
from ..opendata import changes as change_log
from ..opendata import serialisers
from ..opendata.freshness import register_last_changed
from ..opendata.records import load_records, timestamp
from ..opendata.statistics import register_statistics
from ..schema.vocabularies import VOCABULARIES
from ..search import PARAMETERS, SearchError, SearchQuery, parse_query, run
from ..search.query import MOMENT_FORMS, moment_param, parse_moment
from ..search.walk import CURSOR, START, walk
from ..security import limit_from
from . import api_errors
from .api_errors import ApiError
from .download_responses import allow_cors, wants_gzip
from .downloads import own_spelling, public_entry, version_record

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
blueprint.after_request(allow_cors)
limiter.shared_limit(limit_from("API_RATE_LIMIT"), scope="api")(blueprint)
api_errors.install(blueprint)

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Answers smaller than this are sent as they are: compressing them saves next to nothing.
GZIP_FROM_BYTES = 1024
# What changes with the day as well as with the register (overdue reviews), so has no moment
# of change to give as Last-Modified: only its ETag says whether a copy is current.
CHANGES_WITH_THE_DAY = {"api.statistics"}


@blueprint.after_request
def validated(response: Response) -> Response:
    """Give each JSON answer validators that move whenever its bytes do (an ETag hashed from
    them, and the register's last change as Last-Modified), answer 304 to a client whose copy
    is current, and compress the answer for clients that accept gzip."""
    if (
        request.method not in ("GET", "HEAD")
        or response.status_code != 200
        or response.is_streamed
        or response.mimetype != "application/json"
    ):
        return response
    body = response.get_data()
    tag = hashlib.sha256(body).hexdigest()[:32]
    if request.endpoint not in CHANGES_WITH_THE_DAY and "review" not in request.args:
        response.last_modified = register_last_changed()
    response.vary.add("Accept-Encoding")
    if wants_gzip() and len(body) >= GZIP_FROM_BYTES:
        response.set_data(gzip.compress(body, compresslevel=6))
        response.headers["Content-Encoding"] = "gzip"
        tag += "-gz"  # another representation, so another validator
    response.set_etag(tag)
    # Caches may keep a copy but must ask each time whether it is still current.
    response.headers["Cache-Control"] = "public, no-cache"
    return response.make_conditional(request)


def _json(data: Any) -> Response:
    # Not jsonify: it sorts keys, and a record's keys are in the order of the form.
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return current_app.response_class(body + "\n", mimetype="application/json")


def _answer(schema_class: type, data: Any) -> Response:
    return _json(schema_class().dump(data))


def _refuse_parameters(allowed: set[str]) -> None:
    for name in request.args:
        if name not in allowed:
            raise ApiError(400, f"{name} is not a parameter of this address.", name)


@blueprint.get("")
def index() -> Response:
    """Where everything in the API is."""
    return _json(
        {
            "openapi": absolute_url("api.openapi"),
            "entries": absolute_url("api.entries"),
            "organisations": absolute_url("api.organisations"),
            "vocabularies": absolute_url("api.vocabularies"),
            "statistics": absolute_url("api.statistics"),
            "changes": absolute_url("api.changes"),
            # The record schema every entry follows, and its version (each entry names the
            # version it follows too, in `schema_version`).
            "schema": absolute_url("api.record_schema", version=schema.SCHEMA_VERSION),
            "schema_version": schema.SCHEMA_VERSION,
        }
    )


def _refused(error: SearchError) -> ApiError:
    return ApiError(400, f"{error.parameter} {error.message}", error.parameter)


@blueprint.get("/entries")
def entries() -> Response:
    """One page of the entries matching a search, whole records, with a link to the next:
    by page number, or by cursor (see `search.walk`)."""
    _refuse_parameters({*PARAMETERS, CURSOR})
    try:
        query, _notices = parse_query(
            request.args, page_size=DEFAULT_PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, strict=True
        )
    except SearchError as error:
        raise _refused(error) from None
    if CURSOR in request.args:
        return _walk_page(query, request.args[CURSOR])
    results = run(query, facets=False)  # the API lists entries; counts have their own endpoint
    records = load_records(db.session.connection(), [item.version.id for item in results.items])
    params = query.to_params(paging=False)

    def page_url(page: int | None) -> str | None:
        if page is None:
            return None
        arguments = MultiDict(params)
        arguments.setlist("page", [str(page)])
        arguments.setlist("page_size", [str(query.page_size)])
        return absolute_url("api.entries", **arguments.to_dict(flat=False))

    # The records come from `load_records` already in the shape EntrySchema documents (the
    # API tests hold them to it), so they are sent as they are: dumping twenty whole records
    # through marshmallow again took half the time of the request.
    return _json(
        {
            "entries": records,
            "count": results.total,
            "page": query.page,
            "page_size": query.page_size,
            "links": {
                "self": page_url(query.page),
                "next": page_url(query.page + 1 if query.page < results.page_count else None),
                "prev": page_url(query.page - 1 if query.page > 1 else None),
                "walk": _walk_url(query, START),
            },
        }
    )


def _walk_url(query: SearchQuery, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    # A walk has its own order, so the search's sort is left behind.
    arguments = MultiDict([(k, v) for k, v in query.to_params(paging=False) if k != "sort"])
    arguments.setlist("page_size", [str(query.page_size)])
    arguments.setlist(CURSOR, [cursor])
    return absolute_url("api.entries", **arguments.to_dict(flat=False))


def _walk_page(query: SearchQuery, cursor: str) -> Response:
    """A page of a walk by cursor: in the order of the entries' references, so `page` and
    `sort` do not apply."""
    for name in ("page", "sort"):
        if name in request.args:
            raise ApiError(
                400,
                f"{name} does not apply to a walk by {CURSOR}, which goes in order of "
                "reference: leave it out",
                name,
            )
    try:
        found = walk(query, cursor)
    except SearchError as error:
        raise _refused(error) from None
    return _json(
        {
            "entries": load_records(db.session.connection(), found.version_ids),
            "count": found.total,
            "page": None,
            "page_size": query.page_size,
            "links": {
                "self": _walk_url(query, cursor),
                "next": _walk_url(query, found.next_cursor),
                "prev": None,
                "walk": _walk_url(query, START),
            },
        }
    )


@blueprint.get("/entries/<reference>")
def entry(reference: str) -> Response:
    """An entry's current published version."""
    _refuse_parameters(set())
    found = public_entry(reference)
    return own_spelling(found, reference) or _answer(serialisers.EntrySchema, version_record(found))


@blueprint.get("/entries/<reference>/versions")
def versions(reference: str) -> Response:
    """Every published version of an entry, newest first."""
    _refuse_parameters(set())
    found = public_entry(reference)
    redirection = own_spelling(found, reference)
    if redirection:
        return redirection
    listed = [
        {
            "version": version.number,
            "published_at": timestamp(version.published_at),
            "change_note": version.change_note,
            "is_current": version.is_current,
            "url": absolute_url(
                "api.entry_version", reference=found.reference, number=version.number
            ),
        }
        for version in published.history(found)
    ]
    return _answer(
        serialisers.VersionListSchema, {"reference": found.reference, "versions": listed}
    )


@blueprint.get("/entries/<reference>/versions/<int(min=1, max=100000):number>")
def entry_version(reference: str, number: int) -> Response:
    """One published version of an entry, as it was published."""
    _refuse_parameters(set())
    found = public_entry(reference)
    return own_spelling(found, reference) or _answer(
        serialisers.EntrySchema, version_record(found, number)
    )


@blueprint.get("/organisations")
def organisations() -> Response:
    """Every organisation with an entry on the register, with how many it has."""
    _refuse_parameters(set())
    rows = db.session.execute(published.organisations_with_entries().order_by(Organisation.name))
    listed = [dict(row._mapping) for row in rows]
    return _answer(serialisers.OrganisationListSchema, {"organisations": listed})


def _vocabulary(name: str) -> dict[str, Any]:
    vocabulary = VOCABULARIES[name]
    return {
        "name": vocabulary.name,
        "label": vocabulary.label,
        "choices": [
            {"code": choice.code, "label": choice.label, "hint": choice.hint}
            for choice in vocabulary.choices
        ],
    }


# The vocabularies of the record (and of organisations), not those of accounts.
PUBLIC_VOCABULARIES = tuple(
    dict.fromkeys(
        [
            *(f.vocabulary.name for f in schema.all_fields() if f.vocabulary),
            *(f.vocabulary.name for g in schema.groups() for f in g.fields if f.vocabulary),
            "organisation_type",
        ]
    )
)


@blueprint.get("/vocabularies")
def vocabularies() -> Response:
    """Every controlled vocabulary: the codes stored and exported, and their labels."""
    _refuse_parameters(set())
    listed = [_vocabulary(name) for name in PUBLIC_VOCABULARIES]
    return _answer(serialisers.VocabularyListSchema, {"vocabularies": listed})


@blueprint.get("/vocabularies/<name>")
def vocabulary(name: str) -> Response:
    """One controlled vocabulary."""
    _refuse_parameters(set())
    if name not in PUBLIC_VOCABULARIES:
        raise ApiError(404, f"There is no vocabulary called {name}.")
    return _answer(serialisers.VocabularySchema, _vocabulary(name))


@blueprint.get("/statistics")
def statistics() -> Response:
    """How many entries there are, by each filterable field. Counted once per change."""
    _refuse_parameters(set())
    return _answer(serialisers.StatisticsSchema, register_statistics())


def _since() -> datetime | None:
    asked = request.args.get("since", "").strip()
    if not asked:
        return None
    moment = parse_moment(asked)
    if moment is None:
        raise ApiError(400, f"since must be {MOMENT_FORMS}; “{asked[:80]}” is neither", "since")
    return moment


def _page_size() -> int:
    asked = request.args.get("page_size", "").strip()
    if not asked:
        return DEFAULT_PAGE_SIZE
    if not (asked.isascii() and asked.isdigit() and len(asked) < 7) or not (
        1 <= int(asked) <= MAX_PAGE_SIZE
    ):
        raise ApiError(
            400, f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}", "page_size"
        )
    return int(asked)


def _place() -> change_log.Place | None:
    if CURSOR not in request.args:
        return None
    try:
        return change_log.place_of(request.args[CURSOR])
    except CursorError:
        raise ApiError(
            400,
            f"{CURSOR} is not a cursor the register gave out for the change log; follow "
            "links.next or links.resume as given",
            CURSOR,
        ) from None


def _change(change: change_log.Change) -> dict[str, Any]:
    reference, number = change.reference, change.version
    shows_version = reference and number and change.kind != change_log.WITHDRAWN
    return {
        "kind": change.kind,
        "at": timestamp(change.at),
        "reference": reference,
        "version": number,
        "organisation": change.organisation,
        "note": change.note,
        "former_name": change.former_name,
        "name": change.name,
        "links": {
            "entry": absolute_url("api.entry", reference=reference) if reference else None,
            "version": absolute_url("api.entry_version", reference=reference, number=number)
            if shows_version
            else None,
            "organisation": absolute_url("api.entries", organisation=change.organisation),
        },
    }


@blueprint.get("/changes")
def changes() -> Response:
    """Every public event at or after `since`, oldest first, a page at a time by cursor (see
    `opendata.changes`)."""
    _refuse_parameters({"since", CURSOR, "page_size"})
    since, size, after = _since(), _page_size(), _place()
    delay = timedelta(seconds=current_app.config["CHANGE_LOG_DELAY_SECONDS"])
    page = change_log.changes(since, after, size, until=datetime.now(UTC) - delay)
    fixed = {"since": moment_param(since)} if since else {}
    if size != DEFAULT_PAGE_SIZE:
        fixed["page_size"] = str(size)

    def url(place: change_log.Place | None) -> str:
        return absolute_url("api.changes", **fixed, **({CURSOR: place.cursor()} if place else {}))

    last = page.changes[-1].place if page.changes else after
    return _answer(
        serialisers.ChangeLogSchema,
        {
            "changes": [_change(change) for change in page.changes],
            "since": timestamp(since),
            "page_size": size,
            "links": {
                "self_": url(after),
                "next": url(last) if page.more else None,
                "resume": url(last),
            },
        },
    )

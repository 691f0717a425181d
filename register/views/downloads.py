"""Downloads: any search as CSV or JSON, one entry, each table, and the whole data package.

`/entries.csv` and `/entries.json` take the parameters of `/entries` and stream every
matching entry (not one page), in the listing's order. A parameter they cannot use (a
status or source that is not known, say) is refused with a JSON error naming it, rather
than left out as the listing does: a download would otherwise hold more than was asked for.
Everything streams from a connection of its own, a batch of entries at a time, so memory
stays flat.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, abort, current_app, redirect, request, url_for
from sqlalchemy import Select
from werkzeug.wrappers import Response

from .. import published
from ..addresses import absolute_url
from ..extensions import db, limiter
from ..models import Entry, EntryVersion
from ..opendata import package
from ..opendata.columns import entry_columns
from ..opendata.csv_lines import csv_line_chunks
from ..opendata.freshness import register_freshness, search_freshness
from ..opendata.records import load_records, stream_records, utc
from ..opendata.writers import csv_chunks, json_array_chunks, json_line
from ..search import SearchError, matching, parse_query
from ..security import limit_from
from . import api_errors
from .api_errors import ApiError, json_error
from .download_responses import allow_cors, download, safe_filename

blueprint = Blueprint("downloads", __name__)
blueprint.after_request(allow_cors)
limiter.shared_limit(limit_from("DOWNLOAD_RATE_LIMIT"), scope="downloads")(blueprint)
api_errors.install(blueprint)

CSV = "text/csv"
JSON = "application/json"


def matching_versions(args: Any) -> Select:
    """The version ids of the current versions matching the listing's parameters, in order.

    Raises `SearchError` (from the search package) for parameters it cannot accept.
    """
    query, _notices = parse_query(args, strict=True)
    return matching(query).with_only_columns(EntryVersion.id)


def _search_download(extension: str) -> Response:
    try:
        versions = matching_versions(request.args)
    except SearchError as error:
        return json_error(400, error.message, error.parameter)
    freshness = search_freshness(request.args, extension, request.query_string.decode("latin-1"))

    def chunks() -> Iterator[bytes]:
        with db.engine.connect() as connection:
            if extension == "csv":
                # The database writes the rows (see csv_lines): several times quicker.
                yield from csv_line_chunks(connection, entry_columns(), versions)
            else:
                yield from json_array_chunks(stream_records(connection, versions))

    return download(
        chunks,
        mimetype=CSV if extension == "csv" else JSON,
        filename=safe_filename("register-entries", extension),
        freshness=freshness,
    )


@blueprint.get("/entries.csv")
def entries_csv() -> Response:
    """Every entry matching the search, as CSV: one row per entry."""
    return _search_download("csv")


@blueprint.get("/entries.json")
def entries_json() -> Response:
    """Every entry matching the search, as a JSON array of whole records."""
    return _search_download("json")


def public_entry(reference: str) -> Entry:
    """The entry with this reference if the public may read it: 404 if it was never
    published, 410 if it was withdrawn (as on the entry's page)."""
    entry = published.find_entry(reference)
    if entry is None:
        raise ApiError(404, f"There is no published entry {reference}.")
    if published.is_withdrawn(entry):
        raise ApiError(410, f"Entry {entry.reference} was withdrawn: {entry.withdrawn_reason}")
    return entry


def own_spelling(entry: Entry, reference: str) -> Response | None:
    """A redirect to the address with the entry's own spelling of its reference, if needed."""
    if entry.reference == reference:
        return None
    arguments = {**(request.view_args or {}), "reference": entry.reference}
    return redirect(url_for(request.endpoint, **arguments), 301)


def version_record(entry: Entry, number: int | None = None) -> dict[str, Any]:
    """The record of the entry's current version, or of its published version `number`."""
    version_id = published.version_id(entry, number)
    if version_id is None:
        raise ApiError(404, f"Entry {entry.reference} has no published version {number}.")
    return load_records(db.session.connection(), [version_id])[0]


def _one_entry(reference: str, extension: str) -> Response:
    entry = public_entry(reference)
    redirection = own_spelling(entry, reference)
    if redirection:
        return redirection
    record = version_record(entry)
    if extension == "csv":
        body = b"".join(csv_chunks(entry_columns(), [record]))
        response = current_app.response_class(body, mimetype=CSV)
    else:
        body = (json_line(record) + "\n").encode("utf-8")
        response = current_app.response_class(body, mimetype=JSON)
    response.headers.set(
        "Content-Disposition",
        "attachment",
        filename=safe_filename(record["reference"], extension),
    )
    # From the bytes themselves: they change with the organisation's details too, not only
    # with a new version.
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    response.last_modified = max(
        utc(moment) for moment in (entry.last_published_at, entry.organisation.changed_at) if moment
    )
    return response.make_conditional(request)


@blueprint.get("/entries/<reference>.json")
def entry_json(reference: str) -> Response:
    """One entry's current version as a JSON record."""
    return _one_entry(reference, "json")


@blueprint.get("/entries/<reference>.csv")
def entry_csv(reference: str) -> Response:
    """One entry's current version as a CSV of one row."""
    return _one_entry(reference, "csv")


def _package_descriptor(*, standalone: bool) -> tuple[dict[str, Any], Any]:
    config = current_app.config
    freshness = register_freshness(
        "package", config["REGISTER_LICENCE_NAME"], config["REGISTER_LICENCE_URL"]
    )

    def table_url(table: package.Table) -> str:
        return absolute_url("downloads.table_csv", table=table.name)

    descriptor = package.descriptor(
        title=config["REGISTER_NAME"],
        licence_name=config["REGISTER_LICENCE_NAME"],
        licence_url=config["REGISTER_LICENCE_URL"],
        homepage=absolute_url("open_data.open_data"),
        last_changed=freshness.last_changed,
        table_url=table_url if standalone else None,
    )
    return descriptor, freshness


@blueprint.get("/download/register.zip")
def register_zip() -> Response:
    """The whole register as a Frictionless Data Package in a zip."""
    descriptor, freshness = _package_descriptor(standalone=False)

    def chunks() -> Iterator[bytes]:
        with db.engine.connect() as connection:
            yield from package.zip_chunks(connection, descriptor, freshness.last_changed)

    return download(
        chunks,
        mimetype="application/zip",
        filename=safe_filename("register", "zip"),
        freshness=freshness,
        compressible=False,
    )


@blueprint.get("/download/datapackage.json")
def datapackage() -> Response:
    """The data package's descriptor on its own, pointing at each table's download."""
    descriptor, freshness = _package_descriptor(standalone=True)
    body = json.dumps(descriptor, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
    return download(
        lambda: iter([body]),
        mimetype=JSON,
        filename="datapackage.json",
        freshness=freshness,
        attachment=False,
    )


@blueprint.get("/download/<table>.csv")
def table_csv(table: str) -> Response:
    """One table of the data package as CSV."""
    try:
        chosen = package.table_named(table)
    except KeyError:
        abort(404)
    freshness = register_freshness("table", chosen.name)

    def chunks() -> Iterator[bytes]:
        with db.engine.connect() as connection:
            yield from package.table_chunks(connection, chosen)

    return download(
        chunks,
        mimetype=CSV,
        filename=safe_filename(f"register-{chosen.name}", "csv"),
        freshness=freshness,
    )

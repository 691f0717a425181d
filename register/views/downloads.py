"""Downloads: any search as CSV, JSON or NDJSON, one entry, each table, and the whole data
package (Parquet and the catalogue are in `downloads_formats`).

`/entries.csv`, `/entries.json` and `/entries.ndjson` take the parameters of `/entries` and
stream every matching entry (not one page), in the listing's order. A parameter they cannot use (a
status or source that is not known, say) is refused with a JSON error naming it, rather
than left out as the listing does: a download would otherwise hold more than was asked for.
Everything streams from a connection of its own, a batch of entries at a time, so memory
stays flat.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, current_app, redirect, request, url_for
from sqlalchemy import Connection, Select, select
from werkzeug.wrappers import Response

from .. import published
from ..extensions import db, limiter
from ..models import Entry, EntryVersion
from ..opendata import documents, package, snapshots, whole_register
from ..opendata.citation import citation_cff
from ..opendata.columns import entry_columns
from ..opendata.freshness import Freshness, register_freshness, search_freshness
from ..opendata.records import load_records, utc
from ..opendata.writers import (
    csv_of_lines,
    json_array_of_lines,
    json_lines_of_lines,
)
from ..search import SearchError, matching, parse_query
from ..security import limit_from
from . import api_errors
from .api_errors import ApiError, json_error
from .download_responses import allow_cors, download, safe_filename, send_built

blueprint = Blueprint("downloads", __name__)
blueprint.after_request(allow_cors)
limiter.shared_limit(limit_from("DOWNLOAD_RATE_LIMIT"), scope="downloads")(blueprint)
api_errors.install(blueprint)

CSV = "text/csv"
JSON = "application/json"
NDJSON = "application/x-ndjson"
# The writer of each search download's records, and the media type it is sent as.
RECORD_WRITERS = {"json": (json_array_of_lines, JSON), "ndjson": (json_lines_of_lines, NDJSON)}
ZIP = "application/zip"


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
        # Each version's text was written when it was published (see opendata.documents);
        # any a change has not written yet is written first.
        documents.fill(versions)
        with db.engine.connect() as connection:
            if extension == "csv":
                lines = documents.texts(connection, versions, documents.CSV_LINE)
                yield from csv_of_lines([column.name for column in entry_columns()], lines)
            else:
                lines = documents.texts(connection, versions, documents.JSON)
                yield from RECORD_WRITERS[extension][0](lines)

    return download(
        chunks,
        mimetype=CSV if extension == "csv" else RECORD_WRITERS[extension][1],
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


@blueprint.get("/entries.ndjson")
def entries_ndjson() -> Response:
    """Every entry matching the search, as newline-delimited JSON: the records of
    `/entries.json`, one line each."""
    return _search_download("ndjson")


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
    version_id = published.version_id(entry)
    if version_id is None:
        raise ApiError(404, f"There is no published entry {reference}.")
    # The text kept when the version was published, as the search downloads send it.
    version = select(EntryVersion.id).where(EntryVersion.id == version_id)
    if extension == "csv":
        line = next(documents.texts(db.session.connection(), version, documents.CSV_LINE))
        header = [column.name for column in entry_columns()]
        body = b"".join(csv_of_lines(header, [line]))
        response = current_app.response_class(body, mimetype=CSV)
    else:
        line = next(documents.texts(db.session.connection(), version, documents.JSON))
        body = b"".join(json_lines_of_lines([line]))
        response = current_app.response_class(body, mimetype=JSON)
    response.headers.set(
        "Content-Disposition",
        "attachment",
        filename=safe_filename(entry.reference, extension),
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


@blueprint.get("/download/register.zip")
def register_zip() -> Response:
    """The whole register as a Frictionless Data Package in a zip: written once per change
    to the register (streamed to the first to ask as it is written), then sent from disk."""
    descriptor, freshness = whole_register.package_descriptor(standalone=False)
    kept = whole_register.built_zip()
    key = whole_register.zip_key(descriptor, freshness)
    filename = safe_filename("register", "zip")
    path = kept.find(key)
    if path is not None:
        try:
            return send_built(path, mimetype=ZIP, filename=filename, freshness=freshness)
        except FileNotFoundError:
            pass  # a newer build replaced it a moment ago: this one is written again
    return download(
        lambda: kept.keeping(key, whole_register.zip_chunks(descriptor, freshness)),
        mimetype=ZIP,
        filename=filename,
        freshness=freshness,
        compressible=False,
    )


@blueprint.get("/download/datapackage.json")
def datapackage() -> Response:
    """The data package's descriptor on its own, pointing at each table's download."""
    descriptor, freshness = whole_register.package_descriptor(standalone=True)
    body = json.dumps(descriptor, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
    return download(
        lambda: iter([body]),
        mimetype=JSON,
        filename="datapackage.json",
        freshness=freshness,
        attachment=False,
    )


def table_download(
    table: str,
    extension: str,
    write: Callable[[Connection, package.Table], Iterator[bytes]],
    *,
    mimetype: str,
    compressible: bool = True,
) -> Response:
    """One table of the data package, written by `write`; 404 for a table it does not have."""
    try:
        chosen = package.table_named(table)
    except KeyError:
        abort(404)

    def chunks() -> Iterator[bytes]:
        with db.engine.connect() as connection:
            yield from write(connection, chosen)

    return download(
        chunks,
        mimetype=mimetype,
        filename=safe_filename(f"register-{chosen.name}", extension),
        freshness=register_freshness(extension, chosen.name),
        compressible=compressible,
    )


@blueprint.get("/download/<table>.csv")
def table_csv(table: str) -> Response:
    """One table of the data package as CSV."""
    return table_download(table, "csv", package.table_chunks, mimetype=CSV)


@blueprint.get("/download/snapshots/SHA256SUMS")
def snapshot_sums() -> Response:
    """The SHA-256 of every snapshot, as `sha256sum --check` reads them."""
    text = snapshots.sums_text(snapshots.snapshots(whole_register.snapshots_folder()))
    return current_app.response_class(text, mimetype="text/plain")


@blueprint.get("/download/snapshots/<name>")
def snapshot(name: str) -> Response:
    """One monthly snapshot: a frozen file, so caches may keep it for good."""
    found = snapshots.find(whole_register.snapshots_folder(), name)
    if found is None:
        raise ApiError(404, f"There is no snapshot {name}.")
    moment = datetime.fromtimestamp(found.path.stat().st_mtime, UTC)
    return send_built(
        found.path,
        mimetype=ZIP,
        filename=found.name,
        freshness=Freshness(last_changed=moment.replace(microsecond=0), etag=found.sha256),
        cache_control="public, max-age=31536000, immutable",
    )


@blueprint.get("/download/CITATION.cff")
def citation_file() -> Response:
    """How to cite the register, in the Citation File Format."""
    freshness = register_freshness("citation")
    body = citation_cff(whole_register.register_citation(freshness)).encode("utf-8")
    return download(
        lambda: iter([body]),
        mimetype="application/x-yaml",
        filename="CITATION.cff",
        freshness=freshness,
    )

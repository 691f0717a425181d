"""HTTP for open data: streamed downloads, conditional requests, compression and CORS.

Downloads are validated by the register's freshness (see `opendata.freshness`): a client
that already has the current version gets `304 Not Modified` before any row is read.
Compression is done here, in the same stream, rather than by a middleware: only text
downloads are worth it, the ETag of a compressed answer must differ from the plain one,
and a streamed body must be compressed as it goes, never buffered whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from flask import Response, request, send_file, stream_with_context

from ..opendata.freshness import Freshness
from ..opendata.writers import gzip_chunks

READ_ONLY_METHODS = "GET, HEAD, OPTIONS"


def allow_cors(response: Response) -> Response:
    """Let any site read the answer (open data, no credentials involved)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = READ_ONLY_METHODS
        response.headers["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
        response.headers["Access-Control-Max-Age"] = "86400"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Content-Disposition"
    return response


def safe_filename(stem: str, extension: str, when: datetime | None = None) -> str:
    """An ASCII file name with the date, such as register-entries-2025-03-01.csv."""
    when = when or datetime.now(UTC)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-") or "download"
    return f"{stem}-{when:%Y-%m-%d}.{extension}"


def wants_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def _etag(freshness: Freshness, compressed: bool) -> str:
    return f"{freshness.etag}-gz" if compressed else freshness.etag


def is_fresh(freshness: Freshness, compressed: bool = False) -> bool:
    """Whether the client's copy, named by If-None-Match or If-Modified-Since, is current."""
    if request.if_none_match:
        return request.if_none_match.contains(_etag(freshness, compressed))
    since = request.if_modified_since
    return since is not None and freshness.last_changed <= since


def _validated(response: Response, freshness: Freshness, compressed: bool) -> Response:
    response.set_etag(_etag(freshness, compressed))
    response.last_modified = freshness.last_changed
    # Caches may keep a copy but must ask each time whether it is still current.
    response.headers["Cache-Control"] = "public, no-cache"
    response.vary.add("Accept-Encoding")
    return response


def not_modified(freshness: Freshness, compressed: bool = False) -> Response:
    return _validated(Response(status=304), freshness, compressed)


def download(
    chunks: Callable[[], Iterator[bytes]],
    *,
    mimetype: str,
    filename: str,
    freshness: Freshness,
    compressible: bool = True,
    attachment: bool = True,
) -> Response:
    """A streamed download, or 304 if the client has it already. `chunks` is called only
    when the body is sent (never for HEAD or 304), inside the request's context."""
    compressed = compressible and wants_gzip()
    if is_fresh(freshness, compressed):
        return not_modified(freshness, compressed)

    def body() -> Iterator[bytes]:
        stream = chunks()
        yield from gzip_chunks(stream) if compressed else stream

    response = Response(stream_with_context(body()), mimetype=mimetype)
    if compressed:
        response.headers["Content-Encoding"] = "gzip"
    if attachment:
        response.headers.set("Content-Disposition", "attachment", filename=filename)
    return _validated(response, freshness, compressed)


def send_built(
    path: Path,
    *,
    mimetype: str,
    filename: str,
    freshness: Freshness,
    cache_control: str = "public, no-cache",
) -> Response:
    """A download kept as a file (see `opendata.built_files`): with the same validators as
    when it is streamed, and ranges, so a broken download can be resumed. Raises
    FileNotFoundError if the file has gone."""
    response = send_file(
        path,
        mimetype=mimetype,
        as_attachment=True,
        download_name=filename,
        conditional=True,
        etag=freshness.etag,
        last_modified=freshness.last_changed,
        max_age=None,
    )
    response.headers["Cache-Control"] = cache_control
    return response

"""Other registers' standards on the downloads blueprint: one entry, or the whole register,
in each shape of `register.standards`.

`/entries/<reference>/standards/<shape>.<extension>` is one entry's current version;
`/download/standards/<shape>.<extension>` is every entry on the register, streamed. Both are
validated by the register's freshness, as the other downloads are, and answer a shape or
format the register does not write with a JSON 404.
"""

from __future__ import annotations

from collections.abc import Iterator

from werkzeug.wrappers import Response

from ..extensions import db
from ..opendata.freshness import register_freshness
from ..opendata.records import stream_records
from ..standards import Shape, Writing, shape_named
from .api_errors import ApiError
from .download_responses import download, safe_filename
from .downloads import blueprint, matching_versions, own_spelling, public_entry, version_record


def _writing(code: str, extension: str) -> tuple[Shape, Writing]:
    try:
        shape = shape_named(code)
        return shape, shape.writing(extension)
    except KeyError:
        raise ApiError(404, f"The register does not write {code}.{extension}.") from None


@blueprint.get("/entries/<reference>/standards/<code>.<extension>")
def entry_standard(reference: str, code: str, extension: str) -> Response:
    """One entry's current version in another register's shape."""
    shape, writing = _writing(code, extension)
    entry = public_entry(reference)
    redirection = own_spelling(entry, reference)
    if redirection:
        return redirection
    body = writing.one(version_record(entry))
    return download(
        lambda: iter([body]),
        mimetype=writing.media_type,
        filename=safe_filename(f"{entry.reference}-{shape.code}", extension),
        freshness=register_freshness("standard", shape.code, extension, entry.reference),
    )


@blueprint.get("/download/standards/<code>.<extension>")
def register_standard(code: str, extension: str) -> Response:
    """Every entry on the register in another register's shape, as one file."""
    shape, writing = _writing(code, extension)
    versions = matching_versions({})

    def chunks() -> Iterator[bytes]:
        with db.engine.connect() as connection:
            yield from writing.many(stream_records(connection, versions))

    return download(
        chunks,
        mimetype=writing.media_type,
        filename=safe_filename(f"register-{shape.code}", extension),
        freshness=register_freshness("standard", shape.code, extension),
    )

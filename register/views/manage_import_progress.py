"""What the upload page's script needs to show progress while a file is sent and checked.

Without JavaScript the form posts as any form does, and the person waits for the report.
With it (`static/js/import-progress.js`), the form is sent in the background so the page
can show how much of the file has gone, then asks `import_progress` about once a second
how many rows have been checked; once the report is kept, the upload answers with the
report's address (as JSON, since the script asked for it) and the script goes there. The
form carries a random token to ask for the progress by; the progress itself is kept by
`importing.progress`, in the database, since any worker may answer the question.
"""

from __future__ import annotations

from typing import IO

from flask import jsonify, redirect, request, url_for
from werkzeug.wrappers import Response

from ..importing import Format, progress
from .manage import blueprint, person

# The form field that carries the token.
PROGRESS_FIELD = "progress_token"
# The same answer for a token that is unknown, finished, malformed or someone else's.
_NOT_FOUND = {"error": "There is no check of a file going on with that token."}


@blueprint.route("/import/progress/<token>")
def import_progress(token: str) -> Response:
    """How far the check of the signed-in person's upload has got, as JSON."""
    found = progress.progress_of(token, person().id)
    answer = jsonify(_NOT_FOUND if found is None else found.as_json())
    answer.status_code = 404 if found is None else 200
    answer.headers["Cache-Control"] = "no-store"
    return answer


def form_progress() -> dict[str, str]:
    """The token for a new upload form, and where its script asks for the progress."""
    token = progress.new_token()
    return {
        "field": PROGRESS_FIELD,
        "token": token,
        "url": url_for("manage.import_progress", token=token),
    }


def recorder(stream: IO[bytes], size: int, file_format: Format) -> progress.Recorder:
    """Records the check of the file just uploaded under the form's token, if it carries a
    well-formed one (otherwise records nothing). The estimate of its rows is made from the
    bytes read only for formats read from start to end (not a workbook or a page)."""
    token = request.form.get(PROGRESS_FIELD, "")
    in_order = file_format.read is None
    return progress.Recorder(
        token if progress.is_token(token) else None,
        person().id,
        stream if in_order else None,
        size,
    )


def answer_with_report(url: str) -> Response:
    """Go to the report: a redirect for a browser posting the form, the address for the
    page's script, which asks for JSON and goes there itself."""
    wanted = request.accept_mimetypes.best_match(["text/html", "application/json"])
    if wanted == "application/json" and request.form.get(PROGRESS_FIELD):
        return jsonify({"report": url})
    return redirect(url)

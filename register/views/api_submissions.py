"""The submission API at /api/v1/submissions: an organisation's own systems create and update
draft entries, submit them for review, and publish or revise them where the workflow
allows, with an API token (see `register.api_tokens`).

Every request acts as the person who made the token, through the same `publishing`
functions as the web forms, so the same rules hold (a publisher may not approve their own
submission unless the organisation allows it); and only on the token's organisation's
entries: any other reference is 404. The audit log names the token.

The token comes in the Authorization header and nothing else authenticates: a signed-in
session's cookie is refused, so no other site can make a browser act here, and there is
no CSRF token. Requests are rate-limited per token. Bodies are read and checked in
`api_submission_records`; every error is the API's JSON, naming each field at fault.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, current_app, g, request
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

from .. import api_tokens, publishing, worklists
from ..extensions import csrf, db, limiter
from ..models import ApiToken, Entry, User
from ..models.entry import DRAFT, IN_REVIEW, PUBLISHED
from ..one_time_links import hash_token
from ..security import limit_from
from . import api_errors
from .api_submission_records import (
    SubmissionError,
    answers_from,
    change_note_from,
    error_response,
    etag,
    json_object,
    only_keys,
    submission,
    summary,
)
from .api_submission_schemas import SubmissionListSchema, SubmissionSchema

blueprint = Blueprint("submissions", __name__, url_prefix="/api/v1/submissions")
# No cookie is accepted here, so there is nothing for another site to forge.
csrf.exempt(blueprint)
api_errors.install(blueprint)

REALM = 'Bearer realm="register"'
ETAG = re.compile(r'^"(\d{1,18})-(\d{1,18})"$')


def _presented_token() -> str | None:
    authorization = request.authorization
    if authorization is None or authorization.type != "bearer":
        return None
    return authorization.token or None


def _rate_limit_key() -> str:
    # Counted per token (by its hash, so the token itself is not kept in the counter's
    # store); a request without one is counted by its address.
    presented = _presented_token()
    if presented:
        return "api-token:" + hash_token(presented)
    return "api-address:" + get_remote_address()


limiter.shared_limit(
    limit_from("SUBMISSION_API_RATE_LIMIT"), scope="submission-api", key_func=_rate_limit_key
)(blueprint)


@blueprint.errorhandler(SubmissionError)
def _refused(error: SubmissionError) -> Response:
    db.session.rollback()
    return error_response(error)


@blueprint.before_request
def _authenticate() -> None:
    presented = _presented_token()
    if presented is None:
        cookie = current_app.config["SESSION_COOKIE_NAME"] in request.cookies
        raise SubmissionError(
            401,
            (
                "The submission API does not accept a signed-in session. "
                if cookie
                else "The submission API needs an API token. "
            )
            + "Send it in the header Authorization: Bearer <token>. Publishers of your "
            "organisation create tokens in the register.",
            parameter="Authorization",
            headers={"WWW-Authenticate": REALM},
        )
    token = api_tokens.find_by_secret(presented)
    if token is None:
        raise SubmissionError(
            401,
            "This API token does not work: it is wrong or was revoked, or the person who "
            "created it is no longer a publisher of the organisation.",
            parameter="Authorization",
            headers={"WWW-Authenticate": f'{REALM}, error="invalid_token"'},
        )
    api_tokens.note_use(token)
    g.api_token = token


def _acting() -> tuple[ApiToken, User]:
    """The request's token, and the person it acts for."""
    token: ApiToken = g.api_token
    return token, token.created_by


def _through(token: ApiToken) -> str:
    return f"Through API token “{token.name}”"


def _no_parameters() -> None:
    """Refuse any query parameter: none of these addresses takes one."""
    name = next(iter(request.args), None)
    if name is not None:
        raise SubmissionError(400, f"{name} is not a parameter of this address.", parameter=name)


def _entry_or_404(reference: str) -> Entry:
    token, _ = _acting()
    entry = worklists.entry_of(token.organisation_id, reference)
    if entry is None:
        raise SubmissionError(404, f"{token.organisation.name} has no entry {reference}.")
    return entry


def _json(data: Any, status: int = 200) -> Response:
    # Not jsonify: it sorts keys, and a record's keys are in the order of the form.
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return current_app.response_class(body + "\n", status=status, mimetype="application/json")


def _answer(entry: Entry, status: int = 200) -> Response:
    data = SubmissionSchema().dump(submission(entry))
    response = _json(data, status)
    tag = etag(entry)
    if tag:
        response.headers["ETag"] = tag
    if status == 201:
        response.headers["Location"] = data["links"]["self"]
    return response


def _refusal(error: publishing.WorkflowError) -> SubmissionError:
    """The API's answer to a step the workflow refuses."""
    if isinstance(error, publishing.InvalidValues):
        return SubmissionError(422, str(error), fields=error.problems.items())
    if isinstance(error, publishing.NotReady):
        fields = [(problem.field, problem.message) for problem in error.problems]
        return SubmissionError(422, str(error), fields=fields)
    if isinstance(error, publishing.NotAllowed):
        _, person = _acting()
        return SubmissionError(
            403, f"{error} This API token acts for {person.name or person.email}."
        )
    return SubmissionError(409, str(error))


def _if_match(entry: Entry) -> int | None:
    """The lock version an If-Match header says the draft was read at (0 if it names an
    earlier draft of the entry), or None without the header."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    found = ETAG.match(header.strip())
    if not found:
        raise SubmissionError(
            400, "If-Match must be the ETag the draft was read with.", parameter="If-Match"
        )
    draft = entry.draft
    return int(found[2]) if draft is not None and int(found[1]) == draft.id else 0


def _check_if_match(entry: Entry) -> None:
    """412 if the request has an If-Match header that is not the draft's ETag."""
    based_on = _if_match(entry)
    if based_on is not None and (entry.draft is None or based_on != entry.draft.lock_version):
        raise SubmissionError(
            412,
            "The draft has changed since it was read (its ETag is different). Read it again.",
            parameter="If-Match",
            headers={"ETag": etag(entry)} if entry.draft is not None else {},
        )


# The addresses -----------------------------------------------------------------------------


@blueprint.get("")
def submissions() -> Response:
    """The organisation's drafts and entries waiting for review, recently changed first."""
    _no_parameters()
    token, _ = _acting()
    entries = worklists.submissions_of(token.organisation_id)
    return _json(SubmissionListSchema().dump({"submissions": [summary(e) for e in entries]}))


@blueprint.post("")
def create() -> Response:
    """Start a draft entry from a record."""
    _no_parameters()
    token, person = _acting()
    values, rows = answers_from(json_object(), token.organisation)
    try:
        entry = publishing.create_entry(
            token.organisation, person, values, rows=rows, through=_through(token)
        )
    except publishing.WorkflowError as refused:
        raise _refusal(refused) from None
    return _answer(entry, 201)


@blueprint.get("/<reference>", endpoint="submission")
def one_submission(reference: str) -> Response:
    """One entry of the organisation, as its draft (or public version) says."""
    _no_parameters()
    return _answer(_entry_or_404(reference))


@blueprint.put("/<reference>")
def replace(reference: str) -> Response:
    """Replace the draft's answers with a whole record, if nobody saved it since it was read."""
    _no_parameters()
    token, person = _acting()
    entry = _entry_or_404(reference)
    data = json_object()
    if entry.state != DRAFT or entry.draft is None:
        raise SubmissionError(409, _not_editable(entry))
    from_header = _if_match(entry)
    based_on = _lock_version_sent(data, from_header)
    values, rows = answers_from(data, token.organisation, also={"lock_version"})
    try:
        publishing.save_draft(
            entry, person, values, based_on=based_on, rows=rows, through=_through(token)
        )
    except publishing.EditConflict as conflict:
        db.session.rollback()
        raise SubmissionError(
            409 if from_header is None else 412,
            f"{conflict} The draft's lock_version is now {entry.draft.lock_version}.",
            fields=[(name, "Changed since the draft was read") for name in conflict.changed],
            parameter=None if from_header is None else "If-Match",
            headers={"ETag": etag(entry)},
        ) from None
    except publishing.WorkflowError as refused:
        raise _refusal(refused) from None
    return _answer(entry)


def _lock_version_sent(data: dict[str, Any], from_header: int | None) -> int:
    """The lock version the client read the draft at: from If-Match, or the body's field."""
    sent = data.get("lock_version")
    if "lock_version" in data and (type(sent) is not int or sent < 1):
        raise SubmissionError(
            422,
            "Some answers need correcting.",
            fields=[("lock_version", "lock_version must be a whole number, 1 or more")],
        )
    if from_header is not None:
        if sent is not None and sent != from_header:
            raise SubmissionError(
                400, "lock_version and If-Match name different versions of the draft."
            )
        return from_header
    if sent is None:
        raise SubmissionError(
            428,
            "Say which version of the draft you are replacing: send its lock_version in the "
            "body, or its ETag in an If-Match header.",
            fields=[("lock_version", "Give the lock_version the draft was read with")],
        )
    return sent


def _not_editable(entry: Entry) -> str:
    if entry.state == IN_REVIEW:
        return (
            "This entry is waiting for review, so it cannot be changed. A publisher must send "
            "it back first."
        )
    if entry.state == PUBLISHED:
        return "This entry is published. Start a new version first (POST to its revision link)."
    return "This entry has been withdrawn and can no longer be changed."


@blueprint.post("/<reference>/submit")
def submit(reference: str) -> Response:
    """Send the draft for review by a publisher, if everything publishing needs is there."""
    _no_parameters()
    token, person = _acting()
    entry = _entry_or_404(reference)
    only_keys(json_object(required=False), ())
    _check_if_match(entry)
    try:
        publishing.submit(entry, person, through=_through(token))
    except publishing.WorkflowError as refused:
        raise _refusal(refused) from None
    return _answer(entry)


@blueprint.post("/<reference>/publish")
def publish(reference: str) -> Response:
    """Publish an entry waiting for review, where the organisation's rules allow the person
    the token acts for to approve it."""
    _no_parameters()
    token, person = _acting()
    entry = _entry_or_404(reference)
    change_note = change_note_from(json_object(required=False))
    _check_if_match(entry)
    try:
        publishing.publish(entry, person, change_note, through=_through(token))
    except publishing.WorkflowError as refused:
        raise _refusal(refused) from None
    return _answer(entry)


@blueprint.post("/<reference>/revision")
def revision(reference: str) -> Response:
    """Open a new draft of a published entry; the published version stays public."""
    _no_parameters()
    token, person = _acting()
    entry = _entry_or_404(reference)
    only_keys(json_object(required=False), ())
    try:
        publishing.start_revision(entry, person, through=_through(token))
    except publishing.WorkflowError as refused:
        raise _refusal(refused) from None
    return _answer(entry, 201)

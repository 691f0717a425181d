"""The submission API's part of the OpenAPI document: its schemas, its bearer-token security
scheme and its addresses (see `api_submissions`)."""

from __future__ import annotations

from typing import Any

from apispec import APISpec

from . import api_submission_schemas as schemas

SECURITY_SCHEME = "apiToken"

COMPONENTS = {
    "SubmissionRecord": schemas.SubmissionRecordSchema,
    "SubmissionUpdate": schemas.SubmissionUpdateSchema,
    "Publication": schemas.PublicationSchema,
    "Submission": schemas.SubmissionSchema,
    "SubmissionList": schemas.SubmissionListSchema,
    "SubmissionError": schemas.SubmissionErrorSchema,
}

ERRORS = {
    400: "The body is not JSON, or not an object; or a parameter or header is wrong "
    "(`parameter` names it).",
    401: "No API token, or one that does not work (wrong, revoked, or its maker is no "
    "longer a publisher of the organisation). A signed-in session is not accepted.",
    403: "The workflow does not allow the person the token acts for to do this, such as "
    "approving their own submission where the organisation does not allow it.",
    404: "The token's organisation has no entry with this reference.",
    409: "The entry is not in a state that allows this (for example, it is waiting for "
    "review); or, with lock_version, the draft was saved since it was read: `fields` lists "
    "the answers that differ from what is saved now.",
    412: "The If-Match header is not the draft's ETag: it was saved since it was read.",
    413: "The body is larger than 1 MiB.",
    415: "The body is not sent as application/json.",
    422: "Answers that cannot be accepted, or are missing for this step: `fields` names "
    "each, with what is wrong.",
    428: "Neither lock_version nor If-Match says which version of the draft is replaced.",
    429: "Too many requests with this token: wait, then try again (see Retry-After).",
}

DESCRIPTION = (
    "An organisation's own systems create and update draft entries, submit them for "
    "review, and publish or revise them where the register's workflow allows. Every "
    "request needs an API token, which a publisher of the organisation creates in the "
    "register, sent as `Authorization: Bearer <token>`. The token acts for the publisher "
    "who created it, on that organisation's entries only, and every step is recorded in "
    "the entry's history with the token's name. A publisher may not publish an entry "
    "they submitted (and so one submitted with their token) unless the organisation "
    "allows self-publishing. Requests are limited per token."
)


def _json(schema_name: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
        },
    }


def _responses(status: int, ok: str, description: str, *errors: int) -> dict[str, Any]:
    responses = {str(status): _json(ok, description)}
    for code in sorted({400, 401, 429, *errors}):
        responses[str(code)] = _json("SubmissionError", ERRORS[code])
    responses["401"]["headers"] = {
        "WWW-Authenticate": {
            "description": 'Bearer realm="register", with error="invalid_token" for a '
            "token that does not work.",
            "required": True,
            "schema": {"type": "string"},
        }
    }
    return responses


def _body(schema_name: str, description: str, *, required: bool = True) -> dict[str, Any]:
    return {
        "required": required,
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
        },
    }


REFERENCE = {
    "name": "reference",
    "in": "path",
    "required": True,
    "description": "The entry's reference, such as AIR-00042.",
    "schema": {"type": "string", "maxLength": 20},
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "The draft's ETag, as it was read: refused with 412 if it was saved since.",
    "schema": {"type": "string"},
}
BODY = (413, 415, 422)


def _operation(summary: str, operation_id: str, **rest: Any) -> dict[str, Any]:
    return {
        "summary": summary,
        "operationId": operation_id,
        "tags": ["Submissions"],
        "security": [{SECURITY_SCHEME: []}],
        **rest,
    }


def add_to(spec: APISpec) -> None:
    """Add the submission API's schemas, security scheme and addresses to `spec`."""
    for name, schema_class in COMPONENTS.items():
        spec.components.schema(name, schema=schema_class)
    spec.components.security_scheme(
        SECURITY_SCHEME,
        {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token of the organisation, starting air_. Publishers "
            "create and revoke them in the register; each is shown once.",
        },
    )
    spec.tag({"name": "Submissions", "description": DESCRIPTION})
    spec.path(
        path="/submissions",
        operations={
            "get": _operation(
                "The organisation's drafts and entries in review",
                "listSubmissions",
                responses=_responses(200, "SubmissionList", "Recently changed first."),
            ),
            "post": _operation(
                "Start a draft entry",
                "createSubmission",
                description="A record with the fields of the read API's entries (leave out "
                "those the register keeps). Answers are checked as the register's forms "
                "check them; a draft may be incomplete. Unknown fields are refused.",
                requestBody=_body("SubmissionRecord", "The record."),
                responses=_responses(201, "Submission", "The new draft.", *BODY),
            ),
        },
    )
    spec.path(
        path="/submissions/{reference}",
        operations={
            "get": _operation(
                "One entry of the organisation",
                "getSubmission",
                description="Its draft if it has one (with an ETag), else its public version.",
                parameters=[REFERENCE],
                responses=_responses(200, "Submission", "The entry.", 404),
            ),
            "put": _operation(
                "Replace the draft's answers",
                "replaceSubmission",
                description="The whole record: a field or group left out is emptied. Say "
                "which version of the draft is replaced, with lock_version or If-Match.",
                parameters=[REFERENCE, IF_MATCH],
                requestBody=_body("SubmissionUpdate", "The record and its lock_version."),
                responses=_responses(
                    200, "Submission", "The saved draft.", 404, 409, 412, 428, *BODY
                ),
            ),
        },
    )
    steps = [
        (
            "submit",
            "Submit the draft for review",
            "submitSubmission",
            "Refused with 422, naming each field, while anything publishing needs is missing.",
            None,
        ),
        (
            "publish",
            "Publish an entry waiting for review",
            "publishSubmission",
            "Only where the person the token acts for may approve it: not their own "
            "submission unless the organisation allows self-publishing (else 403).",
            _body("Publication", "A change note, needed from the second version.", required=False),
        ),
        (
            "revision",
            "Start a new version of a published entry",
            "reviseSubmission",
            "A new draft with the published answers; the published version stays public.",
            None,
        ),
    ]
    for step, summary, operation_id, description, body in steps:
        extra = {"requestBody": body} if body else {}
        status = 201 if step == "revision" else 200
        parameters = [REFERENCE] if step == "revision" else [REFERENCE, IF_MATCH]
        errors = [404, 409, *BODY] + ([403] if step == "publish" else [])
        errors += [] if step == "revision" else [412]
        spec.path(
            path=f"/submissions/{{reference}}/{step}",
            operations={
                "post": _operation(
                    summary,
                    operation_id,
                    description=description,
                    parameters=parameters,
                    responses=_responses(status, "Submission", "The entry now.", *errors),
                    **extra,
                )
            },
        )

"""Every documented API address answers as the OpenAPI document says, for generated requests:
no server errors, documented status codes and content types, and bodies that match the
schemas. Run in-process (WSGI) with a bounded, repeatable number of examples. The
submission API's operations run with a working API token, and again without one."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from register import accounts, api_tokens, demo, publishing
from register.extensions import db
from register.models import Organisation

from .factories import publishable_values

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# In-process calls are not decoded as an HTTP client decodes gzip: ask for answers as they
# are (compression has tests of its own in test_api.py).
PLAIN = {"Accept-Encoding": "identity"}


# Every address of the read API; a test below checks the document describes no others.
PATHS = [
    "/entries",
    "/entries/{reference}",
    "/entries/{reference}/versions",
    "/entries/{reference}/versions/{number}",
    "/organisations",
    "/vocabularies",
    "/vocabularies/{name}",
    "/statistics",
    "/changes",
    "/schema.json",
]
# Every operation of the submission API.
SUBMISSION_OPERATIONS = [
    ("/submissions", "GET"),
    ("/submissions", "POST"),
    ("/submissions/{reference}", "GET"),
    ("/submissions/{reference}", "PUT"),
    ("/submissions/{reference}/submit", "POST"),
    ("/submissions/{reference}/publish", "POST"),
    ("/submissions/{reference}/revision", "POST"),
]


@pytest.fixture
def api_schema(app):
    with app.app_context():
        demo.load(20, seed=3)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def api_token(app, api_schema) -> tuple[str, str]:
    """A token of one of the demo organisations, made by a publisher of it, and the
    reference of a draft of that organisation's, for the addresses of one entry."""
    with app.app_context():
        organisation = db.session.scalars(select(Organisation).order_by(Organisation.id)).first()
        publisher = accounts.create_user(
            "publisher@demo.example",
            "correct horse battery staple",
            organisation=organisation.slug,
            role="publisher",
        )
        _, secret = api_tokens.create(organisation, "Schema checks", publisher)
        draft = publishing.create_entry(organisation, publisher, publishable_values())
        return secret, draft.reference


def test_the_paths_checked_here_are_every_documented_path(api_schema):
    documented = {
        (path, method.upper())
        for path, operations in api_schema.raw_schema["paths"].items()
        for method in operations
    }
    assert documented == {(path, "GET") for path in PATHS} | set(SUBMISSION_OPERATIONS)


# schemathesis's own pytest plugin does not yet work with this pytest, so each operation's
# strategy is driven by hypothesis directly.
@pytest.mark.parametrize("path", PATHS)
def test_every_documented_address_answers_as_documented(api_schema, path):
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=15,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def answers_as_documented(case) -> None:
        case.call_and_validate(headers=PLAIN, checks=CHECKS)

    answers_as_documented()


@pytest.mark.parametrize("with_token", [True, False], ids=["with a token", "without"])
@pytest.mark.parametrize(("path", "method"), SUBMISSION_OPERATIONS)
def test_every_submission_operation_answers_as_documented(
    api_schema, api_token, path, method, with_token
):
    operation = api_schema[path][method]
    secret, reference = api_token
    headers = {**PLAIN, "Authorization": f"Bearer {secret}"} if with_token else dict(PLAIN)

    @given(case=operation.as_strategy())
    @settings(
        max_examples=15,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def answers_as_documented(case) -> None:
        if with_token and "reference" in (case.path_parameters or {}):
            # A made-up reference is only ever 404; this one reaches the workflow.
            case.path_parameters["reference"] = reference
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        if not with_token:
            assert response.status_code == 401

    answers_as_documented()

"""Every documented API address answers as the OpenAPI document says, for generated requests:
no server errors, documented status codes and content types, and bodies that match the
schemas. Run in-process (WSGI) with a bounded, repeatable number of examples."""

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

from register import demo

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# Every address the document describes; a test below checks it describes no others.
PATHS = [
    "/entries",
    "/entries/{reference}",
    "/entries/{reference}/versions",
    "/entries/{reference}/versions/{number}",
    "/organisations",
    "/vocabularies",
    "/vocabularies/{name}",
    "/statistics",
]


@pytest.fixture
def api_schema(app):
    with app.app_context():
        demo.load(20, seed=3)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def test_the_paths_checked_here_are_every_documented_path(api_schema):
    assert sorted(api_schema.raw_schema["paths"]) == sorted(PATHS)


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
        case.call_and_validate(checks=CHECKS)

    answers_as_documented()

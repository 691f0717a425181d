"""The OpenAPI 3 document of the API, generated from the same marshmallow schemas that
shape its answers (apispec's marshmallow plugin turns each into a JSON Schema): the read
API here, the submission API in `api_openapi_submissions`. It is served at
/api/v1/openapi.json, on the read API's blueprint."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, request
from werkzeug.wrappers import Response

from .. import schema
from ..opendata import serialisers
from ..opendata.whole_register import record_schema_document
from ..search import FILTERS, SORTS
from ..search.query import CHANGED_SINCE, MOMENT_FORMS
from ..search.walk import CURSOR, START
from . import api_openapi_submissions
from .api import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    PUBLIC_VOCABULARIES,
    _refuse_parameters,
    blueprint,
)
from .api_errors import ApiError

OPENAPI_VERSION = "3.0.3"
API_VERSION = "1.0.0"

COMPONENTS = {
    "Entry": serialisers.EntrySchema,
    "EntryPage": serialisers.EntryPageSchema,
    "VersionList": serialisers.VersionListSchema,
    "OrganisationList": serialisers.OrganisationListSchema,
    "Vocabulary": serialisers.VocabularySchema,
    "VocabularyList": serialisers.VocabularyListSchema,
    "Statistics": serialisers.StatisticsSchema,
    "ChangeLog": serialisers.ChangeLogSchema,
    "Error": serialisers.ErrorSchema,
}

ERRORS = {
    400: "A parameter is unknown or its value cannot be used; `parameter` names it.",
    404: "There is no such entry, version, vocabulary or schema version.",
    410: "The entry was withdrawn from the register.",
    429: "Too many requests.",
}


def _json(schema_name: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
        },
    }


def _responses(ok: str, description: str, *errors: int) -> dict[str, Any]:
    responses = {"200": _json(ok, description)}
    for status in (400, *errors, 429):
        responses[str(status)] = _json("Error", ERRORS[status])
    return responses


def search_parameters() -> list[dict[str, Any]]:
    """The query parameters of the entries list: those of the public listing."""
    parameters: list[dict[str, Any]] = [
        {
            "name": "q",
            "in": "query",
            "description": 'Words to search for; "quoted words" as a phrase. Words are '
            "found by their English stem, without accents, and from three letters as the "
            "start of longer words; a hyphenated word also written together or apart. A "
            "search of only an entry's reference (such as AIR-00042) finds that entry.",
            "schema": {"type": "string"},
        }
    ]
    for item in FILTERS:
        values: dict[str, Any] = {"type": "string"}
        if item.codes:
            values["enum"] = list(item.codes)
        described = "the organisations' slugs" if item.kind == "organisation" else "codes"
        parameters.append(
            {
                "name": item.name,
                "in": "query",
                "description": item.description
                or f"Only entries with this {item.label.lower()} ({described}); "
                "repeat the parameter for any of several.",
                "schema": {"type": "array", "items": values},
                "style": "form",
                "explode": True,
            }
        )
    parameters += [
        {
            "name": CHANGED_SINCE,
            "in": "query",
            "description": "Only entries changed publicly at or after this moment: their "
            "current version was published then, or their organisation's name, type or "
            f"website changed. It is {MOMENT_FORMS}; a date and time without an offset is "
            "in UTC.",
            "schema": {"type": "string"},
        },
        {
            "name": "sort",
            "in": "query",
            "description": "The order: "
            + "; ".join(f"{code}: {label.lower()}" for code, label in SORTS.items())
            + ". By relevance when there are words to search for, else most recently updated.",
            "schema": {"type": "string", "enum": list(SORTS)},
        },
        {
            "name": "page",
            "in": "query",
            "description": "Which page of results, from 1.",
            "schema": {"type": "integer", "minimum": 1, "maximum": 1000000000, "default": 1},
        },
        {
            "name": "page_size",
            "in": "query",
            "description": (
                f"Entries per page, {DEFAULT_PAGE_SIZE} unless given; at most {MAX_PAGE_SIZE}. "
                "A larger page size is refused with 400, never honoured."
            ),
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_PAGE_SIZE,
                "default": DEFAULT_PAGE_SIZE,
            },
        },
    ]
    return parameters


WALK_CURSOR = {
    "name": CURSOR,
    "in": "query",
    "description": f"Walk through every match in order of reference: `{START}` for the first "
    "page, then the cursor in `links.next`. Every entry public for the whole walk is met "
    "exactly once, whatever is published, revised or withdrawn meanwhile. Not with `page` "
    "or `sort`; a cursor the register did not give out is refused with 400.",
    "schema": {"type": "string"},
}

REFERENCE = {
    "name": "reference",
    "in": "path",
    "required": True,
    "description": "The entry's public reference, such as AIR-00042.",
    "schema": {"type": "string", "maxLength": 20},
}


def _paths(spec: APISpec) -> None:
    spec.path(
        path="/entries",
        operations={
            "get": {
                "summary": "Search the entries",
                "description": "The same search and filters as the public listing, a page "
                "at a time, newest first unless sorted otherwise. Follow `links.next` for "
                "the next page; to get every match at once, download /entries.json. To page "
                "through every match while the register changes, walk by cursor: start at "
                "`links.walk` and follow `links.next`.",
                "operationId": "listEntries",
                "parameters": [*search_parameters(), WALK_CURSOR],
                "responses": _responses("EntryPage", "A page of matching entries."),
            }
        },
    )
    spec.path(
        path="/entries/{reference}",
        operations={
            "get": {
                "summary": "One entry",
                "description": "The entry's current published version, the whole record.",
                "operationId": "getEntry",
                "parameters": [REFERENCE],
                "responses": _responses("Entry", "The entry.", 404, 410),
            }
        },
    )
    spec.path(
        path="/entries/{reference}/versions",
        operations={
            "get": {
                "summary": "An entry's published versions",
                "operationId": "listVersions",
                "parameters": [REFERENCE],
                "responses": _responses("VersionList", "Its versions, newest first.", 404, 410),
            }
        },
    )
    spec.path(
        path="/entries/{reference}/versions/{number}",
        operations={
            "get": {
                "summary": "One published version of an entry",
                "operationId": "getVersion",
                "parameters": [
                    REFERENCE,
                    {
                        "name": "number",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100000},
                    },
                ],
                "responses": _responses("Entry", "The version, as published.", 404, 410),
            }
        },
    )
    spec.path(
        path="/organisations",
        operations={
            "get": {
                "summary": "Organisations with entries",
                "operationId": "listOrganisations",
                "responses": _responses("OrganisationList", "Every organisation with entries."),
            }
        },
    )
    spec.path(
        path="/vocabularies",
        operations={
            "get": {
                "summary": "The controlled vocabularies",
                "operationId": "listVocabularies",
                "responses": _responses("VocabularyList", "Every vocabulary and its codes."),
            }
        },
    )
    spec.path(
        path="/vocabularies/{name}",
        operations={
            "get": {
                "summary": "One controlled vocabulary",
                "operationId": "getVocabulary",
                "parameters": [
                    {
                        "name": "name",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": list(PUBLIC_VOCABULARIES)},
                    }
                ],
                "responses": _responses("Vocabulary", "The vocabulary.", 404),
            }
        },
    )
    spec.path(
        path="/changes",
        operations={
            "get": {
                "summary": "The change log",
                "description": "Every public event, oldest first: an entry published, "
                "revised, retired or withdrawn, an organisation renamed. Follow `links.next` "
                "while there is one; ask `links.resume` later for what happened since. The "
                "log runs a few minutes behind, so an event still being saved is never passed "
                "over.",
                "operationId": "listChanges",
                "parameters": [
                    {
                        "name": "since",
                        "in": "query",
                        "description": f"Only events at or after this moment: {MOMENT_FORMS}; "
                        "a date and time without an offset is in UTC.",
                        "schema": {"type": "string"},
                    },
                    {
                        "name": CURSOR,
                        "in": "query",
                        "description": "Where the last page ended, from `links.next` or "
                        "`links.resume`.",
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "page_size",
                        "in": "query",
                        "description": f"Events per page, {DEFAULT_PAGE_SIZE} unless given; "
                        f"at most {MAX_PAGE_SIZE}.",
                        "schema": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": MAX_PAGE_SIZE,
                            "default": DEFAULT_PAGE_SIZE,
                        },
                    },
                ],
                "responses": _responses("ChangeLog", "A page of events."),
            }
        },
    )
    spec.path(
        path="/schema.json",
        operations={
            "get": {
                "summary": "The record as a JSON Schema",
                "description": "Every key of an entry as `/entries/{reference}`, "
                "`/entries` and the downloads `/entries.json` and `/entries.ndjson` give it, "
                "as a JSON Schema (draft 2020-12): each field's title, description, kind and "
                "vocabulary, what is required to publish, the sections and repeating groups, "
                "and the changes to the fields so far (`x-changelog`). Its `$id` names the "
                "schema version; every entry says the version it follows in `schema_version`.",
                "operationId": "getRecordSchema",
                "parameters": [
                    {
                        "name": "version",
                        "in": "query",
                        "description": "The schema version, as the `$id` names it; the "
                        f"register publishes version {schema.SCHEMA_VERSION}.",
                        "schema": {"type": "integer", "enum": [schema.SCHEMA_VERSION]},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "The JSON Schema of a record.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    **{str(status): _json("Error", ERRORS[status]) for status in (400, 404, 429)},
                },
            }
        },
    )
    spec.path(
        path="/statistics",
        operations={
            "get": {
                "summary": "Counts of entries",
                "operationId": "getStatistics",
                "responses": _responses("Statistics", "How many entries, by each filter."),
            }
        },
    )


@cache
def _document(title: str, licence_name: str, licence_url: str) -> dict[str, Any]:
    info: dict[str, Any] = {
        "description": "Read the register's published entries: search them, read any "
        "published version, and the vocabularies and organisations they use. Reading needs "
        "no key and is open to any site. Organisations' own systems submit entries under "
        "/submissions, with an API token. Errors are JSON: "
        '`{"error": {"status": 400, "message": "...", "parameter": "page_size"}}`, and '
        "the submission API's also list each field at fault in `fields`.",
        "license": {"name": licence_name, **({"url": licence_url} if licence_url else {})},
    }
    spec = APISpec(
        title=f"{title} API",
        version=API_VERSION,
        openapi_version=OPENAPI_VERSION,
        plugins=[MarshmallowPlugin()],
        info=info,
        servers=[{"url": "/api/v1"}],
    )
    for name, schema_class in COMPONENTS.items():
        spec.components.schema(name, schema=schema_class)
    _paths(spec)
    api_openapi_submissions.add_to(spec)
    return spec.to_dict()


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document, built once per setting of the register's name and licence."""
    config = current_app.config
    return _document(
        config["REGISTER_NAME"], config["REGISTER_LICENCE_NAME"], config["REGISTER_LICENCE_URL"]
    )


@blueprint.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3 document of this API."""
    # As the API's other answers: keys in the order they were built, not sorted.
    body = json.dumps(openapi_document(), ensure_ascii=False, separators=(",", ":"))
    return current_app.response_class(body + "\n", mimetype="application/json")


@blueprint.get("/schema.json")
def record_schema() -> Response:
    """The register's record as a JSON Schema, of the version the register follows."""
    _refuse_parameters({"version"})
    asked = request.args.get("version", str(schema.SCHEMA_VERSION)).strip()
    if not re.fullmatch(r"[0-9]{1,9}", asked):
        raise ApiError(400, "version must be a whole number, such as 1.", "version")
    if int(asked) != schema.SCHEMA_VERSION:
        raise ApiError(
            404, f"The register publishes record schema version {schema.SCHEMA_VERSION} only."
        )
    body = json.dumps(record_schema_document(), ensure_ascii=False, separators=(",", ":"))
    return current_app.response_class(body + "\n", mimetype="application/json")

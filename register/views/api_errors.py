"""Errors under /api as JSON of one stable shape, whatever went wrong:

    {"error": {"status": 400, "message": "...", "parameter": "page_size"}}

`parameter` names the query parameter at fault, or is null. Routing errors (an unknown
address, a method the API does not allow) happen before any blueprint is chosen: the
application's error pages hand those under `API_PREFIX` to `routing_error` instead. (A route
catching every address under the prefix would do it too, but would make OPTIONS on each read
endpoint advertise every method the catch-all takes.)
"""

from __future__ import annotations

import json

from flask import Blueprint, current_app, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.wrappers import Response

from ..extensions import db

API_PREFIX = "/api/v1"

MESSAGES = {
    400: "The request could not be understood.",
    404: "There is nothing at this address.",
    410: "This is no longer on the register.",
    429: "Too many requests: wait a moment, then try again.",
    500: "Something went wrong on our side. Try again later.",
    503: "The register cannot reach its database just now. Try again in a few minutes.",
}


class ApiError(Exception):
    """A request the API refuses, with the parameter at fault if there is one."""

    def __init__(self, status: int, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter


def json_error(status: int, message: str | None = None, parameter: str | None = None) -> Response:
    body = {
        "error": {
            "status": status,
            "message": message or MESSAGES.get(status, MESSAGES[500]),
            "parameter": parameter,
        }
    }
    # Not jsonify, which sorts keys: status, message, parameter read best in that order.
    response = current_app.response_class(json.dumps(body) + "\n", status=status)
    response.mimetype = "application/json"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def is_api_request() -> bool:
    """Whether the request is addressed to the API, known address or not."""
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def routing_error(error: HTTPException) -> Response:
    """An HTTP error as the API words it, keeping the headers that say what to do next."""
    status = error.code or 500
    message = MESSAGES.get(status) or error.description
    headers = {k: v for k, v in error.get_headers() if k.lower() == "retry-after"}
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        allowed = sorted(error.valid_methods, key=_method_order)
        asked = [method for method in allowed if method not in ("HEAD", "OPTIONS")]
        message = f"This address only answers {' and '.join(asked)}."
        headers["Allow"] = ", ".join(allowed)
    response = json_error(status, message)
    response.headers.update(headers)
    return response


METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _method_order(method: str) -> int:
    # The router holds a set: say the methods in one order, so the header never changes.
    return METHOD_ORDER.index(method) if method in METHOD_ORDER else len(METHOD_ORDER)


def install(blueprint: Blueprint) -> None:
    """Answer every error in `blueprint` as JSON."""

    @blueprint.errorhandler(ApiError)
    def api_error(error: ApiError) -> Response:
        return json_error(error.status, error.message, error.parameter)

    blueprint.register_error_handler(HTTPException, routing_error)

    @blueprint.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError) -> Response:
        # As the pages do (errors.py): say so, and when to try again.
        db.session.rollback()
        current_app.logger.error("Database unavailable: %s", error.orig.__class__.__name__)
        response = json_error(503)
        response.headers["Retry-After"] = "60"
        return response

    @blueprint.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        db.session.rollback()
        current_app.logger.exception("Unhandled error in the API", exc_info=error)
        return json_error(500)

"""Errors under /api as JSON of one stable shape, whatever went wrong:

    {"error": {"status": 400, "message": "...", "parameter": "page_size"}}

`parameter` names the query parameter at fault, or is null. Routing errors (an unknown
address, a method the API does not allow) reach these handlers too, through a catch-all
route of the API's own, since the application's handlers answer with HTML pages.
"""

from __future__ import annotations

import json

from flask import Blueprint, current_app, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.wrappers import Response

from ..extensions import csrf, db

MESSAGES = {
    400: "The request could not be understood.",
    404: "There is nothing at this address.",
    405: "This address only answers GET, HEAD and OPTIONS.",
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


def install(blueprint: Blueprint, *, catch_all: bool = True) -> None:
    """Answer every error in `blueprint` as JSON; with `catch_all`, also every unknown
    address under the blueprint's prefix."""

    @blueprint.errorhandler(ApiError)
    def api_error(error: ApiError) -> Response:
        return json_error(error.status, error.message, error.parameter)

    @blueprint.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        status = error.code or 500
        response = json_error(status, MESSAGES.get(status) or error.description)
        for name, value in error.get_headers():
            if name.lower() in ("allow", "retry-after"):
                response.headers[name] = value
        return response

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

    if not catch_all:
        return

    # Exempt from CSRF so that a POST is told 405, not refused for want of a token: this
    # view changes nothing, whatever the method.
    @csrf.exempt
    @blueprint.route(
        "/<path:anything>", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    )
    def unknown(anything: str) -> Response:
        # A known address asked with another method is 405; anything else is 404.
        adapter = current_app.url_map.bind_to_environ(request.environ)
        try:
            endpoint, _ = adapter.match(method="GET")
        except HTTPException:
            endpoint = None
        if endpoint and endpoint != request.endpoint:
            raise MethodNotAllowed(valid_methods=["GET", "HEAD", "OPTIONS"])
        raise NotFound()

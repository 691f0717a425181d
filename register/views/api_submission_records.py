"""Reading the submission API's request bodies, and shaping its answers.

A body is read only if it is JSON (`Content-Type: application/json`), small enough, and an
object. Its answers are checked with the same rules as the forms (`validation.check_values`,
after the same trimming), and every problem names its field, so that one answer can list
them all. Nothing here writes anything.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from typing import Any

from flask import current_app, request
from werkzeug.wrappers import Response

from .. import published, publishing, schema
from ..addresses import absolute_url
from ..extensions import db
from ..forms.entry import tidy
from ..importing.files import nests_deeper_than
from ..models import Entry, Organisation
from ..models.entry import DRAFT, IN_REVIEW, PUBLISHED
from ..opendata.records import load_records, timestamp
from ..schema import Field, Kind
from ..validation import check_value, check_values
from .api_errors import MESSAGES, ApiError
from .api_submission_schemas import ANSWER_FIELDS, CHANGE_NOTE, GROUPS, REGISTER_KEYS

# Far more than the longest record the forms allow, far less than the register's own limit.
MAX_BODY_BYTES = 1024 * 1024
JSON_TYPES = ("application/json",)


class SubmissionError(ApiError):
    """A request the submission API refuses, with each field of the body at fault."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        fields: Iterable[tuple[str, str]] | None = None,
        parameter: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status, message, parameter)
        self.fields = list(fields) if fields is not None else None
        self.headers = dict(headers or {})


def error_response(error: SubmissionError) -> Response:
    """The API's JSON error, with `fields` listing each field at fault when there are any."""
    body: dict[str, Any] = {
        "status": error.status,
        "message": error.message or MESSAGES.get(error.status, MESSAGES[500]),
        "parameter": error.parameter,
    }
    if error.fields is not None:
        body["fields"] = [{"field": name, "message": text} for name, text in error.fields]
    response = current_app.response_class(
        json.dumps({"error": body}, ensure_ascii=False) + "\n",
        status=error.status,
        mimetype="application/json",
    )
    response.headers.update(error.headers)
    return response


# Reading a body ----------------------------------------------------------------------------


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


def json_object(*, required: bool = True) -> dict[str, Any]:
    """The request's body, a JSON object; an empty body is `{}` unless `required`."""
    wrong_type = SubmissionError(
        415,
        "Send the body as JSON, with the header Content-Type: application/json.",
        parameter="Content-Type",
    )
    # Checked first: a form body has been read as a form already, and looks empty here.
    if request.mimetype and request.mimetype not in JSON_TYPES:
        raise wrong_type
    too_large = SubmissionError(413, f"The body is larger than {MAX_BODY_BYTES} bytes.")
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise too_large
    body = request.get_data(cache=True)
    if len(body) > MAX_BODY_BYTES:  # a body sent in chunks, with no length said
        raise too_large
    if not body.strip():
        if required:
            raise SubmissionError(400, "Send the record as a JSON object in the request body.")
        return {}
    if not request.mimetype:
        raise wrong_type
    depth = current_app.config["JSON_MAX_DEPTH"]
    too_deep = SubmissionError(400, f"The body nests arrays or objects more than {depth} deep.")
    if nests_deeper_than(body, depth):
        raise too_deep
    try:
        data = json.loads(body, parse_constant=_refuse_constant)
    except RecursionError:  # nesting in an encoding other than UTF-8
        raise too_deep from None
    except ValueError as error:  # bad JSON, bad UTF-8
        reason = str(error) if isinstance(error, json.JSONDecodeError) else "it cannot be read"
        raise SubmissionError(400, f"The body is not valid JSON: {reason}.") from None
    if not isinstance(data, dict):
        raise SubmissionError(400, "The body must be a JSON object, not an array or a value.")
    return data


def _tidied(value: Any) -> Any:
    """The value as a form would keep it: trimmed text, nothing for empty text."""
    value = tidy(value)
    return None if value == "" else value


def _shape_problem(field: Field, value: Any) -> str | None:
    """What `validation` cannot say about a JSON value: the wrong kind of value for a field
    of choices, or text no database can store."""
    if value is not None and field.kind is Kind.CHOICES:
        if not (isinstance(value, list) and all(isinstance(code, str) for code in value)):
            return f"{field.label}: give a list of codes"
    elif value is not None and field.kind is Kind.CHOICE and not isinstance(value, str):
        return f"{field.label}: give one code"
    texts = value if isinstance(value, list) else [value]
    for text in texts:
        if isinstance(text, str):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                return f"{field.label} must be text (it holds an unpaired surrogate)"
    return None


def _checked(fields: Iterable[Field], values: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Every problem with `values` (already tidied), keyed by `prefix` and field name."""
    known = {field.name: field for field in fields}
    problems = {}
    for name, value in values.items():
        problem = _shape_problem(known[name], value) if name in known else None
        if problem:
            problems[prefix + name] = problem
    rest = {name: value for name, value in values.items() if prefix + name not in problems}
    for name, problem in check_values(known.values(), rest).items():
        problems[prefix + name] = problem
    return problems


def _rows(group: schema.Group, value: Any, problems: dict[str, str]) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems[group.name] = f"{group.label} must be a list of objects"
        return []
    rows = []
    for number, row in enumerate(value, start=1):
        if not isinstance(row, dict):
            problems[f"{group.name}-{number}"] = f"{group.item_label} {number} must be an object"
            continue
        tidied = {name: _tidied(cell) for name, cell in row.items()}
        problems.update(_checked(group.fields, tidied, f"{group.name}-{number}-"))
        rows.append(tidied)
    return rows


def _organisation_problem(value: Any, organisation: Organisation) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict) and set(value) <= {"name", "slug", "type"}:
        named = value.get("slug", value.get("name"))
        if named in (organisation.slug, organisation.name):
            return None
    return (
        f"This API token files entries for {organisation.name} only: leave the organisation "
        f'out, or give {{"slug": "{organisation.slug}"}}'
    )


def answers_from(
    data: dict[str, Any], organisation: Organisation, *, also: Collection[str] = ()
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The answers and repeating rows of a whole record, as `publishing` takes them: an
    answer left out is empty, as is a group left out. Keys in `also` are left to the caller.
    Raises `SubmissionError` (422) listing every problem."""
    values: dict[str, Any] = {
        name: [] if field.kind is Kind.CHOICES else None for name, field in ANSWER_FIELDS.items()
    }
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in GROUPS}
    problems: dict[str, str] = {}
    for name, value in data.items():
        if name in also:
            continue
        if name in ANSWER_FIELDS:
            values[name] = _tidied(value)
        elif name in GROUPS:
            rows[name] = _rows(GROUPS[name], value, problems)
        elif name == "organisation":
            problem = _organisation_problem(value, organisation)
            if problem:
                problems[name] = problem
        elif name in REGISTER_KEYS:
            problems[name] = f"{name} is kept by the register: leave it out"
        else:
            problems[name] = f"{name} is not a field of the record"
    for name, field in ANSWER_FIELDS.items():
        if field.kind is Kind.CHOICES and values[name] is None:
            values[name] = []
    problems.update(_checked(ANSWER_FIELDS.values(), values))
    if problems:
        raise SubmissionError(422, "Some answers need correcting.", fields=problems.items())
    return values, rows


def only_keys(data: dict[str, Any], allowed: Collection[str]) -> None:
    """Refuse (422) a body with keys other than `allowed`."""
    unknown = [(name, f"{name} is not a field of this request") for name in data]
    unknown = [(name, text) for name, text in unknown if name not in allowed]
    if unknown:
        raise SubmissionError(
            422, "The body has fields this request does not take.", fields=unknown
        )


def change_note_from(data: dict[str, Any]) -> str:
    """The change note a publish request gives, checked as the form checks it."""
    only_keys(data, {"change_note"})
    note = _tidied(data.get("change_note"))
    problem = _shape_problem(CHANGE_NOTE, note) or check_value(CHANGE_NOTE, note)
    if problem:
        raise SubmissionError(
            422, "Some answers need correcting.", fields=[("change_note", problem)]
        )
    return note or ""


# Shaping answers ---------------------------------------------------------------------------


def etag(entry: Entry) -> str | None:
    """The draft's entity tag: its identity and lock version, so a tag from an earlier
    draft of the entry never matches a later one."""
    draft = entry.draft
    return f'"{draft.id}-{draft.lock_version}"' if draft is not None else None


def _link(endpoint: str, reference: str, when: bool = True) -> str | None:
    return absolute_url(endpoint, reference=reference) if when else None


def submission(entry: Entry) -> dict[str, Any]:
    """The entry as the API answers it: its working copy if it has one, else the version the
    public sees (or saw, if it was withdrawn)."""
    draft = entry.draft
    version = draft or entry.current_version or entry.versions[-1]
    record = load_records(db.session.connection(), [version.id])[0]
    for name in REGISTER_KEYS:
        record.pop(name, None)
    numbers = [v.number for v in entry.published_versions]
    reference = entry.reference
    return {
        "reference": reference,
        "state": entry.state,
        "lock_version": draft.lock_version if draft is not None else None,
        "version": max(numbers) if numbers else None,
        "submitted_at": timestamp(entry.submitted_at),
        "review_comment": entry.review_comment,
        "missing": [
            {"field": problem.field, "message": problem.message}
            for problem in (publishing.problems_with(draft) if draft is not None else [])
        ],
        "record": record,
        "links": {
            "self_": _link("submissions.submission", reference),
            "manage": _link("manage.task_list", reference),
            "public": _link("entry_pages.entry", reference, published.is_public(entry)),
            "submit": _link("submissions.submit", reference, entry.state == DRAFT),
            "publish": _link("submissions.publish", reference, entry.state == IN_REVIEW),
            "revision": _link("submissions.revision", reference, entry.state == PUBLISHED),
        },
    }


def summary(entry: Entry) -> dict[str, Any]:
    """One line of the list of submissions."""
    version = entry.draft or entry.current_version
    return {
        "reference": entry.reference,
        "state": entry.state,
        "title": version.title if version is not None else None,
        "lock_version": entry.draft.lock_version if entry.draft is not None else None,
        "updated_at": timestamp(entry.updated_at),
        "url": _link("submissions.submission", entry.reference),
    }

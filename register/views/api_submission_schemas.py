"""Marshmallow schemas of the submission API's requests and answers, for its answers and
its part of the OpenAPI document.

A submitted record has the same fields as the record the read API and the downloads give
(`opendata.serialisers.EntrySchema`), without those the register keeps (reference, version,
dates, change note); the organisation may be left out, since the API token says it.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from .. import schema
from ..models.entry import STATES
from ..opendata import serialisers

# Answers and repeating groups of the form, by name; the organisation is handled apart.
ANSWER_FIELDS = {f.name: f for f in schema.all_fields() if f.kind is not schema.Kind.ORGANISATION}
GROUPS = {group.name: group for group in schema.groups()}
# What a record from the read API or a download has that a submission may not set.
REGISTER_KEYS = tuple(
    name
    for name in serialisers.EntrySchema().fields
    if name not in ANSWER_FIELDS and name not in GROUPS and name != "organisation"
)
CHANGE_NOTE = next(f for f in schema.REGISTER_FIELDS if f.name == "change_note")


class _Strict(Schema):
    """Refuses keys it does not know, as the API does."""

    class Meta:
        unknown = RAISE


def _record_fields() -> dict[str, fields.Field]:
    entry_fields = serialisers.EntrySchema().fields
    declared: dict[str, fields.Field] = {}
    for section in schema.SECTIONS:
        for item in section.items:
            if isinstance(item, schema.Group):
                declared[item.name] = fields.List(
                    fields.Nested(entry_fields[item.name].inner.nested),
                    load_default=list,
                    metadata={"description": item.hint or item.label},
                )
            elif item.kind is schema.Kind.ORGANISATION:
                declared[item.name] = fields.Nested(
                    serialisers.OrganisationReferenceSchema,
                    allow_none=True,
                    load_default=None,
                    metadata={
                        "description": "The organisation the entry belongs to: always the API "
                        "token's. It may be left out; if given, it must name that organisation."
                    },
                )
            else:
                declared[item.name] = serialisers.field_for(item)
    return declared


SubmissionRecordSchema = _Strict.from_dict(_record_fields(), name="SubmissionRecord")


class SubmissionUpdateSchema(SubmissionRecordSchema):
    """The whole record, replacing the draft's answers, and the lock version it was read at."""

    lock_version = fields.Integer(
        validate=validate.Range(min=1),
        metadata={
            "description": "The draft's lock_version when it was read. Needed unless the "
            "request has an If-Match header with the draft's ETag."
        },
    )


class PublicationSchema(_Strict):
    """What publishing may say."""

    change_note = fields.String(
        allow_none=True,
        validate=validate.Length(max=CHANGE_NOTE.max_length),
        metadata={
            "description": "What is new in this version, for the people who follow the "
            "entry. Needed from the second version on."
        },
    )


class FieldProblemSchema(Schema):
    field = fields.String(
        required=True,
        metadata={
            "description": "The field at fault, by its name in the record; a field of a "
            "repeating group as group-number-field, counting from 1 (risks-2-name)."
        },
    )
    message = fields.String(required=True)


class SubmissionLinksSchema(Schema):
    self_ = fields.String(data_key="self", required=True, metadata={"format": "uri"})
    manage = fields.String(
        required=True,
        metadata={"description": "The entry's page for people in the register.", "format": "uri"},
    )
    public = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The public entry page, once published.", "format": "uri"},
    )
    submit = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "Where to POST to submit the draft for review.", "format": "uri"},
    )
    publish = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "Where to POST to publish it, once in review.", "format": "uri"},
    )
    revision = fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "Where to POST to start a new version of a published entry.",
            "format": "uri",
        },
    )


class SubmissionSchema(Schema):
    """An entry of the token's organisation, as its working copy (or public version) says."""

    reference = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    lock_version = fields.Integer(
        allow_none=True,
        required=True,
        metadata={
            "description": "Changes with every save of the draft; send it back when "
            "replacing the draft (or use the ETag). Null when there is no draft."
        },
    )
    version = fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "The number of the latest published version, if any."},
    )
    submitted_at = fields.String(allow_none=True, required=True, metadata={"format": "date-time"})
    review_comment = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "What a publisher who sent the entry back asked to change."},
    )
    missing = fields.List(
        fields.Nested(FieldProblemSchema),
        required=True,
        metadata={"description": "What the draft still needs before it can be submitted."},
    )
    record = fields.Nested(SubmissionRecordSchema, required=True)
    links = fields.Nested(SubmissionLinksSchema, required=True)


class SubmissionSummarySchema(Schema):
    reference = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    title = fields.String(allow_none=True, required=True)
    lock_version = fields.Integer(allow_none=True, required=True)
    updated_at = fields.String(required=True, metadata={"format": "date-time"})
    url = fields.String(required=True, metadata={"format": "uri"})


class SubmissionListSchema(Schema):
    """The organisation's entries that are drafts or waiting for review."""

    submissions = fields.List(fields.Nested(SubmissionSummarySchema), required=True)


class SubmissionErrorBodySchema(Schema):
    status = fields.Integer(required=True)
    message = fields.String(required=True)
    parameter = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The query parameter or header at fault, if one is."},
    )
    fields_ = fields.List(
        fields.Nested(FieldProblemSchema),
        data_key="fields",
        metadata={"description": "Each field of the body at fault, when the body is."},
    )


class SubmissionErrorSchema(Schema):
    error = fields.Nested(SubmissionErrorBodySchema, required=True)

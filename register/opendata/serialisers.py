"""Marshmallow schemas of the open data, derived from the record definition.

`EntrySchema` is the record as the JSON download, the API and the native import know it
(see `records.py` for how it is read); the others shape the API's other answers. The
OpenAPI document is generated from these same classes, so it cannot drift from them.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from .. import schema
from ..schema import Field, Group, KeptField, Kind
from ..schema.vocabularies import ORGANISATION_TYPE, WITHHELD_REASON
from .changes import KINDS
from .columns import PARTIAL_DATE_PATTERN

PARTIAL_DATE = validate.Regexp(f"^{PARTIAL_DATE_PATTERN}$")


def _describe(item: Field) -> dict[str, str]:
    text = item.label if not item.hint else f"{item.label}. {item.hint}"
    if item.required:
        text += " Required to publish."
    return {"description": text}


def field_for(item: Field) -> fields.Field:
    """The marshmallow field that carries one field of the record."""
    metadata = _describe(item)
    options = {"allow_none": True, "load_default": None, "metadata": metadata}
    if item.kind in (Kind.TEXT, Kind.LONG_TEXT):
        return fields.String(validate=validate.Length(max=item.max_length), **options)
    if item.kind is Kind.EMAIL:
        metadata["format"] = "email"
        return fields.String(validate=validate.Length(max=item.max_length), **options)
    if item.kind is Kind.URL:
        metadata["format"] = "uri"
        return fields.String(validate=validate.Length(max=item.max_length), **options)
    if item.kind is Kind.PARTIAL_DATE:
        return fields.String(validate=PARTIAL_DATE, **options)
    if item.kind is Kind.CHOICE:
        return fields.String(validate=validate.OneOf(item.vocabulary.codes), **options)
    if item.kind is Kind.CHOICES:
        return fields.List(
            fields.String(validate=validate.OneOf(item.vocabulary.codes)),
            load_default=list,
            metadata=metadata,
        )
    if item.kind is Kind.BOOLEAN:
        return fields.Boolean(**options)
    if item.kind is Kind.ORGANISATION:
        return fields.Nested(OrganisationReferenceSchema, required=True, metadata=metadata)
    raise ValueError(f"{item.name}: no serialiser for {item.kind}")


class OrganisationReferenceSchema(Schema):
    """The organisation an entry belongs to."""

    name = fields.String(required=True, metadata={"description": "The organisation's name."})
    slug = fields.String(
        required=True, metadata={"description": "The short name in the organisation's address."}
    )
    type = fields.String(
        required=True,
        validate=validate.OneOf(ORGANISATION_TYPE.codes),
        metadata={"description": "The kind of public body."},
    )


class _Strict(Schema):
    """Refuses keys it does not know, so an import cannot silently drop anything."""

    class Meta:
        unknown = RAISE


def _group_schema(group: Group) -> type[Schema]:
    return _Strict.from_dict(
        {item.name: field_for(item) for item in group.fields}, name=_class_name(group.item_label)
    )


def _class_name(label: str) -> str:
    return "".join(word.capitalize() for word in label.split())


# The JSON Schema format of the kinds written as strings of a known shape.
_FORMATS = {Kind.DATETIME: "date-time", Kind.DATE: "date"}


def kept_field(item: KeptField) -> fields.Field:
    """The marshmallow field that carries one field the register keeps."""
    metadata = {"description": item.description}
    if item.kind in _FORMATS:
        metadata["format"] = _FORMATS[item.kind]
    presence = {"allow_none": True} if item.may_be_empty else {"required": True}
    if item.kind is Kind.INTEGER:
        return fields.Integer(metadata=metadata, **presence)
    if item.kind is Kind.BOOLEAN:
        return fields.Boolean(metadata=metadata, **presence)
    return fields.String(metadata=metadata, **presence)


def _register_fields() -> dict[str, fields.Field]:
    kept = (*schema.RECORD_FIELDS, *schema.PROVENANCE_FIELDS)
    return {item.name: kept_field(item) for item in kept}


class WithheldAnswerSchema(_Strict):
    """One answer a version withholds from the public, and why."""

    field = fields.String(
        required=True,
        metadata={
            "description": "The field whose answer is withheld (its value is null), or the "
            "repeating group withheld as a whole (it has no rows)."
        },
    )
    reason = fields.String(
        required=True,
        validate=validate.OneOf(WITHHELD_REASON.codes),
        metadata={"description": "Why it is withheld, as a code of `withheld_reason`."},
    )
    reason_text = fields.String(
        allow_none=True,
        load_default=None,
        metadata={"description": "The publisher's own words when the reason is other."},
    )


WITHHELD_DESCRIPTION = (
    "The answers this version withholds from the public, each with why: their fields are "
    "null (or empty lists) in the record; a repeating group withheld as a whole is named by "
    "its key, and has no rows. Empty when nothing is withheld."
)


def _entry_schema() -> type[Schema]:
    """The whole record: register fields, where it came from, every field and group in form
    order, then the answers it withholds."""
    declared: dict[str, fields.Field] = dict(_register_fields())
    for section in schema.SECTIONS:
        for item in section.items:
            if isinstance(item, Group):
                declared[item.name] = fields.List(
                    fields.Nested(_group_schema(item)),
                    load_default=list,
                    metadata={"description": item.hint or item.label},
                )
            else:
                declared[item.name] = field_for(item)
    declared["withheld"] = fields.List(
        fields.Nested(WithheldAnswerSchema),
        load_default=list,
        metadata={"description": WITHHELD_DESCRIPTION},
    )
    return _Strict.from_dict(declared, name="Entry")


EntrySchema = _entry_schema()


class LinksSchema(Schema):
    self_ = fields.String(
        data_key="self", required=True, metadata={"description": "This page.", "format": "uri"}
    )
    next = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The next page, if there is one.", "format": "uri"},
    )
    prev = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The previous page, if there is one.", "format": "uri"},
    )
    walk = fields.String(
        required=True,
        metadata={
            "description": "The first page of a walk through every match by cursor, in order "
            "of reference: entries published, revised or withdrawn during the walk never make "
            "it show an entry twice or miss one.",
            "format": "uri",
        },
    )


class EntryPageSchema(Schema):
    """One page of entries matching a search."""

    entries = fields.List(fields.Nested(EntrySchema), required=True)
    count = fields.Integer(required=True, metadata={"description": "How many entries match."})
    page = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "The page number; null on a page of a walk by cursor."},
    )
    page_size = fields.Integer(required=True)
    links = fields.Nested(LinksSchema, required=True)


class VersionSummarySchema(Schema):
    version = fields.Integer(required=True)
    published_at = fields.String(required=True, metadata={"format": "date-time"})
    change_note = fields.String(required=True)
    is_current = fields.Boolean(required=True)
    url = fields.String(required=True, metadata={"format": "uri"})


class VersionListSchema(Schema):
    reference = fields.String(required=True)
    versions = fields.List(fields.Nested(VersionSummarySchema), required=True)


class OrganisationSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    type = fields.String(required=True, validate=validate.OneOf(ORGANISATION_TYPE.codes))
    website = fields.String(allow_none=True, required=True, metadata={"format": "uri"})
    entries = fields.Integer(
        required=True, metadata={"description": "How many entries it has on the register."}
    )


class OrganisationListSchema(Schema):
    organisations = fields.List(fields.Nested(OrganisationSchema), required=True)


class ChoiceSchema(Schema):
    code = fields.String(required=True)
    label = fields.String(required=True)
    hint = fields.String(required=True)


class VocabularySchema(Schema):
    name = fields.String(required=True)
    label = fields.String(required=True)
    choices = fields.List(fields.Nested(ChoiceSchema), required=True)


class VocabularyListSchema(Schema):
    vocabularies = fields.List(fields.Nested(VocabularySchema), required=True)


class StatisticsSchema(Schema):
    entries = fields.Integer(required=True, metadata={"description": "Entries on the register."})
    organisations = fields.Integer(
        required=True, metadata={"description": "Organisations with an entry on the register."}
    )
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.Integer()),
        required=True,
        metadata={
            "description": "For each filterable field (and organisation_type), how many "
            "entries have each code; for source, how many came from each source, by name "
            "(written_here: written on this register)."
        },
    )


def _link(description: str, *, nullable: bool = False) -> fields.String:
    return fields.String(
        allow_none=nullable,
        required=True,
        metadata={"description": description, "format": "uri"},
    )


class ChangeLinksSchema(Schema):
    entry = _link(
        "The entry (null for a rename); a withdrawn one answers 410 with the reason.",
        nullable=True,
    )
    version = _link("The version published (null for a withdrawal or a rename).", nullable=True)
    organisation = _link("The organisation's entries.")


class ChangeSchema(Schema):
    """One public event of the register."""

    kind = fields.String(
        required=True,
        validate=validate.OneOf(KINDS),
        metadata={
            "description": "published: an entry's first version; revised: a later version; "
            "retired: the version recording that the tool is no longer used; withdrawn: the "
            "entry left the register; organisation_renamed: an organisation took a new name."
        },
    )
    at = fields.String(
        required=True, metadata={"format": "date-time", "description": "When, in UTC."}
    )
    reference = fields.String(allow_none=True, required=True)
    version = fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "The version published, or the last one before a withdrawal."},
    )
    organisation = fields.String(required=True, metadata={"description": "Its slug."})
    note = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The version's change note, or the reason for a withdrawal."},
    )
    former_name = fields.String(allow_none=True, required=True)
    name = fields.String(allow_none=True, required=True)
    links = fields.Nested(ChangeLinksSchema, required=True)


class ChangeLogLinksSchema(Schema):
    self_ = fields.String(
        data_key="self", required=True, metadata={"description": "This page.", "format": "uri"}
    )
    next = _link("The next page, if more events are there now.", nullable=True)
    resume = _link(
        "Where to ask later for the events after this page's last (this page, if it has none)."
    )


class ChangeLogSchema(Schema):
    """A page of the register's public events, oldest first."""

    changes = fields.List(fields.Nested(ChangeSchema), required=True)
    since = fields.String(allow_none=True, required=True, metadata={"format": "date-time"})
    page_size = fields.Integer(required=True)
    links = fields.Nested(ChangeLogLinksSchema, required=True)


class ErrorBodySchema(Schema):
    status = fields.Integer(required=True)
    message = fields.String(required=True)
    parameter = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The query parameter at fault, if one is."},
    )


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)

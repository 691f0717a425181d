"""Mappings kept on the register: those organisations save under a name, and the one an
uploaded file is being mapped by, kept with the upload."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select

from ...extensions import db
from ...models import Organisation, PendingImport, PendingMapping, SavedMapping, User
from ...models.column_mapping import MAPPING_NAME_LENGTH
from ...schema.texts import N_
from ..files import FileRefused
from ..formats import FORMATS, Format
from .definition import ColumnMapping, MappingError
from .mapped import LABEL, MAPPED, mapped_format
from .reading import FileColumn


@dataclass(frozen=True)
class ShownColumn:
    """A column of an uploaded file as the mapping page shows it."""

    name: str
    samples: tuple[str, ...]
    suggested: str  # where it was suggested to go ("" for Other information)
    why: str  # "name", "values", "saved" (the saved mapping said so), or "new" (it did not)


def saved_mappings(organisation_ids: Collection[int] | None) -> list[SavedMapping]:
    """The saved mappings of these organisations (None: of every one), by name."""
    query = select(SavedMapping).join(SavedMapping.organisation)
    if organisation_ids is not None:
        query = query.where(SavedMapping.organisation_id.in_(list(organisation_ids)))
    return list(db.session.scalars(query.order_by(SavedMapping.name, Organisation.name)))


def find_saved(name: str, organisation: Organisation) -> SavedMapping | None:
    """The organisation's saved mapping called `name`, in any case."""
    wanted = " ".join(name.split()).casefold()
    for saved in saved_mappings([organisation.id]):
        if saved.name.casefold() == wanted:
            return saved
    return None


def name_problem(name: str, organisation: Organisation, replacing: int | None) -> str:
    """What is wrong with saving a mapping as `name` for `organisation`, or "": a name is
    used once in an organisation, unless it is the saved mapping being replaced."""
    name = " ".join(name.split())
    if not name:
        return "Enter a name for the mapping"
    if len(name) > MAPPING_NAME_LENGTH:
        return f"The name must be {MAPPING_NAME_LENGTH} characters or fewer"
    found = find_saved(name, organisation)
    if found is not None and found.id != replacing:
        return (
            f"{organisation.name} already has a mapping called “{found.name}”: give this one "
            "another name, or start from that one when you upload the file"
        )
    return ""


def save(
    name: str,
    organisation: Organisation,
    mapping: ColumnMapping,
    actor: User | None,
    replacing: int | None = None,
) -> SavedMapping:
    """Keep the mapping under `name` (checked with `name_problem` first), replacing the
    saved mapping `replacing` if it is the organisation's; the caller commits."""
    name = " ".join(name.split())
    saved = db.session.get(SavedMapping, replacing) if replacing else None
    if saved is None or saved.organisation_id != organisation.id:
        saved = SavedMapping(organisation_id=organisation.id, created_by_id=actor and actor.id)
        db.session.add(saved)
    saved.name = name
    saved.definition = mapping.to_json()
    db.session.flush()
    return saved


def keep_with_upload(
    pending: PendingImport,
    columns: list[FileColumn],
    suggested: dict[str, tuple[str, str]],
    mapping: ColumnMapping,
    saved: SavedMapping | None,
) -> PendingMapping:
    """Keep the file's columns, what was suggested for each, and the mapping to start from
    beside the upload."""
    shown = [
        {
            "name": column.name,
            "samples": column.samples,
            "suggested": suggested.get(column.name, ("", ""))[0],
            "why": suggested.get(column.name, ("", ""))[1],
        }
        for column in columns
    ]
    kept = PendingMapping(
        pending_import_id=pending.id,
        columns=json.dumps(shown, ensure_ascii=False),
        definition=mapping.to_json(),
        saved_mapping_id=saved.id if saved else None,
    )
    db.session.add(kept)
    return kept


def shown_columns(kept: PendingMapping) -> list[ShownColumn]:
    return [
        ShownColumn(item["name"], tuple(item["samples"]), item["suggested"], item["why"])
        for item in json.loads(kept.columns)
    ]


def kept_mapping(kept: PendingMapping) -> ColumnMapping:
    """The mapping an upload is being mapped by."""
    return ColumnMapping.from_json(kept.definition)


def mapping_of(saved: SavedMapping) -> ColumnMapping:
    """The mapping an organisation saved."""
    return ColumnMapping.from_json(saved.definition)


def format_of_upload(pending: PendingImport) -> Format:
    """The format an upload is read in: a known format's, or the one its mapping makes."""
    if pending.format != MAPPED:
        return FORMATS[pending.format]
    kept = db.session.get(PendingMapping, pending.id)
    try:
        mapping = kept_mapping(kept) if kept is not None else None
    except MappingError:
        mapping = None
    if mapping is None:
        return Format(MAPPED, LABEL, None, map=lambda mapper: None, columns=(), read=_forgotten)
    saved = db.session.get(SavedMapping, kept.saved_mapping_id) if kept.saved_mapping_id else None
    return mapped_format(mapping, _label(saved))


def _label(saved: SavedMapping | None) -> str:
    return f"“{saved.name}” mapped" if saved is not None else LABEL


def _forgotten(stream: object, limits: object) -> list:
    raise FileRefused(N_("How this file's columns are mapped was not kept. Upload it again."))

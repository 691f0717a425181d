"""Finding the organisation a row names, and adding those an import is asked to add."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from ..accounts import slugify
from ..audit import record_event
from ..extensions import db
from ..models import Organisation, User
from ..schema.texts import N_, Composed, Given
from .mapping import ImportedEntry
from .values import squeeze

if TYPE_CHECKING:
    from .outcomes import ImportOptions


class Organisations:
    """Finds the organisation a row names: by slug, name or abbreviation, in any case."""

    def __init__(self, options: ImportOptions | None) -> None:
        self.options = options
        self.by_key: dict[str, Organisation] = {}
        for organisation in db.session.scalars(select(Organisation)):
            for key in (organisation.slug, organisation.name, organisation.abbreviation):
                if key:
                    self.by_key.setdefault(squeeze(key), organisation)
        self.new: dict[str, tuple[str, str]] = {}  # key -> (name, abbreviation)

    def find(self, imported: ImportedEntry) -> tuple[Organisation | str | None, str]:
        """The organisation, or the key of one to create, or None with the reason."""
        if self.options.organisation is not None:
            return self.options.organisation, ""
        name, abbreviation = imported.organisation, imported.organisation_abbreviation
        if not name and not abbreviation:
            return None, N_("The row does not say which organisation uses the tool")
        for candidate in (name, abbreviation):
            found = self.by_key.get(squeeze(candidate)) if candidate else None
            if found is not None:
                return found, ""
        if not self.options.create_organisations:
            return None, Composed(
                N_(
                    "There is no organisation called “%(name)s” on the register. Add it first, "
                    "or choose to create the organisations the file names"
                ),
                name=Given(name or abbreviation),
            )
        key = squeeze(name or abbreviation)
        self.new.setdefault(key, (name or abbreviation, abbreviation if name else ""))
        return key, ""


def find_organisation(name: str) -> Organisation | None:
    """The organisation with this slug, name or abbreviation, in any case or spacing."""
    return Organisations(None).by_key.get(squeeze(name))


ORGANISATION_NAME_LENGTH = 200  # Organisation.name


def organisation_name_problem(name: str) -> str:
    """What is wrong with a name a person gives an organisation an import adds, or "": in
    English, a page saying it with `shown`."""
    name = (name or "").strip()
    if not name:
        return N_("Enter the organisation’s name")
    if len(name) > ORGANISATION_NAME_LENGTH:
        return Composed(
            N_("The name must be %(count)s characters or fewer"),
            count=Given(str(ORGANISATION_NAME_LENGTH)),
        )
    found = find_organisation(name)
    if found is not None:
        return Composed(
            N_("“%(name)s” is already on the register: give the new organisation another name"),
            name=Given(found.name),
        )
    return ""


def add_organisation(name: str, abbreviation: str, actor: User | None) -> Organisation:
    """An organisation a file names, added because the person importing asked for it."""
    slug = base = slugify(name) or "organisation"
    number = 1
    while db.session.scalar(select(Organisation.id).where(Organisation.slug == slug)):
        number += 1
        slug = f"{base[:95]}-{number}"
    organisation = Organisation(
        name=name[:200], slug=slug, type="other", abbreviation=abbreviation[:40] or None
    )
    db.session.add(organisation)
    db.session.flush()
    record_event(
        "organisation_added", actor, organisation=organisation, detail="Named in an import"
    )
    return organisation

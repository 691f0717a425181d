"""The organisations that publish in the register, and each one's page of entries."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, render_template, request, url_for

from .. import people, search
from ..schema.vocabularies import ORGANISATION_TYPE
from .entry_display import safe_link
from .listing import listing_page

blueprint = Blueprint("organisations", __name__)


@dataclass(frozen=True)
class Row:
    organisation: search.OrganisationInfo
    type_label: str
    entries: int


@dataclass(frozen=True)
class TypeOption:
    code: str
    label: str
    organisations: int
    selected: bool


@blueprint.get("/organisations")
def index() -> str:
    """Every organisation with its number of published entries, narrowed by type if asked."""
    asked = list(dict.fromkeys(v.strip() for v in request.args.getlist("organisation_type")))
    types = [code for code in asked if code in ORGANISATION_TYPE]
    notices = [
        f"“{code[:80]}” is not a type of organisation, so that filter was not used."
        for code in asked
        if code and code not in ORGANISATION_TYPE
    ]
    organisations = search.directory()
    entries = search.entries_per_organisation(organisations)
    everyone = sorted(organisations.values(), key=lambda o: o.name.casefold())
    rows = [
        Row(o, ORGANISATION_TYPE.label_for(o.type), entries.get(o.id, 0))
        for o in everyone
        if not types or o.type in types
    ]
    options = [
        TypeOption(
            choice.code,
            choice.label,
            sum(1 for o in everyone if o.type == choice.code),
            choice.code in types,
        )
        for choice in ORGANISATION_TYPE.choices
    ]
    return render_template(
        "organisations/index.html", rows=rows, options=options, notices=notices, chosen=types
    )


@blueprint.get("/organisations/<slug>")
def organisation(slug: str) -> str:
    """An organisation's details and its entries: the listing, for this organisation only."""
    found = people.organisation_with_slug(slug)
    if found is None:
        abort(404)
    published = search.entries_per_organisation(search.directory()).get(found.id, 0)
    return listing_page(
        "organisations/organisation.html",
        url_for("organisations.organisation", slug=found.slug),
        # The page is the organisation's: its own filter is set, and the type has no use.
        fixed={"organisation": (found.slug,), "organisation_type": ()},
        organisation=found,
        type_label=ORGANISATION_TYPE.label_for(found.type),
        website=safe_link(found.website or ""),
        published=published,
    )

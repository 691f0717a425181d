"""The organisations that publish in the register, each one's page of entries, and the
coverage page: who has recorded nothing, and whose reviews are overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for
from flask_babel import gettext

from .. import coverage, people, search
from ..schema.texts import choice_label, shown
from ..schema.vocabularies import ORGANISATION_TYPE
from .download_responses import allow_cors
from .entry_display import safe_link
from .listing import listing_page

blueprint = Blueprint("organisations", __name__)
# Organisations that have recorded nothing, listed a page at a time: there may be thousands.
COVERAGE_PAGE_SIZE = 100


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
        gettext(
            "“%(code)s” is not a type of organisation, so that filter was not used.", code=code[:80]
        )
        for code in asked
        if code and code not in ORGANISATION_TYPE
    ]
    organisations = search.directory()
    entries = search.entries_per_organisation(organisations)
    everyone = sorted(organisations.values(), key=lambda o: o.name.casefold())
    rows = [
        Row(o, choice_label(ORGANISATION_TYPE, o.type), entries.get(o.id, 0))
        for o in everyone
        if not types or o.type in types
    ]
    options = [
        TypeOption(
            choice.code,
            shown(choice.label),
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
    return listing_page(
        "organisations/organisation.html",
        url_for("organisations.organisation", slug=found.slug),
        # The page is the organisation's: its own filter is set, and the type has no use.
        fixed={"organisation": (found.slug,), "organisation_type": ()},
        organisation=found,
        type_label=choice_label(ORGANISATION_TYPE, found.type),
        website=safe_link(found.website or ""),
        record=coverage.of_organisation(found, date.today()),
        overdue_href=url_for(
            "listing.entries", organisation=found.slug, **{search.REVIEW.name: search.OVERDUE}
        ),
    )


def _chosen_type() -> tuple[str, list[str]]:
    """The type of organisation asked for in the address ("" for every type), and a notice
    if the address names a type the register does not know."""
    asked = request.args.get("organisation_type", "").strip()
    if not asked or asked in ORGANISATION_TYPE:
        return asked, []
    return "", [
        gettext(
            "“%(code)s” is not a type of organisation, so that filter was not used.",
            code=asked[:80],
        )
    ]


def _page_number(pages: int) -> int:
    """The page of organisations asked for, kept within the pages there are."""
    asked = request.args.get("page", "1")
    number = int(asked) if asked.isdigit() and len(asked) < 10 else 1
    return min(max(number, 1), pages)


@blueprint.get("/coverage")
def coverage_page() -> str:
    """Organisations that have recorded nothing the public can read, those whose reviews are
    overdue, and how many of each type have recorded anything."""
    everyone = coverage.every_organisation(date.today())
    chosen, notices = _chosen_type()
    shown = [o for o in everyone if not chosen or o.type == chosen]
    nothing = [o for o in shown if not o.entries]
    pages = max(1, -(-len(nothing) // COVERAGE_PAGE_SIZE))
    page = _page_number(pages)
    start = (page - 1) * COVERAGE_PAGE_SIZE
    return render_template(
        "organisations/coverage.html",
        types=coverage.by_type(everyone),
        everyone=len(everyone),
        recorded=sum(1 for o in everyone if o.entries),
        chosen=chosen,
        chosen_label=choice_label(ORGANISATION_TYPE, chosen) if chosen else "",
        options=ORGANISATION_TYPE.choices,
        notices=notices,
        nothing=nothing[start : start + COVERAGE_PAGE_SIZE],
        nothing_total=len(nothing),
        page=page,
        pages=pages,
        overdue=[o for o in shown if o.overdue],
        review_filter={search.REVIEW.name: search.OVERDUE},
    )


@blueprint.get("/coverage.json")
def coverage_json() -> Response:
    """The coverage for machines: every organisation with its counts, readable from any site."""
    today = date.today()
    return allow_cors(jsonify(coverage.as_json(coverage.every_organisation(today), today)))

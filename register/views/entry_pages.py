"""The public page of an entry, its history, and what changed in each version.

Only published versions are shown. An entry that was never published is not found (404); a
withdrawn entry answers 410 Gone on every one of these pages, showing only its title, its
organisation and the public reason, so nothing it said stays readable. A reference typed in
another case is redirected to the entry's own spelling. `load_entry` settles all of this
before any page here runs, and leaves the entry in `g.entry`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from .. import published, schema
from ..addresses import absolute_url
from ..comparison import compare
from ..formatting import entry_title
from ..models import EntryVersion
from ..opendata.freshness import entry_last_changed
from ..publishing import rows_of, values_of
from ..search.similar import Similar, similar_entries
from ..standards import SHAPES
from . import entry_changes
from . import entry_display as display
from .feedback import entry_feedback
from .page_validators import validated

blueprint = Blueprint("entry_pages", __name__)

# Bounded so that any number in the address is a lookup, never an overflow or a 500.
VERSION = "<int(min=1, max=100000):number>"
VALIDATED = frozenset(f"entry_pages.{name}" for name in ("entry", "versions", "version", "changes"))


def _page(template: str, **context: Any) -> str:
    """`template` rendered with `context` and the links every page here has."""
    return render_template(template, **display.page_links(), **context)


@blueprint.url_value_preprocessor
def take_reference(endpoint: str | None, values: dict[str, Any] | None) -> None:
    g.reference = (values or {}).pop("reference", "")


@blueprint.before_request
def load_entry() -> ResponseReturnValue | None:
    """Find the entry every page here is about, before the page is made. Answer 404 if it was
    never published, redirect a reference typed in another case to the entry's own spelling,
    and show a withdrawn entry's notice instead of any page about it."""
    entry = published.find_entry(g.reference)
    if entry is None:
        abort(404)
    if entry.reference != g.reference:
        arguments = {**(request.view_args or {}), "reference": entry.reference}
        return redirect(url_for(request.endpoint or "", **arguments), 301)
    if published.is_withdrawn(entry):
        title = entry_title(published.latest(entry))
        return _page("entries/withdrawn.html", entry=entry, title=title), 410
    g.entry = entry
    return None


@blueprint.after_request
def add_validators(response: Response) -> Response:
    """Give the page an ETag and Last-Modified, or answer 304 to a browser whose copy is
    current (see page_validators). Not the print view, which shows the day it was printed."""
    entry = g.get("entry")
    if entry is None or request.endpoint not in VALIDATED:
        return response
    return validated(response, entry_last_changed(entry, date.today()))


def _record(version: EntryVersion) -> dict[str, Any]:
    """What the entry's page and its print view both show of `version`: the answers that
    open it, every section's, and the register's own details."""
    entry = g.entry
    source = display.imported_from(entry)
    return {
        "entry": entry,
        "version": version,
        "glance": display.at_a_glance(entry, version, source),
        "cards": display.section_cards(entry, version, source),
        "details": display.register_details(
            entry, version, current=version.is_current, source=source
        ),
        "retirement": display.retirement(version),
        "overdue_since": display.review_overdue(entry, version),
    }


def _version_page(
    version: EntryVersion,
    latest: published.Latest | None = None,
    similar: list[Similar] | None = None,
) -> str:
    return _page(
        "entries/entry.html",
        **_record(version),
        latest=latest,
        feedback=entry_feedback(g.entry, version),
        shapes=SHAPES,
        similar=similar or [],
        # Only the current version's page links to its supplier, with the similar entries.
        supplier=version.supplier if similar is not None else None,
    )


@blueprint.get("/entries/<reference>")
def entry() -> str:
    """The entry as the public sees it now: its current published version."""
    version = published.current_version(g.entry)
    if version is None:
        abort(404)
    return _version_page(version, similar=similar_entries(version))


@blueprint.get("/entries/<reference>/print")
def print_entry() -> str:
    """The current version on one page made for printing: every answer, the version and
    when it was published, and the day it was printed; no navigation."""
    version = published.current_version(g.entry)
    if version is None:
        abort(404)
    return _page(
        "entries/print.html",
        **_record(version),
        printed_on=date.today(),
        entry_url=absolute_url("entry_pages.entry", reference=g.entry.reference),
    )


@blueprint.get("/entries/<reference>/versions")
def versions() -> str:
    """Every published version of the entry, newest first."""
    return _page(
        "entries/versions.html",
        entry=g.entry,
        title=entry_title(published.latest(g.entry)),
        history=published.history(g.entry),
    )


@blueprint.get(f"/entries/<reference>/versions/{VERSION}")
def version(number: int) -> str:
    """One published version, as it was when it was published."""
    version = published.published_versions(g.entry, [number]).get(number)
    if version is None:
        abort(404)
    return _version_page(version, published.latest(g.entry))


@blueprint.get(f"/entries/<reference>/versions/{VERSION}/changes")
def changes(number: int) -> str:
    """What changed in a version since the one before it, answer by answer."""
    found = published.published_versions(g.entry, [number, number - 1])
    version, previous = found.get(number), found.get(number - 1)
    if version is None:
        abort(404)
    comparison = None
    sections: list[entry_changes.ShownSection] = []
    unchanged_sections: list[schema.Section] = []
    if previous is not None:
        comparison = compare(
            values_of(previous), rows_of(previous), values_of(version), rows_of(version)
        )
        sections, unchanged_sections = entry_changes.show_comparison(comparison)
    return _page(
        "entries/changes.html",
        entry=g.entry,
        version=version,
        previous=previous,
        comparison=comparison,
        sections=sections,
        unchanged_sections=unchanged_sections,
        title=entry_title(published.latest(g.entry)),
        change_note=display.show(display.CHANGE_NOTE, version.change_note),
    )

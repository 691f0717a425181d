"""The suppliers of the tools on the register: who else uses a product, and where."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for

from .. import languages, suppliers

blueprint = Blueprint("suppliers", __name__)


@blueprint.get("/suppliers")
def index() -> str:
    """Every supplier of published entries, with how many entries and organisations use it."""
    return render_template("suppliers/index.html", rows=suppliers.directory())


@blueprint.get("/suppliers/<slug>")
def supplier(slug: str) -> str:
    """A supplier, its products and the published entries of every organisation using them."""
    found = suppliers.page(slug, languages.current_language())
    if found is None:
        abort(404)
    listing = url_for("listing.entries", supplier=found.supplier.slug)
    return render_template("suppliers/supplier.html", page=found, listing=listing)

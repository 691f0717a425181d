"""The public listing at /entries: search, filters with counts, sorting and pages.

The page is one GET form, so every state is a bookmarkable address and nothing needs
JavaScript. The organisation pages show the same listing, narrowed to one organisation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import time
from functools import cached_property, lru_cache
from urllib.parse import urlencode

from flask import Blueprint, get_template_attribute, render_template, request, url_for
from flask_babel import gettext
from markupsafe import Markup

from .. import formatting, languages, search
from ..formatting import N_
from ..schema.texts import shown
from ..search import SearchQuery, SearchResults

blueprint = Blueprint("listing", __name__)

# Pages linked either side of the current one in the pagination.
NEARBY_PAGES = 2
# Filters that take a value rather than a code: shown as tags, carried by the form unseen.
_WITHOUT_CHECKBOXES = frozenset({search.PUBLISHED.name, search.SUPPLIER.name})
# Filters whose values are names people gave (organisations', suppliers'): never translated.
_NAMED_BY_PEOPLE = frozenset({"organisation", search.SUPPLIER.name})
# The orders' names (search.SORTS), marked for the catalogue: translated where shown.
SORT_NAMES_SHOWN = (N_("Relevance"), N_("Most recently updated"), N_("Title"))


@dataclass(frozen=True)
class Tag:
    """A chosen filter (or the search text), shown as a link that removes it."""

    label: str
    value: str
    href: str


@dataclass(frozen=True)
class Listing:
    """What the listing template needs besides the results: where the form sends its
    parameters, and the filters fixed by the page (an organisation page's organisation)."""

    results: SearchResults
    notices: list[str]
    action: str
    fixed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def query(self) -> SearchQuery:
        return self.results.query

    def url(self, query: SearchQuery) -> str:
        """The address of this page showing `query` (fixed filters stay in the path)."""
        params = [(name, value) for name, value in query.to_params() if name not in self.fixed]
        return f"{self.action}?{urlencode(params)}" if params else self.action

    def page_url(self, page: int) -> str:
        return self.url(self.query.at_page(page))

    def download_url(self, extension: str) -> str:
        """The download of every result: the open-data twins of /entries, same parameters."""
        params = urlencode(self.query.to_params(paging=False))
        address = languages.url_for(f"downloads.entries_{extension}")
        return f"{address}?{params}" if params else address

    @cached_property
    def chosen_facets(self) -> list[search.Facet]:
        """Every filter the page does not fix, those without checkboxes too."""
        return [
            _in_page_language(facet)
            for facet in self.results.facets
            if facet.name not in self.fixed
        ]

    @cached_property
    def facets(self) -> list[search.Facet]:
        """The filters offered as checkboxes: not the month of first publication, which is
        only ever chosen by a link (from /stats) and shown as a tag, nor the source while
        every entry found was written on the register (a choice of one says nothing)."""
        return [
            f
            for f in self.chosen_facets
            if f.name not in _WITHOUT_CHECKBOXES and not _nothing_imported(f)
        ]

    def filter_group(self, facet: search.Facet) -> Markup:
        """A filter's checkboxes: the macro `filter_group` of listing/macros.html."""
        return _filter_group(facet, languages.current_language())

    @cached_property
    def tags(self) -> list[Tag]:
        tags = []
        if self.query.text:
            tags.append(
                Tag(gettext("Search"), self.query.text, self.url(self.query.without_text()))
            )
        since = self.query.changed_since
        if since is not None:
            # A day at midnight UTC is a day as asked; any other moment is shown whole.
            shown = formatting.day(since) if since.time() == time() else formatting.moment(since)
            tags.append(
                Tag(gettext("Changed since"), shown, self.url(self.query.without_changed_since()))
            )
        for facet in self.chosen_facets:
            for option in facet.selected:
                href = self.url(self.query.without(facet.name, option.code))
                tags.append(Tag(facet.label, option.label, href))
        return tags

    @property
    def clear_url(self) -> str:
        """This page with no search and no filters, in the same order."""
        kept = SearchQuery(sort=self.query.sort, page_size=self.query.page_size)
        return self.url(kept)

    @property
    def hidden_params(self) -> list[tuple[str, str]]:
        """Parameters the form carries without showing: a page size other than the usual,
        and the filters it has no checkboxes for."""
        carried = {"page_size", search.CHANGED_SINCE, *_WITHOUT_CHECKBOXES} - set(self.fixed)
        return [(n, v) for n, v in self.query.to_params() if n in carried]

    @property
    def sorts(self) -> list[tuple[str, str, bool]]:
        """The orders on offer as (value, label, selected). The first is the usual order,
        sent as "", so a new search from the form is ranked by relevance."""
        usual = "relevance" if self.query.terms else "updated"
        offered = [("", gettext(search.SORTS[usual]))]
        offered += [
            (code, gettext(label)) for code, label in search.SORTS.items() if code != "relevance"
        ]
        chosen = "" if self.query.order == usual else self.query.order
        return [(code, label, code == chosen) for code, label in offered if code != usual]

    @cached_property
    def pagination(self) -> dict | None:
        """The parameters of GOV.UK's pagination component, or None for a single page."""
        results = self.results
        if results.page_count <= 1 or results.page_out_of_range:
            return None
        current, last = results.page, results.page_count
        shown = sorted(
            {1, last, *range(max(1, current - NEARBY_PAGES), min(last, current + NEARBY_PAGES) + 1)}
        )
        # On English pages GOV.UK's own texts ("Previous page", "Page 3") are left to it.
        welsh = languages.current_language() != languages.DEFAULT_LANGUAGE
        items: list[dict] = []
        for before, number in zip([0, *shown], shown, strict=False):
            if before and number - before > 1:
                items.append({"ellipsis": True})
            item = {"number": number, "href": self.page_url(number), "current": number == current}
            if welsh:
                item["visuallyHiddenText"] = gettext("Page %(number)s", number=number)
            items.append(item)
        component: dict = {"items": items, "landmarkLabel": gettext("Pages of results")}
        if current > 1:
            component["previous"] = {"href": self.page_url(current - 1)}
            if welsh:
                component["previous"]["text"] = gettext("Previous")
        if current < last:
            component["next"] = {"href": self.page_url(current + 1)}
            if welsh:
                component["next"]["text"] = gettext("Next")
        return component


# Each filter's checkboxes as rendered, by the filter (its options, counts and choices) and
# the page's language, which the macro writes in. A broad search offers hundreds of
# organisations, which took a third of its page's time, and a search asked again shows the
# same counts until the register changes. Most filters are a few kB of markup and a search's
# list of organisations up to 150 kB, one in every dozen filters kept: a few MB in all.
@lru_cache(maxsize=256)
def _filter_group(facet: search.Facet, language: str) -> Markup:
    return get_template_attribute("listing/macros.html", "filter_group")(facet)


def _in_page_language(facet: search.Facet) -> search.Facet:
    """A filter with its name and the names of its codes in the page's language; the names
    of organisations and suppliers as they are."""
    if facet.name in _NAMED_BY_PEOPLE:
        return replace(facet, label=shown(facet.label))
    options = tuple(replace(option, label=shown(option.label)) for option in facet.options)
    return replace(facet, label=shown(facet.label), options=options)


def _nothing_imported(facet: search.Facet) -> bool:
    return (
        facet.name == search.SOURCE.name
        and not facet.selected
        and all(option.code == search.WRITTEN_HERE for option in facet.options)
    )


def code_label(filter_name: str, code: str | None) -> str:
    """How a code of one of the listing's filters reads to a person."""
    item = search.FILTERS_BY_NAME.get(filter_name)
    if item is search.SOURCE:
        return shown(search.source_label(code or ""))
    if item is None or (code or "") not in item.labels:
        return code or ""
    return shown(item.labels[code or ""])


def listing_page(
    template: str,
    action: str,
    fixed: Mapping[str, tuple[str, ...]] | None = None,
    **context: object,
) -> str:
    """Run the search in the request's parameters and render it. `fixed` filters are set by
    the page (an empty tuple takes a filter away): they are not offered, and not in links."""
    query, notices = search.parse_query(request.args)
    for name, codes in (fixed or {}).items():
        query = query.with_codes(name, codes).at_page(query.page)
    results = search.run(query, language=languages.current_language())
    listing = Listing(results, notices, action, dict(fixed or {}))
    return render_template(
        template, listing=listing, results=listing.results, code_label=code_label, **context
    )


@blueprint.get("/entries")
def entries() -> str:
    return listing_page("listing/entries.html", url_for("listing.entries"))

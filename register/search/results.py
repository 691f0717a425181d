"""Running a search: one page of results, with the counts for every filter.

A page takes the same number of statements however many results it shows: the generation,
the organisations, the counts (from the cache, or one statement per filter), the page's ids
and their rows; the snippets are made from those rows (`snippets.py`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import ColumnElement, Select, select

from ..extensions import db
from ..languages import DEFAULT_LANGUAGE, WELSH, in_page_language
from ..models import Entry, EntryVersion
from ..models.entry import title_in_welsh
from . import fulltext, snippets
from .conditions import BY_INDEX, BY_MATCHES, PLAIN, column, conditions
from .facets import FEW_MATCHES, Cache, Counts, OrganisationInfo, cached_counts, counts, directory
from .query import (
    FILTERS,
    RELEVANCE,
    TITLE,
    WRITTEN_HERE,
    SearchQuery,
    month_label,
    source_label,
    supplier_names,
)

# SQLite finds a page by walking an index in the order wanted when it expects to pass fewer
# rows than this on the way; otherwise it gathers every match and sorts them. Passing a row
# costs a look at the wide row when columns are filtered, and only an index probe when not.
WALK_BUDGET = 4000
WALK_BUDGET_WITHOUT_ROWS = 40000
# The ids and snippets of recently asked-for pages, by the counts' key (which holds the
# generation), the order and the page: ranking a common word's thousands of matches, and
# making their snippets, is worth doing once.
cached_pages = Cache(1024)

_MARKS = re.compile(f"({snippets.MARK_START}|{snippets.MARK_END})")
_MARKUP = {snippets.MARK_START: Markup("<mark>"), snippets.MARK_END: Markup("</mark>")}


@dataclass(frozen=True)
class FacetOption:
    code: str  # a vocabulary code, or an organisation's slug
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    """One filter with every code it can take and how many entries each would find."""

    name: str
    label: str
    options: tuple[FacetOption, ...]

    @property
    def selected(self) -> tuple[FacetOption, ...]:
        return tuple(option for option in self.options if option.selected)


@dataclass(frozen=True)
class Item:
    """One result: the current version, its entry's reference and organisation, and a
    snippet of its text with the search's words marked (safe to show as it is), with the
    language it is in when that is not the page's (`snippet_lang`)."""

    version: EntryVersion
    reference: str
    organisation: OrganisationInfo
    snippet: Markup
    snippet_lang: str = ""


@dataclass(frozen=True)
class SearchResults:
    query: SearchQuery
    total: int
    items: tuple[Item, ...]
    facets: tuple[Facet, ...]

    @property
    def page(self) -> int:
        return self.query.page

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.total / self.query.page_size))

    @property
    def page_out_of_range(self) -> bool:
        """Asked for a page after the last one."""
        return self.query.page > self.page_count

    @property
    def first(self) -> int:
        """The position of the first result on this page, counting from 1."""
        return self.query.offset + 1

    @property
    def last(self) -> int:
        return self.query.offset + len(self.items)

    def facet(self, name: str) -> Facet:
        return next(facet for facet in self.facets if facet.name == name)


def clear_caches() -> None:
    """Forget every cached count and page (for measurements and tests; a change to the
    register makes them unused anyway)."""
    cached_counts.clear()
    cached_pages.clear()


def highlighted(raw: str) -> Markup:
    """`raw` escaped, then its marked matches wrapped in <mark>."""
    if raw.count(snippets.MARK_START) != raw.count(snippets.MARK_END):
        raw = raw.replace(snippets.MARK_START, "").replace(snippets.MARK_END, "")
    pieces = _MARKS.split(raw)
    return Markup("").join(_MARKUP.get(piece) or escape(piece) for piece in pieces)


def _title(language: str, unindexed: bool) -> ColumnElement[str]:
    """The title a page in `language` shows, to sort by: each language's has an index."""
    if language == WELSH:
        return title_in_welsh(column("title", unindexed), column("title_cy", unindexed))
    return column("title", unindexed)


def _order(
    query: SearchQuery, unindexed: bool, language: str = DEFAULT_LANGUAGE
) -> list[ColumnElement]:
    """The order of `query`'s results after relevance (which only the index can give), by
    the title as a page in `language` shows it when sorted by title."""
    if query.order == TITLE:
        return [_title(language, unindexed).asc(), column("id", unindexed).asc()]
    if query.order == RELEVANCE:
        return [column("id", unindexed).desc()]
    return [column("published_at", unindexed).desc(), column("id", unindexed).desc()]


def matching(query: SearchQuery) -> Select:
    """Every current version `query` finds, in its order, as one statement to stream (for
    downloads and the API): `select(EntryVersion)`, not paginated. Sorted by title, in the
    English order: downloads are the same whatever page links to them."""
    return _sorted(select(EntryVersion), query, PLAIN, unindexed_order=False)


def _sorted(
    statement: Select,
    query: SearchQuery,
    drive: str,
    unindexed_order: bool,
    language: str = DEFAULT_LANGUAGE,
) -> Select:
    if query.order == RELEVANCE:
        statement, rank = fulltext.ranked(statement, query.terms)
        statement = statement.where(*conditions(query, drive=drive, text=False))
        return statement.order_by(rank, *_order(query, unindexed=True))
    statement = statement.where(*conditions(query, drive=drive))
    return statement.order_by(*_order(query, unindexed_order, language))


def _page_ids(query: SearchQuery, found: Counts, language: str) -> list[int]:
    """The ids of the versions on `query`'s page, in order (by the titles a page in
    `language` shows, when sorted by title). On SQLite the way to find them is chosen from
    the counts (see conditions.py): the title's order in either language has an index."""
    if not fulltext.is_sqlite():
        drive, unindexed_order = PLAIN, False
    elif query.order == RELEVANCE and not query.filtered:
        statement = fulltext.best_matches(query.terms)
        return list(db.session.scalars(statement.limit(query.page_size).offset(query.offset)))
    elif query.order == RELEVANCE or (query.terms and (found.matches or 0) < FEW_MATCHES):
        drive, unindexed_order = BY_MATCHES, True
    else:
        passed = (query.offset + query.page_size) * found.everything / max(found.total, 1)
        budget = WALK_BUDGET if query.filtered else WALK_BUDGET_WITHOUT_ROWS
        drive, unindexed_order = BY_INDEX, passed > budget
    statement = _sorted(select(EntryVersion.id), query, drive, unindexed_order, language)
    return list(db.session.scalars(statement.limit(query.page_size).offset(query.offset)))


def _facets(
    query: SearchQuery, found: Counts, organisations: dict[int, OrganisationInfo]
) -> tuple[Facet, ...]:
    facets = []
    for item in FILTERS:
        chosen = set(query.codes(item.name))
        numbers = found.by_filter.get(item.name, {})
        if item.kind == "organisation":
            shown = sorted(
                (o for o in organisations.values() if numbers.get(o.id) or o.slug in chosen),
                key=lambda o: o.name.casefold(),
            )
            options = tuple(
                FacetOption(o.slug, o.name, numbers.get(o.id, 0), o.slug in chosen) for o in shown
            )
        elif item.kind == "source":
            # Every source with entries found, by name, then the entries written here.
            codes = sorted(
                {code for code, number in numbers.items() if number} | chosen,
                key=lambda code: (code == WRITTEN_HERE, str(code).casefold()),
            )
            options = tuple(
                FacetOption(code, source_label(code), numbers.get(code, 0), code in chosen)
                for code in codes
            )
        elif item.kind == "month":
            # No months to offer: only those chosen, each to be shown as a tag.
            options = tuple(
                FacetOption(code, month_label(code), 0, True) for code in query.codes(item.name)
            )
        elif item.kind == "supplier":
            # As for months: only those chosen (from a supplier's page), by name.
            names = supplier_names(query.codes(item.name))
            options = tuple(
                FacetOption(code, names.get(code, code), 0, True) for code in query.codes(item.name)
            )
        else:
            options = tuple(
                FacetOption(code, label, numbers.get(code, 0), code in chosen)
                for code, label in item.labels.items()
            )
        facets.append(Facet(item.name, item.label, options))
    return tuple(facets)


def _item(
    version: EntryVersion,
    reference: str,
    organisation: OrganisationInfo,
    extract: snippets.Extract | None,
    language: str,
) -> Item:
    """A result, with the extract the search made, or else the summary in `language` where
    it was given in it."""
    if extract is not None:
        snippet, lang = highlighted(extract.text), extract.lang
    else:
        summary = in_page_language(version.summary, version.summary_cy, language)
        snippet, lang = escape(summary), summary.lang or language
    return Item(version, reference, organisation, snippet, "" if lang == language else lang)


def run(
    query: SearchQuery, *, facets: bool = True, language: str = DEFAULT_LANGUAGE
) -> SearchResults:
    """One page of what `query` finds, with the counts for every filter (unless `facets` is
    false: the API lists entries without them, and a page then costs fewer statements). Each
    result's snippet is in `language`, the page's, where the entry gives its text in it, and
    sorted by title, the results are in the order of the titles a page in `language` shows."""
    organisations = directory()
    found = counts(query, organisations, facets=facets)
    items: list[Item] = []
    if found.total and query.offset < found.total:
        key = (found.key, query.order, query.offset, query.page_size, language)
        page = cached_pages.get(key)
        ids = page[0] if page else tuple(_page_ids(query, found, language))
        rows = db.session.execute(
            select(EntryVersion, Entry.reference)
            .join(Entry, Entry.id == EntryVersion.entry_id)
            .where(EntryVersion.id.in_(ids))
        )
        loaded = {version.id: (version, reference) for version, reference in rows}
        if page is None:
            made = snippets.snippets(
                [version for version, _ in loaded.values()], query.terms, language
            )
            page = (ids, made)
            cached_pages.put(key, page)
        extracts = page[1]
        for version_id in ids:
            version, reference = loaded.get(version_id, (None, ""))
            organisation = organisations.get(version.organisation_id) if version else None
            if version is None or organisation is None:
                continue  # changed since the page was found; the next request sees it anew
            items.append(
                _item(version, reference, organisation, extracts.get(version_id), language)
            )
    return SearchResults(
        query=query,
        total=found.total,
        items=tuple(items),
        facets=_facets(query, found, organisations) if facets else (),
    )

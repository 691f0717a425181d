"""Searching the public register: current published versions only.

    query, notices = parse_query(request.args)   # or raises SearchError when strict
    results = run(query)                          # one page, with counts for every filter
    statement = matching(query)                   # every match, in order, to stream

Plain arguments in, plain results out: no request objects, so the listing, the downloads,
the API and the command line share it. The parts:

- `query.py`: the parameters (the schema's field codes) and `SearchQuery`;
- `text.py`: words and phrases from the search box, read by the index's own rule
  (`models/search_words.py`), or an entry's public reference;
- `fulltext.py`: each engine's full-text index (FTS5, tsvector), holding the same words;
- `snippets.py`: the extract shown with each result, its matches marked;
- `conditions.py`: the WHERE conditions, and how SQLite should use its indexes;
- `facets.py`: counts for every filter, cached until the register changes (or the day);
- `results.py`: a page of results;
- `index.py`: the database objects the search owns, made by migrations 0003 and 0017.
"""

from .facets import (
    OrganisationInfo,
    bump_generation,
    directory,
    entries_per_organisation,
    generation,
)
from .query import (
    CHANGED_SINCE,
    DEFAULT_PAGE_SIZE,
    FILTERS,
    FILTERS_BY_NAME,
    OVERDUE,
    PARAMETERS,
    PUBLISHED,
    REVIEW,
    SORTS,
    SOURCE,
    SUPPLIER,
    WRITTEN_HERE,
    WRITTEN_HERE_LABEL,
    Filter,
    SearchError,
    SearchQuery,
    month_label,
    parse_query,
    source_label,
)
from .results import Facet, FacetOption, Item, SearchResults, clear_caches, matching, run

__all__ = [
    "CHANGED_SINCE",
    "DEFAULT_PAGE_SIZE",
    "FILTERS",
    "FILTERS_BY_NAME",
    "OVERDUE",
    "PARAMETERS",
    "PUBLISHED",
    "REVIEW",
    "SORTS",
    "SOURCE",
    "SUPPLIER",
    "WRITTEN_HERE",
    "WRITTEN_HERE_LABEL",
    "Facet",
    "FacetOption",
    "Filter",
    "Item",
    "OrganisationInfo",
    "SearchError",
    "SearchQuery",
    "SearchResults",
    "bump_generation",
    "clear_caches",
    "directory",
    "entries_per_organisation",
    "generation",
    "matching",
    "month_label",
    "parse_query",
    "run",
    "source_label",
]

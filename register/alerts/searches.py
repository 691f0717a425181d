"""A followed search: kept as the canonical query string of the listing's search
(`SearchQuery.to_params`, without paging, sorting or `changed_since`, which say nothing of
which entries it finds), and described in words for the pages and emails."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qs, urlencode

from flask_babel import gettext

from ..models.alert import SEARCH_LENGTH
from ..search import FILTERS_BY_NAME, SearchQuery, directory, month_label, parse_query, source_label
from ..search.query import supplier_names


class SearchTooLong(ValueError):
    """The search's parameters are too long to keep."""


@dataclass(frozen=True)
class FollowedSearch:
    """A search someone may follow: its query, its canonical query string, and each of its
    parts in words."""

    query: SearchQuery
    params: str
    # The names of the organisations and suppliers it names, by filter and slug: read from
    # the database once, when the search is made, so that a page drawing it asks nothing.
    names: Mapping[tuple[str, str], str]

    @property
    def summary(self) -> tuple[tuple[str, str], ...]:
        """Each part of the search in words, as (label, value) pairs, in the language of the
        page or email being written (so written when read, never kept)."""
        return _summary(self.query, self.names)

    @property
    def finds_everything(self) -> bool:
        return self.query.finds_everything


def followed(args: Mapping[str, Any]) -> FollowedSearch:
    """The search to follow that `args` (query-string parameters, or a query string) name;
    what cannot be used is left out, as the listing does. `SearchTooLong` if it is too long
    to keep."""
    if isinstance(args, str):
        args = parse_qs(args, keep_blank_values=False)
    query, _notices = parse_query(args)
    query = replace(SearchQuery(), text=query.text, filters=query.filters)
    params = urlencode(query.to_params(paging=False))
    if len(params) > SEARCH_LENGTH:
        raise SearchTooLong(params[:80])
    return FollowedSearch(query, params, _names(query))


def _names(query: SearchQuery) -> dict[tuple[str, str], str]:
    """The names of the organisations and suppliers that `query` filters by."""
    names: dict[tuple[str, str], str] = {}
    for name, codes in query.filters:
        kind = FILTERS_BY_NAME[name].kind
        if kind == "organisation":
            slugs = {info.slug: info.name for info in directory().values()}
            names.update({(kind, code): slugs[code] for code in codes if code in slugs})
        elif kind == "supplier":
            names.update({(kind, code): text for code, text in supplier_names(codes).items()})
    return names


def _summary(
    query: SearchQuery, names: Mapping[tuple[str, str], str]
) -> tuple[tuple[str, str], ...]:
    parts: list[tuple[str, str]] = []
    if query.text:
        parts.append((gettext("Words"), query.text))
    for name, codes in query.filters:
        item = FILTERS_BY_NAME[name]
        if item.kind in ("organisation", "supplier"):
            words = [names.get((item.kind, code), code) for code in codes]
        elif item.kind == "source":
            words = [_translated(source_label(code)) for code in codes]
        elif item.kind == "month":
            words = [month_label(code) for code in codes]
        else:
            words = [_translated(item.labels.get(code, code)) for code in codes]
        parts.append((_translated(item.label), gettext(" or ").join(words)))
    if not parts:
        parts.append((gettext("Entries"), gettext("Every published entry")))
    return tuple(parts)


def _translated(label: object) -> str:
    """A filter's name or a vocabulary's label, in the language being written: the record's
    schema marks them for the catalogue and keeps them in English (or as lazy texts)."""
    return gettext(str(label))

"""A followed search: kept as the canonical query string of the listing's search
(`SearchQuery.to_params`, without paging, sorting or `changed_since`, which say nothing of
which entries it finds), and described in words for the pages and emails."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qs, urlencode

from ..models.alert import SEARCH_LENGTH
from ..search import FILTERS_BY_NAME, SearchQuery, directory, month_label, parse_query, source_label
from ..search.query import supplier_names


class SearchTooLong(ValueError):
    """The search's parameters are too long to keep."""


@dataclass(frozen=True)
class FollowedSearch:
    """A search someone may follow: its query, its canonical query string, and each of its
    parts in words, as (label, value) pairs."""

    query: SearchQuery
    params: str
    summary: tuple[tuple[str, str], ...]

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
    return FollowedSearch(query, params, _summary(query))


def _summary(query: SearchQuery) -> tuple[tuple[str, str], ...]:
    parts: list[tuple[str, str]] = []
    if query.text:
        parts.append(("Words", query.text))
    names: dict[str, str] = {}
    if any(FILTERS_BY_NAME[name].kind == "organisation" for name, _ in query.filters):
        names = {info.slug: info.name for info in directory().values()}
    for name, codes in query.filters:
        item = FILTERS_BY_NAME[name]
        if item.kind == "organisation":
            words = [names.get(code, code) for code in codes]
        elif item.kind == "supplier":
            known = supplier_names(codes)
            words = [known.get(code, code) for code in codes]
        elif item.kind == "source":
            words = [source_label(code) for code in codes]
        elif item.kind == "month":
            words = [month_label(code) for code in codes]
        else:
            words = [item.labels.get(code, code) for code in codes]
        parts.append((item.label, " or ".join(words)))
    if not parts:
        parts.append(("Entries", "Every published entry"))
    return tuple(parts)

"""A search of the public register, read from query-string parameters and written back to them.

The parameters are the schema's field codes: `q`, one per filter field (`status=in_use`,
repeated for more than one code), `review=overdue` (entries past their review date),
`published=2025-03` (entries first published in that month, UTC), `source=` a source's
name (entries imported from it) or `source=written_here` (entries written on the register),
`supplier=` a supplier's slug (entries linked to it), `changed_since` a date or date-time
(entries changed publicly at or after it), `sort`, `page`
and `page_size`. Every state of the listing is a URL, and `SearchQuery.to_params`
makes the canonical one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import Any

from flask_babel import LazyString, gettext
from sqlalchemy import select

from .. import published, schema
from ..extensions import db
from ..formatting import partial_date
from ..models import Entry, Organisation, Supplier
from ..schema import Kind
from ..schema.texts import N_, shown
from ..schema.vocabularies import ORGANISATION_TYPE
from .text import Terms, reference_prefix, terms_of, tidy

DEFAULT_PAGE_SIZE = 20
MAX_PAGE = 10**9  # further than any register reaches; larger numbers are not page numbers
MAX_CODES = 1000  # codes read per filter, more than there are organisations
RELEVANCE, UPDATED, TITLE = "relevance", "updated", "title"
SORTS: Mapping[str, str] = MappingProxyType(
    {RELEVANCE: "Relevance", UPDATED: "Most recently updated", TITLE: "Title"}
)
YES, NO = "yes", "no"
# The downloads write yes/no answers as true and false, so a filter takes those too.
YES_NO_AS_WRITTEN: Mapping[str, str] = MappingProxyType({"true": YES, "false": NO})


class SearchError(ValueError):
    """A parameter that cannot be used as given; the message says why, in plain words."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True, eq=False)
class Filter:
    """One way to narrow the listing: a parameter, the codes it takes and their labels.

    `kind` says where the value lives: "column" (a column of the version), "choices" (codes
    chosen for a multiple-choice field), "organisation" (slugs), "organisation_type",
    "review" (the entry's next review date, compared with the search's day), "month" (the
    month the entry was first published: a value such as "2025-03", not a code), or "source"
    (the register an entry was imported from, by its name, or `WRITTEN_HERE`).
    `description` says what it does where the usual words would not fit.
    """

    name: str
    label: str
    kind: str
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    description: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.labels)

    @property
    def is_yes_no(self) -> bool:
        return self.kind == "column" and tuple(self.labels) == (YES, NO)

    def value_of(self, code: str) -> Any:
        """The stored value a code stands for (yes/no filters store booleans)."""
        if self.is_yes_no:
            return code == YES
        return code


def _filter_for(item: schema.Field) -> list[Filter]:
    if item.kind is Kind.ORGANISATION:
        return [
            Filter(item.name, item.label, "organisation"),
            Filter(
                "organisation_type",
                ORGANISATION_TYPE.label,
                "organisation_type",
                MappingProxyType({c.code: c.label for c in ORGANISATION_TYPE.choices}),
            ),
        ]
    if item.kind is Kind.BOOLEAN:
        labels = MappingProxyType({YES: "Yes", NO: "No"})
        return [Filter(item.name, item.label, "column", labels)]
    assert item.vocabulary is not None, f"{item.name}: a filter needs codes"  # nosec B101
    labels = MappingProxyType({c.code: c.label for c in item.vocabulary.choices})
    return [Filter(item.name, item.label, "choices" if item.is_multiple else "column", labels)]


OVERDUE = "overdue"
# Not a field of the record: whether its publishers have kept the entry under review.
REVIEW = Filter(
    "review",
    N_("Review date"),
    "review",
    MappingProxyType({OVERDUE: N_("Review overdue")}),
    description="Only entries whose next review date has passed (overdue): their publishers "
    "have not confirmed them still accurate or updated them in time.",
)

# Not a field of the record either: when the entry was first published. It takes a month
# ("2025-03"), so it has no codes to offer, only the months chosen (see `month_label`).
PUBLISHED = Filter(
    "published",
    N_("First published"),
    "month",
    description="Only entries first published in this month (YYYY-MM, UTC); repeat the "
    "parameter for any of several.",
)
MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")

# Not a field of the record: where the entry came from. Its values are the names of the
# sources public entries were imported from (`Entry.source`), which change with imports, so
# it has one code of its own: entries written on the register, which have no source.
WRITTEN_HERE = "written_here"
WRITTEN_HERE_LABEL = N_("Written on this register")
SOURCE = Filter(
    "source",
    N_("Source"),
    "source",
    description="Only entries imported from this source, by its name (such as “GOV.UK "
    f"algorithmic transparency records”), or “{WRITTEN_HERE}” for entries written on this "
    "register; repeat the parameter for any of several.",
)


# Not a field of the record: the supplier an entry was linked to when it was published
# (suppliers.py), by the supplier's slug; the supplier's page links to its entries with it.
SUPPLIER = Filter(
    "supplier",
    N_("Supplier"),
    "supplier",
    description="Only entries whose tool comes from this supplier, by the slug of its page "
    "at /suppliers; repeat the parameter for any of several.",
)


def source_label(code: str) -> str:
    """How a value of the source filter reads: a source's own name, or "Written on this
    register"."""
    return WRITTEN_HERE_LABEL if code == WRITTEN_HERE else code


def month_label(code: str) -> str:
    """A month's value as it reads: "2025-03" as "March 2025"."""
    return partial_date(code)


def month_bounds(code: str) -> tuple[datetime, datetime]:
    """The first moment of a month (a valid "YYYY-MM") and of the next, in UTC."""
    year, month = int(code[:4]), int(code[5:7])
    start = datetime(year, month, 1, tzinfo=UTC)
    after = datetime(year + 1, 1, 1, tzinfo=UTC) if month == 12 else start.replace(month=month + 1)
    return start, after


# Every filter, in the order of the form: the schema's filter fields, the organisation's type,
# the review date, the source and the month of first publication.
FILTERS: tuple[Filter, ...] = (
    *(found for item in schema.all_fields() if item.filter for found in _filter_for(item)),
    REVIEW,
    SOURCE,
    SUPPLIER,
    PUBLISHED,
)
FILTERS_BY_NAME: Mapping[str, Filter] = MappingProxyType({f.name: f for f in FILTERS})
# Not a filter with codes: a moment, read by `parse_moment`.
CHANGED_SINCE = "changed_since"
PARAMETERS = frozenset({"q", "sort", "page", "page_size", CHANGED_SINCE, *FILTERS_BY_NAME})
MOMENT_FORMS = "a date (2025-03-01) or a date and time (2025-03-01T09:30:00+01:00)"


def parse_moment(text: str) -> datetime | None:
    """An ISO 8601 date (its first moment) or date and time, in UTC; a date and time without
    an offset is taken to be UTC already. None if `text` is neither."""
    if len(text) > 64 or not text.isascii():
        return None
    try:
        moment = datetime.fromisoformat(text)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):  # not ISO 8601, or a moment before year 1 in UTC
        return None


def moment_param(moment: datetime) -> str:
    """A moment as `parse_moment` reads it back: ISO 8601 in UTC, such as 2025-03-01T09:30:00Z."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class SearchQuery:
    """What to find and which page of it to show.

    `filters` holds (filter name, codes) pairs in the order of `FILTERS`, codes in the order
    of their vocabulary (organisation slugs sorted), so equal searches are equal objects.
    `today` is the day an overdue review is counted from (the `review` filter and its count).
    `changed_since` keeps only entries changed publicly at or after that moment (UTC).
    """

    text: str = ""
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    sort: str = ""
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    today: date = field(default_factory=date.today)
    changed_since: datetime | None = None

    @property
    def terms(self) -> Terms:
        return terms_of(self.text, reference_prefix())[0]

    @property
    def order(self) -> str:
        """The sort in effect: relevance needs something to be relevant to."""
        if self.sort in (UPDATED, TITLE):
            return self.sort
        return RELEVANCE if self.terms else UPDATED

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def codes(self, name: str) -> tuple[str, ...]:
        return dict(self.filters).get(name, ())

    @property
    def finds_everything(self) -> bool:
        """Whether the search narrows nothing: no words and no filters."""
        return not self.text and not self.filtered

    @property
    def filtered(self) -> bool:
        """Whether anything but its words narrows the search: filters, or `changed_since`."""
        return bool(self.filters) or self.changed_since is not None

    def with_codes(self, name: str, codes: Iterable[str]) -> SearchQuery:
        """This search with the codes of one filter replaced, from the first page."""
        chosen = dict(self.filters)
        chosen[name] = tuple(codes)
        return replace(self, filters=_ordered(chosen), page=1)

    def without(self, name: str, code: str | None = None) -> SearchQuery:
        """This search without one code of a filter (or the whole filter), from the first page."""
        remaining = () if code is None else tuple(c for c in self.codes(name) if c != code)
        return self.with_codes(name, remaining)

    def without_text(self) -> SearchQuery:
        return replace(self, text="", page=1)

    def without_changed_since(self) -> SearchQuery:
        return replace(self, changed_since=None, page=1)

    def at_page(self, page: int) -> SearchQuery:
        return replace(self, page=page)

    def to_params(self, *, paging: bool = True) -> list[tuple[str, str]]:
        """The canonical query-string pairs: defaults left out, filters in schema order.

        Without `paging`, page and page size are left out (for a download of every result).
        """
        params: list[tuple[str, str]] = [("q", self.text)] if self.text else []
        params += [(name, code) for name, codes in self.filters for code in codes]
        if self.changed_since is not None:
            params.append((CHANGED_SINCE, moment_param(self.changed_since)))
        if self.order != (RELEVANCE if self.terms else UPDATED):
            params.append(("sort", self.order))
        if paging and self.page != 1:
            params.append(("page", str(self.page)))
        if paging and self.page_size != DEFAULT_PAGE_SIZE:
            params.append(("page_size", str(self.page_size)))
        return params


def _ordered(chosen: Mapping[str, Iterable[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    ordered = []
    for item in FILTERS:
        codes = set(chosen.get(item.name, ()))
        if codes:
            known = item.codes or tuple(sorted(codes))
            ordered.append((item.name, tuple(code for code in known if code in codes)))
    return tuple(ordered)


def _values(args: Any, name: str) -> list[str]:
    if hasattr(args, "getlist"):
        values = args.getlist(name)
    else:
        values = args.get(name, [])
        values = [values] if isinstance(values, str) else list(values)
    return [value.strip() for value in values if isinstance(value, str) and value.strip()]


def _whole_number(text: str) -> int | None:
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        return None
    return int(text)


class _Refusals:
    """Collects what was wrong with the parameters: notices, or the first error when strict."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        # Texts shown on the listing, in the page's language.
        self.notices: list[str | LazyString] = []

    def __call__(self, parameter: str, message: str, notice: str | LazyString) -> None:
        if self.strict:
            raise SearchError(parameter, message)
        self.notices.append(notice)


def parse_query(
    args: Mapping[str, Any],
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    max_page_size: int = 100,
    strict: bool = False,
) -> tuple[SearchQuery, list[str | LazyString]]:
    """Read a search from query-string parameters (a werkzeug MultiDict or a mapping of
    names to lists of values).

    Anything that cannot be used is left out and a notice says so, in words fit to show on
    the page; nothing is ever read as something wider than what was asked for. With
    `strict`, the first such parameter raises `SearchError` instead (for the API).
    Parameters that are not search parameters are left to the caller (see `PARAMETERS`).
    """
    refuse = _Refusals(strict)
    text = tidy(" ".join(_values(args, "q")))
    refuse.notices.extend(terms_of(text, reference_prefix())[1])

    chosen: dict[str, list[str]] = {}
    for item in FILTERS:
        codes = _values(args, item.name)
        if item.is_yes_no:
            codes = [YES_NO_AS_WRITTEN.get(code, code) for code in codes]
        codes = list(dict.fromkeys(codes))
        if len(codes) > MAX_CODES:
            refuse(
                item.name,
                f"takes at most {MAX_CODES} codes",
                gettext(
                    "Only the first %(count)s choices of %(filter)s were used.",
                    count=MAX_CODES,
                    filter=shown(item.label).lower(),
                ),
            )
            codes = codes[:MAX_CODES]
        if item.kind == "organisation":
            known = _organisation_slugs(codes)
        elif item.kind == "source":
            known = _source_names(codes)
        elif item.kind == "supplier":
            known = set(supplier_names(codes))
        elif item.kind == "month":
            known = {code for code in codes if _is_month(code)}
        else:
            known = set(item.codes)
        for code in codes:
            if code in known:
                chosen.setdefault(item.name, []).append(code)
            elif item.kind == "month":
                refuse(
                    item.name,
                    f"“{code[:80]}” is not a month (YYYY-MM)",
                    gettext(
                        "“%(value)s” is not a month such as 2025-03, so the %(filter)s filter "
                        "was not used.",
                        value=code[:80],
                        filter=shown(item.label).lower(),
                    ),
                )
            elif item.kind == "source":
                refuse(
                    item.name,
                    f"“{code[:80]}” is not the name of a source of published entries, nor "
                    f"{WRITTEN_HERE}",
                    gettext(
                        "“%(value)s” is not a known source, so that filter was not used.",
                        value=code[:80],
                    ),
                )
            else:
                refuse(
                    item.name,
                    f"“{code[:80]}” is not a known code",
                    gettext(
                        "“%(value)s” is not a known %(filter)s, so that filter was not used.",
                        value=code[:80],
                        filter=shown(item.label).lower(),
                    ),
                )

    sort = (_values(args, "sort") or [""])[0]
    if sort and sort not in SORTS:
        refuse(
            "sort",
            f"must be one of {', '.join(SORTS)}",
            gettext(
                "Results cannot be sorted by “%(value)s”, so they are in the usual order.",
                value=sort[:80],
            ),
        )
        sort = ""

    page = 1
    asked = (_values(args, "page") or [""])[0]
    if asked:
        number = _whole_number(asked)
        if number is None or not 1 <= number <= MAX_PAGE:
            refuse(
                "page",
                "must be a whole number from 1",
                gettext(
                    "There is no page “%(value)s”, so this is the first page.", value=asked[:80]
                ),
            )
        else:
            page = number

    size = page_size
    asked = (_values(args, "page_size") or [""])[0]
    if asked:
        number = _whole_number(asked)
        if number is None or number < 1:
            refuse(
                "page_size",
                f"must be a whole number from 1 to {max_page_size}",
                gettext(
                    "“%(value)s” is not a number of results per page, so %(count)s are shown.",
                    value=asked[:80],
                    count=page_size,
                ),
            )
        elif number > max_page_size:
            refuse(
                "page_size",
                f"must be {max_page_size} or fewer",
                gettext("At most %(count)s results are shown on a page.", count=max_page_size),
            )
            size = max_page_size
        else:
            size = number

    changed_since = None
    asked = (_values(args, CHANGED_SINCE) or [""])[0]
    if asked:
        changed_since = parse_moment(asked)
        if changed_since is None:
            refuse(
                CHANGED_SINCE,
                f"must be {MOMENT_FORMS}; “{asked[:80]}” is neither",
                gettext(
                    "“%(value)s” is not a date such as 2025-03-01, so entries changed at any "
                    "time are shown.",
                    value=asked[:80],
                ),
            )

    query = SearchQuery(
        text=text,
        filters=_ordered(chosen),
        sort=sort,
        page=page,
        page_size=size,
        changed_since=changed_since,
    )
    return query, refuse.notices


def _is_month(code: str) -> bool:
    """Whether `code` is a month ("2025-03") whose bounds can be written (years 1 to 9999)."""
    if not MONTH.fullmatch(code):
        return False
    try:
        month_bounds(code)
    except ValueError:
        return False
    return True


def _source_names(codes: list[str]) -> set[str]:
    """Which of `codes` name a source of public entries, or entries written here. A source
    only drafts came from is not known, so its name does not leak."""
    known = {WRITTEN_HERE} & set(codes)
    names = [code for code in codes if code != WRITTEN_HERE]
    if names:
        known |= set(
            db.session.scalars(
                select(Entry.source)
                .where(Entry.source.in_(names), published.is_public_entry())
                .distinct()
            )
        )
    return known


def supplier_names(slugs: Iterable[str]) -> dict[str, str]:
    """The names of the suppliers with these slugs, by slug (unknown slugs left out)."""
    slugs = list(slugs)
    if not slugs:
        return {}
    rows = db.session.execute(select(Supplier.slug, Supplier.name).where(Supplier.slug.in_(slugs)))
    return dict(rows.all())


def _organisation_slugs(slugs: list[str]) -> set[str]:
    """Which of `slugs` name an organisation."""
    if not slugs:
        return set()
    return set(db.session.scalars(select(Organisation.slug).where(Organisation.slug.in_(slugs))))

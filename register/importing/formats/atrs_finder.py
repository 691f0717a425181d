"""GOV.UK's list of algorithmic transparency records: the finder's metadata for each record.

GOV.UK's search API lists the records (`/api/search.json?filter_format=
algorithmic_transparency_record`) as a JSON object whose `results` hold, for each record,
its `title` ("Organisation: Tool"), `description` (one sentence), `link` (its path on GOV.UK),
`public_timestamp`, and the finder's fields `algorithmic_transparency_record_organisation`
(a slug), `..._organisation_type`, `..._function`, `..._capability`, `..._phase`,
`..._region` (lists of slugs), `..._date_published` and `..._atrs_version`. Researchers keep
the same fields as CSV, often with short names (`organisation`, `phase`, `source_url`) and
lists written `a|b`; both are read.

The entry is known by its address on GOV.UK, which is also its web page. Organisations are
named properly from GOV.UK's list of organisations, never by slug. The finder's functions are
the UN functions of government, the register's policy areas; its capabilities name four of
the register's techniques. What has no question here (the region, the organisation type, the
dates and the version of the standard) stays in Other information; the search engine's own
bookkeeping (`index`, `es_score`, `_id`, `elasticsearch_type`, `document_type`) is not about
the tool, and is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from ...schema.texts import N_, Composed, Given
from ...schema.vocabularies import POLICY_AREA
from ..files import DEFAULT_LIMITS, FileRefused, ReadLimits, SourceRecord, csv_records, json_records
from ..govuk_organisations import govuk_organisation, organisation_name_for
from ..mapping import Mapper, Note
from ..values import Unreadable, read_code, squeeze
from . import Format
from .atrs import PHASES, named_from_slug

GOVUK = "https://www.gov.uk"
PREFIX = "algorithmic_transparency_record_"

# The finder's fields, by the names GOV.UK gives them and the short ones researchers use.
ALIASES = {
    "title": ("title",),
    "summary": ("description", "one_sentence_description"),
    "organisation": (f"{PREFIX}organisation", "organisation"),
    "status": (f"{PREFIX}phase", "phase"),
    "policy_area": (f"{PREFIX}function", "function"),
    "techniques": (f"{PREFIX}capability", "capability"),
    "web_page": ("link", "source_url"),
}
LINKS = ALIASES["web_page"]
# The search engine's bookkeeping on each result: nothing about the tool.
SEARCH_BOOKKEEPING = ("index", "es_score", "_id", "elasticsearch_type", "document_type")

# The finder's capabilities that are techniques here; the others (discovery, planning,
# creation, analysis, management, robotics) describe what a tool is for, not how it works.
CAPABILITIES = {
    "computer-vision": "computer_vision",
    "computer-audition": "speech",
    "computer-linguistics": "nlp",
    "forecasting": "forecasting",
}

# How a list is written in a cell: JSON lists arrive joined by "; ", researchers' CSV by "|".
_LIST = re.compile(r"\s*[;|,]\s*")


def finder_records(
    stream: IO[bytes], limits: ReadLimits = DEFAULT_LIMITS
) -> Iterator[SourceRecord]:
    """The records of the search API's JSON (its `results`, or a list of them) or of a CSV
    file of the same fields, each record's link made its address on GOV.UK."""
    start = stream.read(1024).lstrip()[:1]
    stream.seek(0)
    if start in (b"[", b"{"):
        records = json_records(stream, limits, within="results")
    else:
        records = csv_records(stream, limits)
    first = True
    try:
        for record in records:
            if first:
                _check_fields(record)
                first = False
            for column in LINKS:
                found = record.cells.get(column)
                if isinstance(found, str) and found.strip().startswith("/"):
                    record.cells[column] = GOVUK + found.strip()
            yield record
    finally:
        # Done with the file, however reading ends: the reader lets go of it now.
        records.close()


def _check_fields(record: SourceRecord) -> None:
    have = {squeeze(name) for name in record.cells}
    if squeeze("title") not in have or not have & {
        squeeze(name) for name in (*LINKS, *ALIASES["organisation"])
    }:
        raise FileRefused(
            N_(
                "This is not GOV.UK's list of algorithmic transparency records: its records "
                "have no “title” and “link” (or “algorithmic_transparency_record_organisation”)."
            )
        )


def map_finder(mapper: Mapper) -> None:
    """One record as GOV.UK's finder lists it."""
    link = source_link(mapper)
    govuk_organisation_of(mapper)
    mapper.text("title")
    without_organisation(mapper)
    mapper.text("summary")
    mapper.choice("status", synonyms=PHASES)
    finder_choices(mapper)
    if link:
        mapper.text("web_page", link)
    mapper.use(*SEARCH_BOOKKEEPING)


def source_link(mapper: Mapper) -> str:
    """The record's address on GOV.UK, which is how the register knows the entry when the
    file is imported again; the column it is in, or "" if none is on GOV.UK."""
    column, address = mapper.peek(*LINKS)
    if column is None or not address:
        return ""
    address = re.sub(r"^https?://(?:www\.)?gov\.uk(?=/)", GOVUK, address)
    if not address.startswith(GOVUK + "/"):
        mapper.keep(
            column,
            mapper.cell(column),
            N_(
                "is not an address on GOV.UK, so the entry is known by its title; kept in "
                "Other information"
            ),
        )
        return ""
    mapper.record.cells[column] = address
    mapper.entry.source_id = address[:200]
    return column


def govuk_organisation_of(mapper: Mapper, *others: str) -> None:
    """The organisation from the finder's slug, named as GOV.UK names it, or else from the
    first of `others` (a record's own "Organisation or department"). A slug GOV.UK's list
    does not know becomes a readable name, and the person is told to check it."""
    column, slugs = mapper.peek(*ALIASES["organisation"])
    if column is None or not slugs:
        filled = [(found, value) for found, value in map(mapper.peek, others) if value]
        if filled:
            column, written = filled[0]
            mapper.organisation(column)
            name, _ = organisation_name_for(written)
            mapper.entry.organisation = name
            _abbreviation(mapper, name)
            # The others, where they only repeat it, are not kept again.
            mapper.use(
                *(found for found, value in filled[1:] if squeeze(value) == squeeze(written))
            )
        return
    mapper.organisation(column)
    slug, *more = [part for part in _LIST.split(mapper.entry.organisation) if part]
    named_from_slug(mapper, column, slug)
    name = mapper.entry.organisation
    if more:
        mapper.keep(
            column,
            "; ".join([slug, *more]),
            Composed(
                N_(
                    "names more than one organisation; the entry is filed under %(name)s, and "
                    "all are kept in Other information"
                ),
                name=Given(name),
            ),
        )
    for other in others:
        _named_elsewhere(mapper, other, name)


def _abbreviation(mapper: Mapper, slug_or_name: str) -> None:
    found = govuk_organisation(slug_or_name)
    if found is not None:
        mapper.entry.organisation_abbreviation = found.abbreviation


def _named_elsewhere(mapper: Mapper, column: str, name: str) -> None:
    """A record's own "Organisation or department" that names another organisation than
    the finder's filter is kept, and the person told; one that names the same is not kept
    twice."""
    found, written = mapper.peek(column)
    if found is None or not written:
        return
    same = govuk_organisation(written)
    if squeeze(written) == squeeze(name) or (same is not None and same.name == name):
        mapper.use(found)
        return
    mapper.keep(
        found,
        mapper.cell(found),
        Composed(
            N_(
                "is how the record names its organisation; GOV.UK files the record under "
                "%(name)s, and so is the entry (check they are the same); this is kept in Other "
                "information"
            ),
            name=Given(name),
        ),
    )


def without_organisation(mapper: Mapper) -> None:
    """The title without the organisation GOV.UK puts before it ("DWP: Universal Credit
    Advances Model"), when that names the entry's own organisation."""
    written = mapper.entry.values.get("title") or ""
    prefix, separator, rest = _split_title(written)
    if not separator or not rest:
        return
    names = {squeeze(mapper.entry.organisation), squeeze(mapper.entry.organisation_abbreviation)}
    found = govuk_organisation(prefix)
    if squeeze(prefix) in names - {""} or (
        found is not None and found.name == mapper.entry.organisation
    ):
        mapper.entry.values["title"] = rest
        mapper.entry.mapped.append(
            Note("title", written, f"Title: {rest} (without “{prefix}”, the organisation)")
        )
    elif found is not None and mapper.entry.organisation:
        # GOV.UK sometimes files a record under the department that published it.
        mapper.entry.warnings.append(
            Note(
                "title",
                written,
                Composed(
                    N_(
                        "The title names %(named)s, but GOV.UK files the record under "
                        "%(organisation)s, and so is the entry: check which is right"
                    ),
                    named=Given(found.name),
                    organisation=Given(mapper.entry.organisation),
                ),
            )
        )


def _split_title(written: str) -> tuple[str, str, str]:
    match = re.fullmatch(r"(.+?)\s*(:|\s[-–]\s)\s*(.+)", written)
    return (match[1], match[2], match[3]) if match else (written, "", "")


def finder_choices(mapper: Mapper) -> None:
    """The policy area from the finder's functions (the first that is one), and the
    techniques its capabilities name; each list stays whole in Other information when not
    all of it was read."""
    column, functions = mapper.peek(*ALIASES["policy_area"])
    if column is not None and functions:
        areas = [_policy_area(part) for part in _LIST.split(functions) if part]
        read = [area for area in areas if area]
        if read:
            mapper.set("policy_area", read[0], column, functions)
            if len(set(areas)) == 1:
                mapper.use(column)
    column, capabilities = mapper.peek(*ALIASES["techniques"])
    if column is not None and capabilities:
        parts = [squeeze(part).replace(" ", "-") for part in _LIST.split(capabilities) if part]
        codes = list(dict.fromkeys(CAPABILITIES[part] for part in parts if part in CAPABILITIES))
        if codes:
            mapper.set("techniques", codes, column, capabilities)
            if all(part in CAPABILITIES for part in parts):
                mapper.use(column)


def _policy_area(value: str) -> str:
    try:
        return read_code(POLICY_AREA, value.replace("-", " "))
    except Unreadable:
        return ""


ATRS_FINDER = Format(
    name="atrs-finder",
    label="Algorithmic transparency records: GOV.UK’s list of them (JSON or CSV)",
    source="atrs",
    map=map_finder,
    columns=("title",),
    day_first=True,  # GOV.UK writes dates as 2025-01-28; researchers in the UK day first
    reads="json or csv",
    crosswalk=False,
    aliases=ALIASES,
    read=finder_records,
    source_name="GOV.UK algorithmic transparency records",
    source_url="https://www.gov.uk/algorithmic-transparency-records",
)

FORMATS = (ATRS_FINDER,)

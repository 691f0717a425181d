"""Withheld answers in the open data: each version's list in its JSON record, and the
`withheld_answers` table of the data package.

A withheld answer's cell stays empty in every other table; these say which answers are
empty because the publisher held them back, and why (`withholding`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, and_, select

from .. import published, schema, withholding
from ..models import Entry, EntryVersion, WithheldAnswer
from ..schema.vocabularies import WITHHELD_REASON
from .columns import Column

WITHHELD = WithheldAnswer.__table__
ENTRY = Entry.__table__
VERSION = EntryVersion.__table__
# The key of a record that lists its withheld answers.
RECORD_KEY = "withheld"
_WITHHOLDABLE = withholding.withholdable()
_GROUP_NAMES = ", ".join(group.name for group in schema.groups())


def withheld_by_version(
    connection: Connection, version_ids: Sequence[int]
) -> dict[int, list[dict[str, Any]]]:
    """Each version's withheld answers, as a record lists them, in form order."""
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not version_ids:
        return found
    rows = connection.execute(
        select(WITHHELD.c.version_id, WITHHELD.c.field, WITHHELD.c.reason, WITHHELD.c.reason_text)
        .where(WITHHELD.c.version_id.in_(version_ids))
        .order_by(WITHHELD.c.version_id, WITHHELD.c.id)
    )
    order = {name: position for position, name in enumerate(_WITHHOLDABLE)}
    for version_id, field, reason, reason_text in rows:
        found[version_id].append({"field": field, "reason": reason, "reason_text": reason_text})
    for answers in found.values():
        answers.sort(key=lambda answer: order.get(answer["field"], len(order)))
    return found


def withheld_answer_columns() -> list[Column]:
    """withheld_answers.csv: every answer a published version withholds, and why."""
    return [
        Column("reference", "Reference", "The entry's reference.", required=True,
               value=lambda row: row["reference"], key="reference"),
        Column("version", "Version", "The published version that withholds the answer.",
               type="integer", required=True, value=lambda row: row["version"], key="version"),
        Column("field", "Question", "The field whose answer is withheld, by its name in "
               "entries.csv; its cell there is empty. A repeating group ("
               f"{_GROUP_NAMES}) is withheld as a whole, by its name: it has no rows.",
               required=True, enum=_WITHHOLDABLE,
               value=lambda row: row["field"], key="field"),
        Column("reason", "Reason", "Why the answer is withheld, as a code of the "
               "withheld_reason vocabulary.", required=True, enum=WITHHELD_REASON.codes,
               value=lambda row: row["reason"], key="reason"),
        Column("reason_text", "Reason in words", "The publisher's own words when the reason "
               "is other; empty otherwise.", value=lambda row: row["reason_text"],
               key="reason_text"),
    ]  # fmt: skip


def withheld_answer_rows(connection: Connection) -> Iterator[dict[str, Any]]:
    """Every withheld answer of every published version of a public entry, by entry and
    version, oldest first."""
    query = (
        select(
            ENTRY.c.reference,
            VERSION.c.number,
            WITHHELD.c.field,
            WITHHELD.c.reason,
            WITHHELD.c.reason_text,
        )
        .join_from(WITHHELD, VERSION, VERSION.c.id == WITHHELD.c.version_id)
        .join(ENTRY, ENTRY.c.id == VERSION.c.entry_id)
        .where(and_(VERSION.c.number.is_not(None), published.is_public_entry()))
        .order_by(VERSION.c.entry_id, VERSION.c.number, WITHHELD.c.id)
    )
    for row in connection.execution_options(stream_results=True, yield_per=2000).execute(query):
        yield {
            "reference": row.reference,
            "version": row.number,
            "field": row.field,
            "reason": row.reason,
            "reason_text": row.reason_text,
        }

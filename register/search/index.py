"""The database objects the search owns, which the models do not describe.

Migrations 0003 and 0017 make them and the database keeps them true by itself, in the same
transaction as every change to a version, whoever makes it (the workflow or the bulk demo
loader). Both indexes read the version's `search_words` (the register's own words of each
searchable field, see `models/search_words.py`), never its text:

- on SQLite, the FTS5 table `entry_search` (contentless: it keeps only the words, tokenized
  by `unicode61` without a stemmer), filled by triggers with current versions only;
- on PostgreSQL, the generated column `entry_version.search_document` (a weighted tsvector
  of those words in the `simple` configuration) with a GIN index of current versions only;
- on both, the one-row table `search_generation`, whose number goes up whenever what the
  public can see changes, so counts can be cached until then. A change of review date is
  not in a version, so `reviews.py` moves it on itself (`facets.bump_generation`).

They are engine-specific, so the check that the migrations match the models leaves them out
(`include_name`), and leaves nothing else out.
"""

from __future__ import annotations

FTS_TABLE = "entry_search"
# The tables SQLite keeps behind an FTS5 table (`entry_search_data` and so on).
FTS_SHADOW_TABLES = tuple(f"{FTS_TABLE}_{part}" for part in ("data", "idx", "docsize", "config"))
GENERATION_TABLE = "search_generation"
DOCUMENT_COLUMN = "search_document"
DOCUMENT_INDEX = "ix_entry_version_search_document"

OWNED_TABLES = frozenset({FTS_TABLE, *FTS_SHADOW_TABLES, GENERATION_TABLE})


def include_name(name: str | None, type_: str, parent_names: dict[str, str | None]) -> bool:
    """Alembic's `include_name` hook: compare every database object the search does not own."""
    if type_ == "table":
        return name not in OWNED_TABLES
    if type_ == "column":
        return not (parent_names.get("table_name") == "entry_version" and name == DOCUMENT_COLUMN)
    if type_ == "index":
        return name != DOCUMENT_INDEX
    return True

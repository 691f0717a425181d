"""Full text with each engine's own index: FTS5 on SQLite, tsvector and GIN on PostgreSQL.

The engine's query is built here from `Terms` (words and phrases of letters and digits only),
never from what was typed. Words match by their English stem and, once long enough, as the
start of longer words; phrases match their words in order.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Column, ColumnElement, Integer, MetaData, Select, Table, Text, func, select
from sqlalchemy import literal_column as sql
from sqlalchemy.dialects.postgresql import TSVECTOR

from .. import schema
from ..extensions import db
from ..models import EntryVersion
from .index import DOCUMENT_COLUMN, FTS_TABLE
from .text import Terms

# Around each match in a snippet: characters nobody types, replaced by <mark> once escaped.
MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_WORDS = 24

# SQLite's bm25 weight for each search weight, in the proportions of PostgreSQL's default
# weights for classes D, C, B and A (0.1, 0.2, 0.4 and 1.0), so both rank alike.
BM25_WEIGHTS = {1: 1.0, 2: 2.0, 3: 4.0, 4: 10.0}
TS_CLASSES = {1: "D", 2: "C", 3: "B", 4: "A"}

ENGLISH = sql("'english'::regconfig")
DOCUMENT = sql(f"entry_version.{DOCUMENT_COLUMN}", TSVECTOR)

# The FTS5 table as SQLAlchemy sees it; not in the models' metadata (see index.py).
entry_search = Table(
    FTS_TABLE,
    MetaData(),
    Column("rowid", Integer, primary_key=True),
    *(Column(field.name, Text) for field in schema.searchable_fields()),
)


def _bm25_weights() -> list[float]:
    return [BM25_WEIGHTS[field.search_weight] for field in schema.searchable_fields()]


def is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def fts5_query(terms: Terms) -> str:
    """The FTS5 MATCH expression: every term a quoted string, so none is read as syntax."""
    parts = [f'"{word}"*' if Terms.is_prefix(word) else f'"{word}"' for word in terms.words]
    parts += ['"' + " ".join(phrase) + '"' for phrase in terms.phrases]
    return " AND ".join(parts)


def tsquery_text(terms: Terms) -> str:
    """The text for PostgreSQL's to_tsquery: words with `:*` for prefixes, phrases with `<->`."""
    parts = [f"{word}:*" if Terms.is_prefix(word) else word for word in terms.words]
    parts += ["(" + " <-> ".join(phrase) + ")" for phrase in terms.phrases]
    return " & ".join(parts)


def _tsquery(terms: Terms) -> ColumnElement:
    return func.to_tsquery(ENGLISH, tsquery_text(terms))


def _fts5_match(terms: Terms) -> ColumnElement:
    return sql(FTS_TABLE).op("MATCH")(fts5_query(terms))


def matching_ids(terms: Terms) -> Select:
    """The ids of current versions whose text matches (SQLite: straight from the index)."""
    return select(entry_search.c.rowid).where(_fts5_match(terms))


def condition(terms: Terms) -> ColumnElement:
    """A WHERE condition on entry_version: its text matches `terms`."""
    if is_sqlite():
        return EntryVersion.id.in_(matching_ids(terms))
    return DOCUMENT.op("@@")(_tsquery(terms))


def ranked(statement: Select, terms: Terms) -> tuple[Select, ColumnElement]:
    """`statement` (over entry_version) limited to matches, and the expression to order by,
    best match first."""
    if is_sqlite():
        weights = _bm25_weights()
        statement = statement.join(entry_search, entry_search.c.rowid == EntryVersion.id).where(
            _fts5_match(terms)
        )
        # bm25 is lower for better matches.
        return statement, func.bm25(sql(FTS_TABLE), *weights).asc()
    query = _tsquery(terms)
    # Normalisation 1 divides by the log of the document's length, as bm25 does in its way.
    return statement.where(DOCUMENT.op("@@")(query)), func.ts_rank_cd(DOCUMENT, query, 1).desc()


def best_matches(terms: Terms) -> Select:
    """SQLite: the ids of every match, best first, from the full-text index alone (it holds
    current versions only, so nothing else needs reading)."""
    weights = _bm25_weights()
    return (
        select(entry_search.c.rowid)
        .where(_fts5_match(terms))
        .order_by(func.bm25(sql(FTS_TABLE), *weights), entry_search.c.rowid.desc())
    )


def _snippet_fields() -> list[tuple[int, schema.Field]]:
    """The fields a snippet comes from, weightiest first, with their column in the index.
    Not the title, which is shown above the snippet anyway."""
    fields = [(i, f) for i, f in enumerate(schema.searchable_fields()) if f.name != "title"]
    return sorted(fields, key=lambda column_field: -column_field[1].search_weight)


def snippets(version_ids: Sequence[int], terms: Terms) -> dict[int, str]:
    """A short extract of each version's text with the matches between MARK_START and
    MARK_END; raw text, to be escaped before it is shown. One statement."""
    if not version_ids or not terms:
        return {}
    if is_sqlite():
        # An extract of each field; the weightiest one with a match is shown, or else the
        # weightiest one.
        statement = select(
            entry_search.c.rowid,
            *(
                func.snippet(sql(FTS_TABLE), i, MARK_START, MARK_END, "…", SNIPPET_WORDS)
                for i, _ in _snippet_fields()
            ),
        ).where(_fts5_match(terms), entry_search.c.rowid.in_(version_ids))
        return {
            version_id: next((s for s in extracts if s and MARK_START in s), extracts[0])
            for version_id, *extracts in db.session.execute(statement)
        }
    text = func.concat_ws(" ", *(getattr(EntryVersion, f.name) for _, f in _snippet_fields()))
    options = (
        f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS}, "
        'MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'
    )
    statement = select(
        EntryVersion.id, func.ts_headline(ENGLISH, text, _tsquery(terms), options)
    ).where(EntryVersion.id.in_(version_ids))
    return {version_id: snippet for version_id, snippet in db.session.execute(statement)}

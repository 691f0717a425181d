"""Full text with each engine's own index: FTS5 on SQLite, tsvector and GIN on PostgreSQL.

Both indexes hold the register's own words of each version (`search_words`, made in Python
by `models/search_words.py`), which FTS5 reads with `unicode61` and PostgreSQL with its
`simple` configuration, neither stemming again; so the same terms find the same entries on
both. The engine's query is built here from `Terms` (stems of letters and digits only), never
from what was typed. Words match as themselves and, once long enough, as the start of longer
words; hyphenated words as their parts written together or in order; phrases match their
words in order. A public reference finds its entry, without the index.
"""

from __future__ import annotations

from sqlalchemy import Column, ColumnElement, Integer, MetaData, Select, Table, Text, func, select
from sqlalchemy import literal_column as sql
from sqlalchemy.dialects.postgresql import TSVECTOR

from .. import schema
from ..extensions import db
from ..models import Entry, EntryVersion
from .index import DOCUMENT_COLUMN, FTS_TABLE
from .text import Terms

# SQLite's bm25 weight for each search weight, in the proportions of PostgreSQL's default
# weights for classes D, C, B and A (0.1, 0.2, 0.4 and 1.0), so both rank alike.
BM25_WEIGHTS = {1: 1.0, 2: 2.0, 3: 4.0, 4: 10.0}
TS_CLASSES = {1: "D", 2: "C", 3: "B", 4: "A"}

SIMPLE = sql("'simple'::regconfig")
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


def _fts5_word(word: str) -> str:
    return f'"{word}"*' if Terms.is_prefix(word) else f'"{word}"'


def fts5_query(terms: Terms) -> str:
    """The FTS5 MATCH expression: every term a quoted string, so none is read as syntax."""
    parts = [_fts5_word(word) for word in terms.words]
    parts += [f'({_fts5_word(joined)} OR "{" ".join(ps)}")' for joined, ps in terms.compounds]
    parts += ['"' + " ".join(phrase) + '"' for phrase in terms.phrases]
    return " AND ".join(parts)


def _ts_word(word: str) -> str:
    return f"{word}:*" if Terms.is_prefix(word) else word


def tsquery_text(terms: Terms) -> str:
    """The text for PostgreSQL's to_tsquery: words with `:*` for prefixes, phrases with `<->`."""
    parts = [_ts_word(word) for word in terms.words]
    parts += [f"({_ts_word(joined)} | {' <-> '.join(ps)})" for joined, ps in terms.compounds]
    parts += ["(" + " <-> ".join(phrase) + ")" for phrase in terms.phrases]
    return " & ".join(parts)


def _tsquery(terms: Terms) -> ColumnElement:
    return func.to_tsquery(SIMPLE, tsquery_text(terms))


def _fts5_match(terms: Terms) -> ColumnElement:
    return sql(FTS_TABLE).op("MATCH")(fts5_query(terms))


def _by_reference(terms: Terms) -> ColumnElement:
    """Versions of the entry with the reference searched for (by the index of references)."""
    return EntryVersion.entry_id.in_(select(Entry.id).where(Entry.reference == terms.reference))


def _current_by_reference(terms: Terms) -> Select:
    return select(EntryVersion.id).where(_by_reference(terms), EntryVersion.is_current)


def matching_ids(terms: Terms) -> Select:
    """The ids of current versions whose text matches (SQLite: straight from the index)."""
    if terms.reference:
        return _current_by_reference(terms)
    return select(entry_search.c.rowid).where(_fts5_match(terms))


def found_once(terms: Terms) -> tuple[int, Select, str]:
    """SQLite: how many current versions match, and their ids as a SELECT of one bound JSON
    array (made by the database, in one row), so that the several statements that count one
    search read the index once rather than once each; and that array itself."""
    ids = matching_ids(terms).subquery()
    number, found = db.session.execute(
        select(func.count(), func.json_group_array(ids.c[0])).select_from(ids)
    ).one()
    return number, select(sql("value", Integer)).select_from(func.json_each(found)), found


def condition(terms: Terms) -> ColumnElement:
    """A WHERE condition on entry_version: its text matches `terms`."""
    if terms.reference:
        return _by_reference(terms)
    if is_sqlite():
        return EntryVersion.id.in_(matching_ids(terms))
    return DOCUMENT.op("@@")(_tsquery(terms))


def ranked(statement: Select, terms: Terms) -> tuple[Select, ColumnElement]:
    """`statement` (over entry_version) limited to matches, and the expression to order by,
    best match first."""
    if terms.reference:
        return statement.where(_by_reference(terms)), EntryVersion.id.desc()
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
    if terms.reference:
        return _current_by_reference(terms)
    weights = _bm25_weights()
    return (
        select(entry_search.c.rowid)
        .where(_fts5_match(terms))
        .order_by(func.bm25(sql(FTS_TABLE), *weights), entry_search.c.rowid.desc())
    )


def best_matching_any(words: list[str], limit: int) -> Select:
    """The ids (`id`) of the `limit` current versions that best match any of `words` (stems
    as the index holds them, letters and digits only), with their `position`, best first:
    for entries like another."""
    if is_sqlite():
        expression = sql(FTS_TABLE).op("MATCH")(" OR ".join(f'"{word}"' for word in words))
        rank = func.bm25(sql(FTS_TABLE), *_bm25_weights())
        return (
            select(entry_search.c.rowid.label("id"), rank.label("position"))
            .where(expression)
            .order_by(rank, entry_search.c.rowid.desc())
            .limit(limit)
        )
    query = func.to_tsquery(SIMPLE, " | ".join(words))
    # Best first as the position goes up: ts_rank_cd is higher for better matches.
    rank = -func.ts_rank_cd(DOCUMENT, query, 1)
    return (
        select(EntryVersion.id.label("id"), rank.label("position"))
        .where(EntryVersion.is_current, DOCUMENT.op("@@")(query))
        .order_by(rank, EntryVersion.id.desc())
        .limit(limit)
    )

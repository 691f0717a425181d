"""Search by the register's own words: the same search finds the same entries on both engines.

Each version keeps `search_words`, the words of its searchable fields as the register reads
them (register/models/search_words.py: accents, apostrophes, hyphens and English stems, in
Python). SQLite's FTS5 table indexes those words with `unicode61` and no stemmer, and
PostgreSQL's generated tsvector with the `simple` configuration, so both hold exactly the
same words. Upgrading fills the words of every version and builds both indexes again;
downgrading puts back the indexes of migration 0003 (each engine's own English).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 21:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

from register.models.search_words import indexed_fields

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# The searchable fields and their weights (4 counts most), as in migration 0003.
SEARCHABLE = (
    ("title", 4),
    ("summary", 3),
    ("team", 1),
    ("purpose", 2),
    ("benefits", 1),
    ("outputs", 1),
    ("model_description", 1),
    ("supplier_name", 2),
)
NAMES = tuple(name for name, _ in SEARCHABLE)
COLUMNS = ", ".join(NAMES)
PG_CLASS = {1: "D", 2: "C", 3: "B", 4: "A"}
BUMP = "UPDATE search_generation SET value = value + 1;"
BATCH = 1000


def upgrade():
    op.add_column("entry_version", sa.Column("search_words", sa.JSON()))
    postgresql = op.get_bind().dialect.name == "postgresql"
    # The old index goes first, so filling the words does not index every version again.
    _drop_index(postgresql)
    _fill_search_words()
    if postgresql:
        # Filling queued the generation's deferred triggers, and a table with trigger
        # events pending cannot be altered: run them now.
        op.execute("SET CONSTRAINTS ALL IMMEDIATE")
        _postgresql_document(_words_of)
    else:
        _sqlite_index(WORDS)
    op.execute(BUMP)


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    _drop_index(postgresql)
    if postgresql:
        _postgresql_document(_text_of)
    else:
        _sqlite_index(TEXT)
    op.drop_column("entry_version", "search_words")
    op.execute(BUMP)


def _drop_index(postgresql):
    if postgresql:
        op.execute("DROP INDEX ix_entry_version_search_document")
        op.execute("ALTER TABLE entry_version DROP COLUMN search_document")
        return
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER entry_search_after_{event}")
    op.execute("DROP TABLE entry_search")


def _fill_search_words():
    """Every version's words, from its text, a batch at a time."""
    connection = op.get_bind()
    versions = sa.table("entry_version", sa.column("id"), *map(sa.column, NAMES))
    words = sa.table("entry_version", sa.column("id"), sa.column("search_words", sa.JSON()))
    change = (
        sa.update(words)
        .where(words.c.id == sa.bindparam("version_id"))
        .values(search_words=sa.bindparam("words", type_=sa.JSON()))
    )
    after = 0
    while True:
        rows = connection.execute(
            sa.select(versions).where(versions.c.id > after).order_by(versions.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            change,
            [{"version_id": row.id, "words": indexed_fields(row._mapping, NAMES)} for row in rows],
        )
        after = rows[-1].id


# SQLite ---------------------------------------------------------------------------------

# How each index reads a row (`{row}` is new or old): the register's words, or the text.
WORDS = {
    "table": f"fts5({COLUMNS}, content='', tokenize='unicode61 remove_diacritics 0', prefix='3')",
    "values": ", ".join(f"json_extract({{row}}.search_words, '$.{name}')" for name in NAMES),
}
TEXT = {
    "table": f"fts5({COLUMNS}, content='entry_version', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2', prefix='3')",
    "values": ", ".join(f"{{row}}.{name}" for name in NAMES),
}


def _sqlite_index(kind):
    """The FTS5 table of current versions, and the triggers that keep it true.

    Removing a row needs the values it was added with, which are the old row's: a current
    version's row is only ever indexed from itself. Every name here is a constant."""
    op.execute(f"CREATE VIRTUAL TABLE entry_search USING {kind['table']}")
    new, old = kind["values"].format(row="new"), kind["values"].format(row="old")
    op.execute(
        f"INSERT INTO entry_search (rowid, {COLUMNS}) "  # noqa: S608
        f"SELECT id, {kind['values'].format(row='entry_version')} "
        "FROM entry_version WHERE is_current = 1"
    )
    remove = f"INSERT INTO entry_search (entry_search, rowid, {COLUMNS})"
    add = f"INSERT INTO entry_search (rowid, {COLUMNS})"
    op.execute(
        "CREATE TRIGGER entry_search_after_insert AFTER INSERT ON entry_version "  # noqa: S608
        f"WHEN new.is_current = 1 BEGIN {add} VALUES (new.id, {new}); {BUMP} END"
    )
    op.execute(
        "CREATE TRIGGER entry_search_after_update AFTER UPDATE ON entry_version "
        "WHEN old.is_current = 1 OR new.is_current = 1 BEGIN "
        f"{remove} SELECT 'delete', old.id, {old} WHERE old.is_current = 1; "
        f"{add} SELECT new.id, {new} WHERE new.is_current = 1; {BUMP} END"
    )
    op.execute(
        "CREATE TRIGGER entry_search_after_delete AFTER DELETE ON entry_version "
        f"WHEN old.is_current = 1 BEGIN {remove} VALUES ('delete', old.id, {old}); "
        f"{BUMP} END"
    )


# PostgreSQL -----------------------------------------------------------------------------


# PostgreSQL numbers the words of a document on from one field to the next, so a phrase
# could run from the end of one field into the next, which FTS5 never does. Each field's
# words end with this word, which the register's words never hold (its casefold is `ss`);
# it is deleted from the document again, leaving a gap no phrase crosses.
FIELD_END = "ß"


def _words_of(name):
    words = f"coalesce(search_words ->> '{name}', '') || ' {FIELD_END}'"
    return f"to_tsvector('simple'::regconfig, {words})"


def _text_of(name):
    return f"to_tsvector('english'::regconfig, coalesce({name}, ''))"


def _postgresql_document(vector_of):
    """The weighted tsvector of each version, as a stored generated column, and its GIN
    index of current versions (the generation's triggers stay as they are)."""
    document = " || ".join(
        f"setweight({vector_of(name)}, '{PG_CLASS[weight]}')" for name, weight in SEARCHABLE
    )
    if vector_of is _words_of:
        document = f"ts_delete({document}, '{FIELD_END}'::text)"
    op.execute(
        "ALTER TABLE entry_version ADD COLUMN search_document tsvector "
        f"GENERATED ALWAYS AS ({document}) STORED"
    )
    op.create_index(
        "ix_entry_version_search_document",
        "entry_version",
        ["search_document"],
        postgresql_using="gin",
        postgresql_where=sa.text("is_current"),
    )

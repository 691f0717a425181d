"""Search: a full-text index of current versions, and indexes for the public listing.

SQLite gets an FTS5 table that reads its text from entry_version, kept true by triggers;
PostgreSQL a generated, weighted tsvector column with a GIN index. Both index current
versions only, and both bump `search_generation` whenever what the public sees changes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 20:30:00.000000

"""

import time

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The searchable fields, in form order, with their weights (4 counts most), as the record
# definition had them when this was written. Changing them needs a migration of its own.
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
# The columns the public listing filters on, then the date it sorts by and the id, so counts
# and pages need nothing else. Indexes of current versions start with is_current as well:
# SQLite's planner trusts an index it can search.
FILTER_COLUMNS = (
    "is_current",
    "organisation_id",
    "policy_area",
    "status",
    "decision_role",
    "built_by",
    "uses_personal_data",
    "risk_level",
    "eu_ai_act_category",
    "rights_safety_effect",
    "oversight_model",
    "published_at",
    "id",
)
CURRENT = {"sqlite_where": sa.text("is_current = 1"), "postgresql_where": sa.text("is_current")}
PG_CLASS = {1: "D", 2: "C", 3: "B", 4: "A"}


def upgrade():
    op.create_index(
        "ix_entry_version_current_filters", "entry_version", list(FILTER_COLUMNS), **CURRENT
    )
    for name, columns in (("updated", ["published_at", "id"]), ("title", ["title", "id"])):
        op.create_index(
            f"ix_entry_version_current_{name}", "entry_version", ["is_current", *columns], **CURRENT
        )
    op.create_table(
        "search_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_generation")),
    )
    # Counts are cached by this number, so it starts from the clock: a table made again
    # never hands out a number an earlier one did.
    start = int(time.time() * 1_000_000)
    op.execute(
        sa.text("INSERT INTO search_generation (id, value) VALUES (1, :start)").bindparams(
            start=start
        )
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_upgrade()
    else:
        _sqlite_upgrade()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_downgrade()
    else:
        _sqlite_downgrade()
    op.drop_table("search_generation")
    op.drop_index("ix_entry_version_current_title", "entry_version")
    op.drop_index("ix_entry_version_current_updated", "entry_version")
    op.drop_index("ix_entry_version_current_filters", "entry_version")


# SQLite ---------------------------------------------------------------------------------

NAMES = ", ".join(name for name, _ in SEARCHABLE)
BUMP = "UPDATE search_generation SET value = value + 1;"


def _row(alias):
    return ", ".join(f"{alias}.{name}" for name, _ in SEARCHABLE)


def _sqlite_upgrade():
    # External content: the index keeps only the words, and snippets read the text from
    # entry_version by id. Only current versions are added, by the triggers below.
    op.execute(
        f"CREATE VIRTUAL TABLE entry_search USING fts5({NAMES}, content='entry_version', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2', prefix='3')"
    )
    # Every name in these statements is a constant of this migration.
    op.execute(
        f"INSERT INTO entry_search (rowid, {NAMES}) "  # noqa: S608
        f"SELECT id, {NAMES} FROM entry_version WHERE is_current = 1"
    )
    # Removing a row from an external-content index needs the values it was added with,
    # which are the old row's: a current version's text is only ever indexed from itself.
    remove = f"INSERT INTO entry_search (entry_search, rowid, {NAMES})"
    add = f"INSERT INTO entry_search (rowid, {NAMES})"
    op.execute(
        "CREATE TRIGGER entry_search_after_insert AFTER INSERT ON entry_version "  # noqa: S608
        f"WHEN new.is_current = 1 BEGIN {add} VALUES (new.id, {_row('new')}); {BUMP} END"
    )
    op.execute(
        "CREATE TRIGGER entry_search_after_update AFTER UPDATE ON entry_version "
        "WHEN old.is_current = 1 OR new.is_current = 1 BEGIN "
        f"{remove} SELECT 'delete', old.id, {_row('old')} WHERE old.is_current = 1; "
        f"{add} SELECT new.id, {_row('new')} WHERE new.is_current = 1; {BUMP} END"
    )
    op.execute(
        "CREATE TRIGGER entry_search_after_delete AFTER DELETE ON entry_version "
        f"WHEN old.is_current = 1 BEGIN {remove} VALUES ('delete', old.id, {_row('old')}); "
        f"{BUMP} END"
    )


def _sqlite_downgrade():
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER entry_search_after_{event}")
    op.execute("DROP TABLE entry_search")


# PostgreSQL -----------------------------------------------------------------------------


def _postgresql_upgrade():
    document = " || ".join(
        f"setweight(to_tsvector('english'::regconfig, coalesce({name}, '')), '{PG_CLASS[weight]}')"
        for name, weight in SEARCHABLE
    )
    # Stored, so ranking reads each match's vector rather than making it again.
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
    # Once per transaction, at commit: the row lock on the counter is taken last, so two
    # transactions never wait for each other's counter and rows at once.
    op.execute(
        """
        CREATE FUNCTION search_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF current_setting('register.search_bumped_in', true) IS DISTINCT FROM
                    txid_current()::text THEN
                PERFORM set_config('register.search_bumped_in', txid_current()::text, true);
                UPDATE search_generation SET value = value + 1;
            END IF;
            RETURN NULL;
        END
        $$
        """
    )
    conditions = {
        "insert": "NEW.is_current",
        "update": "OLD.is_current OR NEW.is_current",
        "delete": "OLD.is_current",
    }
    for event, condition in conditions.items():
        op.execute(
            f"CREATE CONSTRAINT TRIGGER search_generation_after_{event} "
            f"AFTER {event.upper()} ON entry_version DEFERRABLE INITIALLY DEFERRED "
            f"FOR EACH ROW WHEN ({condition}) EXECUTE FUNCTION search_generation_bump()"
        )
    op.execute(
        "CREATE TRIGGER search_generation_after_truncate AFTER TRUNCATE ON entry_version "
        "FOR EACH STATEMENT EXECUTE FUNCTION search_generation_bump()"
    )


def _postgresql_downgrade():
    for event in ("insert", "update", "delete", "truncate"):
        op.execute(f"DROP TRIGGER search_generation_after_{event} ON entry_version")
    op.execute("DROP FUNCTION search_generation_bump()")
    op.drop_index("ix_entry_version_search_document", "entry_version")
    op.execute("ALTER TABLE entry_version DROP COLUMN search_document")

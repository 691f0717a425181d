"""Entries, their versions, and the repeating rows of each version.

An `Entry` is one tool in one organisation, with a public reference that is never reused.
Its content lives in `EntryVersion` rows: at most one working copy (number is None) that
editors change, and the published versions (number 1, 2, ...) that are never changed again.
`is_current` marks the published version the public sees now, so the listing reads one table.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    column,
    event,
    func,
    inspect,
    literal_column,
    text,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from .. import schema
from ..extensions import db
from .columns import CODE_LENGTH, record_columns_mixin, utcnow
from .organisation import Organisation, User
from .search_words import indexed_fields

# Workflow states of an entry as a whole.
DRAFT = "draft"
IN_REVIEW = "in_review"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"
STATES = (DRAFT, IN_REVIEW, PUBLISHED, WITHDRAWN)


def reference_for(entry_id: int, prefix: str = "AIR") -> str:
    """The public reference of the entry with this id, such as AIR-00042.

    Entry ids are never reused (AUTOINCREMENT on SQLite, a sequence on PostgreSQL), so
    neither is a reference.
    """
    return f"{prefix}-{entry_id:05d}"


class Entry(db.Model):
    __tablename__ = "entry"
    __table_args__ = (
        # An entry imported from another register's file is found again by that file's own
        # identifier, so importing the file twice updates instead of duplicating.
        Index("uq_entry_source", "organisation_id", "source_format", "source_id", unique=True),
        # Entries by the moment they were first published, with their state, so the public
        # ones are counted by month from the index alone.
        Index("ix_entry_first_published_at", "first_published_at", "state"),
        # AUTOINCREMENT on SQLite so an id, and so a reference, is never handed out twice.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=DRAFT, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    first_published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    last_reviewed_on: Mapped[date | None] = mapped_column(Date)
    next_review_due: Mapped[date | None] = mapped_column(Date, index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    # Who sent the working copy for review, and the reviewer's comment if it came back.
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    review_comment: Mapped[str | None] = mapped_column(Text)
    # Where an imported entry came from: the format (such as "us-2025") and its identifier
    # there. Both empty for entries written on the register.
    source_format: Mapped[str | None] = mapped_column(String(20))
    source_id: Mapped[str | None] = mapped_column(String(200))
    # A hash of what the file said last time, so an unchanged row is recognised at once and
    # does not undo what people have written on the register since.
    source_fingerprint: Mapped[str | None] = mapped_column(String(64))
    # The source's name for people (such as "US federal AI use case inventory 2025") of the
    # latest import that touched the entry; None for entries written on the register.
    source: Mapped[str | None] = mapped_column(String(120), index=True)

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    versions: Mapped[list[EntryVersion]] = relationship(
        back_populates="entry",
        cascade="all, delete-orphan",
        order_by="EntryVersion.number",
    )
    # Every import that created or updated the entry, oldest first.
    # (EntryProvenance lives in models/provenance.py, which imports this module.)
    provenance: Mapped[list[EntryProvenance]] = relationship(  # noqa: F821
        back_populates="entry",
        cascade="all, delete-orphan",
        order_by="EntryProvenance.id",
    )

    @property
    def draft(self) -> EntryVersion | None:
        """The working copy editors change, if there is one."""
        return next((v for v in self.versions if v.number is None), None)

    @property
    def current_version(self) -> EntryVersion | None:
        """The published version the public sees now, if any."""
        return next((v for v in self.versions if v.is_current), None)

    @property
    def published_versions(self) -> list[EntryVersion]:
        return [v for v in self.versions if v.number is not None]

    def __repr__(self) -> str:
        return f"<Entry {self.reference} {self.state}>"


RecordColumns = record_columns_mixin("RecordColumns", schema.column_fields())

# Every column the public listing filters on, in the order of the form.
FILTER_COLUMNS = ("organisation_id", *(f.name for f in schema.column_fields() if f.filter))
# The first of them lead the covering index above, so counts grouped by a prefix of them
# walk it in order; the others have an index of their own to be counted grouped together.
FILTERS_LEADING = FILTER_COLUMNS[:3]
FILTERS_FOLLOWING = FILTER_COLUMNS[3:]


def _current_only(name: str, *columns: str | ColumnElement) -> Index:
    """An index of current versions only: the public listing never reads any other. It
    starts with is_current too, for SQLite's planner, which without statistics only trusts
    an index it can search by equality. A column may be an expression."""
    return Index(
        name,
        "is_current",
        *columns,
        sqlite_where=text("is_current = 1"),
        postgresql_where=text("is_current"),
    )


def title_in_welsh(
    title: ColumnElement[str] | None = None, title_cy: ColumnElement[str] | None = None
) -> ColumnElement[str]:
    """The title a page in Welsh shows (`languages.in_page_language`): the Welsh one where
    given, else the English; of the columns given, or else of entry_version's own. A
    version never stores a blank answer (`versions.set_values` stores None instead), so an
    empty Welsh title is the only absent one besides None. The listing sorts by exactly this
    expression, so that an index of it gives the order; the '' is written out, as a bound
    parameter would not match the index's expression."""
    title = column("title") if title is None else title
    title_cy = column("title_cy") if title_cy is None else title_cy
    return func.coalesce(func.nullif(title_cy, literal_column("''")), title)


# The fields the full-text index holds, in its column order.
SEARCHABLE = tuple(f.name for f in schema.searchable_fields())
# Their text in English and in Welsh, which the index holds together (search_words.py).
SEARCHED_TEXT = tuple(
    name for f in schema.searchable_fields() for name in (f.name, f.welsh_name) if name
)


def _search_words_when_inserted(context: DefaultExecutionContext) -> dict[str, str]:
    """Every insert, by the ORM or a bulk Core insert, gets the words of its own text."""
    return indexed_fields(context.get_current_parameters(), SEARCHABLE)


class EntryVersion(RecordColumns, db.Model):
    __tablename__ = "entry_version"
    __table_args__ = (
        UniqueConstraint("entry_id", "number"),
        # The public listing reads current versions in order of publication.
        Index("ix_entry_version_current_published", "is_current", "published_at"),
        # Facet counts and filtered pages read these narrow indexes, never the wide rows.
        _current_only("ix_entry_version_current_filters", *FILTER_COLUMNS, "published_at", "id"),
        _current_only("ix_entry_version_current_following", *FILTERS_FOLLOWING),
        _current_only("ix_entry_version_current_updated", "published_at", "id"),
        _current_only("ix_entry_version_current_title", "title", "id"),
        _current_only("ix_entry_version_current_title_cy", title_in_welsh(), "id"),
        # The change log reads every published version in order of publication, and a walk
        # through the API's pages reads current versions in order of their entries.
        Index("ix_entry_version_published", "published_at", "id"),
        _current_only("ix_entry_version_current_entry", "entry_id"),
        # The average completeness adds up the kept counts of current versions from here.
        _current_only("ix_entry_version_current_answered", "answered_layout", "answered"),
        # The supplier pages, the supplier filter and similar entries read current versions
        # by supplier and product; counts of organisations need nothing else.
        _current_only(
            "ix_entry_version_current_supplier", "supplier_id", "product_id", "organisation_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    # Denormalised from the entry so organisation filters need no join.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    number: Mapped[int | None] = mapped_column(Integer)
    is_current: Mapped[bool] = mapped_column(Boolean, default=False)
    schema_version: Mapped[int] = mapped_column(Integer, default=schema.SCHEMA_VERSION)
    change_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # The organisation's name when the version was published, kept once the organisation is
    # renamed; empty while the name it was published under is still the organisation's own.
    organisation_name: Mapped[str | None] = mapped_column(String(200))
    # The supplier and product the version's answers name, linked when it is published
    # (suppliers.py); empty for drafts and for tools built in-house. Not foreign keys:
    # SQLite adds one to a table only by copying it, which would lose the full-text
    # index's triggers; suppliers and products are never deleted.
    supplier_id: Mapped[int | None] = mapped_column(Integer)
    product_id: Mapped[int | None] = mapped_column(Integer)
    # Bumped on every save; a save based on an older value is refused (no lost updates).
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    # The words the full-text index holds of each searchable field, made in Python so both
    # engines index the same words (search_words.py); kept true on every insert and change.
    search_words: Mapped[dict[str, str] | None] = mapped_column(
        JSON, default=_search_words_when_inserted
    )
    # How many questions the version answers, and the fingerprint of the questions counted
    # (completeness.py): kept from publication, for the register's average completeness.
    answered: Mapped[int | None] = mapped_column(SmallInteger)
    answered_layout: Mapped[str | None] = mapped_column(String(16))

    entry: Mapped[Entry] = relationship(back_populates="versions")
    choices: Mapped[list[VersionChoice]] = relationship(
        cascade="all, delete-orphan", order_by="VersionChoice.id"
    )
    data_sources: Mapped[list[DataSource]] = relationship(
        cascade="all, delete-orphan", order_by="DataSource.position"
    )
    risks: Mapped[list[Risk]] = relationship(cascade="all, delete-orphan", order_by="Risk.position")
    impact_assessments: Mapped[list[ImpactAssessment]] = relationship(
        cascade="all, delete-orphan", order_by="ImpactAssessment.position"
    )
    # The supplier and product linked on publication (models/supplier.py).
    supplier: Mapped[Supplier | None] = relationship(  # noqa: F821
        primaryjoin="foreign(EntryVersion.supplier_id) == Supplier.id"
    )
    product: Mapped[Product | None] = relationship(  # noqa: F821
        primaryjoin="foreign(EntryVersion.product_id) == Product.id"
    )
    # The answers withheld from the public, with why (models/withheld_answer.py).
    withheld: Mapped[list[WithheldAnswer]] = relationship(  # noqa: F821
        cascade="all, delete-orphan", order_by="WithheldAnswer.id"
    )

    __mapper_args__ = {"version_id_col": lock_version}

    def codes(self, field_name: str) -> list[str]:
        """The codes chosen for a multiple-choice field, in the order they were stored."""
        return [choice.code for choice in self.choices if choice.field == field_name]

    def __repr__(self) -> str:
        return f"<EntryVersion entry={self.entry_id} number={self.number}>"


@event.listens_for(EntryVersion, "before_update")
def _keep_search_words(mapper: Mapper, connection: object, version: EntryVersion) -> None:
    """A change to a version's text changes its words in the same statement."""
    attributes = inspect(version).attrs
    if any(attributes[name].history.has_changes() for name in SEARCHED_TEXT):
        values = {name: getattr(version, name) for name in SEARCHED_TEXT}
        version.search_words = indexed_fields(values, SEARCHABLE)


class VersionChoice(db.Model):
    """One code chosen for a multiple-choice field (such as techniques) of a version."""

    __tablename__ = "version_choice"
    __table_args__ = (
        UniqueConstraint("version_id", "field", "code"),
        # With the version, so codes are counted and versions found from the index alone.
        Index("ix_version_choice_field_code", "field", "code", "version_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("entry_version.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(CODE_LENGTH))
    code: Mapped[str] = mapped_column(String(CODE_LENGTH))


def _group_columns(name: str) -> type:
    """The mixin holding one repeating group's fields, as the schema defines them."""
    group = next(group for group in schema.groups() if group.name == name)
    return record_columns_mixin(f"{name}_columns", group.fields)


class DataSource(_group_columns("data_sources"), db.Model):
    __tablename__ = "data_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("entry_version.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class Risk(_group_columns("risks"), db.Model):
    __tablename__ = "risk"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("entry_version.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class ImpactAssessment(_group_columns("impact_assessments"), db.Model):
    __tablename__ = "impact_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("entry_version.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


# Which model stores each repeating group's rows.
GROUP_MODELS: dict[str, type] = {
    "data_sources": DataSource,
    "risks": Risk,
    "impact_assessments": ImpactAssessment,
}

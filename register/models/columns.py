"""Columns derived from the record definition, so a field added to the schema reaches the model."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import mapped_column
from sqlalchemy.types import TypeEngine

from ..schema import Field, Kind

CODE_LENGTH = 40
# A language's code, as register/languages.py names it ("en", "cy").
LANGUAGE_LENGTH = 5
PARTIAL_DATE_LENGTH = 10


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """A moment read back from the database, in UTC: SQLite gives back naive datetimes, and
    every time the register stores is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def column_type(field: Field) -> TypeEngine:
    """The SQL type that stores `field`."""
    if field.kind in (Kind.TEXT, Kind.EMAIL, Kind.URL):
        return String(field.max_length)
    if field.kind is Kind.LONG_TEXT:
        return Text()
    if field.kind is Kind.PARTIAL_DATE:
        return String(PARTIAL_DATE_LENGTH)
    if field.kind is Kind.CHOICE:
        return String(CODE_LENGTH)
    if field.kind is Kind.BOOLEAN:
        return Boolean()
    raise ValueError(f"{field.name}: {field.kind} is not stored as a single column")


def record_columns_mixin(name: str, fields: tuple[Field, ...]) -> type:
    """A declarative mixin with one nullable column per field (drafts may leave any empty)."""
    columns = {
        field.name: mapped_column(column_type(field), nullable=True, index=field.filter)
        for field in fields
    }
    return type(name, (), columns)

"""Organisations, the people who work in them, and their roles."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .columns import CODE_LENGTH, LANGUAGE_LENGTH, utcnow


class Organisation(db.Model):
    __tablename__ = "organisation"
    __table_args__ = (
        Index(
            "ix_organisation_identifier_scheme_identifier",
            "identifier_scheme",
            "identifier",
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    # A short form other registers' files may name the organisation by, such as "DHS".
    abbreviation: Mapped[str | None] = mapped_column(String(40), index=True)
    type: Mapped[str] = mapped_column(String(CODE_LENGTH), index=True)
    # Its code in a reference list of organisations, and which list ("gss", "oin", "govuk");
    # `flask register import-organisations` finds the organisation by them.
    identifier: Mapped[str | None] = mapped_column(String(100))
    identifier_scheme: Mapped[str] = mapped_column(String(40), default="", server_default="")
    website: Mapped[str | None] = mapped_column(String(2000))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    allows_self_publishing: Mapped[bool] = mapped_column(Boolean, default=False)
    # Its publishers must sign in with a second factor (administrators always may be asked
    # to, register-wide, by the `second_factor_required` setting).
    requires_second_factor: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When what the public reads of it (name, type, website) last changed, if ever.
    changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class FormerName(db.Model):
    """A name an organisation went by until it was renamed: its history of names, with the
    present one, is `FormerName`s in order and then `Organisation.name`."""

    __tablename__ = "organisation_former_name"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    used_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Failed sign-ins since the last success; each makes the next attempt wait longer.
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_failed_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Moves on when the person signs out, so every copy of their session cookie stops
    # working, not only the one in the browser they signed out in.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Time-based one-time passwords: the shared secret (encrypted), when it was confirmed,
    # and the last time step used, so a code cannot be used twice.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # The language emails to this person are written in: that of the page they last signed
    # in on ("en" or "cy").
    language: Mapped[str] = mapped_column(
        String(LANGUAGE_LENGTH), default="en", server_default="en"
    )

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def get_id(self) -> str:
        """The session's user id; it changes with the password and on signing out, so a new
        password or signing out ends every session, copies of the cookie included."""
        return f"{self.id}:{(self.password_hash or '')[-12:]}:{self.session_epoch or 0}"

    def publishes_for(self) -> list[Organisation]:
        """The organisations this person is a publisher of, by name."""
        return sorted(
            (m.organisation for m in self.memberships if m.role == "publisher"),
            key=lambda organisation: organisation.name,
        )

    def role_in(self, organisation: Organisation) -> str | None:
        """This person's role in `organisation`, or None if they are not a member."""
        for membership in self.memberships:
            if membership.organisation_id == organisation.id:
                return membership.role
        return None

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Membership(db.Model):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(CODE_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")

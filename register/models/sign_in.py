"""Signing in with an organisation's own accounts (OpenID Connect): the provider each
organisation (or the whole register) uses, the email domains it covers, and which of the
provider's accounts is which person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .columns import utcnow
from .organisation import Organisation, User


class SignInProvider(db.Model):
    """An organisation's OpenID Connect provider; with no organisation, the one provider of
    a register that serves a single body."""

    __tablename__ = "sign_in_provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), unique=True
    )
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(255))
    # Encrypted (see sign_in_providers.SEALING_PURPOSE); never shown again once saved.
    client_secret: Mapped[str] = mapped_column(Text)
    # Where the provider's sign-in page is, from its discovery document when last read: the
    # sign-in page lets its form lead there (Content-Security-Policy form-action).
    authorization_endpoint: Mapped[str] = mapped_column(String(2000), default="")
    # Its people may no longer sign in with a password.
    provider_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The register asks no code of its own when the provider says it used a second factor.
    trusts_second_factor: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # Anyone from its domains may join the organisation as an editor without an invitation.
    lets_domain_join: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    organisation: Mapped[Organisation | None] = relationship()
    domains: Mapped[list[SignInDomain]] = relationship(
        back_populates="provider", cascade="all, delete-orphan", order_by="SignInDomain.domain"
    )

    def domain_names(self) -> list[str]:
        return [domain.domain for domain in self.domains]


class SignInDomain(db.Model):
    """An email domain whose people sign in through a provider; each domain has one."""

    __tablename__ = "sign_in_domain"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("sign_in_provider.id", ondelete="CASCADE"), index=True
    )
    domain: Mapped[str] = mapped_column(String(253), unique=True)

    provider: Mapped[SignInProvider] = relationship(back_populates="domains")


class SignInLink(db.Model):
    """A provider's account (its issuer and subject, `sub`) that is a person of the
    register: how a returning person is found, never by their email address alone."""

    __tablename__ = "sign_in_link"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    issuer: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()

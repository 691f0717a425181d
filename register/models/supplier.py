"""Suppliers of the tools on the register, and their products.

Entries name their supplier and product in their own words (`supplier_name`,
`product_name`); a published version is linked to one `Supplier` and, if it names one, one
`Product` of it, found by the supplier's company number or else by name (`suppliers.py`), so
the public can see which organisations use the same tool.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .columns import CODE_LENGTH, utcnow

NAME_LENGTH = 200

# Words that say what kind of company it is, not which: "Acme Ltd" and "Acme Limited" are
# one supplier.
LEGAL_FORMS = frozenset(
    "ltd limited plc llp lp inc incorporated llc corp corporation co company gmbh ag sa sas "
    "bv nv the".split()
)


def _words(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", folded.lower().replace(".", ""))


def name_key(name: str | None) -> str:
    """A name folded for matching: no case, accents, punctuation or legal form. "" for a
    name with no letters or digits."""
    words = _words(name or "")
    kept = [word for word in words if word not in LEGAL_FORMS]
    return " ".join(kept or words)[:NAME_LENGTH]


def slug_for(name: str) -> str:
    """The start of a web address for a supplier or product of this name."""
    return "-".join(_words(name))[:100].strip("-")


class Supplier(db.Model):
    __tablename__ = "supplier"
    __table_args__ = (
        # One supplier per number in each register; suppliers without one by name alone.
        Index("ix_supplier_registry_number", "registry_scheme", "registry_number", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    # The name folded for matching (`suppliers.name_key`): entries without a number that
    # give the same name are the same supplier.
    name_key: Mapped[str] = mapped_column(String(NAME_LENGTH), index=True)
    # The register that gave its number (a code of the supplier_registry vocabulary, or
    # "" when the entries did not say) and the number as that register writes it.
    registry_scheme: Mapped[str] = mapped_column(String(CODE_LENGTH), default="")
    registry_number: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    products: Mapped[list[Product]] = relationship(
        back_populates="supplier", order_by="Product.name"
    )

    def __repr__(self) -> str:
        return f"<Supplier {self.slug}>"


class Product(db.Model):
    __tablename__ = "product"
    __table_args__ = (
        UniqueConstraint("supplier_id", "slug", name="uq_product_supplier_slug"),
        UniqueConstraint("supplier_id", "name_key", name="uq_product_supplier_name_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("supplier.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    slug: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(NAME_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    supplier: Mapped[Supplier] = relationship(back_populates="products")

    def __repr__(self) -> str:
        return f"<Product {self.slug}>"

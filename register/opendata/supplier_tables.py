"""The suppliers and products of the data package: the records the register makes of the
suppliers public entries name (see `suppliers.py`), and which entry uses which.

Entries keep the supplier and product as their publishers named them (`supplier_name`,
`supplier_company_number`, `product_name`); `entry_suppliers` joins each entry to the
supplier and product it was linked to, so a reader need not match names.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, distinct, func, select

from .. import published
from ..models import Product, Supplier
from ..schema import registries
from ..schema.vocabularies import SUPPLIER_REGISTRY
from .columns import Column
from .records import ENTRY, VERSION

SUPPLIER = Supplier.__table__
PRODUCT = Product.__table__


def _keyed(name: str) -> dict[str, Any]:
    return {"value": lambda record: record.get(name), "key": name}


def supplier_columns() -> list[Column]:
    """suppliers.csv: every supplier a public entry uses."""
    return [
        Column("slug", "Identifier", "The supplier's short name in web addresses "
               "(/suppliers/<slug>).", required=True, **_keyed("slug")),
        Column("name", "Name", "The supplier's name, as the first entry linked to it gave "
               "it.", required=True, **_keyed("name")),
        Column("registry", "Register", "The register that gave its company number, as a "
               "code of the supplier's register vocabulary; empty if the entries did not say.",
               enum=SUPPLIER_REGISTRY.codes, **_keyed("registry")),
        Column("org_id_scheme", "Organisation identifier scheme", "The register's code at "
               "org-id.guide (GB-COH, NL-KVK), where it has one.", **_keyed("org_id_scheme")),
        Column("registry_number", "Company number", "The number the register gave it, as "
               "that register writes it; empty for a supplier known by name only.",
               **_keyed("registry_number")),
        Column("entries", "Entries", "How many public entries use it.", type="integer",
               required=True, **_keyed("entries")),
        Column("organisations", "Organisations", "How many organisations use it.",
               type="integer", required=True, **_keyed("organisations")),
    ]  # fmt: skip


def product_columns() -> list[Column]:
    """products.csv: every product of a supplier that a public entry uses."""
    return [
        Column("supplier", "Supplier", "The supplier's identifier, as suppliers.csv gives it.",
               required=True, **_keyed("supplier")),
        Column("slug", "Identifier", "The product's short name, unique among its supplier's "
               "products.", required=True, **_keyed("slug")),
        Column("name", "Name", "The product's name, as the first entry linked to it gave it.",
               required=True, **_keyed("name")),
        Column("entries", "Entries", "How many public entries use it.", type="integer",
               required=True, **_keyed("entries")),
    ]  # fmt: skip


def entry_supplier_columns() -> list[Column]:
    """entry_suppliers.csv: the supplier and product each public entry is linked to."""
    return [
        Column("reference", "Reference", "The entry's reference, as entries.csv gives it.",
               required=True, **_keyed("reference")),
        Column("supplier", "Supplier", "The supplier's identifier, as suppliers.csv gives it.",
               required=True, **_keyed("supplier")),
        Column("product", "Product", "The product's identifier among its supplier's, as "
               "products.csv gives it; empty when the entry names no product.",
               **_keyed("product")),
    ]  # fmt: skip


def supplier_rows(connection: Connection) -> Iterator[dict[str, Any]]:
    counts = (
        select(
            VERSION.c.supplier_id,
            func.count().label("entries"),
            func.count(distinct(VERSION.c.organisation_id)).label("organisations"),
        )
        .where(published.current(), VERSION.c.supplier_id.is_not(None))
        .group_by(VERSION.c.supplier_id)
        .subquery()
    )
    query = (
        select(SUPPLIER, counts.c.entries, counts.c.organisations)
        .join(counts, counts.c.supplier_id == SUPPLIER.c.id)
        .order_by(SUPPLIER.c.slug)
    )
    for row in connection.execute(query):
        registry = registries.REGISTRIES.get(row.registry_scheme)
        yield {
            "slug": row.slug,
            "name": row.name,
            "registry": row.registry_scheme or None,
            "org_id_scheme": registry.org_id if registry else None,
            "registry_number": row.registry_number,
            "entries": row.entries,
            "organisations": row.organisations,
        }


def product_rows(connection: Connection) -> Iterator[dict[str, Any]]:
    counts = (
        select(VERSION.c.product_id, func.count().label("entries"))
        .where(published.current(), VERSION.c.product_id.is_not(None))
        .group_by(VERSION.c.product_id)
        .subquery()
    )
    query = (
        select(SUPPLIER.c.slug.label("supplier"), PRODUCT.c.slug, PRODUCT.c.name, counts.c.entries)
        .join(counts, counts.c.product_id == PRODUCT.c.id)
        .join(SUPPLIER, SUPPLIER.c.id == PRODUCT.c.supplier_id)
        .order_by(SUPPLIER.c.slug, PRODUCT.c.slug)
    )
    for row in connection.execute(query):
        yield dict(row._mapping)


def entry_supplier_rows(connection: Connection) -> Iterator[dict[str, Any]]:
    query = (
        select(
            ENTRY.c.reference, SUPPLIER.c.slug.label("supplier"), PRODUCT.c.slug.label("product")
        )
        .join_from(VERSION, ENTRY, ENTRY.c.id == VERSION.c.entry_id)
        .join(SUPPLIER, SUPPLIER.c.id == VERSION.c.supplier_id)
        .outerjoin(PRODUCT, PRODUCT.c.id == VERSION.c.product_id)
        .where(published.current())
        .order_by(ENTRY.c.reference)
    )
    for row in connection.execute(query):
        yield dict(row._mapping)

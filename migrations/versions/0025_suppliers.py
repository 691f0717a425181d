"""Suppliers and their products as records of their own: the supplier and product tables,
the record's new answers (the product's name, the register that gave the supplier's company
number) and each version's link to its supplier and product, filled in for every version
published so far.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 00:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from register.models.supplier import name_key, slug_for

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

ANSWERS = (
    ("product_name", sa.String(length=200)),
    ("supplier_registry", sa.String(length=40)),
)
LINKS = ("supplier_id", "product_id")


def upgrade():
    op.create_table(
        "supplier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("registry_scheme", sa.String(length=40), nullable=False),
        sa.Column("registry_number", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
    )
    op.create_index("ix_supplier_name_key", "supplier", ["name_key"])
    op.create_index(
        "ix_supplier_registry_number",
        "supplier",
        ["registry_scheme", "registry_number"],
        unique=True,
    )
    op.create_table(
        "product",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["supplier_id"], ["supplier.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("supplier_id", "slug", name="uq_product_supplier_slug"),
        sa.UniqueConstraint("supplier_id", "name_key", name="uq_product_supplier_name_key"),
    )
    op.create_index("ix_product_supplier_id", "product", ["supplier_id"])
    # Plain ALTER TABLEs, as in 0020: a batch copy of entry_version would lose the
    # full-text index's triggers. So the links are plain columns, not foreign keys, which
    # SQLite adds only by copying the table (suppliers and products are never deleted).
    for name, type_ in ANSWERS:
        op.add_column("entry_version", sa.Column(name, type_, nullable=True))
    for name in LINKS:
        op.add_column("entry_version", sa.Column(name, sa.Integer(), nullable=True))
    # As the other indexes of current versions: starting with is_current, for SQLite's planner.
    op.create_index(
        "ix_entry_version_current_supplier",
        "entry_version",
        ["is_current", "supplier_id", "product_id", "organisation_id"],
        sqlite_where=sa.text("is_current = 1"),
        postgresql_where=sa.text("is_current"),
    )
    _link_published_versions(op.get_bind())


def _link_published_versions(connection):
    """Every published version that names a supplier, linked to one supplier per name (no
    version has given a register or a product yet): the same rule as `suppliers.link`
    for versions without a register, whose numbers are kept as they were written."""
    version = sa.table(
        "entry_version",
        sa.column("id", sa.Integer),
        sa.column("number", sa.Integer),
        sa.column("supplier_name", sa.String),
        sa.column("supplier_company_number", sa.String),
        sa.column("supplier_id", sa.Integer),
    )
    supplier = sa.table(
        "supplier",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("slug", sa.String),
        sa.column("name_key", sa.String),
        sa.column("registry_scheme", sa.String),
        sa.column("registry_number", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    # Oldest first, so a supplier is named as the first version that named it.
    first = sa.func.min(version.c.id)
    named = connection.execute(
        sa.select(version.c.supplier_name, version.c.supplier_company_number)
        .where(version.c.number.is_not(None), version.c.supplier_name.is_not(None))
        .group_by(version.c.supplier_name, version.c.supplier_company_number)
        .order_by(first)
    ).all()
    # Those with a number first, so a version that leaves the number out joins the one
    # supplier of its name that has one (as `suppliers.link` does from now on).
    named.sort(key=lambda row: not (row.supplier_company_number or "").strip())
    found: dict[tuple[str, str | None], int] = {}
    numbered_keys: dict[str, list[int]] = {}
    slugs: set[str] = set()
    now = sa.func.now() if connection.dialect.name == "postgresql" else sa.func.current_timestamp()
    for supplier_name, written_number in named:
        key = name_key(supplier_name)
        if not key:
            continue
        number = (written_number or "").strip() or None
        which = ("", number) if number else (key, None)
        if not number and which not in found and len(numbered_keys.get(key, ())) == 1:
            found[which] = numbered_keys[key][0]
        if which not in found:
            slug = wanted = slug_for(supplier_name) or "supplier"
            count = 1
            while slug in slugs:
                count += 1
                slug = f"{wanted}-{count}"
            slugs.add(slug)
            found[which] = connection.execute(
                sa.insert(supplier)
                .values(
                    name=supplier_name.strip(),
                    slug=slug,
                    name_key=key,
                    registry_scheme="",
                    registry_number=number,
                    created_at=now,
                )
                .returning(supplier.c.id)
            ).scalar_one()
            if number:
                numbered_keys.setdefault(key, []).append(found[which])
        same_number = (
            version.c.supplier_company_number.is_(None)
            if written_number is None
            else version.c.supplier_company_number == written_number
        )
        connection.execute(
            sa.update(version)
            .where(
                version.c.number.is_not(None),
                version.c.supplier_name == supplier_name,
                same_number,
            )
            .values(supplier_id=found[which])
        )


def downgrade():
    op.drop_index("ix_entry_version_current_supplier", table_name="entry_version")
    for name in reversed(LINKS):
        op.drop_column("entry_version", name)
    for name, _ in reversed(ANSWERS):
        op.drop_column("entry_version", name)
    op.drop_index("ix_product_supplier_id", table_name="product")
    op.drop_table("product")
    op.drop_index("ix_supplier_registry_number", table_name="supplier")
    op.drop_index("ix_supplier_name_key", table_name="supplier")
    op.drop_table("supplier")

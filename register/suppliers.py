"""Suppliers and products as records of their own: linking versions to them, and what the
public reads of them.

A version is linked when it is published (`link`, from `versions.make_current`): to the
supplier with its company number in the same register if it gives one, else to the supplier
of the same name (`name_key`); a new one is made if there is none (`_same_supplier` says
how a name and a number are matched). Its product is found under that supplier by name the
same way. Versions written in bulk are linked the same way before they are written
(`SupplierLinks`). Only current versions of public entries count on the pages, so a
supplier named only by drafts or withdrawn entries is never shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import distinct, func, select, update

from . import published
from .extensions import db
from .languages import DEFAULT_LANGUAGE, WELSH
from .models import Entry, EntryVersion, Organisation, Product, Supplier
from .models.entry import title_in_welsh
from .models.supplier import name_key, slug_for
from .schema import registries
from .search import bump_generation

# Entries shown on a supplier's page; the listing, linked from there, shows them all.
MOST_SHOWN = 200


def _pending(model: type) -> list:
    return [item for item in db.session.new if isinstance(item, model)]


def _unique_slug(wanted: str, taken: set[str]) -> str:
    slug, number = wanted, 1
    while slug in taken:
        number += 1
        slug = f"{wanted}-{number}"
    return slug


def _known(*where) -> list[Supplier]:
    """The suppliers added in this transaction, then those already kept, that match."""
    return [s for s in _pending(Supplier) if all(test(s) for test, _ in where)] + list(
        db.session.scalars(select(Supplier).where(*(c for _, c in where)).order_by(Supplier.id))
    )


def _same_supplier(scheme: str, number: str | None, key: str) -> Supplier | None:
    """The supplier already known (or added in this transaction) that these answers name.

    With a number: the supplier with this number in this register; else one of this name
    known so far without a number, which is given the number. Without a number: the
    supplier of this name without a number; else the only supplier of this name, whatever
    its number. So an entry that leaves the number out joins the others that gave it."""
    named = (lambda s: s.name_key == key, Supplier.name_key == key)
    unnumbered = (lambda s: not s.registry_number, Supplier.registry_number.is_(None))
    if number:
        numbered = _known(
            (lambda s: s.registry_scheme == scheme, Supplier.registry_scheme == scheme),
            (lambda s: s.registry_number == number, Supplier.registry_number == number),
        )
        if numbered:
            return numbered[0]
        found = _known(named, unnumbered)
        if found:
            found[0].registry_scheme, found[0].registry_number = scheme, number
            return found[0]
        return None
    found = _known(named, unnumbered)
    if found:
        return found[0]
    same_name = {s.id or id(s): s for s in _known(named)}
    return next(iter(same_name.values())) if len(same_name) == 1 else None


def find_supplier(name: str, scheme: str | None, number: str | None) -> Supplier:
    """The supplier with this company number (in this register), or else of this name
    without a number; a new one if there is none."""
    scheme = scheme or ""
    number = registries.normalised(scheme, number)
    key = name_key(name)
    found = _same_supplier(scheme, number, key)
    if found is not None:
        return found
    wanted_slug = slug_for(name) or "supplier"
    taken = set(
        db.session.scalars(select(Supplier.slug).where(Supplier.slug.startswith(wanted_slug)))
    ) | {s.slug for s in _pending(Supplier)}
    supplier = Supplier(
        name=name.strip(),
        slug=_unique_slug(wanted_slug, taken),
        name_key=key,
        registry_scheme=scheme,
        registry_number=number,
    )
    db.session.add(supplier)
    return supplier


def find_product(supplier: Supplier, name: str) -> Product:
    """The supplier's product of this name; a new one if it has none."""
    key = name_key(name)
    products = [p for p in _pending(Product) if p.supplier is supplier]
    if supplier.id is not None:
        products += list(
            db.session.scalars(select(Product).where(Product.supplier_id == supplier.id))
        )
    for product in products:
        if product.name_key == key:
            return product
    wanted_slug = slug_for(name) or "product"
    product = Product(
        supplier=supplier,
        name=name.strip(),
        slug=_unique_slug(wanted_slug, {p.slug for p in products}),
        name_key=key,
    )
    db.session.add(product)
    return product


def link(version: EntryVersion) -> None:
    """Link a version being published to the supplier and product its answers name."""
    name = (version.supplier_name or "").strip()
    if not name_key(name):
        version.supplier, version.product = None, None
        return
    supplier = find_supplier(name, version.supplier_registry, version.supplier_company_number)
    product_name = (version.product_name or "").strip()
    version.supplier = supplier
    version.product = find_product(supplier, product_name) if name_key(product_name) else None


# The answers that name a version's supplier and product, as `link` reads them.
_NAMING_ANSWERS = ("supplier_name", "supplier_registry", "supplier_company_number", "product_name")
_Answers = tuple[str | None, ...]


class SupplierLinks:
    """The supplier and product that versions written in bulk name (such as the demo
    data's, which are not published one by one), as `link` would find or make them: each
    set of answers is looked up once, in the order they are first asked for."""

    def __init__(self) -> None:
        self._found: dict[_Answers, tuple[int | None, int | None]] = {}

    def ids(self, answers: Mapping[str, object]) -> tuple[int | None, int | None]:
        """The ids of the supplier and product that a version's `answers` (by field name)
        name, (None, None) if they name no supplier. A supplier or product made for them
        is flushed, not committed."""
        named = tuple(_text(answers.get(name)) for name in _NAMING_ANSWERS)
        found = self._found.get(named)
        if found is None:
            found = self._found[named] = _linked_ids(*named)
        return found


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _linked_ids(
    supplier_name: str | None, scheme: str | None, number: str | None, product_name: str | None
) -> tuple[int | None, int | None]:
    if not name_key(supplier_name or ""):
        return None, None
    supplier = find_supplier(supplier_name or "", scheme, number)
    product = find_product(supplier, product_name) if name_key(product_name or "") else None
    db.session.flush()
    return supplier.id, product.id if product else None


class SupplierError(ValueError):
    """A change to suppliers that cannot be made; the message says why, in plain words."""


def merge(source_slug: str, target_slug: str) -> Supplier:
    """Fold the supplier `source_slug` into `target_slug` (two records of one company): its
    entries and products move to the target, a product the target has by the same name
    becoming that one, and the source is deleted. Returns the target."""
    source = db.session.scalar(select(Supplier).where(Supplier.slug == source_slug))
    target = db.session.scalar(select(Supplier).where(Supplier.slug == target_slug))
    if source is None or target is None:
        missing = source_slug if source is None else target_slug
        raise SupplierError(f"There is no supplier {missing!r}.")
    if source is target:
        raise SupplierError("A supplier cannot be merged into itself.")
    kept = {product.name_key: product for product in target.products}
    taken = {product.slug for product in target.products}
    for product in list(source.products):
        same = kept.get(product.name_key)
        if same is None:
            product.supplier = target
            product.slug = _unique_slug(product.slug, taken)
            taken.add(product.slug)
            continue
        db.session.execute(
            update(EntryVersion)
            .where(EntryVersion.product_id == product.id)
            .values(product_id=same.id)
            .execution_options(synchronize_session=False)
        )
        db.session.delete(product)
    db.session.flush()
    db.session.execute(
        update(EntryVersion)
        .where(EntryVersion.supplier_id == source.id)
        .values(supplier_id=target.id)
        .execution_options(synchronize_session=False)
    )
    if target.registry_number is None and source.registry_number is not None:
        target.registry_scheme, target.registry_number = (
            source.registry_scheme,
            source.registry_number,
        )
        source.registry_number = None
        db.session.flush()
    db.session.delete(source)
    # The similar entries and counts kept for the register as it was are out of date.
    bump_generation()
    db.session.commit()
    return target


# What the public reads -------------------------------------------------------------------


@dataclass(frozen=True)
class SupplierCount:
    """A supplier in the list, with how many public entries and organisations use it."""

    supplier: Supplier
    entries: int
    organisations: int


def directory() -> list[SupplierCount]:
    """Every supplier public entries use, by name, with their counts (from the index of
    current versions' suppliers)."""
    rows = db.session.execute(
        select(
            EntryVersion.supplier_id,
            func.count(),
            func.count(distinct(EntryVersion.organisation_id)),
        )
        .where(published.current(), EntryVersion.supplier_id.is_not(None))
        .group_by(EntryVersion.supplier_id)
    ).all()
    numbers = {
        supplier_id: (entries, organisations) for supplier_id, entries, organisations in rows
    }
    suppliers = db.session.scalars(select(Supplier).where(Supplier.id.in_(numbers)))
    found = [SupplierCount(s, *numbers[s.id]) for s in suppliers]
    return sorted(found, key=lambda item: (item.supplier.name.casefold(), item.supplier.slug))


@dataclass(frozen=True)
class UsingEntry:
    """A public entry using the supplier: what its line on the supplier's page shows (its
    title in English and, if given, Welsh)."""

    reference: str
    title: str
    organisation: str
    organisation_slug: str
    title_cy: str = ""


@dataclass(frozen=True)
class ProductUse:
    """One product of the supplier (None: entries naming no product) and the entries using it."""

    product: Product | None
    entries: list[UsingEntry]


@dataclass(frozen=True)
class SupplierPage:
    supplier: Supplier
    registry_label: str
    registry_link: str
    products: list[ProductUse]
    entries: int
    organisations: int

    @property
    def shown(self) -> int:
        return sum(len(use.entries) for use in self.products)


def page(slug: str, language: str = DEFAULT_LANGUAGE) -> SupplierPage | None:
    """What the supplier's page shows, or None if no public entry uses a supplier of that
    slug: each organisation's entries in the order of the titles a page in `language` shows."""
    supplier = db.session.scalar(select(Supplier).where(Supplier.slug == slug))
    if supplier is None:
        return None
    using = (published.current(), EntryVersion.supplier_id == supplier.id)
    entries, organisations = db.session.execute(
        select(func.count(), func.count(distinct(EntryVersion.organisation_id))).where(*using)
    ).one()
    if not entries:
        return None
    title = EntryVersion.title
    if language == WELSH:
        title = title_in_welsh(EntryVersion.title, EntryVersion.title_cy)
    rows = db.session.execute(
        select(
            EntryVersion.product_id,
            Entry.reference,
            EntryVersion.title,
            Organisation.name,
            Organisation.slug,
            EntryVersion.title_cy,
        )
        .join(Entry, Entry.id == EntryVersion.entry_id)
        .join(Organisation, Organisation.id == EntryVersion.organisation_id)
        .where(*using)
        .order_by(Organisation.name, title, Entry.reference)
        .limit(MOST_SHOWN)
    )
    by_product: dict[int | None, list[UsingEntry]] = {}
    for product_id, reference, title, organisation, organisation_slug, title_cy in rows:
        by_product.setdefault(product_id, []).append(
            UsingEntry(
                reference, title or reference, organisation, organisation_slug, title_cy or ""
            )
        )
    products = [
        ProductUse(product, by_product[product.id])
        for product in supplier.products
        if product.id in by_product
    ]
    if None in by_product:
        products.append(ProductUse(None, by_product[None]))
    registry = registries.REGISTRIES.get(supplier.registry_scheme)
    return SupplierPage(
        supplier,
        registry.label if registry else "",
        registries.link(supplier.registry_scheme, supplier.registry_number),
        products,
        entries,
        organisations,
    )

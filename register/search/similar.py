"""Entries like one entry: those using the same product, then the same supplier, then those
with a similar purpose, found by the full-text index.

A similar purpose is an OR of the entry's most telling words (the index's own stems of its
title, summary and purpose, the common words left out), ranked by the engine: bm25 on
SQLite, which counts a rare word above a common one, and ts_rank_cd on PostgreSQL. Nothing
is read row by row: the engine ranks from its index, and only the few best are joined to
their entries. What is found is kept until the register changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import case, select

from .. import published
from ..extensions import db
from ..models import Entry, EntryVersion, Organisation, Product, Supplier
from . import fulltext
from .facets import Cache, generation
from .text import STOP_WORDS

MOST_SIMILAR = 5
# Words of the entry searched for: enough to find a like purpose, few enough to stay fast
# (the engine ranks every entry with any of them).
MOST_WORDS = 8
SHORTEST_WORD = 4
# How much a word counts where it is written (as the index weighs those fields).
WORD_WEIGHTS = {"title": 4, "summary": 3, "purpose": 1}

SAME_PRODUCT, SAME_SUPPLIER, SIMILAR_PURPOSE = "product", "supplier", "purpose"
# Pages of entries looked at recently; the register's generation is part of the key.
cached_similar = Cache(2000)


@dataclass(frozen=True)
class Similar:
    """Another public entry, and why it is like this one (`reason`, with `name` the product
    or supplier it shares, if that is why). Its title is in English and, if given, Welsh."""

    reference: str
    title: str
    organisation: str
    reason: str
    name: str = ""
    title_cy: str = ""

    @property
    def why(self) -> str:
        """Why, in the language of the page: worked out when read, as what is found is
        kept for pages in either language."""
        if self.reason == SAME_PRODUCT:
            return gettext("Uses the same product: %(name)s", name=self.name)
        if self.reason == SAME_SUPPLIER:
            return gettext("Uses the same supplier: %(name)s", name=self.name)
        return gettext("Similar purpose")


def telling_words(version: EntryVersion) -> list[str]:
    """The entry's most telling words, as the index holds them: from its title, summary
    and purpose, weighed by where they are, common and short words left out."""
    words = version.search_words or {}
    counted: Counter[str] = Counter()
    for field, weight in WORD_WEIGHTS.items():
        for word in str(words.get(field) or "").split():
            if len(word) >= SHORTEST_WORD and word not in STOP_WORDS and word.isalnum():
                counted[word] += weight
    ranked = sorted(counted.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))
    return [word for word, _ in ranked[:MOST_WORDS]]


def similar_entries(version: EntryVersion) -> list[Similar]:
    """Up to `MOST_SIMILAR` other public entries like `version`'s: the same product first,
    then the same supplier, then a similar purpose. Kept until the register's generation
    moves on (any change the public can see), so most pages ask only for the generation."""
    key = (db.engine.url.render_as_string(), generation(), version.id)
    found = cached_similar.get(key)
    if found is None:
        found = tuple(_similar(version))
        cached_similar.put(key, found)
    return list(found)


def _similar(version: EntryVersion) -> list[Similar]:
    """One statement for the entries sharing its supplier (if it has one) and one for those
    of a similar purpose."""
    found: list[Similar] = []
    if version.supplier_id is not None:
        found += _same_supplier(version)
    words = telling_words(version)
    if words and len(found) < MOST_SIMILAR:
        taken = {similar.reference for similar in found}
        # Itself, and those found already, may be among the best matches.
        ranked = fulltext.best_matching_any(words, MOST_SIMILAR + 1 + len(found)).subquery()
        rows = db.session.execute(
            select(Entry.reference, EntryVersion.title, Organisation.name, EntryVersion.title_cy)
            .select_from(ranked)
            .join(EntryVersion, EntryVersion.id == ranked.c.id)
            .join(Entry, Entry.id == EntryVersion.entry_id)
            .join(Organisation, Organisation.id == EntryVersion.organisation_id)
            .where(published.current(), EntryVersion.entry_id != version.entry_id)
            .order_by(ranked.c.position)
        )
        for reference, title, organisation, title_cy in rows:
            if len(found) < MOST_SIMILAR and reference not in taken:
                found.append(
                    Similar(
                        reference,
                        title or reference,
                        organisation,
                        SIMILAR_PURPOSE,
                        title_cy=title_cy or "",
                    )
                )
    return found


def _same_supplier(version: EntryVersion) -> list[Similar]:
    """Other public entries linked to the version's supplier: its product's first."""
    same_product = (EntryVersion.product_id == version.product_id) & (
        EntryVersion.product_id.is_not(None)
    )
    rows = db.session.execute(
        select(
            Entry.reference,
            EntryVersion.title,
            Organisation.name,
            EntryVersion.product_id,
            Product.name,
            Supplier.name,
            EntryVersion.title_cy,
        )
        .join(Entry, Entry.id == EntryVersion.entry_id)
        .join(Organisation, Organisation.id == EntryVersion.organisation_id)
        .join(Supplier, Supplier.id == EntryVersion.supplier_id)
        .outerjoin(Product, Product.id == EntryVersion.product_id)
        .where(
            published.current(),
            EntryVersion.supplier_id == version.supplier_id,
            EntryVersion.entry_id != version.entry_id,
        )
        .order_by(
            case((same_product, 0), else_=1),
            EntryVersion.published_at.desc(),
            EntryVersion.id.desc(),
        )
        .limit(MOST_SIMILAR)
    )
    found = []
    for reference, title, organisation, product_id, product, supplier, title_cy in rows:
        if version.product_id is not None and product_id == version.product_id:
            reason, name = SAME_PRODUCT, product or ""
        else:
            reason, name = SAME_SUPPLIER, supplier
        found.append(
            Similar(reference, title or reference, organisation, reason, name, title_cy or "")
        )
    return found

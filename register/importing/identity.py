"""Which entry a row is: its identity in its source, and a fingerprint of its answers."""

from __future__ import annotations

import hashlib
import json

from .mapping import ImportedEntry
from .values import squeeze

IDENTITY_LENGTH = 200  # Entry.source_id


def identity(imported: ImportedEntry) -> str:
    """The entry's identity in its source: the file's own identifier, or else its whole
    title with whatever else tells the file's rows apart (the bureau, for a department
    reports one row per bureau under one title)."""
    if imported.source_id:
        return imported.source_id
    base = title_identity(imported)
    if not base:
        return ""
    key = "|".join([base, *map(squeeze, filter(None, imported.distinguishing))])
    if len(key) > IDENTITY_LENGTH:
        # Long keys are shortened by a digest of the whole, so no two differ only past the cut.
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        key = f"{key[: IDENTITY_LENGTH - 33]}#{digest}"
    return key


def title_identity(imported: ImportedEntry) -> str:
    """The title as identity: all entries without an identifier had before the bureau
    joined it."""
    title = imported.whole.get("title") or imported.values.get("title") or ""
    return f"title:{squeeze(title)}" if title else ""


def shown(imported: ImportedEntry) -> str:
    """The identity as people read it: “DOT-0002”, or the title and bureau."""
    if imported.source_id:
        return imported.source_id
    title = imported.whole.get("title") or imported.values.get("title") or ""
    return ", ".join(filter(None, [title, *imported.distinguishing]))


def fingerprint(imported: ImportedEntry) -> str:
    data = json.dumps([imported.values, imported.rows], sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()

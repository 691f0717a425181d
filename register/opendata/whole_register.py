"""The whole register as one data package: its descriptor as configured, its zip, and the
zip kept on disk between changes (see `built_files`).

Shared by `/download/register.zip`, `/download/datapackage.json` and the monthly snapshots
(`flask register snapshot`), so that each describes the register the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from flask import current_app

from .. import schema
from ..addresses import absolute_url
from ..extensions import db
from . import package, record_schema
from .built_files import BuiltFile, build_key
from .citation import Citation
from .freshness import Freshness, register_freshness


def package_descriptor(*, standalone: bool) -> tuple[dict[str, Any], Freshness]:
    """The package's descriptor and the register's freshness. A `standalone` descriptor
    (served on its own) points at each table's download rather than at the zip's files."""
    config = current_app.config
    freshness = register_freshness(
        "package", config["REGISTER_LICENCE_NAME"], config["REGISTER_LICENCE_URL"]
    )

    def table_url(table: package.Table) -> str:
        return absolute_url("downloads.table_csv", table=table.name)

    descriptor = package.descriptor(
        title=config["REGISTER_NAME"],
        licence_name=config["REGISTER_LICENCE_NAME"],
        licence_url=config["REGISTER_LICENCE_URL"],
        homepage=absolute_url("open_data.open_data"),
        last_changed=freshness.last_changed,
        table_url=table_url if standalone else None,
        record_schema=_record_schema_address() if standalone else None,
    )
    return descriptor, freshness


def _record_schema_address() -> str:
    """The address of the record schema of the version the register follows."""
    return absolute_url("api.record_schema", version=schema.SCHEMA_VERSION)


def record_schema_document() -> dict[str, Any]:
    """The record's JSON Schema as this register publishes it, its `$id` the address of the
    schema version it describes."""
    return record_schema.record_schema(
        _record_schema_address(), current_app.config["REGISTER_NAME"]
    )


def zip_chunks(descriptor: dict[str, Any], freshness: Freshness) -> Iterator[bytes]:
    """The package's zip as it is written, read on a connection of its own."""
    with db.engine.connect() as connection:
        yield from package.zip_chunks(
            connection, descriptor, freshness.last_changed, record_schema_document()
        )


def write_zip(stream: BinaryIO) -> None:
    """Write the package's zip, as the register is now, to `stream`."""
    descriptor, freshness = package_descriptor(standalone=False)
    for chunk in zip_chunks(descriptor, freshness):
        stream.write(chunk)


def built_zip() -> BuiltFile:
    """Where the package's zip is kept between changes."""
    return BuiltFile(Path(current_app.config["BUILT_FILES_DIR"]), "register", ".zip")


def zip_key(descriptor: dict[str, Any], freshness: Freshness) -> str:
    """What the zip is built from: the register's state (its ETag and last change) and the
    descriptor (the package's version, licence and address)."""
    return build_key(
        freshness.etag,
        freshness.last_changed.isoformat(),
        json.dumps(descriptor, sort_keys=True),
    )


def snapshots_folder() -> Path:
    return Path(current_app.config["SNAPSHOTS_DIR"])


def register_citation(freshness: Freshness) -> Citation:
    """How to cite the register as it is now: released when it last changed."""
    config = current_app.config
    return Citation(
        title=config["REGISTER_NAME"],
        publisher=config["REGISTER_PUBLISHER"],
        version=package.package_version(),
        url=absolute_url("open_data.open_data"),
        released=freshness.last_changed.date(),
        licence_name=config["REGISTER_LICENCE_NAME"],
        licence_url=config["REGISTER_LICENCE_URL"],
    )

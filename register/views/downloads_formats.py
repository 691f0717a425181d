"""More downloads on the downloads blueprint: each table as Parquet, and the catalogue.

`/download/<table>.parquet` is the table's CSV with typed columns (see `opendata.parquet`).
`/download/catalogue.jsonld` describes the register and every download in DCAT-AP 3.0 for
data portals (see `opendata.catalogue`). Both are validated by the register's freshness,
as the other downloads are, so a client with the current copy gets 304 before any row is
read.
"""

from __future__ import annotations

import json

from flask import current_app
from werkzeug.wrappers import Response

from ..addresses import absolute_path, absolute_url
from ..opendata import package, parquet
from ..opendata.catalogue import (
    ATOM_SPEC,
    FORMATS,
    Distribution,
    Publisher,
    Service,
    catalogue,
)
from ..opendata.freshness import register_freshness
from .download_responses import download
from .downloads import blueprint, table_download
from .open_data import downloads


@blueprint.get("/download/<table>.parquet")
def table_parquet(table: str) -> Response:
    """One table of the data package as a Parquet file, typed from the package's columns."""
    # Parquet compresses each column itself; gzip would only cost time.
    return table_download(
        table, "parquet", parquet.parquet_chunks, mimetype=parquet.MEDIA_TYPE, compressible=False
    )


def _distributions() -> list[Distribution]:
    """Every download on the open-data page, and the feed of the whole register."""
    listed = [
        Distribution(
            title=f"{item['title']} ({item['format']})",
            description=item["description"],
            url=absolute_path(item["url"]),
            format=item["file_format"],
            conforms_to=item["conforms_to"],
        )
        for item in downloads()
    ]
    listed.append(
        Distribution(
            title="New and updated entries (Atom feed)",
            description="The newest published and updated entries, and withdrawn ones.",
            url=absolute_url("feeds.entries_feed"),
            format="atom",
            conforms_to=(ATOM_SPEC,),
        )
    )
    return listed


@blueprint.get("/download/catalogue.jsonld")
def catalogue_jsonld() -> Response:
    """The register and every download as a DCAT-AP 3.0 catalogue in JSON-LD."""
    config = current_app.config
    settings = ("REGISTER_NAME", "REGISTER_PUBLISHER", "REGISTER_CONTACT_EMAIL")
    freshness = register_freshness(
        "catalogue", config["REGISTER_LICENCE_URL"], *(config[name] for name in settings)
    )
    described = catalogue(
        url=absolute_url("downloads.catalogue_jsonld"),
        title=config["REGISTER_NAME"],
        description=package.DESCRIPTION,
        homepage=absolute_url("open_data.open_data"),
        documentation=absolute_url("open_data.open_data", _anchor="data-dictionary"),
        publisher=Publisher(config["REGISTER_PUBLISHER"], config["REGISTER_CONTACT_EMAIL"]),
        licence_url=config["REGISTER_LICENCE_URL"],
        modified=freshness.last_changed,
        distributions=_distributions(),
        service=Service(
            title=f"{config['REGISTER_NAME']} API",
            description="Search entries, read any published version, and list "
            "organisations, vocabularies and counts, in JSON.",
            url=absolute_url("api.index"),
            description_url=absolute_url("api.openapi"),
        ),
    )
    body = json.dumps(described, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
    return download(
        lambda: iter([body]),
        mimetype=FORMATS["jsonld"].media_type,
        filename="catalogue.jsonld",
        freshness=freshness,
        attachment=False,
    )

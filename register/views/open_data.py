"""The open-data page (what is published, the downloads, the data dictionary) and the API
page, for people; the machine-readable twins are the downloads and /api/v1/openapi.json."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, render_template
from markupsafe import Markup, escape

from ..addresses import absolute_path, absolute_url
from ..languages import url_for  # one address per download, whatever the page's language
from ..opendata import dictionary, snapshots, whole_register
from ..opendata.catalogue import DATA_PACKAGE_SPEC, FORMATS
from ..opendata.citation import citation_text
from ..opendata.freshness import register_freshness
from ..opendata.package import KEYWORDS, tables
from ..opendata.statistics import register_statistics
from ..schema import CROSSWALK_SOURCES, SCHEMA_VERSION
from ..standards import SHAPES

blueprint = Blueprint("open_data", __name__)


def downloads() -> list[dict[str, Any]]:
    """Every download, with what it holds, its format (a key of `catalogue.FORMATS`) and
    the schemas it follows (for the catalogue)."""
    package_schema = (absolute_url("downloads.datapackage"),)
    record_schema = (absolute_url("api.openapi"),)
    listed: list[dict[str, Any]] = [
        {
            "title": "Whole register (data package)",
            "format": "ZIP of CSV files",
            "file_format": "zip",
            "url": url_for("downloads.register_zip"),
            "description": "Every table below and a datapackage.json that describes them.",
            "conforms_to": (DATA_PACKAGE_SPEC,),
        },
        {
            "title": "All entries",
            "format": "CSV",
            "file_format": "csv",
            "url": url_for("downloads.entries_csv"),
            "description": "One row per entry. Add the listing's search and filters to the "
            "address to download just those.",
            "conforms_to": package_schema,
        },
        {
            "title": "All entries",
            "format": "JSON",
            "file_format": "json",
            "url": url_for("downloads.entries_json"),
            "description": "Every entry as a whole record, repeating rows included.",
            "conforms_to": record_schema,
        },
        {
            "title": "All entries",
            "format": "NDJSON",
            "file_format": "ndjson",
            "url": url_for("downloads.entries_ndjson"),
            "description": "The records of the JSON download, one line each, so a program "
            "can read one entry at a time. Takes the listing's search and filters too.",
            "conforms_to": record_schema,
        },
    ]
    for table in tables():
        if table.name != "entries":
            listed.append(
                {
                    "title": table.title,
                    "format": "CSV",
                    "file_format": "csv",
                    "url": url_for("downloads.table_csv", table=table.name),
                    "description": table.description,
                    "conforms_to": package_schema,
                }
            )
        listed.append(
            {
                "title": table.title,
                "format": "Parquet",
                "file_format": "parquet",
                "url": url_for("downloads.table_parquet", table=table.name),
                "description": f"{table.description} The CSV's rows, with typed columns.",
                "conforms_to": package_schema,
            }
        )
    listed.append(
        {
            "title": "Data package descriptor",
            "format": "JSON",
            "file_format": "json",
            "url": url_for("downloads.datapackage"),
            "description": "The tables' columns, types, codes and keys (Frictionless Data).",
            "conforms_to": (DATA_PACKAGE_SPEC,),
        }
    )
    return listed


def dataset_json_ld(statistics: dict[str, Any], modified: str) -> dict[str, Any]:
    """The register described as a schema.org Dataset, for search engines."""
    config = current_app.config
    dataset: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": config["REGISTER_NAME"],
        "description": (
            f"The {statistics['entries']:,} AI and algorithmic tools that "
            f"{statistics['organisations']:,} public bodies use, as published on the register: "
            "what each tool does, its data, risks, oversight and how to challenge its outcomes."
        ),
        "url": absolute_url("open_data.open_data"),
        "license": config["REGISTER_LICENCE_URL"] or config["REGISTER_LICENCE_NAME"],
        "isAccessibleForFree": True,
        "dateModified": modified,
        "version": str(SCHEMA_VERSION),
        "keywords": list(KEYWORDS),
        "creator": {"@type": "Organization", "name": config["REGISTER_NAME"]},
        "distribution": [
            {
                "@type": "DataDownload",
                "name": item["title"],
                "encodingFormat": FORMATS[item["file_format"]].media_type,
                "contentUrl": absolute_path(item["url"]),
            }
            for item in downloads()
        ],
    }
    return dataset


def _code_spans(text: str) -> Markup:
    """Markdown's `code` as HTML, everything else escaped."""
    pieces = text.split("`")
    return Markup("").join(
        Markup("<code>{}</code>").format(piece) if odd else escape(piece)
        for odd, piece in ((number % 2 == 1, piece) for number, piece in enumerate(pieces))
    )


@blueprint.get("/open-data")
def open_data() -> str:
    freshness = register_freshness()
    statistics = register_statistics()
    modified = freshness.last_changed.date().isoformat()
    return render_template(
        "open_data/open_data.html",
        statistics=statistics,
        last_changed=freshness.last_changed,
        downloads=downloads(),
        sections=dictionary.sections(),
        vocabularies=dictionary.vocabularies(),
        conventions=[_code_spans(point) for point in dictionary.conventions()],
        crosswalk_sources=CROSSWALK_SOURCES,
        schema_version=SCHEMA_VERSION,
        json_ld=dataset_json_ld(statistics, modified),
        snapshots=snapshots.snapshots(whole_register.snapshots_folder()),
        shapes=SHAPES,
        citation=citation_text(
            whole_register.register_citation(freshness), accessed=datetime.now(UTC).date()
        ),
    )


@blueprint.get("/api")
def api_page() -> str:
    return render_template("open_data/api.html")

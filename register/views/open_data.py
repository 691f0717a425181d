"""The open-data page (what is published, the downloads, the data dictionary) and the API
page, for people; the machine-readable twins are the downloads and /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, url_for
from markupsafe import Markup, escape

from ..addresses import absolute_path, absolute_url
from ..opendata import dictionary
from ..opendata.freshness import register_freshness
from ..opendata.package import tables
from ..opendata.statistics import register_statistics
from ..schema import CROSSWALK_SOURCES, SCHEMA_VERSION

blueprint = Blueprint("open_data", __name__)


def downloads() -> list[dict[str, str]]:
    """Every download, with what it holds."""
    listed = [
        {
            "title": "Whole register (data package)",
            "format": "ZIP of CSV files",
            "url": url_for("downloads.register_zip"),
            "description": "Every table below and a datapackage.json that describes them.",
        },
        {
            "title": "All entries",
            "format": "CSV",
            "url": url_for("downloads.entries_csv"),
            "description": "One row per entry. Add the listing's search and filters to the "
            "address to download just those.",
        },
        {
            "title": "All entries",
            "format": "JSON",
            "url": url_for("downloads.entries_json"),
            "description": "Every entry as a whole record, repeating rows included.",
        },
    ]
    for table in tables():
        if table.name == "entries":
            continue
        listed.append(
            {
                "title": table.title,
                "format": "CSV",
                "url": url_for("downloads.table_csv", table=table.name),
                "description": table.description,
            }
        )
    listed.append(
        {
            "title": "Data package descriptor",
            "format": "JSON",
            "url": url_for("downloads.datapackage"),
            "description": "The tables' columns, types, codes and keys (Frictionless Data).",
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
        "keywords": ["artificial intelligence", "algorithmic transparency", "public sector"],
        "creator": {"@type": "Organization", "name": config["REGISTER_NAME"]},
        "distribution": [
            {
                "@type": "DataDownload",
                "name": item["title"],
                "encodingFormat": "application/zip"
                if item["url"].endswith(".zip")
                else "text/csv"
                if item["format"] == "CSV"
                else "application/json",
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
    )


@blueprint.get("/api")
def api_page() -> str:
    return render_template("open_data/api.html")

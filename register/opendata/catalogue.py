"""The register described as a DCAT-AP 3.0 catalogue, in JSON-LD, for data portals.

One `dcat:Catalog` holds one `dcat:Dataset` (the register) with a `dcat:Distribution` for
every download, and the read API as a `dcat:DataService` described by its OpenAPI document.
Terms are those of the DCAT-AP 3.0 JSON-LD context (`Catalogue`, `datasetDistribution`,
`accessUrl`, `licence` ...), so a portal that harvests DCAT-AP reads it without mapping.
Formats name the EU file-type vocabulary and media types IANA's register; a format IANA
has not registered (NDJSON) is left without a media type rather than given an invented one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .package import KEYWORDS, package_version

DCAT_AP_CONTEXT = "https://semiceu.github.io/DCAT-AP/releases/3.0.0/context/dcat-ap.jsonld"
# The contact point's properties, which the DCAT-AP context leaves to vCard.
VCARD = "http://www.w3.org/2006/vcard/ns#"
DATE_TIME = "http://www.w3.org/2001/XMLSchema#dateTime"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA_MEDIA_TYPE = "http://www.iana.org/assignments/media-types/"
# What some downloads follow, for `dcterms:conformsTo`.
DATA_PACKAGE_SPEC = "https://specs.frictionlessdata.io/data-package/"
ATOM_SPEC = "https://www.rfc-editor.org/rfc/rfc4287"


@dataclass(frozen=True)
class FileFormat:
    """A format the register serves: its name for people, the media type it is sent as,
    whether IANA registered that type, and its code in the EU file-type vocabulary."""

    name: str
    media_type: str
    registered: bool
    eu_file_type: str | None


FORMATS: dict[str, FileFormat] = {
    "csv": FileFormat("CSV", "text/csv", True, "CSV"),
    "json": FileFormat("JSON", "application/json", True, "JSON"),
    "ndjson": FileFormat("NDJSON", "application/x-ndjson", False, None),
    "parquet": FileFormat("Parquet", "application/vnd.apache.parquet", True, "PARQUET"),
    "zip": FileFormat("ZIP", "application/zip", True, "ZIP"),
    "atom": FileFormat("Atom", "application/atom+xml", True, "ATOM"),
    "jsonld": FileFormat("JSON-LD", "application/ld+json", True, "JSON_LD"),
}


@dataclass(frozen=True)
class Distribution:
    """One download of the register, at an absolute `url`, in one of `FORMATS`."""

    title: str
    description: str
    url: str
    format: str
    conforms_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class Publisher:
    """Who publishes the register, and where to write to them."""

    name: str
    email: str


@dataclass(frozen=True)
class Service:
    """The read API: its root address and its OpenAPI document."""

    title: str
    description: str
    url: str
    description_url: str


def _moment(moment: datetime) -> dict[str, str]:
    return {"@value": moment.strftime("%Y-%m-%dT%H:%M:%SZ"), "@type": DATE_TIME}


def _fragment(url: str) -> str:
    """A node name for a download, from its address: /download/risks.parquet gives
    download-risks-parquet."""
    path = re.sub(r"^[a-z]+://[^/]+", "", url)
    return re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-").lower()


def _distribution(
    item: Distribution, identifier: str, licence_url: str, modified: datetime
) -> dict[str, Any]:
    file_format = FORMATS[item.format]
    node: dict[str, Any] = {
        "@id": identifier,
        "@type": "Distribution",
        "title": item.title,
        "description": item.description,
        "accessUrl": item.url,
        "downloadUrl": item.url,
        "modificationDate": _moment(modified),
    }
    if file_format.eu_file_type:
        node["format"] = EU_FILE_TYPE + file_format.eu_file_type
    if file_format.registered:
        node["mediaType"] = IANA_MEDIA_TYPE + file_format.media_type
    if licence_url:
        node["licence"] = licence_url
    if item.conforms_to:
        node["linkedSchemas"] = list(item.conforms_to)
    return node


def catalogue(
    *,
    url: str,
    title: str,
    description: str,
    homepage: str,
    documentation: str,
    publisher: Publisher,
    licence_url: str,
    modified: datetime,
    distributions: list[Distribution],
    service: Service,
) -> dict[str, Any]:
    """The catalogue at `url`: the register as one dataset with every distribution, and the
    API that serves it."""
    dataset_id = f"{url}#dataset"
    service_id = f"{url}#api"
    agent = {"@id": f"{url}#publisher", "@type": "Agent", "name": publisher.name}
    api_access = {
        "@id": f"{url}#api-access",
        "@type": "Distribution",
        "title": service.title,
        "description": service.description,
        "accessUrl": service.url,
        "accessService": service_id,
        "format": EU_FILE_TYPE + "JSON",
        "mediaType": IANA_MEDIA_TYPE + "application/json",
        "linkedSchemas": [service.description_url],
        "modificationDate": _moment(modified),
    }
    if licence_url:
        api_access["licence"] = licence_url
    dataset = {
        "@id": dataset_id,
        "@type": "Dataset",
        "title": title,
        "description": description,
        "publisher": agent["@id"],
        "contactPoint": {
            "@id": f"{url}#contact",
            "@type": "Kind",
            "vcard:fn": publisher.name,
            "vcard:hasEmail": {"@id": f"mailto:{publisher.email}"},
        },
        "keyword": list(KEYWORDS),
        "landingPage": homepage,
        "documentation": documentation,
        "version": package_version(),
        "modificationDate": _moment(modified),
        "datasetDistribution": [
            *(
                _distribution(item, f"{url}#{_fragment(item.url)}", licence_url, modified)
                for item in distributions
            ),
            api_access,
        ],
    }
    api = {
        "@id": service_id,
        "@type": "DataService",
        "title": service.title,
        "description": service.description,
        "endpointUrl": service.url,
        "endpointDescription": service.description_url,
        "servesDataset": dataset_id,
    }
    if licence_url:
        api["licence"] = licence_url
    described: dict[str, Any] = {
        "@context": [DCAT_AP_CONTEXT, {"vcard": VCARD}],
        "@id": url,
        "@type": "Catalogue",
        "title": title,
        "description": description,
        "publisher": agent,
        "homepage": homepage,
        "modificationDate": _moment(modified),
        "dataset": dataset,
        "service": api,
    }
    if licence_url:
        described["licence"] = licence_url
    return described

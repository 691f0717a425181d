"""How to cite the register's open data: a sentence for people and CITATION.cff for tools.

CITATION.cff follows the Citation File Format 1.2.0. It is written here rather than by a
YAML library: every value is a JSON string, which YAML reads as the same string, so no
answer can change the file's shape.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from ..formatting import format_date
from .package import spdx_licence

CFF_MESSAGE = "If you use this data, please cite it as below."


@dataclass(frozen=True)
class Citation:
    """What a citation of the register names."""

    title: str
    publisher: str
    version: str
    url: str
    released: date
    licence_name: str
    licence_url: str


def citation_text(citation: Citation, *, accessed: date | None = None) -> str:
    """A reference in the usual form for a data set: publisher, year, title, version, link,
    and the day it was accessed (for the live register, which changes)."""
    text = (
        f"{citation.publisher} ({citation.released.year}). {citation.title} "
        f"(version {citation.version}) [Data set]. {citation.url}"
    )
    if accessed:
        text += f" (accessed {format_date(accessed)})"
    return text + "."


def citation_cff(citation: Citation) -> str:
    """CITATION.cff (Citation File Format 1.2.0) for the register as a data set."""
    lines = [
        "cff-version: 1.2.0",
        f"message: {json.dumps(CFF_MESSAGE)}",
        f"title: {json.dumps(citation.title)}",
        "type: dataset",
        "authors:",
        f"  - name: {json.dumps(citation.publisher)}",
        f"version: {json.dumps(citation.version)}",
        f"date-released: {citation.released.isoformat()}",
        f"url: {json.dumps(citation.url)}",
    ]
    licence = spdx_licence(citation.licence_name)
    if licence:
        lines.append(f"license: {json.dumps(licence)}")
    if citation.licence_url:
        lines.append(f"license-url: {json.dumps(citation.licence_url)}")
    return "\n".join(lines) + "\n"

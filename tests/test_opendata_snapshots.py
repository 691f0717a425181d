"""Monthly snapshots a paper can cite, and how to cite the register."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import yaml

from register.opendata import package

from .manage_world import WORLD
from .opendata_world import csv_rows, fetch

world = WORLD


def _snapshot(world) -> str:
    result = world.app.test_cli_runner().invoke(args=["register", "snapshot"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_snapshot_command_writes_this_months_snapshot_once_and_never_changes_it(world):
    world.entry("published")
    name = f"register-{datetime.now(UTC).date().isoformat()}.zip"
    folder = Path(world.app.config["SNAPSHOTS_DIR"])

    assert f"Wrote {name}" in _snapshot(world)
    written = (folder / name).read_bytes()
    world.entry("published")  # the register changes; the snapshot must not
    assert "already written" in _snapshot(world)

    assert (folder / name).read_bytes() == written
    checksum = hashlib.sha256(written).hexdigest()
    assert (folder / f"{name}.sha256").read_text() == f"{checksum}  {name}\n"
    assert (folder / "SHA256SUMS").read_text() == f"{checksum}  {name}\n"
    archive = zipfile.ZipFile(io.BytesIO(written))
    assert len(csv_rows(archive.read("entries.csv"))) == 1


def test_snapshots_are_listed_and_served_with_ranges_and_checksums(world):
    world.entry("published")
    _snapshot(world)
    name = f"register-{datetime.now(UTC).date().isoformat()}.zip"
    visitor = world.client(None)
    written = (Path(world.app.config["SNAPSHOTS_DIR"]) / name).read_bytes()
    checksum = hashlib.sha256(written).hexdigest()

    page = visitor.get("/open-data")
    [row] = page.select("#snapshot-list tbody tr")
    assert row.select_one("a")["href"] == f"/download/snapshots/{name}"
    assert checksum in row.get_text()
    whole = fetch(visitor.client, f"/download/snapshots/{name}")
    part = fetch(visitor.client, f"/download/snapshots/{name}", headers={"Range": "bytes=0-3"})
    sums = fetch(visitor.client, "/download/snapshots/SHA256SUMS")

    assert whole.data == written
    assert whole.headers["ETag"] == f'"{checksum}"'
    assert "immutable" in whole.headers["Cache-Control"]
    assert part.status_code == 206 and part.data == written[:4] == b"PK\x03\x04"
    assert sums.data.decode() == f"{checksum}  {name}\n"


def test_an_unknown_snapshot_is_not_found(world):
    world.entry("published")
    _snapshot(world)
    client = world.client(None).client
    for name in ("register-2001-01-01.zip", "register-2026-13-40.zip", "register.db"):
        response = fetch(client, f"/download/snapshots/{name}")
        assert response.status_code == 404, name
        assert response.json["error"]["message"] == f"There is no snapshot {name}."
    assert fetch(client, "/download/snapshots/..%2Fregister.db").status_code == 404


def test_the_register_can_be_cited_from_its_page_and_citation_cff(world):
    world.entry("published")
    world.app.config["REGISTER_PUBLISHER"] = "Department of Examples"
    try:
        visitor = world.client(None)
        citation = visitor.get("/open-data").select_one("#citation").get_text(" ", strip=True)
        cff = yaml.safe_load(fetch(visitor.client, "/download/CITATION.cff").data)
    finally:
        world.app.config["REGISTER_PUBLISHER"] = world.app.config["REGISTER_NAME"]

    year = str(datetime.now(UTC).year)
    version = package.package_version()
    assert citation.startswith(f"Department of Examples ({year}). Public Sector AI Register")
    assert f"(version {version}) [Data set]. http://localhost/open-data" in citation
    assert "accessed" in citation
    assert {"cff-version", "message", "title", "authors"} <= cff.keys()
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] == "dataset"
    assert cff["authors"] == [{"name": "Department of Examples"}]
    assert cff["version"] == version
    assert cff["date-released"] == datetime.now(UTC).date()
    assert cff["url"] == "http://localhost/open-data"
    assert cff["license"] == "OGL-UK-3.0"

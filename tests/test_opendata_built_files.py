"""The whole-register zip is written once per change to the register, then sent from disk."""

from __future__ import annotations

import fcntl
import io
import os
import zipfile
from pathlib import Path

import pytest

from register.opendata import package

from .manage_world import WORLD
from .opendata_world import csv_rows, fetch

world = WORLD
ZIP = "/download/register.zip"


def _kept(world) -> list[str]:
    """Every file in the folder of built files, hidden ones included."""
    folder = Path(world.app.config["BUILT_FILES_DIR"])
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def _titles(data: bytes) -> list[str]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return [row["title"] for row in csv_rows(archive.read("entries.csv"))]


def test_the_zip_is_kept_and_later_requests_get_the_same_bytes_and_ranges(world):
    world.entry("published")
    client = world.client(None).client

    first = fetch(client, ZIP)
    second = fetch(client, ZIP)
    part = fetch(client, ZIP, headers={"Range": "bytes=10-109"})

    assert first.status_code == second.status_code == 200
    assert second.data == first.data
    assert second.headers["Accept-Ranges"] == "bytes"
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Content-Disposition"].startswith("attachment; filename=register-")
    assert part.status_code == 206
    assert part.data == first.data[10:110]
    assert part.headers["Content-Range"] == f"bytes 10-109/{len(first.data)}"
    assert [name for name in _kept(world) if name.endswith(".zip")] != []
    again = fetch(client, ZIP, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_publishing_an_entry_rebuilds_the_zip_and_removes_the_old_one(world):
    world.entry("published")
    client = world.client(None).client
    before = fetch(client, ZIP)
    kept_before = [name for name in _kept(world) if name.endswith(".zip")]

    world.entry("published")  # a second entry
    after = fetch(client, ZIP)
    again = fetch(client, ZIP)

    assert len(_titles(before.data)) == 1
    assert len(_titles(after.data)) == 2
    assert again.data == after.data
    kept_after = [name for name in _kept(world) if name.endswith(".zip")]
    assert len(kept_after) == 1 and kept_after != kept_before


def test_a_failed_build_leaves_nothing_to_serve(world, monkeypatch):
    world.entry("published")
    client = world.client(None).client
    real = package.table_chunks

    def failing(connection, table):
        if table.name == "versions":
            raise RuntimeError("the database went away")
        return real(connection, table)

    monkeypatch.setattr(package, "table_chunks", failing)
    with pytest.raises(RuntimeError):
        fetch(client, ZIP)
    assert [name for name in _kept(world) if not name.endswith(".lock")] == []

    monkeypatch.setattr(package, "table_chunks", real)
    response = fetch(client, ZIP)
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.testzip() is None
    assert "versions.csv" in archive.namelist()


def test_while_another_worker_builds_the_zip_a_request_gets_a_copy_of_its_own(world):
    world.entry("published")
    client = world.client(None).client
    folder = Path(world.app.config["BUILT_FILES_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder / ".register.zip.lock", os.O_CREAT | os.O_RDWR)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # as the building worker holds it
        response = fetch(client, ZIP)
        assert [name for name in _kept(world) if not name.endswith(".lock")] == []
    finally:
        os.close(handle)

    assert len(_titles(response.data)) == 1
    assert fetch(client, ZIP).data == response.data
    assert [name for name in _kept(world) if name.endswith(".zip")] != []

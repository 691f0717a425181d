"""Hostile files for import: each attack found by the outside test, carried out for real.

A publisher may upload any bytes as a file to import. Reading one is bounded by the
register's limits (nesting, columns, cell length, rows, time), checked while the file
streams in; a file over a limit is refused with a one-line reason and nothing is
imported. A file is read once, when it arrives: its report is kept, and viewing the report
never reads the file again. Any JSON body the register reads (the submission API's too)
nested too deep is a 400, never a 500.
"""

from __future__ import annotations

import codecs
import io
import json
import time
import tracemalloc
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import select

from register import api_tokens
from register.config import config_for
from register.extensions import db, limiter
from register.importing import FORMATS, ImportOptions, ReadLimits, review
from register.importing.formats import Format
from register.models import PendingImport

from ..conftest import ClientRequest
from ..import_files import hostile_files as largest_hostile_files
from ..manage_world import WORLD
from .guarded_world import changed_tables, fingerprint

world = WORLD

UPLOAD = "/manage/import"
# Everything hostile is answered well within a worker's timeout, however large the file:
# the attacks pinned a worker for minutes. The target, two seconds on a quiet machine, is
# measured by bench/hostile_imports.py (timings belong to the benchmark, not the suite,
# where other tests share the cores).
SECONDS = 10.0
MEGABYTES = 200

NESTED_ARRAYS = b"[" * 200_000 + b"]" * 200_000  # 400 KB: grew a worker to 23 GB
WIDE_CSV = (",".join(f"c{n}" for n in range(200_000)) + "\r\n" + "x\r\n").encode()  # 1.9 MB
DEEP_OBJECT = b'{"a":' * 100_000 + b"1" + b"}" * 100_000  # a RecursionError, then a 500


def _upload(
    browser: ClientRequest,
    content: bytes,
    filename: str,
    *,
    organisation: int,
    file_format: str = "native",
):
    token = browser.csrf_token(UPLOAD)
    data = {
        "csrf_token": token,
        "file": (io.BytesIO(content), filename),
        "format": file_format,
        "organisation": str(organisation),
    }
    return browser.client.post(UPLOAD, data=data, content_type="multipart/form-data")


def _northshire(world) -> int:
    with world.app.app_context():
        return world.organisation().id


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def _headline(browser: ClientRequest, report_url: str) -> str:
    return browser.get(report_url).select_one("#headline").get_text(" ", strip=True)


def _everything_but_uploads(app) -> dict[str, list[tuple]]:
    """Every table but the uploads waiting for a decision, which a refused file leaves with
    only its refusal."""
    found = fingerprint(app)
    found.pop("pending_import")
    return found


# The attacks found ---------------------------------------------------------------------


ATTACKS = [
    ("200,000 nested arrays", NESTED_ARRAYS, "entries.json", "nests arrays or objects more"),
    ("200,000 columns", WIDE_CSV, "entries.csv", "too wide to read"),
    ("an object nested 100,000 deep", DEEP_OBJECT, "entries.json", "nests arrays or objects"),
]


@pytest.mark.parametrize(
    ("name", "content", "filename", "reason"), ATTACKS, ids=[a[0] for a in ATTACKS]
)
def test_a_hostile_file_is_refused_at_once_and_its_report_never_reads_it_again(
    world, app, name, content, filename, reason
):
    publisher = world.client("publisher")
    publisher.get(UPLOAD)
    before = _everything_but_uploads(app)
    organisation = _northshire(world)
    response, took = _timed(
        lambda: _upload(publisher, content, filename, organisation=organisation)
    )
    assert response.status_code == 302, name
    assert took < SECONDS, f"{name}: the upload took {took:.1f}s"
    report_url = response.headers["Location"]
    for _ in range(4):  # four views at once took the site down
        page, took = _timed(lambda: publisher.get(report_url))
        assert took < SECONDS, f"{name}: the report took {took:.1f}s"
    headline = page.select_one("#headline").get_text(" ", strip=True)
    assert reason in headline
    assert "\n" not in headline
    assert page.select_one("button[name=import_all]") is None
    assert page.select_one("button[name=import_valid]") is None
    assert changed_tables(before, _everything_but_uploads(app)) == []
    with app.app_context():
        # Only why it was refused is kept, not the hostile file.
        assert db.session.scalar(select(PendingImport.content)) == b""


def test_viewing_a_report_never_reads_the_file_again(world, app, monkeypatch):
    publisher = world.client("publisher")
    record = {"title": "Pothole report triage", "organisation": "Northshire County Council"}
    content = json.dumps([record]).encode()
    response = _upload(publisher, content, "entries.json", organisation=_northshire(world))
    report_url = response.headers["Location"]

    def read_again(*args, **kwargs):
        raise AssertionError("the report page read the file again")

    monkeypatch.setattr(Format, "entries", read_again)
    for _ in range(3):
        assert "1 entry to create" in _headline(publisher, report_url)


@pytest.mark.parametrize(
    ("setting", "value", "content", "filename", "reason"),
    [
        (
            "IMPORT_MAX_COLUMNS",
            50,
            (",".join(["title", *(f"c{n}" for n in range(60))]) + "\r\nA tool\r\n").encode(),
            "entries.csv",
            "The file has 61 columns; at most 50 can be imported.",
        ),
        (
            "IMPORT_MAX_COLUMNS",
            50,
            json.dumps([{"title": "A tool", **{f"c{n}": "x" for n in range(60)}}]).encode(),
            "entries.json",
            "Record 1 of the file has more than 50 fields.",
        ),
        (
            "IMPORT_MAX_COLUMNS",
            50,
            json.dumps([{"title": "A tool", "summary": list(range(6000))}]).encode(),
            "entries.json",
            "Record 1 of the file holds more than 5,000 values.",
        ),
        (
            "IMPORT_MAX_CELL",
            1000,
            ("title\r\n" + "x" * 1001 + "\r\n").encode(),
            "entries.csv",
            "A cell in the file is longer than 1,000 characters.",
        ),
        (
            "IMPORT_MAX_CELL",
            1000,
            json.dumps([{"title": "x" * 1001}]).encode(),
            "entries.json",
            "A text in the file is longer than 1,000 characters.",
        ),
        (
            "IMPORT_MAX_ROWS",
            3,
            ("title\r\n" + "".join(f"Tool {n}\r\n" for n in range(4))).encode(),
            "entries.csv",
            "The file has more than 3 records. Split it into smaller files.",
        ),
        (
            "IMPORT_MAX_ROWS",
            3,
            json.dumps([{"title": f"Tool {n}"} for n in range(4)]).encode(),
            "entries.json",
            "The file has more than 3 records. Split it into smaller files.",
        ),
        (
            "JSON_MAX_DEPTH",
            4,
            json.dumps([{"title": "A tool", "risks": [{"name": ["Bias"]}]}]).encode(),
            "entries.json",
            "The file nests arrays or objects more than 4 deep.",
        ),
    ],
)
def test_each_limit_is_a_setting_and_a_file_over_it_is_refused_saying_which(
    world, app, monkeypatch, setting, value, content, filename, reason
):
    monkeypatch.setitem(app.config, setting, value)
    publisher = world.client("publisher")
    response = _upload(publisher, content, filename, organisation=_northshire(world))
    assert reason in _headline(publisher, response.headers["Location"])


def test_a_file_that_takes_too_long_to_read_is_refused(world, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_SECONDS", 0.01)
    publisher = world.client("publisher")
    rows = "".join(f"Tool {n},A summary of tool {n}\r\n" for n in range(20_000))
    content = ("title,summary\r\n" + rows).encode()
    response = _upload(publisher, content, "entries.csv", organisation=_northshire(world))
    headline = _headline(publisher, response.headers["Location"])
    assert "The file takes longer than 0.01 seconds to read, so it was not imported." in headline


def test_every_limit_is_read_from_the_environment(monkeypatch):
    for setting, value in (
        ("IMPORT_MAX_COLUMNS", 200),
        ("IMPORT_MAX_CELL", 5000),
        ("IMPORT_MAX_ROWS", 10),
        ("IMPORT_MAX_SECONDS", 30.0),
        ("JSON_MAX_DEPTH", 12),
    ):
        monkeypatch.setenv(setting, str(value))
        assert getattr(config_for("production"), setting) == value


# Every hostile file up to the largest upload, in time and memory ------------------------


def _largest(app) -> int:
    """The largest file an upload can carry, leaving room for the form around it."""
    return app.config["MAX_CONTENT_LENGTH"] - 4096


def test_every_hostile_file_up_to_the_largest_upload_is_answered_in_time(world, app):
    publisher = world.client("publisher")
    organisation = _northshire(world)
    for name, content, filename in largest_hostile_files(_largest(app)):
        publisher.get(UPLOAD)  # the upload page itself is not what is timed
        response, took = _timed(
            lambda c=content, f=filename: _upload(publisher, c, f, organisation=organisation)
        )
        assert response.status_code == 302, f"{name}: {response.status_code}"
        assert took < SECONDS, f"{name}: the upload took {took:.1f}s"
        page, took = _timed(lambda r=response: publisher.get(r.headers["Location"]))
        assert took < SECONDS, f"{name}: the report took {took:.1f}s"
        with app.app_context():
            limiter.reset()


def test_a_report_of_thousands_of_rows_with_problems_is_kept_small_and_shown_in_time(
    world, app, monkeypatch
):
    monkeypatch.setitem(app.config, "IMPORT_MAX_SECONDS", 60)  # read it all, however slowly
    publisher = world.client("publisher")
    # A value that does not fit is kept and noted; a row without a title is a problem.
    rows = "".join(f" ,nobody {n},{'x' * 300},sometimes\r\n" for n in range(5000))
    content = ("title,contact_email,no_such_question,status\r\n" + rows).encode()
    response = _upload(publisher, content, "entries.csv", organisation=_northshire(world))
    page, took = _timed(lambda: publisher.get(response.headers["Location"]))
    assert took < SECONDS, f"the report took {took:.1f}s"
    assert "5,000 rows with problems" in page.select_one("#headline").get_text()
    assert len(page.select("#problems + p + table tbody tr")) == 500
    with app.app_context():
        kept = db.session.scalar(select(PendingImport.report))
    assert len(kept) < 1024 * 1024


def test_reading_a_hostile_file_uses_little_memory(world, app):
    """Measured on the reading alone (tracing memory slows everything down too much to time
    the pages at once): what an upload does with each hostile file."""
    with app.app_context():
        options = ImportOptions(
            format=FORMATS["native"],
            filename="entries",
            organisation=world.organisation(),
            limits=ReadLimits.from_config(app.config),
        )
        for name, content, _filename in largest_hostile_files(_largest(app)):
            tracemalloc.start()
            try:
                review(io.BytesIO(content), options)
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
            assert peak < MEGABYTES * 1024 * 1024, f"{name}: {peak // 2**20} MB"


def test_the_command_refuses_a_hostile_file_in_a_line_within_seconds(app, runner, tmp_path):
    for name, content, filename, reason in ATTACKS:
        path = tmp_path / filename
        path.write_bytes(content)
        started = time.monotonic()
        result = runner.invoke(
            args=["register", "import", "--format", "native", "--dry-run", str(path)]
        )
        took = time.monotonic() - started
        assert result.exit_code != 0, name
        assert took < 5, f"{name}: {took:.1f}s"
        assert reason in result.output.splitlines()[0], name
        assert "Nothing was imported." in result.output


# Any hostile file ----------------------------------------------------------------------

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]


@st.composite
def hostile_files(draw) -> tuple[bytes, str, str]:
    """Nesting, widths, junk bytes and encodings, alone and mixed with sense."""
    depth = draw(st.integers(0, 3000))
    width = draw(st.integers(0, 5000))
    junk = draw(st.binary(max_size=300))
    text = draw(st.text(max_size=80))
    kind = draw(
        st.sampled_from(
            [
                lambda: "[" * depth + "]" * draw(st.integers(0, depth)),
                lambda: '{"title":' * depth + '"x"' + "}" * draw(st.integers(0, depth)),
                lambda: (
                    "[" + '{"title": "' + text + '", "risks": ' + "[" * depth + "]" * depth + "}]"
                ),
                lambda: ",".join(["title"] * width) + "\r\n" + text + "\r\n",
                lambda: "title\r\n" + ",".join([text] * width) + "\r\n",
                lambda: '"title\r\n' + text,
                lambda: json.dumps([{"title": text, "summary": [[text]] * width}]),
                lambda: text,
            ]
        )
    )
    encoding = draw(st.sampled_from(ENCODINGS))
    content = kind().encode(encoding, errors="replace")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(content)))
        content = content[:at] + junk + content[at:]
    if draw(st.booleans()):
        content = draw(st.sampled_from([codecs.BOM_UTF16_LE, codecs.BOM_UTF8, b""])) + content
    return content, draw(st.sampled_from(sorted(FORMATS))), draw(st.sampled_from(["csv", "json"]))


def test_any_hostile_file_is_answered_never_with_a_failure_and_imports_nothing(world, app):
    publisher = world.client("publisher")
    organisation = _northshire(world)
    publisher.get(UPLOAD)
    before = _everything_but_uploads(app)

    @given(hostile_files())
    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    def check(hostile):
        content, file_format, extension = hostile
        response = _upload(
            publisher,
            content or b" ",
            f"entries.{extension}",
            file_format=file_format,
            organisation=organisation,
        )
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            publisher.get(response.headers["Location"])
        with app.app_context():
            limiter.reset()

    check()
    assert changed_tables(before, _everything_but_uploads(app)) == []


# JSON bodies elsewhere -----------------------------------------------------------------

DEEP_BODIES = [
    ("200,000 nested arrays", NESTED_ARRAYS),
    ("an object nested 100,000 deep", DEEP_OBJECT),
    ("an answer nested 900 deep", b'{"title": ' + b"[" * 900 + b"]" * 900 + b"}"),
    (
        "a risk nested 500 deep",
        b'{"title": "x", "risks": [{"name": ' + b"[" * 500 + b"]" * 500 + b"}]}",
    ),
]


@pytest.mark.parametrize(("name", "body"), DEEP_BODIES, ids=[b[0] for b in DEEP_BODIES])
def test_a_deeply_nested_json_body_is_a_clear_400(world, app, name, body):
    with app.app_context():
        _token, secret = api_tokens.create(
            world.organisation(), "Case system", world.user("publisher")
        )
    before = fingerprint(app)
    client = world.client(None).client
    response = client.post(
        "/api/v1/submissions",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 400, f"{name}: {response.status_code}"
    message = response.get_json()["error"]["message"]
    assert "nest" in message, message
    # Using a token notes when it was last used; nothing else may change.
    assert changed_tables(before, fingerprint(app)) in ([], ["api_token"])


# Hostile workbooks (.xlsx): zip archives of XML --------------------------------------------


def _workbook(*rows: tuple) -> bytes:
    """A real workbook of one sheet holding `rows`."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    saved = io.BytesIO()
    book.save(saved)
    return saved.getvalue()


def _zip(parts: dict[str, bytes], base: bytes = b"") -> bytes:
    """An archive of `parts` (path -> content), added to those of the archive `base`, or
    replacing them."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        if base:
            with zipfile.ZipFile(io.BytesIO(base)) as source:
                for item in source.infolist():
                    if item.filename not in parts:
                        copy.writestr(item.filename, source.read(item))
        for name, data in parts.items():
            copy.writestr(name, data)
    return out.getvalue()


def _understated(content: bytes, name: str, size: int) -> bytes:
    """The archive with what `name` unpacks to written as `size` in its local header and
    its directory, as a forger would to slip a bomb past a check of the directory."""
    data = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        local = archive.getinfo(name).header_offset
    data[local + 22 : local + 26] = size.to_bytes(4, "little")
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name.encode():
        central = data.find(b"PK\x01\x02", central + 4)
    data[central + 24 : central + 28] = size.to_bytes(4, "little")
    return bytes(data)


_REAL = _workbook(("Name", "Pothole triage"), ("Description", "Sorts reports."))
_SHEET = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10))
    + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
    b'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
)


def _bomb() -> bytes:
    return _zip({"xl/worksheets/padding.xml": b" " * (64 * 1024 * 1024)}, _REAL)


HOSTILE_WORKBOOKS = [
    ("a zip bomb: 64 MB of spaces", _bomb, "would unpack to 64 MB"),
    (
        "a part that unpacks to more than its directory says",
        lambda: _understated(_bomb(), "xl/worksheets/padding.xml", 1000),
        "The workbook is damaged",
    ),
    (
        "5,000 parts",
        lambda: _zip({f"xl/media/part{n}.xml": b"" for n in range(5000)}, _REAL),
        "The workbook holds 5,0",
    ),
    (
        "entities that expand a billion times",
        lambda: _zip({"xl/sharedStrings.xml": _LAUGHS}, _REAL),
        "declares a document type",
    ),
    (
        "a row padded to 16,384 columns",
        lambda: _zip(
            {
                "xl/worksheets/sheet1.xml": _SHEET
                + b'<dimension ref="A1:XFD1048576"/><sheetData><row r="1">'
                + b'<c r="A1"><v>1</v></c><c r="XFD1"><v>1</v></c></row></sheetData></worksheet>'
            },
            _REAL,
        ),
        "has more than 1,000 cells",
    ),
    (
        # Excel and openpyxl write no cell over 32,767 characters; the XML can hold any.
        "a cell of a million characters",
        lambda: _zip(
            {
                "xl/worksheets/sheet1.xml": _SHEET
                + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
                + b"x" * (1024 * 1024 + 1)
                + b"</t></is></c></row></sheetData></worksheet>"
            },
            _REAL,
        ),
        "is longer than 1,048,576 characters",
    ),
    ("a zip archive that is no workbook", lambda: _zip({"notes.txt": b"x"}), "not an Excel"),
    ("a CSV file called .xlsx", lambda: b"name,description\r\nA,B\r\n", "not an Excel"),
]


@pytest.mark.parametrize(
    ("name", "build", "reason"), HOSTILE_WORKBOOKS, ids=[w[0] for w in HOSTILE_WORKBOOKS]
)
def test_a_hostile_workbook_is_refused_at_once_in_a_line_and_nothing_is_imported(
    world, app, name, build, reason
):
    content = build()
    publisher = world.client("publisher")
    publisher.get(UPLOAD)
    before = _everything_but_uploads(app)
    organisation = _northshire(world)
    response, took = _timed(
        lambda: _upload(
            publisher,
            content,
            "template.xlsx",
            organisation=organisation,
            file_format="atrs-template",
        )
    )
    assert response.status_code == 302, name
    assert took < SECONDS, f"{name}: the upload took {took:.1f}s"
    headline = _headline(publisher, response.headers["Location"])
    assert reason in headline, headline
    assert "\n" not in headline
    assert changed_tables(before, _everything_but_uploads(app)) == []
    with app.app_context():
        assert db.session.scalar(select(PendingImport.content)) == b""


@pytest.mark.parametrize(
    ("setting", "value", "rows", "reason"),
    [
        ("IMPORT_MAX_ROWS", 3, [("Name", f"Tool {n}") for n in range(4)], "more than 3 records."),
        ("IMPORT_MAX_COLUMNS", 5, [("Name", *"abcdef")], "Row 1 of the sheet “Sheet” has more"),
        ("IMPORT_MAX_CELL", 1000, [("Name", "x" * 1001)], "A cell of the sheet “Sheet” is longer"),
        (
            "IMPORT_MAX_SECONDS",
            0.001,
            [("Name", f"Tool {n}") for n in range(20_000)],
            "takes longer than 0.001 seconds to read",
        ),
    ],
    ids=["rows", "columns", "cell", "time"],
)
def test_a_workbook_is_read_within_the_same_limits_as_a_csv_file(
    world, app, monkeypatch, setting, value, rows, reason
):
    monkeypatch.setitem(app.config, setting, value)
    content = _workbook(*rows)
    publisher = world.client("publisher")
    response = _upload(
        publisher,
        content,
        "template.xlsx",
        organisation=_northshire(world),
        file_format="atrs-template",
    )
    assert reason in _headline(publisher, response.headers["Location"])


def test_reading_a_hostile_workbook_uses_little_memory(world, app):
    with app.app_context():
        options = ImportOptions(
            format=FORMATS["atrs-template"],
            filename="template.xlsx",
            organisation=world.organisation(),
            limits=ReadLimits.from_config(app.config),
        )
        for name, build, _reason in HOSTILE_WORKBOOKS:
            content = build()
            tracemalloc.start()
            try:
                report = review(io.BytesIO(content), options)
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
            assert report.file_problem, name
            assert peak < MEGABYTES * 1024 * 1024, f"{name}: {peak // 2**20} MB"


def test_the_command_refuses_a_hostile_workbook_in_a_line(app, runner, tmp_path):
    path = tmp_path / "template.xlsx"
    path.write_bytes(_bomb())
    result = runner.invoke(
        args=["register", "import", "--format", "atrs-template", "--dry-run", str(path)]
    )
    assert result.exit_code != 0
    assert "would unpack to 64 MB" in result.output.splitlines()[0]
    assert "Nothing was imported." in result.output

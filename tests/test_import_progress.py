"""Progress while an uploaded file is checked: the upload form's token, the progress the page
asks for while the rows are checked (kept in the database, so any worker can answer), who
may see it, and the answers the page's script gets instead of a redirect."""

from __future__ import annotations

import io
import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from register import importing
from register.extensions import db
from register.importing import progress
from register.importing.files import ReadLimits
from register.models import ImportProgress, PendingImport

from . import test_import_upload
from .conftest import TEST_PASSWORD, ClientRequest
from .pages import check_page
from .test_import import us_row
from .test_import_upload import UPLOAD, csv_bytes

people = test_import_upload.people  # the publishers and organisations of the upload tests

ROWS = 1500  # enough for several writes of the progress, and bytes to estimate from
TABLE = ImportProgress.__table__


def inventory(rows: int = ROWS) -> bytes:
    return csv_bytes([us_row(number) for number in range(1, rows + 1)])


def options(organisation=None, **more) -> importing.ImportOptions:
    return importing.ImportOptions(
        format=importing.FORMATS["us-2025"],
        filename="inventory.csv",
        organisation=organisation,
        **more,
    )


def stored(token: str) -> dict | None:
    """The progress as another connection sees it: the way another worker would."""
    with db.engine.connect() as connection:
        found = connection.execute(select(TABLE).where(TABLE.c.token == token)).first()
    return None if found is None else found._asdict()


def test_the_upload_form_carries_a_token_and_where_to_ask_about_it(client_request, sign_in, people):
    sign_in(people["publisher"])
    page = client_request.get(UPLOAD)
    form = page.select_one("form[method=post][enctype='multipart/form-data']")
    token = form.select_one("input[type=hidden][name=progress_token]")["value"]
    assert progress.is_token(token)
    assert form["data-import-progress-url"] == f"/manage/import/progress/{token}"
    script = page.select_one("script[src$='js/import-progress.js']")
    assert script["type"] == "module" and script.get("nonce")
    status = page.select_one("[data-import-progress-status]")
    assert status["aria-live"] == "polite" and status.get_text(strip=True) == ""
    assert page.select_one("[data-import-progress]").has_attr("hidden")
    # Each form has a token of its own.
    again = client_request.get(UPLOAD).select_one("input[name=progress_token]")["value"]
    assert again != token


def test_the_progress_is_written_while_the_review_runs_and_read_from_another_connection(
    app_context, people
):
    """Every few hundred rows the count (and the estimate of the rows to come, from the share
    of the file read) is committed on a connection of its own, so another connection reads it
    while the review is still going; once the review is over it is gone."""
    content = inventory()
    stream = io.BytesIO(content)
    token = progress.new_token()
    seen: list[dict] = []

    with progress.Recorder(token, people["publisher"].id, stream, len(content)) as recorder:

        def checked(rows: int) -> None:
            recorder(rows)
            if rows in (progress.WRITE_EVERY - 1, 600, ROWS - 10):
                seen.append({"rows": rows, **stored(token)})

        # However busy the machine, the review is not cut short: the limit has tests of its own.
        unhurried = options(people["council"], limits=ReadLimits(seconds=None))
        report = importing.review(stream, unhurried, progress=checked)
        assert len(report.rows) == ROWS
        recorder.finished(len(report.rows))
        done = stored(token)

    before_first_write, midway, near_the_end = seen
    assert before_first_write["rows_checked"] == 0
    assert before_first_write["rows_expected"] is None
    assert midway["rows_checked"] == 500  # the last multiple of WRITE_EVERY so far
    assert not midway["finished"]
    assert abs(midway["rows_expected"] - ROWS) < ROWS / 10
    assert near_the_end["rows_checked"] == 1250
    assert abs(near_the_end["rows_expected"] - ROWS) < ROWS / 20
    assert done["rows_checked"] == done["rows_expected"] == ROWS and done["finished"]
    assert stored(token) is None


def test_a_token_already_in_use_records_nothing_and_leaves_the_other_check_alone(
    app_context, people
):
    content = inventory(10)
    token = progress.new_token()
    owner, other = people["publisher"], people["outsider"]
    with progress.Recorder(token, owner.id, None, 0):
        with progress.Recorder(token, other.id, io.BytesIO(content), len(content)) as second:
            report = importing.review(io.BytesIO(content), options(), progress=second)
            second.finished(len(report.rows))
        assert len(report.rows) == 10
        assert stored(token)["user_id"] == owner.id
        assert stored(token)["rows_checked"] == 0
    assert stored(token) is None


def test_progress_left_by_a_check_that_never_ended_is_removed_after_a_day(app_context, people):
    owner = people["publisher"]
    old, recent = progress.new_token(), progress.new_token()
    with db.engine.begin() as connection:
        for token, age in ((old, timedelta(days=1, minutes=1)), (recent, timedelta(hours=23))):
            connection.execute(
                insert(TABLE).values(
                    token=token,
                    user_id=owner.id,
                    rows_checked=250,
                    finished=False,
                    updated_at=datetime.now(UTC) - age,
                )
            )
    with progress.Recorder(progress.new_token(), owner.id, None, 0):
        pass
    assert stored(old) is None
    assert stored(recent) is not None


def _answer(client, token):
    response = client.get(f"/manage/import/progress/{token}")
    return response.status_code, response.get_json(), response.headers.get("Cache-Control")


def _checking(app, person, rows: int) -> str:
    """The token of a check of `person`'s upload that has got `rows` rows in (and goes on)."""
    token = progress.new_token()
    with app.app_context():
        progress.Recorder(token, person.id, None, 0).__enter__()(rows)
    return token


def test_only_the_person_who_uploaded_sees_the_progress_and_others_cannot_tell_it_exists(
    app, client_request, sign_in, people
):
    token = _checking(app, people["publisher"], progress.WRITE_EVERY)
    sign_in(people["publisher"])
    mine = _answer(client_request.client, token)
    unknown = _answer(client_request.client, progress.new_token())
    malformed = _answer(client_request.client, "not-a-token")
    theirs = _answer(_sign_in_elsewhere(app, people["outsider"]), token)
    assert mine == (
        200,
        {"rows_checked": progress.WRITE_EVERY, "rows_expected": None, "finished": False},
        "no-store",
    )
    assert unknown[0] == 404
    assert theirs == unknown == malformed


def test_a_signed_out_visitor_asking_for_progress_is_sent_to_sign_in(client, people, app):
    token = _checking(app, people["publisher"], progress.WRITE_EVERY)
    response = client.get(f"/manage/import/progress/{token}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def _sign_in_elsewhere(app, person):
    """A second browser of the same person: a client with a session of its own."""
    other = ClientRequest(app.test_client())
    response = other.post("/sign-in", {"email": person.email, "password": TEST_PASSWORD}, 302)
    assert response.headers["Location"] == "/manage"
    return other.client


def test_the_page_asks_for_the_progress_while_the_upload_is_checked(
    app, client_request, sign_in, people, monkeypatch
):
    """The upload runs in one thread; once 600 rows are checked it waits while another
    browser of the same person, and one of another person, ask for the progress."""
    sign_in(people["publisher"])
    page = client_request.get(UPLOAD)
    token = page.select_one("input[name=progress_token]")["value"]
    watcher = _sign_in_elsewhere(app, people["publisher"])
    stranger = _sign_in_elsewhere(app, people["outsider"])
    reached, answered = threading.Event(), threading.Event()
    answers: dict[str, tuple] = {}
    counting = progress.Recorder.__call__

    def checked(recorder, rows):
        counting(recorder, rows)
        if rows == 600:
            reached.set()
            answered.wait(timeout=30)

    def ask():
        if reached.wait(timeout=30):
            answers["owner"] = _answer(watcher, token)
            answers["stranger"] = _answer(stranger, token)
            answers["unknown"] = _answer(watcher, progress.new_token())
        answered.set()

    monkeypatch.setattr(progress.Recorder, "__call__", checked)
    asking = threading.Thread(target=ask)
    asking.start()
    response = client_request.client.post(
        UPLOAD,
        data={
            "csrf_token": page.select_one("input[name=csrf_token]")["value"],
            "progress_token": token,
            "file": (io.BytesIO(inventory()), "inventory.csv"),
            "format": "us-2025",
            "organisation": str(people["council"].id),
        },
        content_type="multipart/form-data",
    )
    asking.join(timeout=60)
    assert response.status_code == 302
    status, found, _ = answers["owner"]
    assert status == 200
    assert found["rows_checked"] == 500 and not found["finished"]
    assert abs(found["rows_expected"] - ROWS) < ROWS / 10
    assert answers["stranger"][:2] == answers["unknown"][:2]
    assert answers["unknown"][0] == 404
    # Once the report is kept the progress is gone.
    assert _answer(watcher, token)[0] == 404
    assert client_request.get(response.headers["Location"]).h1.get_text(strip=True) == (
        "Import report for inventory.csv"
    )


def _post(client_request, people, content: bytes | None, *, script: bool, token=None):
    page = client_request.get(UPLOAD)
    data = {
        "csrf_token": page.select_one("input[name=csrf_token]")["value"],
        "progress_token": token or page.select_one("input[name=progress_token]")["value"],
        "format": "us-2025",
        "organisation": str(people["council"].id),
    }
    if content is not None:
        data["file"] = (io.BytesIO(content), "inventory.csv")
    headers = {"Accept": "application/json"} if script else {}
    return client_request.client.post(
        UPLOAD, data=data, content_type="multipart/form-data", headers=headers
    )


def test_the_script_is_told_where_the_report_is_and_it_is_where_the_form_would_go(
    app, client_request, sign_in, people
):
    sign_in(people["publisher"])
    by_script = _post(client_request, people, inventory(3), script=True)
    assert by_script.status_code == 200
    report_url = by_script.get_json()["report"]
    assert re.fullmatch(r"/manage/import/[A-Za-z0-9_-]+", report_url)
    page = client_request.get(report_url)
    assert "3 rows read: 3 entries to create" in page.select_one("#headline").get_text()

    by_form = _post(client_request, people, inventory(3), script=False)
    assert by_form.status_code == 302
    assert re.fullmatch(r"/manage/import/[A-Za-z0-9_-]+", by_form.headers["Location"])
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ImportProgress)) == 0


def test_the_script_gets_the_form_with_its_errors_as_the_page_without_it_shows_them(
    app, client_request, sign_in, people
):
    sign_in(people["publisher"])
    answers = [
        _post(client_request, people, content, script=script)
        for content in (None, b"  \n")
        for script in (True, False)
    ]
    for response in answers:
        assert response.status_code == 200
        assert response.mimetype == "text/html"
    pages = [check_page(response) for response in answers]
    for page, wanted in zip(
        pages,
        ["Choose a file to import"] * 2
        + ["The file is empty. Choose a file with entries in it."] * 2,
        strict=True,
    ):
        summary = page.select_one(".govuk-error-summary")
        assert wanted in summary.get_text()
        assert summary.select_one("a")["href"] == "#file"
        assert wanted in page.select_one("#file-error").get_text()
        assert page.title.get_text().startswith("Error: ")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PendingImport)) == 0


def test_a_file_refused_as_a_whole_reaches_its_report_by_script_too(
    client_request, sign_in, people
):
    sign_in(people["publisher"])
    response = _post(client_request, people, b"\x89PNG not a CSV file", script=True)
    page = client_request.get(response.get_json()["report"])
    assert "The file is a PNG image, not a CSV file." in page.get_text()


@pytest.mark.parametrize("token", ["", "short", "x" * 65, "../../etc", "a b" * 20])
def test_a_form_without_a_good_token_is_checked_and_reported_all_the_same(
    app, client_request, sign_in, people, token
):
    sign_in(people["publisher"])
    page = client_request.get(UPLOAD)
    response = client_request.client.post(
        UPLOAD,
        data={
            "csrf_token": page.select_one("input[name=csrf_token]")["value"],
            "progress_token": token,
            "file": (io.BytesIO(inventory(2)), "inventory.csv"),
            "format": "us-2025",
            "organisation": str(people["council"].id),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ImportProgress)) == 0
        assert db.session.scalar(select(func.count()).select_from(PendingImport)) == 1

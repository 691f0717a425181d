"""The GOV.UK Notify transport, against a local server that checks each request as Notify's
API documents it: a JSON Web Token signed with the API key's secret (HS256, `iss` the
service id, `iat` within 30 seconds), the template id, and the personalisation."""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest

from register import mail
from register.extensions import db

from .emails import outbox_rows, send_waiting

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"register_live-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = str(uuid.uuid4())
NOT_AN_ADDRESS_NOTIFY_TAKES = "refused@ns.example"


class NotifyStandIn(BaseHTTPRequestHandler):
    """Answers POST /v2/notifications/email as Notify does, refusing what Notify refuses."""

    received: list[dict] = []

    def log_message(self, *args) -> None:  # keep the test output quiet
        return None

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _refuse(self, status: int, error: str, message: str) -> None:
        self._answer(
            status, {"status_code": status, "errors": [{"error": error, "message": message}]}
        )

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.path != "/v2/notifications/email":
            return self._refuse(404, "NotFound", "Not found")
        scheme, _, token = self.headers.get("Authorization", "").partition(" ")
        try:
            assert scheme == "Bearer"
            claims = jwt.decode(token, SECRET, algorithms=["HS256"])
            assert claims["iss"] == SERVICE_ID
            assert abs(time.time() - claims["iat"]) <= 30
        except (AssertionError, KeyError, jwt.InvalidTokenError):
            return self._refuse(403, "AuthError", "Invalid token: signature, api token not found")
        if self.headers.get("Content-Type") != "application/json":
            return self._refuse(400, "BadRequestError", "Content-Type must be application/json")
        if body.get("template_id") != TEMPLATE_ID:
            return self._refuse(400, "BadRequestError", "Template not found")
        personalisation = body.get("personalisation") or {}
        if set(personalisation) != {"subject", "body"}:
            return self._refuse(400, "BadRequestError", "Missing personalisation: subject, body")
        if body.get("email_address") == NOT_AN_ADDRESS_NOTIFY_TAKES:
            return self._refuse(400, "BadRequestError", "email_address Not a valid email address")
        NotifyStandIn.received.append(body)
        self._answer(
            201,
            {
                "id": str(uuid.uuid4()),
                "reference": body.get("reference"),
                "content": {"subject": personalisation["subject"], "body": personalisation["body"]},
                "template": {"id": TEMPLATE_ID, "version": 1, "uri": ""},
            },
        )


@pytest.fixture
def notify(app, monkeypatch):
    monkeypatch.setattr(NotifyStandIn, "received", [])
    server = ThreadingHTTPServer(("127.0.0.1", 0), NotifyStandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    for key, value in {
        "NOTIFY_API_KEY": API_KEY,
        "NOTIFY_TEMPLATE_ID": TEMPLATE_ID,
        "NOTIFY_BASE_URL": f"http://127.0.0.1:{server.server_address[1]}",
    }.items():
        monkeypatch.setitem(app.config, key, value)
    yield NotifyStandIn
    server.shutdown()
    server.server_close()


def test_a_password_reset_goes_through_notify(app, client_request, make_user, notify, runner):
    make_user("admin@ns.example", is_admin=True)
    client_request.post("/forgot-password", {"email": "admin@ns.example"}, 302)
    assert notify.received == []  # the request itself never calls Notify
    assert "Sent 1 emails" in send_waiting(runner)
    (sent,) = notify.received
    (row,) = outbox_rows(app)
    assert sent["email_address"] == "admin@ns.example"
    assert sent["template_id"] == TEMPLATE_ID
    assert sent["personalisation"]["subject"] == row.subject
    assert "/reset-password/" in sent["personalisation"]["body"]
    assert sent["reference"] == row.message_id
    assert row.state == "sent" and row.sealed_body is None


def test_an_address_notify_refuses_fails_alone_with_notifys_reason(app, notify, runner):
    with app.test_request_context():
        for to in ("first@ns.example", NOT_AN_ADDRESS_NOTIFY_TAKES, "last@ns.example"):
            mail.queue(to, "Subject", "Body\n")
        db.session.commit()
    assert "Sent 2 emails; 0 to try again later; 1 failed." in send_waiting(runner)
    states = [(row.recipient, row.state) for row in outbox_rows(app)]
    assert states == [
        ("first@ns.example", "sent"),
        (NOT_AN_ADDRESS_NOTIFY_TAKES, "failed"),
        ("last@ns.example", "sent"),
    ]
    assert outbox_rows(app)[1].last_error == (
        "GOV.UK Notify answered 400: email_address Not a valid email address"
    )


def test_a_key_notify_does_not_accept_leaves_the_email_waiting_with_the_reason(
    app, notify, runner, monkeypatch
):
    monkeypatch.setitem(app.config, "NOTIFY_API_KEY", f"old-{SERVICE_ID}-{uuid.uuid4()}")
    with app.test_request_context():
        mail.queue("someone@ns.example", "Subject", "Body\n")
        db.session.commit()
    assert "1 to try again later" in send_waiting(runner)
    (row,) = outbox_rows(app)
    assert row.state == "waiting" and row.sealed_body is not None
    assert row.last_error.startswith("GOV.UK Notify answered 403: Invalid token")
    assert notify.received == []


@pytest.mark.parametrize(
    ("setting", "value", "error"),
    [
        ("NOTIFY_API_KEY", "not-a-key", "NOTIFY_API_KEY is not a GOV.UK Notify API key"),
        ("NOTIFY_TEMPLATE_ID", "welcome", "NOTIFY_TEMPLATE_ID must be the template's ID"),
    ],
)
def test_malformed_notify_settings_are_named(
    app, notify, runner, monkeypatch, setting, value, error
):
    monkeypatch.setitem(app.config, setting, value)
    result = runner.invoke(args=["register", "send-email"])
    assert result.exit_code == 1 and error in result.output

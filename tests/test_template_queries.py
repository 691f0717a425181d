"""No template runs a database query: views and domain modules load what a page shows, and
templates only show what they are given.

Every statement SQLAlchemy sends while a template renders is recorded (the context
processors that run first included), on a tour of every page of the register: as a member
of the public reads them, and as an editor, a publisher (one with a second factor too) and
an administrator see them; forms sent back with errors, after a rollback too, and pages
shown in the same request as a change was saved. The tour is checked against
`app.url_map`, so a new page cannot be left out of it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from flask import (
    Flask,
    has_request_context,
    request,
    request_started,
    template_rendered,
)
from sqlalchemy import event, select
from werkzeug.exceptions import HTTPException

import register
from register import feedback, one_time_links, publishing, second_factor
from register.extensions import db, limiter
from register.models import Feedback

from .conftest import TEST_PASSWORD, ClientRequest
from .emails import emptied_outbox, link_in
from .feedback_world import report, report_form
from .manage_world import PEOPLE, WORLD, World, form_data
from .public_entries import retire, revise, withdraw
from .security.guarded_world import Guarded, build
from .security.test_permissions import ROUTES

world = WORLD

REGISTER_CODE = str(Path(register.__file__).parent)


# Recording what templates send to the database ---------------------------------------------


@dataclass(frozen=True)
class TemplateQuery:
    """A statement sent while `template` rendered, for the page at `address`."""

    template: str
    address: str
    asked_by: str
    statement: str


def _asked_by() -> str:
    """The template line, and the register's own function, that caused the statement."""
    frame = sys._getframe(2)
    template_line = code_line = ""
    while frame is not None and not template_line:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            line = template.get_corresponding_lineno(frame.f_lineno)
            template_line = f"{template.name} line {line}"
        elif not code_line and frame.f_code.co_filename.startswith(REGISTER_CODE):
            module = Path(frame.f_code.co_filename).relative_to(REGISTER_CODE).with_suffix("")
            code_line = f"register/{module}.py {frame.f_code.co_name}()"
        frame = frame.f_back
    where = template_line or "a context processor"
    return f"{where}, in {code_line}" if code_line else where


@dataclass
class Recorder:
    """The templates rendered, and the statements sent while one was rendering."""

    rendering: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    queries: list[TemplateQuery] = field(default_factory=list)
    # The template `render_template` looked up last, about to be rendered.
    looked_up: str = ""

    def statement(self, sql: str) -> None:
        if not self.rendering:
            return
        address = request.full_path.rstrip("?") if has_request_context() else "(no request)"
        method = request.method if has_request_context() else ""
        one_line = re.sub(r"\s+", " ", sql).strip()
        self.queries.append(
            TemplateQuery(self.rendering[-1], f"{method} {address}", _asked_by(), one_line)
        )

    def report(self) -> str:
        """The statements, one paragraph for each line of code that sent them."""
        by_cause: dict[tuple[str, str, str], list[str]] = {}
        for query in self.queries:
            by_cause.setdefault((query.template, query.asked_by, query.statement), []).append(
                query.address
            )
        paragraphs = []
        for (template, asked_by, statement), addresses in by_cause.items():
            shown = ", ".join(dict.fromkeys(addresses[:3]))
            more = f" and {len(addresses) - 3} more" if len(addresses) > 3 else ""
            paragraphs.append(
                f"{template}, asked by {asked_by}, {len(addresses)} time"
                f"{'s' if len(addresses) > 1 else ''} (at {shown}{more}):\n"
                f"    {statement[:400]}"
            )
        return "\n".join(paragraphs)


@pytest.fixture
def recorder(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    """Records from the moment `render_template` fills in the template's context (context
    processors run then) until the template is rendered. Attached here only, so no other
    test pays for it."""
    recording = Recorder()
    look_up = app.jinja_env.get_or_select_template
    fill_context = app.update_template_context

    def get_or_select_template(name, *args: Any, **kwargs: Any):
        template = look_up(name, *args, **kwargs)
        recording.looked_up = template.name
        return template

    def update_template_context(context: dict[str, Any]) -> None:
        recording.rendering.append(recording.looked_up)
        fill_context(context)

    def rendered(sender: Flask, template, **extra: object) -> None:
        recording.rendering.pop()
        recording.rendered.append(template.name)

    def new_request(sender: Flask, **extra: object) -> None:
        recording.rendering.clear()  # a template that raised never finished

    def sent(connection, cursor, statement, parameters, context, executemany) -> None:
        recording.statement(statement)

    with app.app_context():
        engine = db.engine
    monkeypatch.setattr(app.jinja_env, "get_or_select_template", get_or_select_template)
    monkeypatch.setattr(app, "update_template_context", update_template_context)
    event.listen(engine, "before_cursor_execute", sent)
    try:
        with (
            template_rendered.connected_to(rendered, app),
            request_started.connected_to(new_request, app),
        ):
            yield recording
    finally:
        event.remove(engine, "before_cursor_execute", sent)


# The tour: every page, as each kind of person meets it -------------------------------------


@dataclass(frozen=True)
class Visit:
    """A request of the tour: `path` holds names of the tour's register, like {draft}."""

    method: str
    path: str
    status: int = 200
    # What a POST sends besides its CSRF token: fixed, or made from the tour when it is sent.
    data: Mapping[str, Any] | Callable[[Tour], Mapping[str, Any]] | None = None
    # Sent this many times in a row, for the answer a rate limit gives.
    times: int = 1


def get(path: str, status: int = 200) -> Visit:
    return Visit("GET", path, status)


def post(path: str, data: Any = None, status: int = 200, *, times: int = 1) -> Visit:
    return Visit("POST", path, status, data, times)


TOO_LONG = "x" * 5001  # longer than any text box takes
DRAFT = "/manage/entries/{draft}"
PUBLISHED = "/manage/entries/{published}"
IN_REVIEW = "/manage/entries/{in_review}"
SECTIONS = ("about", "purpose", "technology", "data", "risks", "oversight", "other")

# Public pages look the same to everyone, but for the navigation of who is signed in.
PUBLIC_PAGES = (
    get("/"),
    get("/accessibility"),
    get("/privacy"),
    get("/entries"),
    get("/entries?q=pothole&status=in_use&organisation={slug}&sort=title"),
    get("/organisations"),
    get("/organisations/{slug}"),
    get("/suppliers"),
    get("/suppliers/roadscan-vision-ltd"),
    get("/coverage"),
    get("/entries/{published}"),
    get("/entries/{two_versions}"),
    get("/entries/{retired}"),
    get("/entries/{withdrawn}", 410),
    get("/entries/{two_versions}/versions"),
    get("/entries/{two_versions}/versions/1"),
    get("/entries/{two_versions}/versions/1/changes"),
    get("/entries/{two_versions}/versions/2/changes"),
    get("/entries/{two_versions}/print"),
    get("/entries/{published}/report-a-problem"),
    get("/entries/{published}/feedback/thanks?version=1&answer=yes"),
    get("/alerts/subscribe?organisation={slug}&q=pothole"),
    get("/alerts/check-your-email"),
    get("/alerts/unsubscribed"),
    get("/alerts/confirm/not-a-real-token", 404),
    get("/alerts/unsubscribe/not-a-real-token", 404),
    get("/stats"),
    get("/open-data"),
    get("/api"),
    get("/no-such-page", 404),
)


def _report(tour: Tour, **typed: str) -> dict[str, Any]:
    return {**report_form(tour.browser, tour.names["published"]), **typed}


def _useful(tour: Tour) -> dict[str, Any]:
    page = tour.browser.get(tour.path("/entries/{published}"))
    return {**form_data(page, "#feedback form[method=post]"), "useful": "yes"}


def _alerts(tour: Tour, **typed: str) -> dict[str, Any]:
    page = tour.browser.get(tour.path("/alerts/subscribe?organisation={slug}"))
    return {**form_data(page), "frequency": "daily", **typed}


def _section(section: str, **typed: Any) -> Callable[[Tour], dict[str, Any]]:
    """What the section's form sends as the page shows it, with `typed` changed."""

    def data(tour: Tour) -> dict[str, Any]:
        page = tour.browser.get(tour.path(f"{DRAFT}/{section}"))
        return {**form_data(page), **typed}

    return data


def _stale(tour: Tour) -> dict[str, Any]:
    """A lock version someone else's save has left behind."""
    return {"lock_version": str(tour.lock_version("draft") - 1)}


def _merging(tour: Tour) -> dict[str, Any]:
    """Choices made on the draft as it is now (here, none of them)."""
    return {"merge_based_on": str(tour.lock_version("draft"))}


def _clash(tour: Tour) -> dict[str, Any]:
    """A save after someone else's that changed the title under the person."""
    started = {"started_from": "title=000000000000"}
    return {**_section("about", title="Another title")(tour), **_stale(tour), **started}


READER = (
    *PUBLIC_PAGES,
    get("/sign-in"),
    post("/sign-in", {"email": "", "password": ""}),
    post("/sign-in", {"email": PEOPLE["editor"][0], "password": "not the password"}),
    get("/sign-in/callback?code=made-up&state=made-up", 403),
    post("/entries/{published}/report-a-problem", lambda tour: _report(tour, text="")),
    post("/entries/{published}/report-a-problem", lambda tour: _report(tour, text="Wrong."), 303),
    post("/entries/{published}/feedback", _useful, 303),
    post("/alerts/subscribe", lambda tour: _alerts(tour, email="not an address")),
    post("/alerts/subscribe", lambda tour: _alerts(tour, email="reader@example.com"), 303),
    post("/alerts/confirm/not-a-real-token", {}, 404),
    post("/alerts/unsubscribe/not-a-real-token", {"List-Unsubscribe": "One-Click"}, 404),
    post("/alerts/unsubscribe/not-a-real-token/confirm", {}, 404),
    get("/forgot-password"),
    post("/forgot-password", {"email": "not an address"}),
    post("/forgot-password", {"email": PEOPLE["publisher"][0]}, 302),
    get("/forgot-password/sent"),
    get("/reset-password/{reset}"),
    post("/reset-password/{reset}", {"new_password": "short", "confirm_password": "other"}),
    get("/reset-password/not-a-real-token", 404),
    get("/reset-password/done"),
    get("/invitations/{invitation}"),
    post("/invitations/{invitation}", {"name": "", "new_password": "short"}),
    get("/invitations/{member_invitation}"),
    get("/invitations/not-a-real-token", 404),
    # The code step of signing in, for a person with a second factor.
    post("/sign-in", {"email": PEOPLE["second_publisher"][0], "password": TEST_PASSWORD}, 302),
    get("/sign-in/code"),
    post("/sign-in/code", {"code": "000000"}),
    get("/sign-in/recovery-code"),
    post("/sign-in/recovery-code", {"code": "aaaa-bbbb"}),
    # Five failures for one address; the sixth attempt is refused.
    post("/sign-in", {"email": PEOPLE["admin"][0], "password": "wrong"}, 429, times=6),
)

SIGNED_IN = (
    *PUBLIC_PAGES,
    get("/manage"),
    get("/manage/entries/new"),
    get("/account/password"),
    post("/account/password", {"current_password": "not it", "new_password": "short"}),
    get("/account/second-factor"),
    get("/account/second-factor/set-up"),
    post("/account/second-factor/set-up", {"code": "000000"}),
    get("/account/second-factor/recovery-codes"),
    post("/account/second-factor/recovery-codes", {}, 302),
    get("/account/second-factor/turn-off"),
    get("/account/emails"),
    post("/account/emails", {"kinds": ["published", "everything"]}),
    post("/account/emails", {"kinds": ["published"]}, 302),
    post("/account/password", {"csrf_token": "not the token"}, 400),
    post("/stay-signed-in", {"next": "/account/password"}, 302),
    get("/sign-out", 405),
)

EDITOR = (
    *SIGNED_IN,
    post("/manage/entries/new", {}),
    get(DRAFT),
    get(IN_REVIEW),
    get(PUBLISHED),
    get("/manage/entries/{revised}"),
    get("/manage/entries/{withdrawn}"),
    *(get(f"{DRAFT}/{section}") for section in SECTIONS),
    post(f"{DRAFT}/about", _section("about", title=TOO_LONG)),
    post(f"{DRAFT}/about", lambda tour: {**_section("about")(tour), **_stale(tour)}, 302),
    post(f"{DRAFT}/about", _clash),
    post(f"{DRAFT}/about", lambda tour: {**_clash(tour), **_merging(tour)}),
    post(f"{DRAFT}/about", _section("about", title="Chatbot for housing"), 302),
    get(f"{DRAFT}/risks/add"),
    post(f"{DRAFT}/risks/add", lambda tour: {"lock_version": tour.lock_version("draft")}),
    post(f"{DRAFT}/risks/add", _stale),
    get(f"{DRAFT}/risks/1"),
    post(f"{DRAFT}/risks/1", lambda tour: {"lock_version": tour.lock_version("draft")}),
    post(f"{DRAFT}/risks/1", lambda tour: {**_stale(tour), "name": "Someone else's risk"}),
    get(f"{DRAFT}/risks/1/remove"),
    post(f"{DRAFT}/risks/1/remove", _stale),
    get(f"{DRAFT}/check"),
    get(f"{DRAFT}/print"),
    get(f"{PUBLISHED}/print"),
    post(f"{DRAFT}/submit", {}),
    get(f"{DRAFT}/history", 403),
    get(f"{DRAFT}/delete"),
    post(f"{PUBLISHED}/delete", {}, 302),
    get("/manage/entries/copy?q=chatbot"),
    get("/manage/entries/copy?q="),
    get(f"{PUBLISHED}/copy"),
    post(f"{PUBLISHED}/copy", {"organisation": "", "title": TOO_LONG}),
    get("/invitations/{member_invitation}"),
    post(f"{PUBLISHED}/revise", {}, 302),
    post("/sign-out", {}, 302),
    get("/"),
)

PUBLISHER = (
    *SIGNED_IN,
    get(f"{DRAFT}/history"),
    get(f"{PUBLISHED}/history"),
    get(f"{IN_REVIEW}/review"),
    get("/manage/entries/{revision_in_review}/review"),
    post(f"{IN_REVIEW}/review/publish", {"change_note": TOO_LONG}),
    post(f"{IN_REVIEW}/review/send-back", {"comment": TOO_LONG}),
    get(f"{PUBLISHED}/retire"),
    post(f"{PUBLISHED}/retire", {"retirement_reason": "", "retired_on": "not a date"}),
    post(f"{PUBLISHED}/retire", {"retirement_reason": "Replaced.", "retired_on": "2025-02"}),
    post(f"{PUBLISHED}/retire", {"retirement_reason": "Replaced.", "change": "y"}),
    get(f"{PUBLISHED}/review-date"),
    post(f"{PUBLISHED}/review-date", {"next_review_due": ["31", "2", "2030"]}),
    post(f"{PUBLISHED}/still-accurate", {}, 302),
    get("/manage/feedback/{feedback_id}"),
    post("/manage/feedback/{feedback_id}/resolve", {"response": TOO_LONG}),
    post("/manage/feedback/{feedback_id}/resolve", {"response": "Fixed, thank you."}, 302),
    get("/manage/organisations/{slug}/api-tokens"),
    post("/manage/organisations/{slug}/api-tokens", {"name": ""}),
    post("/manage/organisations/{slug}/api-tokens", {"name": "Case system 2"}),
    get("/manage/organisations/{slug}/api-tokens/{token_id}/revoke"),
    post("/manage/organisations/{slug}/api-tokens/{token_id}/revoke", {"revoke": "y"}, 302),
    get("/manage/import"),
    post("/manage/import", {}),
    get("/manage/import/{import_key}"),
    post("/manage/import/{import_key}", {"cancel": "y"}, 302),
    get("/manage/import/columns"),
    post("/manage/import/columns", {}),
    get("/manage/import/columns/{mapped_key}"),
    post("/manage/import/columns/{mapped_key}", {"columns-0": "other", "columns-1": "title"}),
    get("/manage/import/columns/{mapped_key}/preview"),
    post("/manage/import/columns/{mapped_key}/preview", {"name": "x" * 101}),
    get("/manage/bulk?action=retire&entries={published}&entries={draft}"),
    post(
        "/manage/bulk",
        lambda tour: {
            "action": "retire",
            "offered": [tour.names["published"]],
            "entries": [tour.names["published"]],
            "retirement_reason": "",
        },
    ),
    get("/manage/imports/{batch_id}/review"),
    get("/manage/imports/{batch_id}/review/publish"),
    post("/manage/imports/{batch_id}/review/publish", {"entries": "not the list"}, 302),
    post("/manage/entries/{own_submission}/review/publish", {"change_note": ""}),
    post(f"{IN_REVIEW}/review/publish", {"change_note": ""}, 302),
)

# A publisher who signs in with a second factor.
SECOND_FACTOR = (
    *SIGNED_IN,
    post("/account/second-factor/turn-off", {"confirmation": "not it"}),
    get("/account/second-factor/recovery-codes"),
)

ADMINISTRATOR = (
    *SIGNED_IN,
    get("/admin/organisations"),
    get("/admin/organisations/new"),
    post("/admin/organisations/new", {"name": ""}),
    post("/admin/organisations/new", {"name": "Southvale Police", "type": "police"}),
    get("/admin/organisations/{slug}/edit"),
    post("/admin/organisations/{slug}/edit", {"name": "Southvale Police", "type": "police"}),
    get("/admin/organisations/{slug}/people"),
    get("/admin/organisations/{slug}/people/invite"),
    post("/admin/organisations/{slug}/people/invite", {"email": "nobody", "role": "editor"}),
    post(
        "/admin/organisations/{slug}/people/invite",
        {"email": PEOPLE["editor"][0], "role": "editor"},
    ),
    get("/admin/organisations/{slug}/people/{editor_id}/role"),
    post("/admin/organisations/{slug}/people/{editor_id}/role", {"role": "owner"}),
    get("/admin/organisations/{slug}/people/{editor_id}/remove"),
    post("/admin/organisations/{slug}/invitations/{invitation_id}/resend", {}, 302),
    get("/admin/organisations/{slug}/people"),
    get("/admin/organisations/{slug}/invitations/{invitation_id}/cancel"),
    post("/admin/organisations/{slug}/invitations/{invitation_id}/cancel", {}, 302),
    get("/admin/people"),
    get("/admin/people/{editor_id}/administrator"),
    get("/admin/people/{admin_id}/administrator"),
    post("/admin/people/{admin_id}/administrator", {"make_administrator": "no"}),
    get("/admin/people/{second_id}/second-factor"),
    get("/admin/settings"),
    post("/admin/settings", {"requirement": "sometimes"}),
    get("/admin/organisations/{slug}/sign-in"),
    post("/admin/organisations/{slug}/sign-in", {"issuer": ""}),
    post(
        "/admin/organisations/{slug}/sign-in",
        {
            "issuer": "ftp://files.example",
            "client_id": "the-register",
            "domains": "ns.example",
            **dict.fromkeys(("provider_only", "trusts_second_factor", "lets_domain_join"), "no"),
        },
    ),
    get("/admin/sign-in"),
    post("/admin/sign-in", {"issuer": ""}),
    get("/admin/security-events"),
    get("/admin/security-events?kind=sign_in_failed"),
    get("/admin/email"),
    get("/admin/email?state=sent"),
    get("/admin/email/{email_id}/retry"),
    post("/admin/email/{email_id}/retry", {}, 302),
    post("/admin/email/{email_id}/retry", {}),
    get("/manage/feedback/{feedback_id}"),
    get(f"{PUBLISHED}/withdraw"),
    post(f"{PUBLISHED}/withdraw", {"reason": ""}),
    post(f"{PUBLISHED}/withdraw", {"reason": "Published in error."}),
    get("/manage/entries/{other_entry}"),
    post("/manage/feedback/{feedback_id}/hide", {}, 302),
    post("/admin/organisations/{slug}/people/{editor_id}/remove", {}, 302),
    post("/admin/people/{second_id}/second-factor", {}, 302),
)

TOURS: dict[str | None, tuple[Visit, ...]] = {
    None: READER,
    "editor": EDITOR,
    "publisher": PUBLISHER,
    "second_publisher": SECOND_FACTOR,
    "admin": ADMINISTRATOR,
}

# What renders no template, so there is nothing to record on it: blueprints and endpoints.
# The last test below asks for each of their rules and checks that it renders none.
RENDER_NO_TEMPLATE: dict[str, str] = {
    "downloads": "downloads: CSV, JSON and zip files",
    "feeds": "Atom feeds and sitemaps, written as XML",
    "api": "the read API, which answers JSON, its errors too",
    "submissions": "the submission API, which answers JSON, its errors too",
    "statistics.stats_json": "the figures as JSON",
    "organisations.coverage_json": "who has recorded what, as JSON",
    "manage.import_progress": "how far the check of an uploaded file has got, as JSON",
    "static": "files from static/",
}


def _renders_no_template(endpoint: str) -> bool:
    return endpoint in RENDER_NO_TEMPLATE or endpoint.split(".")[0] in RENDER_NO_TEMPLATE


# The register the tour goes round ------------------------------------------------------------


@dataclass
class Tour:
    """The register of `guarded_world.build`, with more to see, and one person's browser."""

    guarded: Guarded
    names: dict[str, Any]
    browser: ClientRequest

    def path(self, template: str) -> str:
        return template.format_map(self.names)

    def lock_version(self, name: str) -> int:
        return self.guarded.world.lock_version(self.names[name])

    def take(self, visit: Visit, recorder: Recorder) -> list[str]:
        """Make the visit; what is wrong with the answer (not what the templates sent)."""
        app = self.guarded.app
        with app.app_context():
            limiter.reset()  # the tour is no test of rate limits, but for the one it asks for
        path = self.path(visit.path)
        data = visit.data(self) if callable(visit.data) else dict(visit.data or {})
        rendered_before = len(recorder.rendered)
        for _ in range(visit.times):
            if visit.method == "GET":
                response = self.browser.client.get(path)
            else:
                sent = {"csrf_token": self.browser.csrf_token(), **data}
                response = self.browser.client.post(path, data=sent)
        problems = []
        if response.status_code != visit.status:
            problems.append(f"{response.status_code}, wanted {visit.status}")
        elif not 300 <= response.status_code < 400 and len(recorder.rendered) == rendered_before:
            problems.append("no template was rendered")
        return [f"{visit.method} {path}: {problem}" for problem in problems]


def _invitation(world: World, email: str) -> str:
    """The token of a new invitation to Northshire for `email`."""
    outbox = emptied_outbox(world.app)
    with world.app.test_request_context():
        one_time_links.invite(world.organisation(), email, "editor", invited_by=world.user("admin"))
    return link_in(outbox[-1]).rsplit("/", 1)[1]


def _password_reset(world: World, email: str) -> str:
    outbox = emptied_outbox(world.app)
    with world.app.test_request_context():
        one_time_links.request_password_reset(email)
    return link_in(outbox[-1]).rsplit("/", 1)[1]


def _give_second_factor(world: World, who: str) -> str:
    """Turn on a second factor for `who` as the set-up page does; its secret."""
    with world.app.app_context():
        secret = second_factor.new_secret()
        second_factor.turn_on(world.user(who), secret, pyotp.TOTP(secret).now())
    return secret


def _review_dates(world: World, *, overdue: str, due_soon: str) -> None:
    today = date.today()
    with world.app.app_context():
        world.load(overdue).next_review_due = today - timedelta(days=10)
        world.load(due_soon).next_review_due = today + timedelta(days=10)
        db.session.commit()


def _feedback(world: World, reference: str) -> None:
    """A vote, and a reported problem resolved with a public response."""
    report(world, reference, text="The phone number is wrong.")
    with world.app.app_context():
        entry = world.load(reference)
        version = entry.current_version
        feedback.record_vote(entry, version, useful=True)
        item = db.session.scalar(select(Feedback).where(Feedback.entry_id == entry.id))
        feedback.resolve(item, world.user("publisher"), "Corrected, thank you.")


def _register(world: World) -> tuple[Guarded, dict[str, Any], str]:
    """Entries in every state, feedback, a token, an upload, invitations, a password reset
    link and a person with a second factor."""
    guarded = build(world)
    names = dict(guarded.names)
    names["two_versions"] = world.entry("published")
    bought = {"built_by": "external_supplier", "supplier_name": "Roadscan Vision Ltd"}
    revise(
        world,
        names["two_versions"],
        {"title": "Pothole triage with photographs", **bought, "product_name": "Roadscan"},
    )
    names["retired"] = world.entry("published")
    retire(world, names["retired"], "Replaced by the new highways system.")
    names["withdrawn"] = world.entry("published")
    withdraw(world, names["withdrawn"], "Published in error.")
    names["other_entry"] = world.entry(
        "published", organisation="Southvale Police", author="outside_editor"
    )
    world.entry("in_review", organisation="Southvale Police", author="outside_editor")
    # Northshire does not let a publisher publish their own submission.
    names["own_submission"] = world.entry("in_review", author="publisher")
    names["revision_in_review"] = world.entry("published")
    revise(
        world,
        names["revision_in_review"],
        {"title": "Pothole triage with photographs"},
        rows={"risks": [{"name": "Missed potholes", "category": "accuracy_reliability"}]},
        publish=False,
    )
    with world.app.app_context():
        publishing.submit(world.load(names["revision_in_review"]), world.user("editor"))
    _review_dates(world, overdue=names["published"], due_soon=names["two_versions"])
    _feedback(world, names["two_versions"])
    names["invitation"] = _invitation(world, "new.person@ns.example")
    names["member_invitation"] = _invitation(world, PEOPLE["outside_editor"][0])
    names["reset"] = _password_reset(world, PEOPLE["editor"][0])
    secret = _give_second_factor(world, "second_publisher")
    with world.app.app_context():
        names["admin_id"] = world.user("admin").id
        names["second_id"] = world.user("second_publisher").id
    return guarded, names, secret


def _signed_in_with_code(world: World, who: str, secret: str) -> ClientRequest:
    browser = ClientRequest(world.app.test_client())
    browser.post("/sign-in", {"email": PEOPLE[who][0], "password": TEST_PASSWORD}, 302)
    with world.app.app_context():
        used = world.user(who).totp_last_step or 0
    totp = pyotp.TOTP(secret)
    code = totp.generate_otp(max(totp.timecode(datetime.now(UTC)), used + 1))
    response = browser.post("/sign-in/code", {"code": code}, 302)
    assert response.headers["Location"] == "/manage"
    return browser


def _tour(world: World, who: str | None) -> Tour:
    guarded, names, secret = _register(world)
    if who == "second_publisher":
        browser = _signed_in_with_code(world, who, secret)
    else:
        browser = world.client(who)
    return Tour(guarded, names, browser)


# The tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", list(TOURS), ids=[who or "reader" for who in TOURS])
def test_no_template_sends_a_query(world: World, recorder: Recorder, who: str | None) -> None:
    """Each page is made from what its view loaded: drawing it sends nothing to the
    database, on any page, whoever looks at it and whatever they just sent."""
    tour = _tour(world, who)
    wrong = [problem for visit in TOURS[who] for problem in tour.take(visit, recorder)]
    assert not wrong, "The tour did not go as planned:\n  " + "\n  ".join(wrong)
    assert not recorder.queries, (
        f"Templates sent {len(recorder.queries)} statements while rendering:\n" + recorder.report()
    )


class _AnyName(dict):
    """Fills every name of a visit's path with the same example value."""

    def __missing__(self, key: str) -> str:
        return "1"


def test_the_tour_visits_every_page(app: Flask) -> None:
    """Every GET and POST of every rule is on the tour or said to render no template."""
    adapter = app.url_map.bind("register.example")
    visited = set()
    for visits in TOURS.values():
        for visit in visits:
            path = visit.path.split("?")[0].format_map(_AnyName())
            try:
                endpoint, _ = adapter.match(path, method=visit.method)
            except HTTPException:
                continue  # an error page: no rule answers the address or the method
            visited.add((endpoint, visit.method))
    missing = sorted(
        f"{method} {rule.rule} ({rule.endpoint})"
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods & {"GET", "POST"})
        if (rule.endpoint, method) not in visited and not _renders_no_template(rule.endpoint)
    )
    assert not missing, (
        "Add these to a tour in tests/test_template_queries.py, or to RENDER_NO_TEMPLATE if "
        "they render no template:\n  " + "\n  ".join(missing)
    )
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    names = endpoints | {endpoint.split(".")[0] for endpoint in endpoints}
    stale = sorted(set(RENDER_NO_TEMPLATE) - names)
    assert not stale, f"RENDER_NO_TEMPLATE names what no longer exists: {stale}"


def test_the_addresses_left_off_the_tour_render_no_template(
    app: Flask, world: World, recorder: Recorder
) -> None:
    """Each rule said to render no template is asked for as an example, and renders none."""
    guarded = build(world)
    browser = world.client(None)
    rendering = []
    for rule in app.url_map.iter_rules():
        if not _renders_no_template(rule.endpoint):
            continue
        path = guarded.url(ROUTES[rule.endpoint].example)
        for method in sorted(rule.methods & {"GET", "POST", "PUT", "PATCH", "DELETE"}):
            before = len(recorder.rendered)
            browser.client.open(path, method=method, buffered=True)
            if len(recorder.rendered) > before:
                rendering.append(f"{method} {path}: {recorder.rendered[before:]}")
    assert not rendering, "These render a template, so belong on the tour:\n  " + "\n  ".join(
        rendering
    )

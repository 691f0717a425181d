"""A person using the register over HTTP, as a browser would: a cookie jar, forms fetched
before they are sent (their CSRF token and lock version read from the page), and the
workflow's steps with the outcome the person would see.

Built on the standard library's HTTP client, so that many can run at once in threads and a
killed server shows up as a connection error rather than a hang.
"""

from __future__ import annotations

import http.client
import json
import re
import secrets
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import Message
from html import unescape
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

from register import schema
from register.schema import Kind

from ..factories import publishable_values

TIMEOUT = 30
PUBLISHED = re.compile(r"Version (\d+) of ([A-Z]+-\d+) is published\.")
CONFLICT = "Someone else saved changes to this entry after you opened it."


class Inputs(HTMLParser):
    """The `<input>` elements of a page, as attribute dictionaries, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "input":
            self.found.append({name: value or "" for name, value in attrs})


@dataclass
class Answer:
    """What the server answered: status, headers and the body as text."""

    method: str
    path: str
    status: int
    headers: Message
    text: str

    @property
    def location(self) -> str:
        """The path a redirect points to (the register redirects within itself)."""
        return urlsplit(self.headers.get("Location", "")).path

    def inputs(self) -> list[dict[str, str]]:
        parser = Inputs()
        parser.feed(self.text)
        return parser.found

    def hidden(self) -> dict[str, str]:
        """The first value of each hidden input: the CSRF token and the lock version."""
        found: dict[str, str] = {}
        for attributes in self.inputs():
            if attributes.get("type") == "hidden" and "name" in attributes:
                found.setdefault(attributes["name"], attributes.get("value", ""))
        return found

    def json(self) -> Any:
        return json.loads(self.text)

    def says(self, text: str) -> bool:
        return text in unescape(self.text)

    def __str__(self) -> str:
        return f"{self.method} {self.path}: {self.status}"


class Visitor:
    """One browser: its own cookies, used by one thread at a time (or two, for a double
    click), against one server; `server` can be changed to move it to another."""

    def __init__(self, server: str, headers: Mapping[str, str] | None = None) -> None:
        self.server = server
        self.headers = dict(headers or {})
        self.cookies: dict[str, str] = {}
        self.requests = 0
        # Every answer a correct register never gives (5xx), whatever the caller expected.
        self.server_errors: list[str] = []
        self._lock = threading.Lock()

    def request(self, method: str, path: str, form: Mapping[str, Any] | None = None) -> Answer:
        address = urlsplit(self.server)
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=TIMEOUT)
        headers = dict(self.headers)
        with self._lock:
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        answer = Answer(method, path, response.status, response.headers, text)
        with self._lock:
            self.requests += 1
            if answer.status >= 500:
                self.server_errors.append(str(UnexpectedAnswer(answer)))
        return answer

    def _keep_cookies(self, set_cookies: Sequence[str]) -> None:
        # Kept whatever their Secure flag says: over plain HTTP on loopback, these tests play
        # the proxy that terminates HTTPS.
        with self._lock:
            for header in set_cookies:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value

    def twin(self) -> Visitor:
        """Another tab of this browser, for a double click: the same cookies to start with,
        then kept apart, so that each sees the answer to its own request."""
        twin = Visitor(self.server, self.headers)
        with self._lock:
            twin.cookies = dict(self.cookies)
        twin.server_errors = self.server_errors  # reported as this browser's
        return twin

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: Mapping[str, Any]) -> Answer:
        return self.request("POST", path, form)

    def follow(self, answer: Answer) -> Answer:
        """The page a redirect leads to (where any message about the action is shown)."""
        assert answer.status in (302, 303), f"{answer} is not a redirect"
        return self.get(answer.location)

    def page(self, path: str) -> Answer:
        answer = self.get(path)
        if answer.status != 200:
            raise UnexpectedAnswer(answer)
        return answer

    def send_form(self, page: Answer | str, action: str, answers: Mapping[str, Any]) -> Answer:
        """Send the form on `page` (fetched first if a path) to `action`, with its hidden
        inputs (CSRF token, lock version) as the page gave them, and `answers`."""
        if isinstance(page, str):
            page = self.page(page)
        return self.post(action, {**page.hidden(), **answers})

    def sign_in(self, email: str, password: str) -> None:
        answer = self.send_form("/sign-in", "/sign-in", {"email": email, "password": password})
        if answer.status != 302 or answer.location != "/manage":
            raise UnexpectedAnswer(answer)


class UnexpectedAnswer(AssertionError):
    """The server answered something no correct register answers to that request."""

    def __init__(self, answer: Answer) -> None:
        main = answer.text[answer.text.find("<main") :] if "<main" in answer.text else answer.text
        excerpt = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))[:400]
        super().__init__(f"{answer}; {excerpt}")
        self.answer = answer


# The workflow, one step at a time, as a person clicks through it --------------------------


def answers_for(section: str, marker: str = "") -> dict[str, Any]:
    """Publishable answers to one section's questions, as the form sends them; with a
    `marker`, every free-text answer of the section carries it, so a half-saved section
    would show."""
    values = publishable_values()
    form: dict[str, Any] = {"save_and_continue": "Save and continue"}
    for field in schema.section(section).fields:
        value = values.get(field.name)
        if field.kind is Kind.BOOLEAN and value is not None:
            value = "yes" if value else "no"
        # A marked answer must still be valid: a field of a set form (a pattern) keeps its own.
        if marker and field.kind in (Kind.TEXT, Kind.LONG_TEXT) and not field.pattern:
            value = f"{marker} {value or field.label}"[: field.max_length]
        if value is not None and field.kind is not Kind.ORGANISATION:
            form[field.name] = value
    return form


def marker_of(text: str | None) -> str:
    """The marker a marked answer starts with."""
    return (text or "").split(" ", 1)[0]


def create_entry(visitor: Visitor) -> str:
    """Start a new entry, with a title of its own (the same title again, moments later, would
    be taken for a second press of the button); its reference."""
    page = visitor.page("/manage/entries/new")
    organisation = next(i["value"] for i in page.inputs() if i.get("name") == "organisation")
    title = f"Entry {secrets.token_hex(4)}"
    answer = visitor.send_form(
        page, "/manage/entries/new", {"organisation": organisation, "title": title}
    )
    if answer.status != 302 or not answer.location.startswith("/manage/entries/"):
        raise UnexpectedAnswer(answer)
    return answer.location.rsplit("/", 1)[1]


def open_section(visitor: Visitor, reference: str, section: str) -> Answer:
    return visitor.page(f"/manage/entries/{reference}/{section}")


def save_section(
    visitor: Visitor, reference: str, section: str, form: Mapping[str, Any], page: Answer
) -> str:
    """Send a section's form opened as `page`: "saved", "conflict" (someone saved since the
    page was opened; nothing changed) or "refused" (the entry cannot be changed now)."""
    answer = visitor.send_form(page, f"/manage/entries/{reference}/{section}", form)
    return _saving(answer, reference)


def _saving(answer: Answer, reference: str) -> str:
    """How sending a form that changes the draft went, by where it led."""
    if answer.status == 302:
        # Not editable now: back to the task list. Saved: on to the next page.
        return "refused" if answer.location == f"/manage/entries/{reference}" else "saved"
    if answer.status == 200 and answer.says(CONFLICT):
        return "conflict"
    raise UnexpectedAnswer(answer)


def fill_in(visitor: Visitor, reference: str, marker: str = "") -> int:
    """Answer every section so the entry can be published; how many saves were made."""
    saves = 0
    for section in schema.SECTIONS:
        if not any(field.required for field in section.fields):
            continue
        page = open_section(visitor, reference, section.slug)
        outcome = save_section(
            visitor, reference, section.slug, answers_for(section.slug, marker), page
        )
        if outcome != "saved":
            raise AssertionError(f"saving {section.slug} of {reference}: {outcome}")
        saves += 1
    return saves


def add_risk(visitor: Visitor, reference: str, name: str) -> str:
    """Add a risk row: "saved", "conflict" or "refused"."""
    path = f"/manage/entries/{reference}/risks/add"
    page = visitor.get(path)
    if page.status == 302:
        return "refused"
    answer = visitor.send_form(
        page, path, {"name": name, "category": "accuracy_reliability", "description": name}
    )
    return _saving(answer, reference)


def _step(visitor: Visitor, page: Answer, action: str, form: Mapping[str, Any]) -> Answer:
    """Send a workflow form; the page its redirect leads to, which tells how it went."""
    answer = visitor.send_form(page, action, form)
    if answer.status != 302:
        raise UnexpectedAnswer(answer)
    return visitor.follow(answer)


def submit(visitor: Visitor, reference: str, page: Answer | None = None) -> bool:
    """Submit for review; whether it was (rather than refused, say as already submitted)."""
    page = page or visitor.page(f"/manage/entries/{reference}/check")
    shown = _step(visitor, page, f"/manage/entries/{reference}/submit", {})
    return shown.says("The entry has been submitted for review.")


def publish(
    visitor: Visitor, reference: str, note: str = "", page: Answer | None = None
) -> int | None:
    """Publish a submitted entry; the version number published, or None if refused."""
    page = page or visitor.page(f"/manage/entries/{reference}/review")
    action = f"/manage/entries/{reference}/review/publish"
    found = PUBLISHED.search(_step(visitor, page, action, {"change_note": note}).text)
    return int(found.group(1)) if found and found.group(2) == reference else None


def start_revision(visitor: Visitor, reference: str, page: Answer | None = None) -> bool:
    """Start a new version of a published entry; whether it was started."""
    page = page or visitor.page(f"/manage/entries/{reference}")
    shown = _step(visitor, page, f"/manage/entries/{reference}/revise", {})
    return shown.says("You are now editing a new version.")


def retire(visitor: Visitor, reference: str, reason: str, page: Answer | None = None) -> bool:
    """Record the tool as retired; whether it was."""
    path = f"/manage/entries/{reference}/retire"
    page = page or visitor.page(path)
    answers = {"retirement_reason": reason, "retired_on": ""}
    # Continue shows what the public will read; the person then confirms from that page.
    preview = visitor.send_form(page, path, {**answers, "check": "Continue"})
    if preview.status == 302:  # refused, say as someone else retired it first
        return visitor.follow(preview).says("The tool is recorded as retired.")
    if preview.status != 200 or not preview.says("What the public will see"):
        raise UnexpectedAnswer(preview)
    shown = _step(visitor, preview, path, {**answers, "retire": "Retire this tool"})
    return shown.says("The tool is recorded as retired.")

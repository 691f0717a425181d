"""Cross-site request forgery: no other site can make a browser change anything here.

Every route that accepts POST, PUT, PATCH or DELETE is found in the URL map and must refuse
a request without the session's CSRF token (Flask-WTF, switched on as in production),
unless it is listed below with the protection it has instead: the feedback forms carry a
signed token of their own and check where the post came from (readers get no cookie), and
the submission API takes a bearer token and refuses cookies, so a forged browser request
carries nothing it would accept.
"""

from __future__ import annotations

import logging

import pytest

from register.extensions import limiter

from ..feedback_world import report_form, useful_form
from ..manage_world import WORLD
from .guarded_world import built, changed_tables, fingerprint
from .test_permissions import ROUTES, TOKEN_API

world = WORLD

CHANGING_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
FEEDBACK_FORMS = {"feedback.useful", "feedback.report"}
# Email alerts' forms sign their own token too; RFC 8058's one-click unsubscribe takes none.
ALERT_FORMS = {"alerts.subscribe", "alerts.confirm", "alerts.unsubscribe_button"}
ONE_CLICK_UNSUBSCRIBE = "alerts.one_click_unsubscribe"


def protection(endpoint: str) -> str:
    """How a route is protected against forged requests."""
    if endpoint in FEEDBACK_FORMS or endpoint in ALERT_FORMS:
        return "signed form token and Origin/Sec-Fetch-Site check"
    if endpoint == ONE_CLICK_UNSUBSCRIBE:
        return "the signed link is the permission; it can only delete its own subscription"
    route = ROUTES.get(endpoint)
    if route is not None and route.access is TOKEN_API:
        return "bearer token only; cookies are refused"
    return "session CSRF token"


def session_protected(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, example address) for every change that needs the CSRF token."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.endpoint):
        if protection(rule.endpoint) != "session CSRF token":
            continue
        for method in sorted(rule.methods & CHANGING_METHODS):
            example = ROUTES[rule.endpoint].example if rule.endpoint in ROUTES else None
            found.append((rule.endpoint, method, example))
    return found


def test_csrf_protection_is_switched_on(app):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    assert app.config.get("WTF_CSRF_CHECK_DEFAULT", True) is True


def test_every_changing_route_has_a_protection(app):
    unclassified = [e for e, _method, example in session_protected(app) if example is None]
    assert not unclassified, (
        f"Classify {sorted(set(unclassified))} in tests/security/test_permissions.py first"
    )


@pytest.fixture
def guarded(world):
    return built(world)


@pytest.fixture
def csrf_log(caplog):
    """Flask-WTF logs each refusal."""
    caplog.set_level(logging.INFO, logger="flask_wtf.csrf")
    return caplog


def _refused_by_csrf(csrf_log) -> bool:
    return any(record.name == "flask_wtf.csrf" for record in csrf_log.records)


def _other_sessions_token(guarded) -> str:
    return guarded.world.client("publisher").csrf_token("/account/password")


TOKENS = {
    "no token": lambda guarded: None,
    "another session's token": _other_sessions_token,
    "a made-up token": lambda guarded: "IjAwMDAi.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb",
}


@pytest.mark.parametrize("who", ["admin", None], ids=["administrator", "anonymous"])
@pytest.mark.parametrize("token", list(TOKENS))
def test_a_change_without_the_sessions_csrf_token_is_refused_and_changes_nothing(
    app, guarded, csrf_log, token, who
):
    """Sent as an administrator (who may do nearly everything) and as nobody, with a form
    that would otherwise be accepted where it can be, so only the CSRF check refuses it."""
    browser = guarded.world.client(who)
    if who is None:
        browser.csrf_token("/sign-in")  # the session holds a token of its own
    sent = TOKENS[token](guarded)
    failures = []
    for endpoint, method, example in session_protected(app):
        if example is None:
            continue  # unclassified: test_every_changing_route_has_a_protection says so
        url = guarded.url(example)
        data = {"title": "Forged", "name": "Forged", "reason": "Forged", "role": "publisher"}
        if sent is not None:
            data["csrf_token"] = sent
        csrf_log.clear()
        before = fingerprint(app)
        response = browser.client.open(url, method=method, data=data)
        if response.status_code != 400 or not _refused_by_csrf(csrf_log):
            failures.append(f"{endpoint} {method} {url}: {response.status_code}")
        changed = changed_tables(before, fingerprint(app))
        if changed:
            failures.append(f"{endpoint} {method} {url}: changed {changed}")
    assert not failures, "Not refused by the CSRF check:\n  " + "\n  ".join(failures)


def test_the_same_forms_with_the_token_get_past_the_csrf_check(app, guarded, csrf_log):
    """The control for the test above: with its session's token, each request gets past
    the CSRF check (whatever the view then makes of the form)."""
    browser = guarded.world.client("admin")
    token = browser.csrf_token("/account/password")
    refused = []
    for endpoint, method, example in session_protected(app):
        if example is None:
            continue
        csrf_log.clear()
        browser.client.open(guarded.url(example), method=method, data={"csrf_token": token})
        if _refused_by_csrf(csrf_log):
            refused.append(endpoint)
    assert not refused


# The feedback forms' own protection ------------------------------------------------------


@pytest.fixture
def entries(world):
    world.entry("published")
    world.entry("published")
    return world


def _forged(entries, form: str, change: str) -> tuple[str, dict, dict]:
    """The form as a visitor's browser would send it, changed as an attacker would."""
    visitor = entries.client(None)
    if form == "useful":
        url = "/entries/AIR-00001/feedback"
        data = {**useful_form(visitor, "/entries/AIR-00001"), "useful": "no"}
        other = useful_form(visitor, "/entries/AIR-00002")
    else:
        url = "/entries/AIR-00001/report-a-problem"
        data = {**report_form(visitor, "AIR-00001"), "text": "Forged report"}
        other = report_form(visitor, "AIR-00002")
    headers = {"Sec-Fetch-Site": "same-origin"}
    if change == "no token":
        del data["csrf_token"]
    elif change == "another entry's token":
        data["csrf_token"] = other["csrf_token"]
    elif change == "a forged token":
        data["csrf_token"] = data["csrf_token"][:-4] + "AAAA"
    elif change == "another version":
        data["version"] = "2"
    elif change == "sent from another site":
        headers = {"Sec-Fetch-Site": "cross-site", "Origin": "null"}
    elif change == "from another origin":
        headers = {"Origin": "https://attacker.example"}
    return url, data, headers


FORGERIES = [
    "no token",
    "another entry's token",
    "a forged token",
    "another version",
    "sent from another site",
    "from another origin",
]


@pytest.mark.parametrize("form", ["useful", "report"])
def test_a_forged_feedback_form_is_refused_and_stores_nothing(app, entries, form):
    failures = []
    for change in FORGERIES:
        with app.app_context():
            limiter.reset()  # five feedback posts a minute are allowed; this sends more
        url, data, headers = _forged(entries, form, change)
        before = fingerprint(app)
        response = entries.client(None).client.post(url, data=data, headers=headers)
        if response.status_code != 400:
            failures.append(f"{change}: {response.status_code}")
        if changed_tables(before, fingerprint(app)):
            failures.append(f"{change}: stored something")
    assert not failures, failures
    with app.app_context():
        limiter.reset()
    url, data, headers = _forged(entries, form, "none")
    assert entries.client(None).client.post(url, data=data, headers=headers).status_code == 303


# The submission API ------------------------------------------------------------------------


def test_a_signed_in_browser_cannot_use_the_submission_api(app, guarded):
    """A page on another site could make a publisher's browser post here with its cookie;
    the cookie is refused, so nothing is created."""
    if "submissions.create" not in app.view_functions:
        pytest.skip("this register has no submission API")
    browser = guarded.world.client("publisher")
    before = fingerprint(app)
    response = browser.client.post("/api/v1/submissions", json={"title": "Forged"})
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    assert changed_tables(before, fingerprint(app)) == []

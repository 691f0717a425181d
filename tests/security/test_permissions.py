"""Who may reach every route of the register, generated from the URL map.

Every rule in `app.url_map` is classified below by who may use it; a rule missing from the
table fails `test_every_route_is_classified`, so a new page cannot be forgotten. Then every
route is requested by each person (not signed in, an editor and a publisher of the entries'
organisation, an editor and a publisher of another organisation, an administrator): pages
answer with the status their class promises, nothing but a permitted page shows a draft's
title, every response carries the security headers, and every refused POST, PUT, PATCH or
DELETE (sent with a valid CSRF token, so only the permission check can refuse it) leaves
every table as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import pytest

from register.extensions import limiter

from ..conftest import ClientRequest
from ..manage_world import WORLD
from .guarded_world import (
    PEOPLE,
    SECRET,
    built,
    changed_tables,
    fingerprint,
    header_problems,
)
from .markup import markup_problems, nonce_of

world = WORLD

SIGN_IN = "sign in"  # redirected to the sign-in page, with the address to come back to
HOME = "to dashboard"  # already signed in: sent on to /manage
BACK_TO_SIGN_IN = "back to sign in"  # no correct password a moment ago: sign in first


@dataclass(frozen=True, eq=False)
class Access:
    """Who may use a class of routes: the status each person gets."""

    name: str
    statuses: dict[str | None, int | str]
    # Whether a permitted person may see drafts' titles on these pages.
    shows_drafts: bool = False

    def status(self, who: str | None) -> int | str:
        return self.statuses[who]


def _everyone(status: int | str) -> dict[str | None, int | str]:
    return dict.fromkeys(PEOPLE, status)


def _signed_in(**statuses: int | str) -> dict[str | None, int | str]:
    return {None: SIGN_IN, **{who: statuses.get(who, 200) for who in PEOPLE if who}}


OUTSIDERS_404 = {"outside_editor": 404, "outside_publisher": 404}

PUBLIC = Access("public page", _everyone(200))
GUESTS = Access("sign-in page", {**_everyone(HOME), None: 200})
SECOND_STEP = Access(
    "sign-in code step (only after a correct password)",
    {**_everyone(HOME), None: BACK_TO_SIGN_IN},
)
PROVIDER_CALLBACK = Access(
    "where an organisation's provider sends people back (only after starting a sign-in)",
    {**_everyone(HOME), None: 403},
)
OPEN_DATA = Access("open data (read-only, any site)", _everyone(200))
# A snapshot is open data too; the example names one never taken, which nobody finds.
SNAPSHOT = Access("open data file by name (an unknown name finds nothing)", _everyone(404))
STATIC = Access("static file", _everyone(200))
# A page about a thing by its name; the example names none, which nobody finds.
UNKNOWN_NAME = Access("public page by name (an unknown name finds nothing)", _everyone(404))
ONE_TIME_LINK = Access("one-time emailed link (an unknown token finds nothing)", _everyone(404))
TOKEN_API = Access("submission API: bearer token only, never a cookie", _everyone(401))
SIGNED_IN = Access("anyone signed in", _signed_in(), shows_drafts=True)
ENTRY_MEMBER = Access(
    "members of the entry's organisation", _signed_in(**OUTSIDERS_404), shows_drafts=True
)
ENTRY_PUBLISHER = Access(
    "publishers of the entry's organisation",
    _signed_in(editor=403, **OUTSIDERS_404),
    shows_drafts=True,
)
ENTRY_ADMINISTRATOR = Access(
    "administrators, on an entry",
    _signed_in(editor=403, publisher=403, **OUTSIDERS_404),
    shows_drafts=True,
)
IMPORT_PUBLISHER = Access(
    "publishers of the organisations of an import's entries",
    _signed_in(editor=404, **OUTSIDERS_404),
    shows_drafts=True,
)
FEEDBACK_PUBLISHER = Access(
    "publishers of the organisation the feedback is about",
    _signed_in(editor=404, **OUTSIDERS_404),
)
FEEDBACK_ADMINISTRATOR = Access(
    "administrators, on feedback", _signed_in(editor=404, publisher=403, **OUTSIDERS_404)
)
ORGANISATION_PUBLISHER = Access(
    "publishers of the organisation",
    _signed_in(editor=403, outside_editor=403, outside_publisher=403),
)
ANY_PUBLISHER = Access("publishers of any organisation", _signed_in(editor=403, outside_editor=403))
BULK_PUBLISHER = Access(
    "publishers of any organisation, on the entries of theirs they choose",
    _signed_in(editor=403, outside_editor=403),
    shows_drafts=True,
)
UPLOADER = Access(
    "the person who uploaded the file",
    _signed_in(editor=403, outside_editor=403, outside_publisher=404, admin=404),
)
CHECKER = Access(
    "the person whose file is being checked (to anyone else, there is no such check)",
    _signed_in(editor=404, outside_editor=404, outside_publisher=404, admin=404),
)
ADMINISTRATOR = Access(
    "register administrators",
    _signed_in(editor=403, publisher=403, outside_editor=403, outside_publisher=403),
)


@dataclass(frozen=True)
class Route:
    access: Access
    example: str  # the address requested, with names from `guarded_world.build`


R = Route
DRAFT = "/manage/entries/{draft}"
IN_REVIEW = "/manage/entries/{in_review}"
PUBLISHED = "/manage/entries/{published}"

# Every rule of the URL map, by endpoint. A new route must be added here.
ROUTES: dict[str, Route] = {
    # Public pages
    "public.home": R(PUBLIC, "/"),
    "public.accessibility": R(PUBLIC, "/accessibility"),
    "public.privacy": R(PUBLIC, "/privacy"),
    "listing.entries": R(PUBLIC, "/entries"),
    "organisations.index": R(PUBLIC, "/organisations"),
    "organisations.organisation": R(PUBLIC, "/organisations/{slug}"),
    "organisations.coverage_page": R(PUBLIC, "/coverage"),
    "suppliers.index": R(PUBLIC, "/suppliers"),
    "suppliers.supplier": R(UNKNOWN_NAME, "/suppliers/no-such-supplier"),
    "organisations.coverage_json": R(OPEN_DATA, "/coverage.json"),
    "entry_pages.entry": R(PUBLIC, "/entries/{published}"),
    "entry_pages.versions": R(PUBLIC, "/entries/{published}/versions"),
    "entry_pages.version": R(PUBLIC, "/entries/{published}/versions/1"),
    "entry_pages.changes": R(PUBLIC, "/entries/{published}/versions/1/changes"),
    "entry_pages.print_entry": R(PUBLIC, "/entries/{published}/print"),
    "feedback.useful": R(PUBLIC, "/entries/{published}/feedback"),
    "feedback.report": R(PUBLIC, "/entries/{published}/report-a-problem"),
    "feedback.thanks": R(PUBLIC, "/entries/{published}/feedback/thanks?version=1"),
    "alerts.subscribe": R(PUBLIC, "/alerts/subscribe?organisation={slug}"),
    "alerts.check_email": R(PUBLIC, "/alerts/check-your-email"),
    "alerts.unsubscribed": R(PUBLIC, "/alerts/unsubscribed"),
    "alerts.confirm": R(ONE_TIME_LINK, "/alerts/confirm/not-a-real-token"),
    "alerts.unsubscribe": R(ONE_TIME_LINK, "/alerts/unsubscribe/not-a-real-token"),
    "alerts.one_click_unsubscribe": R(ONE_TIME_LINK, "/alerts/unsubscribe/not-a-real-token"),
    "alerts.unsubscribe_button": R(ONE_TIME_LINK, "/alerts/unsubscribe/not-a-real-token/confirm"),
    "statistics.stats": R(PUBLIC, "/stats"),
    "open_data.open_data": R(PUBLIC, "/open-data"),
    "open_data.api_page": R(PUBLIC, "/api"),
    "static": R(STATIC, "/static/js/register.js"),
    # Open data: downloads, feeds, the read API
    "statistics.stats_json": R(OPEN_DATA, "/stats.json"),
    "downloads.entries_csv": R(OPEN_DATA, "/entries.csv"),
    "downloads.entries_json": R(OPEN_DATA, "/entries.json"),
    "downloads.entry_csv": R(OPEN_DATA, "/entries/{published}.csv"),
    "downloads.entry_json": R(OPEN_DATA, "/entries/{published}.json"),
    "downloads.entry_standard": R(
        OPEN_DATA, "/entries/{published}/standards/us-inventory-2025.csv"
    ),
    "downloads.register_standard": R(OPEN_DATA, "/download/standards/us-inventory-2025.csv"),
    "downloads.register_zip": R(OPEN_DATA, "/download/register.zip"),
    "downloads.datapackage": R(OPEN_DATA, "/download/datapackage.json"),
    "downloads.table_csv": R(OPEN_DATA, "/download/entries.csv"),
    "downloads.entries_ndjson": R(OPEN_DATA, "/entries.ndjson"),
    "downloads.table_parquet": R(OPEN_DATA, "/download/entries.parquet"),
    "downloads.catalogue_jsonld": R(OPEN_DATA, "/download/catalogue.jsonld"),
    "downloads.snapshot": R(SNAPSHOT, "/download/snapshots/register-2001-01-01.zip"),
    "downloads.snapshot_sums": R(OPEN_DATA, "/download/snapshots/SHA256SUMS"),
    "downloads.citation_file": R(OPEN_DATA, "/download/CITATION.cff"),
    "feeds.entries_feed": R(OPEN_DATA, "/entries.atom"),
    "feeds.organisation_feed": R(OPEN_DATA, "/organisations/{slug}.atom"),
    "feeds.robots": R(OPEN_DATA, "/robots.txt"),
    "feeds.sitemap": R(OPEN_DATA, "/sitemap.xml"),
    "feeds.sitemap_pages": R(OPEN_DATA, "/sitemaps/pages.xml"),
    "feeds.sitemap_entries": R(OPEN_DATA, "/sitemaps/entries-1.xml"),
    "api.index": R(OPEN_DATA, "/api/v1"),
    "api.entries": R(OPEN_DATA, "/api/v1/entries"),
    "api.entry": R(OPEN_DATA, "/api/v1/entries/{published}"),
    "api.versions": R(OPEN_DATA, "/api/v1/entries/{published}/versions"),
    "api.entry_version": R(OPEN_DATA, "/api/v1/entries/{published}/versions/1"),
    "api.organisations": R(OPEN_DATA, "/api/v1/organisations"),
    "api.vocabularies": R(OPEN_DATA, "/api/v1/vocabularies"),
    "api.vocabulary": R(OPEN_DATA, "/api/v1/vocabularies/status"),
    "api.statistics": R(OPEN_DATA, "/api/v1/statistics"),
    "api.changes": R(OPEN_DATA, "/api/v1/changes"),
    "api.record_schema": R(OPEN_DATA, "/api/v1/schema.json"),
    "api.openapi": R(OPEN_DATA, "/api/v1/openapi.json"),
    # Signing in, and the links sent by email
    "auth.sign_in": R(GUESTS, "/sign-in"),
    "auth.sign_out": R(PUBLIC, "/sign-out"),
    "auth.provider_callback": R(PROVIDER_CALLBACK, "/sign-in/callback"),
    "auth.change_password": R(SIGNED_IN, "/account/password"),
    "auth.stay_signed_in": R(SIGNED_IN, "/stay-signed-in"),
    "account.emails": R(SIGNED_IN, "/account/emails"),
    "second_factor.enter_code": R(SECOND_STEP, "/sign-in/code"),
    "second_factor.recovery_code": R(SECOND_STEP, "/sign-in/recovery-code"),
    "second_factor.overview": R(SIGNED_IN, "/account/second-factor"),
    "second_factor.set_up": R(SIGNED_IN, "/account/second-factor/set-up"),
    "second_factor.new_recovery_codes": R(SIGNED_IN, "/account/second-factor/recovery-codes"),
    "second_factor.renew_recovery_codes": R(SIGNED_IN, "/account/second-factor/recovery-codes"),
    "second_factor.turn_off": R(SIGNED_IN, "/account/second-factor/turn-off"),
    "account.forgot_password": R(PUBLIC, "/forgot-password"),
    "account.reset_link_sent": R(PUBLIC, "/forgot-password/sent"),
    "account.reset_password": R(ONE_TIME_LINK, "/reset-password/not-a-real-token"),
    "account.password_reset_done": R(PUBLIC, "/reset-password/done"),
    "account.invitation": R(ONE_TIME_LINK, "/invitations/not-a-real-token"),
    # Managing entries
    "manage.dashboard": R(SIGNED_IN, "/manage"),
    "manage.new_entry": R(SIGNED_IN, "/manage/entries/new"),
    "manage.find_entry_to_copy": R(SIGNED_IN, "/manage/entries/copy?q=chatbot"),
    "manage.copy_entry": R(ENTRY_MEMBER, DRAFT + "/copy"),
    "manage.delete_draft": R(ENTRY_MEMBER, DRAFT + "/delete"),
    "manage.task_list": R(ENTRY_MEMBER, DRAFT),
    "manage.section": R(ENTRY_MEMBER, DRAFT + "/about"),
    "manage.add_row": R(ENTRY_MEMBER, DRAFT + "/risks/add"),
    "manage.change_row": R(ENTRY_MEMBER, DRAFT + "/risks/1"),
    "manage.remove_row": R(ENTRY_MEMBER, DRAFT + "/risks/1/remove"),
    "manage.check": R(ENTRY_MEMBER, DRAFT + "/check"),
    "manage.print_entry": R(ENTRY_MEMBER, DRAFT + "/print"),
    "manage.submit": R(ENTRY_MEMBER, DRAFT + "/submit"),
    "manage.start_revision": R(ENTRY_MEMBER, PUBLISHED + "/revise"),
    "manage.history": R(ENTRY_PUBLISHER, DRAFT + "/history"),
    "manage.review": R(ENTRY_PUBLISHER, IN_REVIEW + "/review"),
    "manage.publish": R(ENTRY_PUBLISHER, IN_REVIEW + "/review/publish"),
    "manage.send_back": R(ENTRY_PUBLISHER, IN_REVIEW + "/review/send-back"),
    "manage.retire": R(ENTRY_PUBLISHER, PUBLISHED + "/retire"),
    "manage.review_date": R(ENTRY_PUBLISHER, PUBLISHED + "/review-date"),
    "manage.still_accurate": R(ENTRY_PUBLISHER, PUBLISHED + "/still-accurate"),
    "manage.withdraw": R(ENTRY_ADMINISTRATOR, PUBLISHED + "/withdraw"),
    "manage.feedback_item": R(FEEDBACK_PUBLISHER, "/manage/feedback/{feedback_id}"),
    "manage.resolve_feedback": R(FEEDBACK_PUBLISHER, "/manage/feedback/{feedback_id}/resolve"),
    "manage.hide_feedback": R(FEEDBACK_ADMINISTRATOR, "/manage/feedback/{feedback_id}/hide"),
    "manage.api_tokens": R(ORGANISATION_PUBLISHER, "/manage/organisations/{slug}/api-tokens"),
    "manage.revoke_api_token": R(
        ORGANISATION_PUBLISHER, "/manage/organisations/{slug}/api-tokens/{token_id}/revoke"
    ),
    "manage.bulk_choose": R(BULK_PUBLISHER, "/manage/bulk?action=publish&entries={in_review}"),
    "manage.bulk_confirm": R(BULK_PUBLISHER, "/manage/bulk"),
    "manage.import_upload": R(ANY_PUBLISHER, "/manage/import"),
    "manage.import_report": R(UPLOADER, "/manage/import/{import_key}"),
    "manage.import_progress": R(CHECKER, "/manage/import/progress/{progress_token}"),
    "manage.batch_review": R(IMPORT_PUBLISHER, "/manage/imports/{batch_id}/review"),
    "manage.batch_publish": R(IMPORT_PUBLISHER, "/manage/imports/{batch_id}/review/publish"),
    "manage.import_mapping_upload": R(ANY_PUBLISHER, "/manage/import/columns"),
    "manage.import_mapping_columns": R(UPLOADER, "/manage/import/columns/{mapped_key}"),
    "manage.import_mapping_preview": R(UPLOADER, "/manage/import/columns/{mapped_key}/preview"),
    # Administration
    "admin.organisations": R(ADMINISTRATOR, "/admin/organisations"),
    "admin.add_organisation": R(ADMINISTRATOR, "/admin/organisations/new"),
    "admin.edit_organisation": R(ADMINISTRATOR, "/admin/organisations/{slug}/edit"),
    "admin.people": R(ADMINISTRATOR, "/admin/organisations/{slug}/people"),
    "admin.invite": R(ADMINISTRATOR, "/admin/organisations/{slug}/people/invite"),
    "admin.change_role": R(ADMINISTRATOR, "/admin/organisations/{slug}/people/{editor_id}/role"),
    "admin.remove_person": R(
        ADMINISTRATOR, "/admin/organisations/{slug}/people/{editor_id}/remove"
    ),
    "admin.resend_invitation": R(
        ADMINISTRATOR, "/admin/organisations/{slug}/invitations/{invitation_id}/resend"
    ),
    "admin.cancel_invitation": R(
        ADMINISTRATOR, "/admin/organisations/{slug}/invitations/{invitation_id}/cancel"
    ),
    "admin.everyone": R(ADMINISTRATOR, "/admin/people"),
    "admin.administrator": R(ADMINISTRATOR, "/admin/people/{editor_id}/administrator"),
    "admin.reset_second_factor": R(ADMINISTRATOR, "/admin/people/{editor_id}/second-factor"),
    "admin.settings": R(ADMINISTRATOR, "/admin/settings"),
    "admin.organisation_sign_in": R(ADMINISTRATOR, "/admin/organisations/{slug}/sign-in"),
    "admin.register_sign_in": R(ADMINISTRATOR, "/admin/sign-in"),
    "admin.security_events": R(ADMINISTRATOR, "/admin/security-events"),
    "admin.email": R(ADMINISTRATOR, "/admin/email?state=failed"),
    "admin.retry_email": R(ADMINISTRATOR, "/admin/email/{email_id}/retry"),
    # The submission API: a bearer token in the Authorization header and nothing else.
    "submissions.submissions": R(TOKEN_API, "/api/v1/submissions"),
    "submissions.create": R(TOKEN_API, "/api/v1/submissions"),
    "submissions.submission": R(TOKEN_API, "/api/v1/submissions/{draft}"),
    "submissions.replace": R(TOKEN_API, "/api/v1/submissions/{draft}"),
    "submissions.submit": R(TOKEN_API, "/api/v1/submissions/{draft}/submit"),
    "submissions.publish": R(TOKEN_API, "/api/v1/submissions/{in_review}/publish"),
    "submissions.revision": R(TOKEN_API, "/api/v1/submissions/{published}/revision"),
}

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def rules(app):
    return sorted(app.url_map.iter_rules(), key=lambda rule: (rule.rule, rule.endpoint))


def _describe(rule) -> str:
    methods = ",".join(sorted(rule.methods - IGNORED_METHODS))
    return f"{rule.endpoint}  {methods} {rule.rule}"


def test_every_route_is_classified(app):
    """A route nobody has decided about is a route nobody has secured."""
    known = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = [_describe(rule) for rule in rules(app) if rule.endpoint not in ROUTES]
    stale = sorted(set(ROUTES) - known)
    assert not missing, (
        "These routes are not in the permission table of tests/security/test_permissions.py; "
        "add each with who may use it and an example address:\n  " + "\n  ".join(missing)
    )
    assert not stale, f"The permission table names routes that no longer exist: {stale}"


def test_every_example_address_reaches_its_own_route(app):
    """So that each row of the matrix really tests the route it names."""
    adapter = app.url_map.bind("register.example")
    wrong = []
    for rule in rules(app):
        route = ROUTES.get(rule.endpoint)
        if route is None:
            continue
        path = route.example.split("?")[0].format(
            draft="AIR-00001",
            in_review="AIR-00002",
            published="AIR-00003",
            revised="AIR-00004",
            slug="northshire",
            other_slug="southvale",
            editor_id=1,
            feedback_id=1,
            token_id=1,
            import_key="key",
            batch_id=1,
            mapped_key="key",
            progress_token="p" * 43,
            email_id=1,
            invitation_id=1,
        )
        method = _methods(rule)[0]
        try:
            endpoint, _ = adapter.match(path, method=method)
        except Exception as error:  # noqa: BLE001 - reported below
            endpoint = repr(error)
        if endpoint != rule.endpoint:
            wrong.append(f"{rule.endpoint}: {method} {path} reaches {endpoint}")
    assert not wrong, "\n".join(wrong)


def _methods(rule) -> list[str]:
    """The methods to try on a rule: GET first when it has one."""
    methods = sorted(rule.methods - IGNORED_METHODS)
    return sorted(methods, key=lambda method: method != "GET")


@pytest.fixture
def guarded(world):
    return built(world)


def _client(guarded, who: str | None) -> ClientRequest:
    return guarded.world.client(who)


def _form_token(browser: ClientRequest, who: str | None) -> str:
    """A valid CSRF token for this person's session, from a page everyone may open."""
    return browser.csrf_token("/sign-in" if who is None else "/account/password")


def _outcome(response, expected: int | str) -> str | None:
    """What is wrong with `response`, given the expected status or redirect; None if right."""
    status = response.status_code
    location = response.headers.get("Location", "")
    if expected == SIGN_IN:
        if status == 302 and location.startswith("/sign-in?next="):
            return None
        return f"{status} {location}, wanted a redirect to sign in"
    if expected == BACK_TO_SIGN_IN:
        if status == 302 and (location == "/sign-in" or location.startswith("/sign-in?")):
            return None
        return f"{status} {location}, wanted a redirect back to sign in"
    if expected == HOME:
        if status == 302 and location == "/manage":
            return None
        return f"{status} {location}, wanted a redirect to /manage"
    if status != expected:
        return f"{status}, wanted {expected}"
    return None


def _page_problems(response, access: Access, permitted: bool, look_at_markup: bool) -> list[str]:
    problems = header_problems(response)
    if SECRET in response.get_data() and not (permitted and access.shows_drafts):
        problems.append("shows a draft's title")
    if look_at_markup and response.mimetype == "text/html":
        nonce = nonce_of(response.headers.get("Content-Security-Policy", ""))
        problems += markup_problems(response.get_data(as_text=True), nonce)
    return problems


def _route_failures(app, guarded, rule, route: Route) -> list[str]:
    """Everything wrong with how `rule` treats each person."""
    url = guarded.url(route.example)
    failures = []
    markup_seen = set()
    before = fingerprint(app)
    for who in PEOPLE:
        browser = _client(guarded, who)
        expected = route.access.status(who)
        permitted = expected in (200, HOME)
        for method in _methods(rule):
            if method == "GET":
                response = browser.client.get(url)
            elif permitted:
                continue  # what a permitted change does is each feature's own tests' job
            else:
                data = {"csrf_token": _form_token(browser, who)}
                response = browser.client.open(url, method=method, data=data)
            wrong = _outcome(response, expected)
            if wrong:
                failures.append(f"{who or 'anonymous'} {method} {url}: {wrong}")
            # Each kind of answer's markup once: error pages are alike for everyone.
            look = response.status_code not in markup_seen
            markup_seen.add(response.status_code)
            for problem in _page_problems(response, route.access, permitted, look):
                failures.append(f"{who or 'anonymous'} {method} {url}: {problem}")
    # Only refused changes were sent, and GETs change nothing: every table is as it was.
    changed = changed_tables(before, fingerprint(app))
    if changed:
        failures.append(f"refused requests changed {changed}")
    return [f"{rule.endpoint}: {failure}" for failure in failures]


ACCESS_CLASSES = list(dict.fromkeys(route.access for route in ROUTES.values()))


@pytest.mark.parametrize("access", ACCESS_CLASSES, ids=[access.name for access in ACCESS_CLASSES])
def test_who_may_use_each_route(app, guarded, access):
    """Every route of a class, for everyone: one register serves them all, since nothing
    here changes it (refused changes are checked to change nothing)."""
    for who in PEOPLE:
        _client(guarded, who)  # signing in records when; do it before anything is compared
    failures = []
    for rule in rules(app):
        route = ROUTES.get(rule.endpoint)
        if route is not None and route.access == access:
            with app.app_context():
                limiter.reset()  # the many requests here are not what rate limits are for
            failures += _route_failures(app, guarded, rule, route)
    assert not failures, f"{access.name}:\n  " + "\n  ".join(failures)


def test_a_visitor_sent_to_sign_in_comes_back_to_the_page_they_asked_for(guarded):
    url = guarded.url(DRAFT + "/about")
    response = _client(guarded, None).client.get(url)
    assert response.headers["Location"] == f"/sign-in?next={quote(url, safe='')}"

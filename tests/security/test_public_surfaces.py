"""No public surface shows an entry the public may not read.

The public surfaces are found in the URL map, not listed by hand: every GET rule except the
pages for people who sign in (management, administration, accounts, signing in, emailed
links), the submission API and static files. Each is fetched with example values for its
parameters, by a visitor and by an administrator (who may read everything on the
management pages, and nothing more here), while the register holds one entry in each state
the public may not see. Neither their references nor their titles may appear in any body:
HTML, JSON, CSV, XML, Parquet or the zip of the data package; only the traces a withdrawal leaves on
purpose name a withdrawn entry's reference. A published entry in the same register
shows on the listing, so the test cannot pass on an empty register.
"""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import quote

import pyarrow.parquet as pq
import pytest

from register import publishing
from register.extensions import limiter
from register.opendata import package
from register.standards import SHAPES

from ..factories import publishable_values
from ..manage_world import WORLD

world = WORLD

# Rules for people who sign in, and files; everything else in the URL map is public.
PRIVATE = re.compile(
    r"^/(manage|admin|account|api/v1/submissions|sign-in|sign-out|invitations|reset-password"
    r"|static)(/|$)"
)

# One entry in each state the public may not see, each with a title found nowhere else.
NOT_PUBLIC = {
    "draft never submitted": "Draftonly QXJWA",
    "never published (complete, not submitted)": "Unsubmitted QXJWB",
    "submitted for review": "Awaiting QXJWC",
    "sent back": "Sentback QXJWD",
    "withdrawn": "Withdrawn QXJWE",
}
CONTROL_TITLE = "Published control QXJWF"


def _word(title: str) -> str:
    return title.split()[0]


def _entries(world) -> dict[str, str]:
    """The register's entries: reference by state, and "published" for the control."""
    titles = NOT_PUBLIC
    found = {
        "draft never submitted": world.entry(values={"title": titles["draft never submitted"]}),
        "never published (complete, not submitted)": world.entry(
            values=publishable_values(title=titles["never published (complete, not submitted)"])
        ),
        "submitted for review": world.entry(
            "in_review", values=publishable_values(title=titles["submitted for review"])
        ),
        "sent back": world.entry("in_review", values=publishable_values(title=titles["sent back"])),
        "withdrawn": world.entry("withdrawn", values=publishable_values(title=titles["withdrawn"])),
        "published": world.entry("published", values=publishable_values(title=CONTROL_TITLE)),
    }
    with world.app.app_context():
        entry = world.load(found["sent back"])
        publishing.send_back(entry, world.user("publisher"), "Say more about the data.")
    return found


def _value(argument: str, reference: str, slug: str) -> list[str]:
    """Example values for one URL parameter of a public rule."""
    examples = {
        "reference": [reference],
        "slug": [slug],
        "number": ["1"],
        "table": [table.name for table in package.tables()],
        "name": ["status"],
        "anything": ["no-such-thing"],
        "token": ["not-a-real-link"],
        "code": [shape.code for shape in SHAPES],
        "extension": sorted({writing.extension for shape in SHAPES for writing in shape.writings}),
    }
    assert argument in examples, f"a public rule has a parameter with no example: {argument}"
    return examples[argument]


def public_rules(app) -> list:
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint != "static" and not PRIVATE.match(rule.rule)
        ),
        key=lambda rule: rule.rule,
    )


def _addresses(app, rule, reference: str, slug: str) -> list[str]:
    """Every address of `rule` with example values, and a search for each hidden title
    where the rule is a search (the listing and its twins)."""
    adapter = app.url_map.bind("register.example")
    arguments = sorted(rule.arguments)
    choices: list[dict[str, str]] = [{}]
    for argument in arguments:
        choices = [
            {**chosen, argument: value}
            for chosen in choices
            for value in _value(argument, reference, slug)
        ]
    found = [adapter.build(rule.endpoint, values, method="GET") for values in choices]
    if rule.endpoint in SEARCHES:
        words = [_word(title) for title in NOT_PUBLIC.values()]
        found += [f"{found[0]}?q={quote(word)}" for word in words]
    return found


SEARCHES = {
    "listing.entries",
    "downloads.entries_csv",
    "downloads.entries_json",
    "downloads.entries_ndjson",
    "feeds.entries_feed",
    "api.entries",
    "organisations.organisation",
}


# Where a withdrawn entry leaves a trace on purpose (its reference, when, and the public
# reason, never its answers): the withdrawals table, the zip that holds it, the feeds'
# tombstones and the API's change log.
TRACES_OF_WITHDRAWALS = {
    "/download/withdrawals.csv",
    "/download/withdrawals.parquet",
    "/download/register.zip",
    "/entries.atom",
    "/organisations/{slug}.atom",
    "/api/v1/changes",
}


def _keeps_trace(url: str, slug: str) -> bool:
    return url.replace(slug, "{slug}") in TRACES_OF_WITHDRAWALS


def _bodies(response) -> list[bytes]:
    """The response's body, each file in it when it is a zip, or a Parquet file's rows as
    text (its columns are compressed, so their text is not in the bytes as sent)."""
    data = response.get_data()
    if response.mimetype == "application/vnd.apache.parquet":
        return [str(pq.read_table(io.BytesIO(data)).to_pylist()).encode()]
    if response.mimetype == "application/zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [archive.read(name) for name in archive.namelist()]
    return [data]


def _shows(response, secret: str) -> bool:
    return any(secret.encode() in body for body in _bodies(response))


@pytest.fixture
def register(world):
    references = _entries(world)
    with world.app.app_context():
        slug = world.organisation().slug
    return world, references, slug


def test_the_public_surfaces_are_found_in_the_url_map(app):
    """So that a new public page is checked below without anyone adding it here."""
    endpoints = {rule.endpoint for rule in public_rules(app)}
    assert {
        "listing.entries",
        "entry_pages.entry",
        "api.entries",
        "api.entry",
        "downloads.entries_csv",
        "downloads.register_zip",
        "downloads.table_csv",
        "feeds.entries_feed",
        "feeds.sitemap_entries",
        "organisations.organisation",
        "statistics.stats_json",
    } <= endpoints
    assert not any(endpoint.startswith(("manage.", "admin.")) for endpoint in endpoints)


@pytest.mark.parametrize("who", [None, "admin"])
def test_no_public_surface_shows_an_entry_the_public_may_not_read(app, register, who):
    world, references, slug = register
    browser = world.client(who).client
    hidden = {state: (references[state], title) for state, title in NOT_PUBLIC.items()}
    failures = []
    for rule in public_rules(app):
        own = "reference" in rule.arguments
        # Addresses of one entry are tried with each hidden entry's reference (and must not
        # find it); the others once, with the control's, since they list the register.
        for state in hidden if own else ["published"]:
            for url in _addresses(app, rule, references[state], slug):
                with app.app_context():
                    limiter.reset()  # the many requests here are not what rate limits are for
                response = browser.get(url)
                if own:
                    wanted = (404, 410) if state == "withdrawn" else (404,)
                    if response.status_code not in wanted:
                        failures.append(f"{url}: {response.status_code}, not {wanted}")
                for other, (reference, title) in hidden.items():
                    # An address may say back the reference it was asked for ("no entry
                    # AIR-00001"), and a withdrawn entry's own notice names it.
                    if reference in url:
                        if other == "withdrawn":
                            continue
                        secrets = [title]
                    elif other == "withdrawn" and _keeps_trace(url, slug):
                        secrets = [title]
                    else:
                        secrets = [reference, title]
                    failures += [
                        f"{url} ({response.status_code}) shows the {other} entry's {secret!r}"
                        for secret in secrets
                        if _shows(response, secret)
                    ]
    assert not failures, "\n".join(failures)


def test_the_published_control_entry_is_on_the_listing(register):
    world, references, _slug = register
    page = world.client(None).client.get("/entries")
    assert page.status_code == 200
    assert _shows(page, references["published"])
    assert _shows(page, CONTROL_TITLE)
    found = world.client(None).client.get(f"/entries?q={_word(CONTROL_TITLE)}")
    assert _shows(found, CONTROL_TITLE)


def test_a_withdrawn_entry_says_only_that_it_was_withdrawn(register):
    """Its own pages answer 410 and show its title and the reason, and nothing it said."""
    world, references, _slug = register
    reference = references["withdrawn"]
    page = world.client(None).client.get(f"/entries/{reference}")
    assert page.status_code == 410
    assert _shows(page, NOT_PUBLIC["withdrawn"])
    assert not _shows(page, publishable_values()["summary"])

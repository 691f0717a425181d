"""Emails in their recipient's language: a subscriber's is the page they asked for alerts on,
a person's the page they last signed in on; an invitation or a password reset goes in the
language of the page that asked for it. A Welsh email's links lead to Welsh pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from defusedxml import ElementTree
from sqlalchemy import select

from register.extensions import db
from register.models import User

from .alerts_world import ORGANISATION, confirm_link, links_in, path_of
from .conftest import TEST_PASSWORD, ClientRequest
from .emails import emptied_outbox, link_in
from .factories import publishable_values
from .manage_world import PEOPLE, WORLD, form_data
from .public_entries import revise, withdraw
from .security.test_second_factor import give_second_factor, next_code
from .sign_in_world import DOMAIN, set_up_provider
from .test_alerts_sending import _send
from .test_alerts_sending import clock as clock  # noqa: F401  # a fixture
from .test_opendata_feeds import ATOM, TOMBSTONE, atom
from .test_reminders import set_due
from .test_workflow_emails import SEND_BACK, send_back

world = WORLD

WELSH_CONFIRMATION = "Cadarnhewch eich hysbysiadau e-bost"


def _ask(world, prefix: str, email: str) -> None:
    """Ask for daily alerts about Northshire's entries on the page at `prefix` ("" or "/cy")."""
    visitor = world.client(None)
    page = visitor.get(f"{prefix}/alerts/subscribe?organisation={ORGANISATION}")
    data = {**form_data(page), "email": email, "frequency": "daily"}
    assert visitor.client.post(f"{prefix}/alerts/subscribe", data=data).status_code == 303


def _confirm(world, message) -> None:
    visitor = world.client(None)
    path = path_of(confirm_link(message))
    page = visitor.get(path)
    form = page.select_one("main form[method=post]")
    assert visitor.client.post(form["action"], data=form_data(page)).status_code == 200


def _language_of(app, email: str) -> str:
    with app.app_context():
        return db.session.scalar(select(User.language).where(User.email == email))


def _sign_in_on(world, who: str, prefix: str) -> ClientRequest:
    """A browser of its own for `who`, signed in on the sign-in page at `prefix`."""
    browser = ClientRequest(world.app.test_client())
    data = {"email": PEOPLE[who][0], "password": TEST_PASSWORD}
    response = browser.post(f"{prefix}/sign-in", data, 302)
    assert response.headers["Location"] == f"{prefix}/manage"
    return browser


# Alerts ----------------------------------------------------------------------------------


def test_a_welsh_subscribers_confirmation_and_alerts_are_in_welsh_with_welsh_links(
    world, runner, clock
):
    world.entry("published")
    emails = emptied_outbox(world.app)
    _ask(world, "/cy", "darllenydd@example.com")
    [message] = emails
    assert message.subject == WELSH_CONFIRMATION
    assert "- Sefydliad: Northshire County Council\n" in message.body
    assert "unwaith y dydd" in message.body
    assert "Someone" not in message.body and "once a day" not in message.body
    assert path_of(confirm_link(message)).startswith("/cy/alerts/confirm/")
    assert message.body.rstrip().endswith("Cofrestr Deallusrwydd Artiffisial y Sector Cyhoeddus")
    _confirm(world, message)

    new = world.entry("published")
    emails.clear()
    clock.ahead = timedelta(days=1)
    _send(runner)
    [alert] = emails
    assert alert.subject == "1 newid i gofnodion rydych yn eu dilyn"
    assert f"- {new} " in alert.body and ": cyhoeddwyd (fersiwn 1)" in alert.body
    assert "published" not in alert.body and "change" not in alert.body
    links = links_in(alert.body)
    assert f"http://localhost/cy/entries/{new}" in links
    assert f"http://localhost/cy/entries?organisation={ORGANISATION}" in links
    assert all(path_of(link).startswith("/cy/") for link in links), links
    # The one-click header stays the address a mail program posts to, as before.
    assert alert.headers["List-Unsubscribe"].startswith("<http://localhost/alerts/unsubscribe/")
    assert alert.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_english_subscribers_emails_stay_in_english_beside_a_welsh_one(world, runner, clock):
    world.entry("published")
    emails = emptied_outbox(world.app)
    _ask(world, "", "reader@example.com")
    _ask(world, "/cy", "darllenydd@example.com")
    received = {message.to: message for message in emails}
    english = received["reader@example.com"]
    assert english.subject == "Confirm your email alerts"
    assert "- Organisation: Northshire County Council" in english.body
    assert "/cy/" not in english.body
    assert received["darllenydd@example.com"].subject == WELSH_CONFIRMATION
    for message in received.values():
        _confirm(world, message)

    new = world.entry("published")
    emails.clear()
    clock.ahead = timedelta(days=1)
    _send(runner)
    received = {message.to: message for message in emails}
    english = received["reader@example.com"]
    assert english.subject == "1 change to entries you follow"
    assert f": published (version 1)\n  http://localhost/entries/{new}" in english.body
    assert "/cy/" not in english.body
    assert received["darllenydd@example.com"].subject == "1 newid i gofnodion rydych yn eu dilyn"


# Workflow emails -------------------------------------------------------------------------


def test_a_person_who_signed_in_on_a_welsh_page_is_told_of_their_work_in_welsh(app, world):
    reference = world.entry("in_review")
    welsh_editor = _sign_in_on(world, "editor", "/cy")
    assert _language_of(app, PEOPLE["editor"][0]) == "cy"
    outbox = emptied_outbox(app)
    send_back(world, "publisher", "Name the team.")
    [message] = outbox
    assert message.to == PEOPLE["editor"][0]
    assert message.subject.startswith(f"Gofynnwyd am newidiadau: {reference} ")
    assert "Eu sylw:\nName the team." in message.body
    links = links_in(message.body)
    assert f"http://localhost/cy/manage/entries/{reference}" in links
    assert "http://localhost/cy/account/emails" in links

    # The publisher signed in on an English page: the submission they are told of is English.
    outbox.clear()
    welsh_editor.post(f"/cy/manage/entries/{reference}/submit", {}, 302)
    received = {message.to: message for message in outbox}
    assert received[PEOPLE["publisher"][0]].subject.startswith("Waiting for your review: ")

    # Published: the Welsh editor reads it in Welsh, with a link to the Welsh page.
    outbox.clear()
    world.client("publisher").post(f"/manage/entries/{reference}/review/publish", {}, 302)
    [told] = [message for message in outbox if message.to == PEOPLE["editor"][0]]
    assert told.subject.startswith(f"Cyhoeddwyd: {reference} ")
    assert f"http://localhost/cy/entries/{reference}" in links_in(told.body)


def test_signing_in_on_an_english_page_again_brings_the_emails_back_to_english(app, world):
    world.entry("in_review")
    _sign_in_on(world, "editor", "/cy")
    _sign_in_on(world, "editor", "")
    assert _language_of(app, PEOPLE["editor"][0]) == "en"
    outbox = emptied_outbox(app)
    send_back(world)
    [message] = outbox
    assert message.subject.startswith("Changes requested: ")


def test_the_language_of_the_code_page_counts_when_a_second_factor_is_asked(app, world):
    editor = PEOPLE["editor"][0]
    give_second_factor(app, editor)
    browser = ClientRequest(app.test_client())
    response = browser.post("/cy/sign-in", {"email": editor, "password": TEST_PASSWORD}, 302)
    assert response.headers["Location"].startswith("/cy/sign-in/code")
    assert _language_of(app, editor) == "en"  # not signed in yet
    response = browser.post(response.headers["Location"], {"code": next_code(app, editor)}, 302)
    assert response.headers["Location"] == "/cy/manage"
    assert _language_of(app, editor) == "cy"


# Invitations and password resets -----------------------------------------------------------


def test_an_invitation_sent_from_a_welsh_page_is_in_welsh_and_accepting_it_keeps_welsh(app, world):
    admin = _sign_in_on(world, "admin", "/cy")
    outbox = emptied_outbox(app)
    url = "/cy/admin/organisations/northshire-county-council/people/invite"
    admin.post(url, {"email": "newydd@ns.example", "role": "publisher"}, 302)
    [message] = outbox
    assert message.subject.startswith("Rydych wedi cael gwahoddiad i ymuno â Northshire")
    assert "fel cyhoeddwr." in message.body
    link = link_in(message)
    assert link.startswith("/cy/invitations/")

    newcomer = ClientRequest(app.test_client())
    password = "a pass phrase of my own"
    answers = {"name": "Person Newydd", "new_password": password, "confirm_password": password}
    newcomer.post(link, answers, 302)
    assert _language_of(app, "newydd@ns.example") == "cy"


def test_an_invitation_sent_from_an_english_page_is_in_english(app, world):
    admin = world.client("admin")
    outbox = emptied_outbox(app)
    url = "/admin/organisations/northshire-county-council/people/invite"
    admin.post(url, {"email": "new@ns.example", "role": "editor"}, 302)
    [message] = outbox
    assert message.subject.startswith("You have been invited to join Northshire")
    assert "as an editor." in message.body
    assert link_in(message).startswith("/invitations/")


@pytest.mark.parametrize(
    ("prefix", "subject"),
    [("", "Reset your password for the "), ("/cy", "Ailosod eich cyfrinair ar gyfer ")],
)
def test_a_password_reset_is_in_the_language_of_the_page_it_was_asked_on(
    app, world, prefix, subject
):
    outbox = emptied_outbox(app)
    browser = ClientRequest(app.test_client())
    browser.post(f"{prefix}/forgot-password", {"email": PEOPLE["editor"][0]}, 302)
    [message] = outbox
    assert message.subject.startswith(subject)
    assert link_in(message).startswith(f"{prefix}/reset-password/")


def test_a_sign_in_through_a_provider_keeps_the_language_of_the_page_it_started_on(
    app, client_request, provider, make_organisation
):
    organisation = make_organisation()
    set_up_provider(app, organisation.slug, provider.issuer, lets_domain_join=True)
    email = f"cymro@{DOMAIN}"
    provider.set_person("cymro", email=email, email_verified=True)
    response = client_request.post("/cy/sign-in", {"email": email, "password": ""}, 302)
    back = client_request.client.get(provider.sign_in(response.headers["Location"], "cymro"))
    assert back.status_code == 302
    assert _language_of(app, email) == "cy"


def test_the_sign_in_page_a_send_back_is_made_from_does_not_matter(app, world):
    """The language is the recipient's, not the page's the step was taken on."""
    reference = world.entry("in_review")
    outbox = emptied_outbox(app)
    publisher = world.client("publisher")
    publisher.post(f"/cy{SEND_BACK}", {"comment": "Enwch y tîm."}, 302)
    [message] = outbox
    assert message.subject.startswith(f"Changes requested: {reference} ")
    assert "/cy/" not in message.body


# Feeds ---------------------------------------------------------------------------------


def test_the_welsh_feed_has_a_welsh_title_and_leads_to_welsh_pages(world):
    first = world.entry("published")
    revise(world, first, {"team": "Roads"}, note="New team.")
    gone = world.entry("published")
    withdraw(world, gone, "Published in error.")
    welsh = atom(world, "/cy/entries.atom")
    name = "Cofrestr Deallusrwydd Artiffisial y Sector Cyhoeddus"
    assert welsh.findtext(f"{ATOM}title") == f"{name}: cofnodion newydd a diweddar"
    links = {link.get("rel"): link.get("href") for link in welsh.findall(f"{ATOM}link")}
    assert links["self"] == "http://localhost/cy/entries.atom"
    assert links["alternate"] == "http://localhost/cy/entries"
    entry = welsh.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == f"http://localhost/cy/entries/{first}"
    assert entry.findtext(f"{ATOM}summary").startswith("Fersiwn 2: New team.")
    [tombstone] = welsh.findall(f"{TOMBSTONE}deleted-entry")
    assert tombstone.findtext(f"{TOMBSTONE}comment") == (
        "Wedi’i dynnu’n ôl o’r gofrestr. Published in error."
    )

    english = atom(world, "/entries.atom")
    assert english.findtext(f"{ATOM}title") == "Public Sector AI Register: new and updated entries"
    assert "/cy/" not in ElementTree.tostring(english, encoding="unicode")


def test_an_organisations_welsh_feed_is_named_in_welsh(world):
    world.entry("published")
    feed = atom(world, f"/cy/organisations/{ORGANISATION}.atom")
    assert feed.findtext(f"{ATOM}title") == (
        "Northshire County Council: cofnodion newydd a diweddar"
    )
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["alternate"] == f"http://localhost/cy/organisations/{ORGANISATION}"


# The search's notes -----------------------------------------------------------------------


def _notices(page) -> list[str]:
    return [p.get_text(strip=True) for p in page.select("#search-notices p")]


def test_the_searchs_notes_about_what_it_left_out_are_in_the_pages_language(world):
    world.entry("published")
    visitor = world.client(None)
    english = _notices(visitor.get("/entries?q=the+pothole&sort=zzz"))
    assert english == [
        "Very common words such as “the” and “of” were left out of your search.",
        "Results cannot be sorted by “zzz”, so they are in the usual order.",
    ]
    welsh = _notices(visitor.get("/cy/entries?q=the+pothole&sort=zzz"))
    assert welsh == [
        "Gadawyd geiriau cyffredin iawn fel “the” ac “of” allan o’ch chwiliad.",
        "Ni ellir trefnu canlyniadau yn ôl “zzz”, felly maen nhw yn y drefn arferol.",
    ]
    # The same words again, as the cache keeps them: still each page's own language.
    assert _notices(visitor.get("/entries?q=the+pothole")) == english[:1]


def test_a_filter_left_out_is_named_in_the_pages_language(world):
    world.entry("published")
    visitor = world.client(None)
    assert _notices(visitor.get("/entries?policy_area=nonsense")) == [
        "“nonsense” is not a known policy area, so that filter was not used."
    ]
    assert _notices(visitor.get("/cy/entries?policy_area=nonsense")) == [
        "Nid yw “nonsense” yn werth hysbys ar gyfer maes polisi, felly ni ddefnyddiwyd yr "
        "hidlydd hwnnw."
    ]


def test_accepting_an_invitation_on_a_welsh_page_while_signed_in_keeps_welsh(app, world):
    outbox = emptied_outbox(app)
    url = "/admin/organisations/northshire-county-council/people/invite"
    world.client("admin").post(url, {"email": PEOPLE["outside_editor"][0], "role": "editor"}, 302)
    [message] = outbox
    member = world.client("outside_editor")  # signed in on an English page
    assert _language_of(app, PEOPLE["outside_editor"][0]) == "en"
    path = "/cy" + link_in(message)
    page = member.get(path)
    response = member.client.post(path, data=form_data(page))
    assert response.status_code == 302
    assert response.headers["Location"] == "/cy/manage"
    assert _language_of(app, PEOPLE["outside_editor"][0]) == "cy"


def test_a_review_reminder_to_a_welsh_publisher_is_in_welsh_with_welsh_links(app, world, runner):
    overdue, soon = world.entry("published"), world.entry("published")
    set_due(app, overdue, date.today() - timedelta(days=2))
    set_due(app, soon, date.today() + timedelta(days=10))
    _sign_in_on(world, "publisher", "/cy")
    outbox = emptied_outbox(app)
    result = runner.invoke(args=["register", "send-reminders"])
    assert "Sent 2 reminder emails about 2 entries." in result.output, result.output
    received = {message.to: message for message in outbox}

    welsh = received[PEOPLE["publisher"][0]]
    assert welsh.subject == "2 gofnod gan Northshire County Council i’w hadolygu, rhai yn hwyr"
    assert welsh.body.startswith(
        "Mae angen adolygu’r cofnodion cyhoeddedig hyn gan Northshire County Council,"
    )
    late, coming = welsh.body.split("I’w adolygu cyn bo hir:")
    assert "Yn hwyr i’w adolygu:" in late and f"- {overdue} " in late
    assert f"- {soon} " in coming and ": erbyn " in coming
    assert f"http://localhost/cy/manage/entries/{overdue}/review-date" in links_in(late)
    assert f"http://localhost/cy/manage/entries/{soon}/review-date" in links_in(coming)

    # The other publisher signed in on an English page: theirs reads as it always has.
    english = received[PEOPLE["second_publisher"][0]]
    assert english.subject == "2 entries of Northshire County Council to review, some overdue"
    assert "Overdue for review:" in english.body and "Due for review soon:" in english.body
    assert f"http://localhost/manage/entries/{soon}/review-date" in links_in(english.body)


def test_a_welsh_email_names_the_entry_by_its_welsh_title_where_it_has_one(app, world):
    welsh_title, english_title = "Brysbennu adroddiadau", "Pothole report triage"
    reference = world.entry(
        "in_review", values=publishable_values(title=english_title, title_cy=welsh_title)
    )
    _sign_in_on(world, "editor", "/cy")
    outbox = emptied_outbox(app)
    world.client("publisher").post(f"/manage/entries/{reference}/review/publish", {}, 302)
    received = {message.to: message for message in outbox}
    welsh = received[PEOPLE["editor"][0]]
    assert welsh.subject == f"Cyhoeddwyd: {reference} {welsh_title}"
    assert f"{reference}: {welsh_title}" in welsh.body
    assert english_title not in welsh.subject


def test_a_welsh_review_reminder_names_the_entry_by_its_welsh_title(app, world, runner):
    welsh_title, english_title = "Brysbennu adroddiadau", "Pothole report triage"
    reference = world.entry(
        "published", values=publishable_values(title=english_title, title_cy=welsh_title)
    )
    set_due(app, reference, date.today() - timedelta(days=2))
    _sign_in_on(world, "publisher", "/cy")
    outbox = emptied_outbox(app)
    runner.invoke(args=["register", "send-reminders"])
    received = {message.to: message for message in outbox}
    assert f"- {reference} {welsh_title}: erbyn " in received[PEOPLE["publisher"][0]].body
    english = received[PEOPLE["second_publisher"][0]].body
    assert f"- {reference} {english_title}: due " in english

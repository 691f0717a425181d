"""The dashboard's list of imported entries with questions their source did not record: the
real US inventory sample imported and published as recorded, then completed over time."""

from __future__ import annotations

from sqlalchemy import select

from register import publishing, withholding
from register.extensions import db
from register.models import Entry, Organisation
from register.validation import problems_before_publishing
from register.versions import rows_of, values_of

from .conftest import TEST_PASSWORD
from .factories import publishable_values
from .manage_world import WORLD
from .test_import_real_us import imported_sample_2025

world = WORLD


def import_sample(runner) -> None:
    imported_sample_2025(runner, "--publish")


def unanswered(version) -> int:
    """Required questions left unanswered, as the workflow counts them: a withheld answer
    (a use case the agency withheld from public reporting) counts as given."""
    problems = problems_before_publishing(
        values_of(version), rows_of(version), withholding.withheld_of(version)
    )
    return sum(problem.unanswered for problem in problems)


def expected(app, organisation: str | None = None) -> dict[str, int]:
    """Imported entries with unanswered required questions, worked out from each version."""
    with app.app_context():
        query = select(Entry).where(Entry.source.is_not(None))
        if organisation:
            query = query.join(Organisation).where(Organisation.name == organisation)
        found = {}
        for entry in db.session.scalars(query):
            shown = entry.draft or entry.current_version
            gaps = [unanswered(v) for v in (entry.current_version, entry.draft) if v is not None]
            if any(gaps):
                found[entry.reference] = unanswered(shown)
        return found


def listed(page) -> dict[str, str]:
    """The list's entries: reference -> the "Not recorded" cell."""
    table = page.select_one("#not-recorded").find_next_sibling("table")
    if table is None or table.find_previous_sibling("h2")["id"] != "not-recorded":
        return {}
    headings = [th.get_text(strip=True) for th in table.select("thead th")]
    assert "Not recorded" in headings, headings
    column = headings.index("Not recorded")
    return {
        row.select("td")[0].get_text(strip=True): row.select("td")[column].get_text(strip=True)
        for row in table.select("tbody tr")
    }


def heading(page) -> str:
    return page.select_one("#not-recorded").get_text(strip=True)


def test_imported_entries_published_as_recorded_are_listed_with_what_is_missing(app, world, runner):
    import_sample(runner)
    gaps = expected(app)
    assert len(gaps) > 20  # the sample's rows leave most required questions unanswered
    page = world.client("admin").get("/manage")
    assert heading(page) == f"Questions not recorded ({len(gaps)})"
    shown = listed(page)
    assert len(shown) == min(len(gaps), 50)
    for reference, cell in shown.items():
        number = gaps[reference]
        assert cell == f"{number} question{'' if number == 1 else 's'}", reference
    row = page.select_one("#not-recorded").find_next_sibling("table").select_one("tbody tr")
    assert "US federal AI use case inventory 2025" in row.get_text(" ", strip=True)


def test_an_organisation_sees_only_its_own(app, world, runner, make_user):
    import_sample(runner)
    with app.app_context():
        name = db.session.scalar(
            select(Organisation.name)
            .join(Entry, Entry.organisation_id == Organisation.id)
            .where(Entry.source.is_not(None))
            .order_by(Organisation.name)
            .limit(1)
        )
    make_user("publisher@imported.example", organisation=name, role="publisher")
    browser = world.client(None)
    browser.post(
        "/sign-in", {"email": "publisher@imported.example", "password": TEST_PASSWORD}, 302
    )
    page = browser.get("/manage")
    assert set(listed(page)) == set(expected(app, name))
    assert heading(page) == f"Questions not recorded ({len(expected(app, name))})"


def test_completing_an_entry_is_a_revision_and_it_leaves_the_list_once_published(
    app, world, runner, make_user
):
    import_sample(runner)
    before = expected(app)
    reference = sorted(before)[0]
    admin_page = world.client("admin").get("/manage")
    with app.app_context():
        entry = world.load(reference)
        organisation = entry.organisation.name
    reviewer = make_user("reviewer@imported.example", organisation=organisation, role="publisher")
    with app.app_context():
        entry = world.load(reference)
        admin = world.user("admin")
        publishing.start_revision(entry, admin)
        answers = publishable_values()
        answers.pop("title")
        publishing.save_draft(entry, admin, answers, based_on=entry.draft.lock_version)
    # Answered in the working copy, not yet in public: still listed, with nothing left to do.
    page = world.client("admin").get("/manage")
    assert listed(page).get(reference, "0 questions") == "0 questions"
    assert heading(page) == heading(admin_page)
    with app.app_context():
        entry = world.load(reference)
        publishing.submit(entry, world.user("admin"))
        publishing.publish(
            world.load(reference),
            db.session.get(type(world.user("admin")), reviewer.id),
            "Answered the questions the inventory left out.",
        )
    page = world.client("admin").get("/manage")
    assert reference not in listed(page)
    assert heading(page) == f"Questions not recorded ({len(before) - 1})"


def test_entries_written_on_the_register_are_never_listed(world):
    draft = world.entry("draft", values={"title": "Half done"})
    page = world.client("publisher").get("/manage")
    assert draft not in listed(page)
    assert heading(page) == "Questions not recorded (0)"

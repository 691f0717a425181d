"""The statistics are worked out once for each state of the register and each day, and kept
in the process and in a file, so that a restarted server or another worker reads them
rather than counting again; and the moment the register changes, or the day does, every
process shows the new figures."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import update

from register import reviews, search, statistics
from register.extensions import db
from register.models import Entry

from .factories import publishable_values
from .manage_world import WORLD
from .public_entries import counted_statements, retire, revise, withdraw
from .test_opendata_renames import NEW, rename

world = WORLD


def _new_process() -> None:
    """Forget what this process keeps, as a restarted server or another worker starts."""
    statistics.forget()
    search.clear_caches()


def _figures(client) -> dict:
    return client.get("/stats.json").get_json()


def _kept_files(app) -> list[Path]:
    return sorted(Path(app.config["BUILT_FILES_DIR"]).glob("statistics-*.json"))


def _both_ways(client) -> tuple[dict, dict]:
    """The figures as a process that kept the last ones sees them, then as a new one."""
    seen = _figures(client)
    _new_process()
    return seen, _figures(client)


def test_a_new_process_reads_the_figures_another_kept_without_counting(app, client, world):
    world.entry("published")
    world.entry("published", organisation="Southvale Police", author="outside_editor")
    first = _figures(client)
    assert first["entries"] == 2
    assert len(_kept_files(app)) == 1
    _new_process()
    with counted_statements(app) as statements:
        again = _figures(client)
    assert again == first
    # The register's freshness (three) and its generation: nothing is counted.
    assert len(statements) == 4, statements
    assert client.get("/stats").status_code == 200


def test_publishing_changes_the_figures_at_once_in_every_process(app, client, world):
    reference = world.entry("published")
    assert _figures(client)["by"]["status"]["in_use"] == 1
    world.entry("published", values=publishable_values(status="pilot"))
    for seen in _both_ways(client):
        assert seen["entries"] == 2
        assert seen["by"]["status"] == {**seen["by"]["status"], "in_use": 1, "pilot": 1}
    revise(world, reference, {"status": "pilot"})
    for seen in _both_ways(client):
        assert seen["entries"] == 2
        assert seen["by"]["status"]["in_use"] == 0
        assert seen["by"]["status"]["pilot"] == 2
    retire(world, reference, "No longer used.")
    for seen in _both_ways(client):
        assert seen["by"]["status"]["retired"] == 1
    assert len(_kept_files(app)) == 1, "only the figures of the register as it is are kept"


def test_a_withdrawal_changes_the_figures_at_once_in_every_process(app, client, world):
    world.entry("published")
    gone = world.entry("published", organisation="Southvale Police", author="outside_editor")
    assert _figures(client)["entries"] == 2
    withdraw(world, gone, "Published in error.")
    for seen in _both_ways(client):
        assert seen["entries"] == 1
        assert seen["organisations"] == 1
        assert [top["organisation"] for top in seen["top_organisations"]] == [
            "northshire-county-council"
        ]


def test_a_review_date_changes_the_overdue_count_at_once(app, client, world):
    reference = world.entry("published")
    with app.app_context():
        db.session.execute(
            update(Entry)
            .where(Entry.reference == reference)
            .values(next_review_due=date.today() - timedelta(days=1))
        )
        search.bump_generation()
        db.session.commit()
    assert _figures(client)["overdue_reviews"] == 1
    with app.app_context():
        entry = world.load(reference)
        reviews.confirm_still_accurate(entry, world.user("publisher"), date.today())
    for seen in _both_ways(client):
        assert seen["overdue_reviews"] == 0


def test_the_figures_of_a_new_day_are_counted_for_that_day(app, world, tmp_path):
    reference = world.entry("published")
    today = date.today()
    due = today + timedelta(days=3)
    with app.app_context():
        db.session.execute(
            update(Entry).where(Entry.reference == reference).values(next_review_due=due)
        )
        search.bump_generation()
        db.session.commit()
        assert statistics.figures(today, tmp_path).overdue_reviews == 0
        later = due + timedelta(days=40)
        for _ in range(2):
            found = statistics.figures(later, tmp_path)
            assert found.overdue_reviews == 1
            assert found.today == later
            assert found.per_month[-1].code == f"{later.year:04d}-{later.month:02d}"
            statistics.forget()
        assert statistics.figures(today, tmp_path).overdue_reviews == 0


def test_a_renamed_organisation_is_shown_by_its_new_name_at_once(app, client, world):
    world.entry("published")
    assert _figures(client)["top_organisations"][0]["name"] != NEW
    rename(world)
    for seen in _both_ways(client):
        assert seen["top_organisations"][0]["name"] == NEW


def test_figures_kept_in_an_unreadable_file_are_counted_again(app, client, world):
    world.entry("published")
    first = _figures(client)
    [kept] = _kept_files(app)
    kept.write_text("{not json", encoding="utf-8")
    _new_process()
    assert _figures(client) == first

"""The count of answered questions each current version keeps, from which /stats adds up the
average completeness: the count a full pass over the answers finds, however the version was
written, and never one kept against another set of questions."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from register import completeness, published, statistics
from register.extensions import db
from register.models import EntryVersion
from register.validation import completeness as indicator
from register.versions import rows_of, values_of
from register.withholding import withheld_of

from .factories import publishable_values
from .manage_world import WORLD
from .public_entries import revise, rows_of_each_group, withdraw
from .test_import_real_us import imported_sample_2025

world = WORLD


def counts(app) -> dict[int, tuple[int | None, str | None, int, int]]:
    """Each current version's kept count and its layout, the count the full pass in SQL
    finds, and the count the completeness indicator shows, by version id."""
    with app.app_context():
        full = dict(
            db.session.execute(
                select(EntryVersion.id, completeness.answered()).where(published.current())
            ).all()
        )
        versions = db.session.scalars(select(EntryVersion).where(published.current()))
        return {
            version.id: (
                version.answered,
                version.answered_layout,
                full[version.id],
                indicator(values_of(version), rows_of(version), withheld_of(version))[0],
            )
            for version in versions
        }


def average_shown(client_request) -> float:
    return client_request.client.get("/stats.json").get_json()["average_completeness"]


def test_each_current_version_keeps_the_count_a_full_pass_finds(app, world, runner):
    world.entry("published")
    world.entry("published", values=publishable_values(team="Highways", web_page=""))
    world.entry("published", rows=rows_of_each_group(2))
    retired = publishable_values(status="retired", retired_on="2025", retirement_reason="Gone.")
    world.entry("published", values=retired)
    revised = world.entry("published", rows=rows_of_each_group(1))
    revise(world, revised, {"team": "Roads", "summary": "Shorter."}, rows={"risks": []})
    withdraw(world, world.entry("published"), "Published in error.")
    imported_sample_2025(runner, "--publish")

    found = counts(app)

    assert len(found) > 30  # the five above and those of the sample it publishes
    assert {layout for _, layout, _, _ in found.values()} == {completeness.layout()}
    assert all(kept == full == shown for kept, _, full, shown in found.values()), found
    assert len({full for _, _, full, _ in found.values()}) > 3  # varied counts


def test_a_change_to_the_questions_counted_counts_every_version_again(
    app, world, client_request, monkeypatch
):
    world.entry("published")
    world.entry("published", values=publishable_values(title="Benefit fraud triage"))
    world.entry("published", rows=rows_of_each_group(1))
    before = counts(app)
    asked = completeness.questions()
    assert average_shown(client_request) == pytest.approx(
        sum(full for _, _, full, _ in before.values()) / (len(before) * asked)
    )

    # The record drops its first question (the title, answered by every entry), as a new
    # release of the register would: a new process, whose figures are not yet taken.
    every_question = completeness.answered_conditions
    monkeypatch.setattr(completeness, "answered_conditions", lambda: every_question()[1:])
    completeness.layout.cache_clear()
    statistics._kept.clear()
    try:
        shown = average_shown(client_request)
        after = counts(app)
        new_layout = completeness.layout()
    finally:
        completeness.layout.cache_clear()

    answered = sum(full for _, _, full, _ in before.values()) - len(before)
    assert shown == pytest.approx(answered / (len(before) * (asked - 1)))
    assert {layout for _, layout, _, _ in after.values()} == {new_layout}
    assert all(kept == full for kept, _, full, _ in after.values()), after


def test_demo_entries_written_in_bulk_keep_their_counts(app, runner):
    result = runner.invoke(args=["register", "demo-data", "--entries", "12"])
    assert result.exit_code == 0, result.output

    found = counts(app)

    assert len(found) == 12
    assert all(kept == full == shown for kept, _, full, shown in found.values()), found


def forget_kept_counts(app) -> None:
    with app.app_context():
        db.session.execute(update(EntryVersion).values(answered=None, answered_layout=None))
        db.session.commit()


def test_counts_not_kept_are_counted_by_the_statistics_and_kept_by_the_command(
    app, world, client_request, runner, monkeypatch
):
    world.entry("published")
    world.entry("published", values=publishable_values(team="Highways"))
    world.entry("published", rows=rows_of_each_group(1))
    full = sum(full for _, _, full, _ in counts(app).values())
    forget_kept_counts(app)
    # As after a release that changes the questions: more versions to count than are kept
    # while the statistics are taken.
    monkeypatch.setattr(completeness, "KEPT_PER_CALL", 1)
    statistics._kept.clear()

    shown = average_shown(client_request)

    assert shown == pytest.approx(full / (3 * completeness.questions()))
    assert [kept for kept, _, _, _ in counts(app).values()].count(None) == 2
    result = runner.invoke(args=["register", "count-answers"])
    assert result.output == "Counted the answers of 2 versions.\n"
    assert all(kept == full for kept, _, full, _ in counts(app).values())

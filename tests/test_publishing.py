"""The workflow without a browser: drafts, review, publication, revision, retirement, withdrawal."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from register import publishing
from register.extensions import db
from register.models import AuditEvent, Entry, EntryVersion

from .factories import publishable_values


@pytest.fixture
def people(app_context, make_organisation, make_user):
    home = make_organisation("Northshire County Council")
    other = make_organisation("Southvale Police", "police")
    return {
        "organisation": home,
        "editor": make_user("editor@ns.example", organisation=home.slug, role="editor"),
        "publisher": make_user("publisher@ns.example", organisation=home.slug, role="publisher"),
        "second_publisher": make_user("p2@ns.example", organisation=home.slug, role="publisher"),
        "outsider": make_user("editor@sv.example", organisation=other.slug, role="publisher"),
        "admin": make_user("admin@register.example", is_admin=True),
    }


def _submitted(people, **overrides):
    entry = publishing.create_entry(people["organisation"], people["editor"])
    publishing.save_draft(
        entry, people["editor"], publishable_values(**overrides), based_on=entry.draft.lock_version
    )
    publishing.submit(entry, people["editor"])
    return entry


def _published(people, **overrides):
    entry = _submitted(people, **overrides)
    publishing.publish(entry, people["publisher"])
    return entry


def test_a_new_entry_gets_a_reference_and_an_empty_draft(people):
    entry = publishing.create_entry(people["organisation"], people["editor"])
    assert entry.reference == "AIR-00001"
    assert entry.state == "draft"
    assert entry.draft.number is None
    assert entry.current_version is None


def test_a_draft_can_be_saved_with_required_answers_missing(people):
    entry = publishing.create_entry(people["organisation"], people["editor"])
    publishing.save_draft(
        entry, people["editor"], {"title": "Chatbot"}, based_on=entry.draft.lock_version
    )
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).draft.title == "Chatbot"


def test_an_invalid_answer_is_refused_and_changes_nothing(people):
    entry = publishing.create_entry(people["organisation"], people["editor"])
    lock = entry.draft.lock_version
    with pytest.raises(publishing.InvalidValues) as refused:
        publishing.save_draft(
            entry,
            people["editor"],
            {"title": "Fine", "status": "sideways", "web_page": "javascript:alert(1)"},
            based_on=lock,
        )
    assert set(refused.value.problems) == {"status", "web_page"}
    db.session.expire_all()
    draft = db.session.get(Entry, entry.id).draft
    assert draft.title is None
    assert draft.lock_version == lock


def test_an_entry_cannot_be_submitted_with_required_answers_missing(people):
    entry = publishing.create_entry(people["organisation"], people["editor"])
    values = publishable_values()
    del values["appeal_process"]
    publishing.save_draft(entry, people["editor"], values, based_on=entry.draft.lock_version)
    with pytest.raises(publishing.NotReady) as refused:
        publishing.submit(entry, people["editor"])
    assert [p.field for p in refused.value.problems] == ["appeal_process"]
    assert entry.state == "draft"


def test_a_retired_tool_needs_its_retirement_date_and_reason(people):
    entry = publishing.create_entry(people["organisation"], people["editor"])
    publishing.save_draft(entry, people["editor"], publishable_values(status="retired"), based_on=1)
    with pytest.raises(publishing.NotReady) as refused:
        publishing.submit(entry, people["editor"])
    assert {p.field for p in refused.value.problems} == {"retired_on", "retirement_reason"}


def test_publishing_makes_version_one_public(people):
    entry = _published(people)
    version = entry.current_version
    assert entry.state == "published"
    assert version.number == 1
    assert version.change_note == "First publication."
    assert version.published_by_id == people["publisher"].id
    assert version.codes("techniques") == ["classical_ml", "computer_vision"]
    assert entry.first_published_at is not None
    assert entry.next_review_due > entry.last_reviewed_on
    assert entry.draft is None


def test_an_editor_cannot_publish(people):
    entry = _submitted(people)
    with pytest.raises(publishing.NotAllowed):
        publishing.publish(entry, people["editor"])
    assert entry.state == "in_review"


def test_a_publisher_cannot_approve_their_own_submission(people):
    entry = publishing.create_entry(people["organisation"], people["publisher"])
    publishing.save_draft(entry, people["publisher"], publishable_values(), based_on=1)
    publishing.submit(entry, people["publisher"])
    with pytest.raises(publishing.NotAllowed, match="another publisher must review it"):
        publishing.publish(entry, people["publisher"])
    publishing.publish(entry, people["second_publisher"])
    assert entry.state == "published"


def test_self_publishing_is_allowed_when_the_organisation_says_so(people):
    people["organisation"].allows_self_publishing = True
    db.session.commit()
    entry = publishing.create_entry(people["organisation"], people["publisher"])
    publishing.save_draft(entry, people["publisher"], publishable_values(), based_on=1)
    publishing.submit(entry, people["publisher"])
    publishing.publish(entry, people["publisher"])
    assert entry.current_version.number == 1


def test_nobody_outside_the_organisation_can_touch_its_entries(people):
    entry = _submitted(people)
    outsider = people["outsider"]
    with pytest.raises(publishing.NotAllowed):
        publishing.publish(entry, outsider)
    with pytest.raises(publishing.NotAllowed):
        publishing.send_back(entry, outsider, "No")
    with pytest.raises(publishing.NotAllowed):
        publishing.create_entry(people["organisation"], outsider)


def test_sending_back_needs_a_comment_and_returns_the_draft(people):
    entry = _submitted(people)
    with pytest.raises(publishing.InvalidValues):
        publishing.send_back(entry, people["publisher"], "  ")
    assert entry.state == "in_review"
    publishing.send_back(entry, people["publisher"], "Say who is affected.")
    assert entry.state == "draft"
    assert entry.review_comment == "Say who is affected."


def test_a_submitted_entry_cannot_be_edited(people):
    entry = _submitted(people)
    with pytest.raises(publishing.WorkflowError, match="waiting for review"):
        publishing.save_draft(entry, people["editor"], {"title": "New"}, based_on=2)


def test_a_revision_leaves_the_published_version_public_until_it_is_published(people):
    entry = _published(people)
    draft = publishing.start_revision(entry, people["editor"])
    assert entry.current_version.number == 1
    assert draft.title == "Pothole report triage"
    assert draft.codes("techniques") == ["classical_ml", "computer_vision"]
    publishing.save_draft(
        entry,
        people["editor"],
        {"title": "Pothole and road defect triage", "techniques": ["computer_vision"]},
        based_on=draft.lock_version,
    )
    publishing.submit(entry, people["editor"])
    with pytest.raises(publishing.InvalidValues):
        publishing.publish(entry, people["publisher"])  # a second version needs a change note
    publishing.publish(entry, people["publisher"], "Now covers all road defects.")
    db.session.expire_all()
    versions = db.session.scalars(
        select(EntryVersion).where(EntryVersion.entry_id == entry.id).order_by("number")
    ).all()
    assert [(v.number, v.is_current, v.title) for v in versions] == [
        (1, False, "Pothole report triage"),
        (2, True, "Pothole and road defect triage"),
    ]
    assert versions[0].codes("techniques") == ["classical_ml", "computer_vision"]
    assert versions[1].change_note == "Now covers all road defects."


def test_two_people_saving_the_same_draft_do_not_overwrite_each_other(people):
    entry = publishing.create_entry(people["organisation"], people["editor"])
    opened_at = entry.draft.lock_version
    publishing.save_draft(entry, people["editor"], {"title": "First title"}, based_on=opened_at)
    with pytest.raises(publishing.EditConflict) as conflict:
        publishing.save_draft(
            entry, people["publisher"], {"title": "Second title"}, based_on=opened_at
        )
    assert conflict.value.changed == {"title": ("First title", "Second title")}
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).draft.title == "First title"


def test_repeating_rows_are_saved_in_order_and_copied_into_revisions(people):
    entry = publishing.create_entry(people["organisation"], people["editor"])
    rows = {
        "risks": [
            {"name": "Misses a dangerous pothole", "category": "accuracy_reliability"},
            {"name": "Photos show people", "category": "privacy_data_protection"},
        ],
        "data_sources": [{"name": "Public pothole reports", "contains_personal_data": True}],
    }
    publishing.save_draft(entry, people["editor"], publishable_values(), based_on=1, rows=rows)
    publishing.submit(entry, people["editor"])
    publishing.publish(entry, people["publisher"])
    draft = publishing.start_revision(entry, people["editor"])
    assert [r.name for r in draft.risks] == ["Misses a dangerous pothole", "Photos show people"]
    assert [r.name for r in entry.current_version.risks] == [r.name for r in draft.risks]
    assert draft.data_sources[0].contains_personal_data is True


def test_a_repeating_row_without_its_required_name_cannot_be_published(people):
    entry = publishing.create_entry(people["organisation"], people["editor"])
    publishing.save_draft(
        entry,
        people["editor"],
        publishable_values(),
        based_on=1,
        rows={"risks": [{"description": "No name given"}]},
    )
    with pytest.raises(publishing.NotReady) as refused:
        publishing.submit(entry, people["editor"])
    assert [p.field for p in refused.value.problems] == ["risks-1-name"]


def test_retiring_publishes_a_new_version_with_the_reason(people):
    entry = _published(people)
    version = publishing.retire(
        entry, people["publisher"], "Replaced by a new contract.", "2026-01"
    )
    assert (version.number, version.status, version.retired_on) == (2, "retired", "2026-01")
    assert version.retirement_reason == "Replaced by a new contract."
    assert entry.current_version is version


def test_a_retired_tool_is_not_retired_again_by_a_second_press(people):
    entry = _published(people)
    publishing.retire(entry, people["publisher"], "Replaced by a new contract.")
    with pytest.raises(publishing.WorkflowError, match="already recorded as retired"):
        publishing.retire(entry, people["second_publisher"], "Replaced by a new contract.")
    assert [version.number for version in entry.published_versions] == [1, 2]


def test_withdrawing_needs_an_administrator_and_a_reason_and_never_reuses_the_reference(people):
    entry = _published(people)
    with pytest.raises(publishing.NotAllowed):
        publishing.withdraw(entry, people["publisher"], "Published in error")
    with pytest.raises(publishing.InvalidValues):
        publishing.withdraw(entry, people["admin"], "")
    publishing.withdraw(entry, people["admin"], "Published in error.")
    assert entry.state == "withdrawn"
    assert entry.current_version is None
    assert entry.versions[0].number == 1  # still kept
    later = publishing.create_entry(people["organisation"], people["editor"])
    assert later.reference == "AIR-00002"


def test_every_action_is_in_the_audit_log_with_its_states(people):
    entry = _published(people)
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entry_id == entry.id).order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        ("created", None, "draft"),
        ("saved", "draft", "draft"),
        ("submitted", "draft", "in_review"),
        ("published", "in_review", "published"),
    ]
    assert events[-1].actor_id == people["publisher"].id

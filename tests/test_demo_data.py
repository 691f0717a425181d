"""`flask register demo-data`: realistic, varied, published entries, written in bulk."""

from __future__ import annotations

import random
import re
from datetime import date
from urllib.parse import urlparse

import pytest
from sqlalchemy import func, select, text

from register import accounts, completeness, demo, publishing, schema, search, validation, versions
from register.demo import organisations
from register.demo.entries import CATALOGUE, Composer, coverage_targets
from register.extensions import db
from register.models import Entry, EntryVersion, Organisation
from register.models.entry import SEARCHABLE, reference_for
from register.schema import Kind
from register.schema.vocabularies import ORGANISATION_TYPE
from register.standards import eu

from .search_phrases import expected

TODAY = date(2026, 11, 26)


def _load(runner, *args: str):
    result = runner.invoke(args=["register", "demo-data", *args])
    assert result.exit_code == 0, result.output
    return result


def _current_versions() -> list[EntryVersion]:
    db.session.expire_all()
    return list(db.session.scalars(select(EntryVersion).where(EntryVersion.is_current)))


def _texts(version: EntryVersion) -> list[str]:
    """Every piece of text in a version, its repeating rows included."""
    values = [v for v in publishing.values_of(version).values() if isinstance(v, str)]
    for rows in publishing.rows_of(version).values():
        values += [v for row in rows for v in row.values() if isinstance(v, str)]
    return values


def _date_order(earlier: str | None, later: str | None) -> bool:
    """Partial dates in order, compared at the precision they share."""
    if not earlier or not later:
        return True
    shared = min(len(earlier), len(later))
    return earlier[:shared] <= later[:shared]


@pytest.fixture
def loaded(app_context, runner) -> None:
    """A register filled with 200 demo entries."""
    _load(runner, "--entries", "200")


def test_the_command_creates_exactly_the_entries_asked_for_all_published(app_context, runner):
    result = _load(runner, "--entries", "60")

    assert "Created 60 published entries in 20 organisations." in result.output
    entries = db.session.scalars(select(Entry)).all()
    assert len(entries) == 60
    for entry in entries:
        assert entry.state == "published"
        assert entry.reference == reference_for(entry.id)
        current = entry.current_version
        assert current is not None
        assert current.number == max(v.number for v in entry.versions)
        assert [v.number for v in entry.versions] == list(range(1, len(entry.versions) + 1))
        assert sum(v.is_current for v in entry.versions) == 1
        assert all(v.organisation_id == entry.organisation_id for v in entry.versions)
        assert all(v.schema_version == schema.SCHEMA_VERSION for v in entry.versions)
        assert entry.versions[0].change_note == publishing.FIRST_PUBLICATION_NOTE
        assert entry.first_published_at == entry.versions[0].published_at
        assert entry.last_published_at == current.published_at
        assert entry.last_reviewed_on >= entry.last_published_at.date()
        assert entry.next_review_due == entry.last_reviewed_on + versions.REVIEW_INTERVAL


def test_every_published_version_passes_the_checks_publishing_makes(loaded):
    versions = db.session.scalars(select(EntryVersion)).all()
    assert len(versions) >= 200
    for version in versions:
        values, rows = publishing.values_of(version), publishing.rows_of(version)
        assert validation.problems_before_publishing(values, rows) == [], version.entry_id
        fields = [f for f in schema.all_fields() if f.kind is not Kind.ORGANISATION]
        assert validation.check_values(fields, {f.name: values[f.name] for f in fields}) == {}
        for group in schema.groups():
            for row in rows[group.name]:
                assert validation.check_values(group.fields, row) == {}, (group.name, row)


def test_every_code_and_both_answers_of_every_yes_no_question_appear(loaded):
    seen = set()
    for version in _current_versions():
        for name, value in publishing.values_of(version).items():
            codes = value if isinstance(value, list) else [value]
            seen.update(("", name, code) for code in codes)
        for name, rows in publishing.rows_of(version).items():
            seen.update((name, key, value) for row in rows for key, value in row.items())

    expected = set()
    for field in schema.all_fields():
        if field.vocabulary is not None:
            expected.update(("", field.name, code) for code in field.vocabulary.codes)
        elif field.kind is Kind.BOOLEAN:
            expected.update(("", field.name, answer) for answer in (True, False))
    for group in schema.groups():
        for field in group.fields:
            if field.vocabulary is not None:
                expected.update((group.name, field.name, code) for code in field.vocabulary.codes)
            elif field.kind is Kind.BOOLEAN:
                expected.update((group.name, field.name, answer) for answer in (True, False))
    assert expected - seen == set()


def test_entries_have_coherent_lifecycles_history_and_some_overdue_reviews(loaded):
    versions = _current_versions()
    retired = [v for v in versions if v.status == "retired"]
    assert retired
    assert all(v.retired_on and v.retirement_reason for v in retired)
    for version in versions:
        assert _date_order(version.started_on, version.in_use_from), version.entry_id
        assert _date_order(version.in_use_from, version.retired_on), version.entry_id
        assert _date_order(version.started_on, version.retired_on), version.entry_id
        if version.status not in ("in_use", "retired"):
            assert version.in_use_from is None and version.retired_on is None
    revised = [v.entry for v in versions if v.number == 2]
    assert revised, "some entries have an earlier version"
    for entry in revised:
        older = entry.versions[0]
        assert older.number == 1 and not older.is_current
        assert older.published_at < entry.versions[1].published_at
        assert entry.versions[1].change_note != publishing.FIRST_PUBLICATION_NOTE
    due = db.session.scalars(select(Entry.next_review_due)).all()
    today = date.today()
    assert any(day < today for day in due) and any(day >= today for day in due)
    counts = {len(getattr(v, name)) for v in versions for name in ("risks", "data_sources")}
    assert {0, 1, 2, 3} <= counts


def test_references_are_unique_and_read_like_air_00001(loaded):
    references = db.session.scalars(select(Entry.reference).order_by(Entry.id)).all()
    assert len(set(references)) == len(references) == 200
    assert all(re.fullmatch(r"AIR-\d{5,}", reference) for reference in references)
    assert references[0] == "AIR-00001" and references[-1] == "AIR-00200"


def test_the_text_reads_like_real_uses_not_placeholder_text(loaded):
    versions = _current_versions()
    for version in versions:
        for value in _texts(version):
            lowered = value.lower()
            assert "lorem" not in lowered and "ipsum" not in lowered, value
            assert "{" not in value and "}" not in value, value  # every blank filled in
    titles = [v.title for v in versions]
    assert len(set(titles)) >= 80
    assert len({v.summary for v in versions}) >= 40
    assert len({v.entry.organisation_id for v in versions}) == 20


def test_organisations_cover_every_type_with_unique_names_and_example_addresses(loaded):
    found = db.session.scalars(select(Organisation)).all()
    assert {org.type for org in found} == set(ORGANISATION_TYPE.codes)
    assert len({org.name for org in found}) == len({org.slug for org in found}) == len(found)
    for org in found:
        assert org.slug == accounts.slugify(org.name)
        assert accounts.normalise_email(org.contact_email).endswith(".example")
        assert urlparse(org.website).hostname.endswith(".example")


def test_every_address_in_an_entry_is_under_a_reserved_example_domain(loaded):
    for version in _current_versions():
        assert version.contact_email.endswith(".example")
        links = [version.web_page, version.source_code_url, version.eu_provider_entry_url]
        links += [row.link for row in version.data_sources + version.impact_assessments]
        for link in filter(None, links):
            assert urlparse(link).hostname.endswith(".example"), link


def test_the_eu_ai_act_answers_agree_with_what_the_eu_database_asks(loaded):
    versions = _current_versions()
    for version in versions:
        record = publishing.values_of(version)
        registration = eu.Registration(record).required()
        if record["eu_ai_act_category"] == "high_risk":
            assert record["annex_iii_area"] and record["postal_address"], version.entry_id
        else:
            assert record["annex_iii_area"] in (None, "not_listed"), version.entry_id
        if record["eu_provider_entry_url"]:
            assert registration["database_section"] == "public", version.entry_id
        if record["eu_registration_number"]:
            assert registration["required"] is True, version.entry_id
            assert record["status"] in ("in_use", "retired"), version.entry_id
    addresses: dict[int, set[str]] = {}
    for version in filter(lambda v: v.postal_address, versions):
        addresses.setdefault(version.entry.organisation_id, set()).add(version.postal_address)
    assert all(len(found) == 1 for found in addresses.values())  # one per organisation
    for (address,) in addresses.values():  # a postcode in the unused area XX
        assert re.search(r", \w+ XX\d{1,2} \d[A-Z]{2}$", address), address
    assert any(v.eu_provider_entry_url for v in versions)
    assert any(v.eu_registration_number for v in versions)


def _found(text: str) -> set[str]:
    """The references of every entry a search for `text` finds, on this engine."""
    query, _ = search.parse_query({"q": [text]})
    matching = select(search.matching(query).subquery().c.entry_id)
    return set(db.session.scalars(select(Entry.reference).where(Entry.id.in_(matching))))


def test_written_in_small_batches_every_entry_is_found_linked_and_counted(app_context):
    demo.load(30, today=TODAY, batch_size=4)

    current = _current_versions()
    published = {
        version.entry.reference: {name: getattr(version, name) for name in SEARCHABLE}
        for version in current
    }
    assert len(published) == 30
    assert all(version.answered_layout == completeness.layout() for version in current)
    assert all(version.supplier_id for version in current if version.supplier_name)
    titles = [version.title.split() for version in current[:: len(current) // 5]]
    for searched in ["council", "data", *(max(words, key=len) for words in titles)]:
        assert _found(searched) == expected(published, searched), searched


def test_running_twice_adds_more_entries_without_clashes(app_context, runner):
    _load(runner, "--entries", "40")
    _load(runner, "--entries", "40")  # the same seed: same organisations, reused
    _load(runner, "--entries", "40", "--seed", "7")  # another seed: more organisations

    references = db.session.scalars(select(Entry.reference)).all()
    assert len(references) == len(set(references)) == 120
    names = db.session.scalars(select(Organisation.name)).all()
    slugs = db.session.scalars(select(Organisation.slug)).all()
    assert len(set(names)) == len(names) and len(set(slugs)) == len(slugs)
    assert 20 <= len(names) < 40


def test_an_entry_created_after_the_demo_data_gets_a_new_reference(
    app_context, runner, make_organisation, make_user
):
    _load(runner, "--entries", "30")
    organisation = make_organisation()
    editor = make_user(organisation=organisation.slug, role="editor")

    entry = publishing.create_entry(organisation, editor)

    assert entry.reference == "AIR-00031"


def test_the_id_sequences_have_moved_past_the_demo_rows(app_context, runner):
    _load(runner, "--entries", "30")
    highest = db.session.scalar(select(func.max(Entry.id)))
    if db.engine.dialect.name == "postgresql":
        sequence = db.session.scalar(text("SELECT last_value FROM entry_id_seq"))
    else:
        declared = db.session.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'entry'"))
        if "AUTOINCREMENT" not in declared:
            pytest.skip("the entry table has lost AUTOINCREMENT, so SQLite keeps no sequence")
        sequence = db.session.scalar(text("SELECT seq FROM sqlite_sequence WHERE name = 'entry'"))
    assert sequence >= highest == 30


def test_if_empty_loads_only_into_an_empty_register(app_context, runner):
    assert demo.register_is_empty()
    first = _load(runner, "--entries", "10", "--if-empty")
    assert "Created 10 published entries" in first.output
    assert not demo.register_is_empty()

    second = _load(runner, "--entries", "10", "--if-empty")

    assert "already has entries" in second.output
    assert db.session.scalar(select(func.count()).select_from(Entry)) == 10


@pytest.mark.parametrize(
    ("value", "message"),
    [("0", "0 is not in the range"), ("abc", "'abc' is not a valid integer")],
)
def test_a_bad_number_of_entries_is_refused_with_a_clear_message(
    app_context, runner, value, message
):
    result = runner.invoke(args=["register", "demo-data", "--entries", value])

    assert result.exit_code != 0
    assert "--entries" in result.output and message in result.output
    assert demo.register_is_empty()


@pytest.mark.parametrize("entries", [0, -5, "ten", 2.5, True])
def test_load_refuses_anything_but_a_positive_whole_number(app_context, entries):
    with pytest.raises(demo.DemoDataError, match="number of entries"):
        demo.load(entries)
    assert demo.register_is_empty()


def test_the_same_seed_gives_the_same_entries():
    def titles(seed: int) -> list[str]:
        rng = random.Random(seed)
        ids = iter(range(1, 1000))
        chosen = organisations.choose(rng, 20, [], lambda: next(ids))
        composer = Composer(rng, chosen, TODAY)
        return [composer.next().versions[-1].record["title"] for _ in range(30)]

    assert titles(1) == titles(1)
    assert titles(1) != titles(2)


def test_every_kind_of_organisation_has_a_use_case_and_use_cases_use_known_codes():
    tags = {tag for kind in organisations.KINDS.items() for tag in (kind[0], kind[1].family)}
    for code, kind in organisations.KINDS.items():
        assert any({code, kind.family} & set(case.kinds) for case in CATALOGUE), code
    vocabularies = {f.name: f.vocabulary for f in schema.all_fields() if f.vocabulary}
    for case in CATALOGUE:
        assert set(case.kinds) <= tags, case.key
        assert case.policy_area in vocabularies["policy_area"]
        assert set(case.techniques + case.extra_techniques) <= set(vocabularies["techniques"].codes)
        assert set(case.decisions) <= set(vocabularies["decision_role"].codes)
        assert set(case.effects) <= set(vocabularies["rights_safety_effect"].codes)
        assert set(case.eu) <= set(vocabularies["eu_ai_act_category"].codes) - {"prohibited"}
        assert set(case.annex_iii) <= set(vocabularies["annex_iii_area"].codes)
        assert bool(case.annex_iii) == ("high_risk" in case.eu), case.key
    assert len({case.key for case in CATALOGUE}) == len(CATALOGUE)


def test_a_small_register_still_shows_every_value():
    rng = random.Random(5)
    ids = iter(range(1, 1000))
    chosen = organisations.choose(rng, organisations.organisation_count(50), [], lambda: next(ids))
    composer = Composer(rng, chosen, TODAY)
    seen = set()
    for _ in range(50):
        seen |= composer.next().versions[-1].values()
    assert [target for target in coverage_targets() if target not in seen] == []

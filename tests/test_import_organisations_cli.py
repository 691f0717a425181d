"""`flask register import-organisations`: loading a reference list of organisations, all or
nothing, finding each by identifier and then by name, and never deleting one."""

from __future__ import annotations

from sqlalchemy import select

from register.extensions import db
from register.importing.govuk_organisations import LIST
from register.models import AuditEvent, Organisation


def load(runner, tmp_path, text: str, *options: str):
    path = tmp_path / "organisations.csv"
    path.write_text(text, encoding="utf-8")
    return runner.invoke(args=["register", "import-organisations", str(path), *options])


def organisations(app) -> list[tuple[str, str, str | None, str]]:
    with app.app_context():
        return [
            (o.name, o.type, o.identifier, o.identifier_scheme)
            for o in db.session.scalars(select(Organisation).order_by(Organisation.name))
        ]


def test_a_list_adds_missing_organisations_and_updates_the_type_of_known_ones(
    app, runner, tmp_path, make_organisation
):
    make_organisation("Northshire County Council", "other")
    make_organisation("Southvale Police", "police")
    result = load(
        runner,
        tmp_path,
        "name,type,identifier,identifier_scheme\n"
        "northshire county council,local_government,E10000001,gss\n"
        "Eastmoor Fire and Rescue,Fire and rescue service,E31000001,gss\n",
    )
    assert result.exit_code == 0, result.output
    assert "Added 1, updated 1; 0 already up to date." in result.output
    # Southvale Police is not in the list, and stays.
    assert organisations(app) == [
        ("Eastmoor Fire and Rescue", "fire_rescue", "E31000001", "gss"),
        ("Northshire County Council", "local_government", "E10000001", "gss"),
        ("Southvale Police", "police", None, ""),
    ]
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["organisation_changed", "organisation_added"]


def test_an_organisation_is_found_by_its_identifier_before_its_name(
    app, runner, tmp_path, make_organisation
):
    load(runner, tmp_path, "name,type,identifier,identifier_scheme\nNorthshire CC,other,E1,gss\n")
    # The list now names it differently: the identifier finds it, and the name stays.
    result = load(
        runner,
        tmp_path,
        "name,type,identifier,identifier_scheme\nNorthshire Council,local_government,E1,gss\n",
    )
    assert result.exit_code == 0, result.output
    assert organisations(app) == [("Northshire CC", "local_government", "E1", "gss")]
    again = load(
        runner,
        tmp_path,
        "name,type,identifier,identifier_scheme\nNorthshire Council,local_government,E1,gss\n",
    )
    assert "Added 0, updated 0; 1 already up to date." in again.output


def test_a_dry_run_says_what_would_change_and_changes_nothing(
    app, runner, tmp_path, make_organisation
):
    make_organisation("Southvale Police", "other")
    result = load(
        runner,
        tmp_path,
        "name,type\nSouthvale Police,police\nEastmoor Fire and Rescue,fire_rescue\n",
        "--dry-run",
    )
    assert result.exit_code == 0, result.output
    assert "Would add 1, would update 1" in result.output
    assert "would add: Eastmoor Fire and Rescue" in result.output
    assert organisations(app) == [("Southvale Police", "other", None, "")]


def test_bad_rows_are_reported_by_line_and_nothing_is_written(app, runner, tmp_path):
    result = load(
        runner,
        tmp_path,
        "# A comment line, as GOV.UK's list has\n"
        "name,type,identifier\n"
        "Eastmoor Fire and Rescue,fire_rescue,E31000001\n"
        ",police,\n"
        "Northshire County Council,club,\n"
        '"Westvale\nDistrict Council",local_government,\n'
        "Southvale Police,police,E31000001\n"
        "eastmoor fire and rescue,police,\n",
    )
    assert result.exit_code == 1
    assert "Line 4: the name is missing." in result.output
    assert "Line 5: “club” is not an organisation type" in result.output
    # The quoted line break in Westvale's name makes its row two lines long.
    assert "Line 8: the identifier E31000001 is already on line 3." in result.output
    assert (
        "Line 9: “eastmoor fire and rescue” is already on line 3, as another type." in result.output
    )
    assert "4 rows are wrong: nothing was changed." in result.output
    assert organisations(app) == []


def test_a_list_without_names_or_types_is_refused(runner, tmp_path):
    result = load(runner, tmp_path, "title,type\nNorthshire,local_government\n")
    assert result.exit_code == 1
    assert "needs a header row with a “name” column" in result.output
    result = load(runner, tmp_path, "name\nNorthshire\n")
    assert "no “type” column: give every row's type with --type" in result.output
    result = load(runner, tmp_path, "name\nNorthshire\n", "--type", "club")
    assert "Line 2: “club” is not an organisation type" in result.output
    path = tmp_path / "latin1.csv"
    path.write_bytes("name,type\nB\xe9gles,other\n".encode("latin-1"))
    result = runner.invoke(args=["register", "import-organisations", str(path)])
    assert "The list must be a CSV file in UTF-8." in result.output


def test_govuk_s_list_loads_as_it_is_with_its_slugs_as_identifiers(app, runner):
    result = runner.invoke(
        args=["register", "import-organisations", str(LIST), "--type", "central_government"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        found = db.session.scalar(
            select(Organisation).where(Organisation.identifier == "academy-for-social-justice")
        )
        assert found.name == "Academy for Social Justice"
        assert found.identifier_scheme == "govuk"
        assert found.type == "central_government"
        acas = db.session.scalar(select(Organisation).where(Organisation.identifier == "acas"))
        assert acas.abbreviation == "Acas"
        # GOV.UK's list names some departments under two slugs: the first is kept.
        [dwp] = db.session.scalars(
            select(Organisation).where(Organisation.name == "Department for Work and Pensions")
        )
        assert dwp.identifier == "department-for-work-and-pensions"
    assert "“Department for Work and Pensions” is already on line" in result.output
    again = runner.invoke(
        args=["register", "import-organisations", str(LIST), "--type", "central_government"]
    )
    assert "Added 0, updated 0" in again.output

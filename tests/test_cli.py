"""The `flask register` commands set the register up, and reject bad arguments clearly."""

from __future__ import annotations

from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from register.extensions import db
from register.models import Organisation, User


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _organisation(runner, name="Northshire County Council", *extra):
    return runner.invoke(
        args=["register", "create-organisation", name, "--type", "local_government", *extra]
    )


def test_create_organisation_adds_it_with_a_slug(runner, app_context):
    result = _organisation(runner, "Northshire County Council", "--website", "https://ns.example")
    assert result.exit_code == 0, result.output
    assert "Created organisation Northshire County Council (northshire-county-council)" in (
        result.output
    )
    organisation = db.session.scalar(select(Organisation))
    assert organisation.type == "local_government"
    assert organisation.website == "https://ns.example"
    assert organisation.allows_self_publishing is False


def test_create_organisation_refuses_a_duplicate_name(runner, app_context):
    assert _organisation(runner).exit_code == 0
    result = _organisation(runner, "northshire county council")
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert _count(Organisation) == 1


def test_create_organisation_refuses_an_unknown_type(runner, app_context):
    result = runner.invoke(args=["register", "create-organisation", "X", "--type", "castle"])
    assert result.exit_code != 0
    assert "'castle' is not one of" in result.output
    assert _count(Organisation) == 0


def test_create_organisation_refuses_a_bad_website(runner, app_context):
    result = _organisation(runner, "Northshire", "--website", "javascript:alert(1)")
    assert result.exit_code != 0
    assert "starting http:// or https://" in result.output
    assert _count(Organisation) == 0


def test_create_user_asks_for_the_password_twice_and_stores_only_a_hash(runner, app_context):
    _organisation(runner)
    result = runner.invoke(
        args=[
            "register",
            "create-user",
            "Editor@Northshire.example",
            "--organisation",
            "northshire-county-council",
            "--role",
            "editor",
        ],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created user editor@northshire.example: editor of Northshire County Council" in (
        result.output
    )
    user = db.session.scalar(select(User))
    assert user.password_hash != "a long enough password"
    assert check_password_hash(user.password_hash, "a long enough password")
    assert [(m.organisation.slug, m.role) for m in user.memberships] == [
        ("northshire-county-council", "editor")
    ]


def test_create_user_can_generate_a_password_for_an_administrator(runner, app_context):
    result = runner.invoke(
        args=["register", "create-user", "admin@register.example", "--admin", "--generate-password"]
    )
    assert result.exit_code == 0, result.output
    password = result.output.split("Password (shown once): ")[1].split()[0]
    user = db.session.scalar(select(User))
    assert user.is_admin
    assert check_password_hash(user.password_hash, password)
    assert len(password) >= 20


def test_create_user_refuses_an_unknown_organisation(runner, app_context):
    result = runner.invoke(
        args=[
            "register",
            "create-user",
            "someone@example.org",
            "--organisation",
            "Nowhere Council",
            "--role",
            "editor",
            "--generate-password",
        ]
    )
    assert result.exit_code != 0
    assert "No organisation is called 'Nowhere Council'" in result.output
    assert _count(User) == 0


def test_create_user_refuses_a_bad_email_before_asking_for_a_password(runner, app_context):
    result = runner.invoke(args=["register", "create-user", "not-an-email", "--admin"])
    assert result.exit_code != 0
    assert "Enter an email address in the correct format" in result.output
    assert "Password" not in result.output
    assert _count(User) == 0


def test_create_user_refuses_a_duplicate_email(runner, app_context):
    args = ["register", "create-user", "admin@register.example", "--admin", "--generate-password"]
    assert runner.invoke(args=args).exit_code == 0
    result = runner.invoke(args=[*args[:2], "ADMIN@register.example", *args[3:]])
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert _count(User) == 1


def test_create_user_needs_a_role_with_an_organisation(runner, app_context):
    _organisation(runner)
    result = runner.invoke(
        args=[
            "register",
            "create-user",
            "someone@example.org",
            "--organisation",
            "northshire-county-council",
            "--generate-password",
        ]
    )
    assert result.exit_code != 0
    assert "Choose a role for Northshire County Council" in result.output
    assert _count(User) == 0


def test_create_user_needs_an_organisation_or_administrator_rights(runner, app_context):
    result = runner.invoke(
        args=["register", "create-user", "someone@example.org", "--generate-password"]
    )
    assert result.exit_code != 0
    assert "Give an organisation and role, or make the user an administrator" in result.output


def test_create_user_refuses_a_short_password(runner, app_context):
    result = runner.invoke(
        args=["register", "create-user", "admin@register.example", "--admin"],
        input="short\nshort\n",
    )
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
    assert _count(User) == 0

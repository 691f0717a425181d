"""`flask register backup` copies the running database; a restored copy has everything."""

from __future__ import annotations

from sqlalchemy import func, select

from register import create_app, demo
from register.extensions import db
from register.models import Entry, EntryVersion, Risk


def _counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Entry, EntryVersion, Risk)
    )


def test_a_restored_backup_has_every_entry_and_version(app, runner, tmp_path):
    with app.app_context():
        demo.load(40, seed=7)
        before = _counts()
        engine = db.engine.dialect.name
    destination = tmp_path / "register-backup.db"
    result = runner.invoke(args=["register", "backup", str(destination)])
    if engine != "sqlite":
        assert result.exit_code != 0
        assert "back it up with pg_dump" in result.output
        assert not destination.exists()
        return
    assert result.exit_code == 0, result.output
    restored = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{destination}"})
    with restored.app_context():
        assert _counts() == before
        assert before[0] == 40


def test_a_backup_never_overwrites_a_file(app, runner, tmp_path):
    destination = tmp_path / "exists.db"
    destination.write_text("keep me")
    result = runner.invoke(args=["register", "backup", str(destination)])
    assert result.exit_code != 0
    assert destination.read_text() == "keep me"

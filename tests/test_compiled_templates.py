"""Templates kept compiled in a folder (`TEMPLATE_CACHE_DIR`), so that a new worker's first
page does not compile them again: a second app reads them and sends the same page."""

from __future__ import annotations

import re
import stat

from register import create_app


def _without_nonces(page: str) -> str:
    return re.sub(r'nonce="[^"]*"', 'nonce=""', page)


def _app(app, folder):
    return create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "BUILT_FILES_DIR": app.config["BUILT_FILES_DIR"],
            "TEMPLATE_CACHE_DIR": str(folder),
        },
    )


def test_a_new_process_sends_the_same_page_from_the_templates_kept_compiled(app, tmp_path):
    folder = tmp_path / "compiled"
    first = _app(app, folder).test_client().get("/accessibility")
    assert first.status_code == 200
    kept = sorted(folder.iterdir())
    assert kept, "the templates the page used are kept compiled"
    # What is kept is run as code, so only the register's own user may write there.
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700

    second = _app(app, folder)
    second.jinja_env.compile = None  # a template compiled again would fail here
    again = second.test_client().get("/accessibility")
    assert again.status_code == 200
    assert again.get_data(as_text=True).count("<h1") == 1
    assert _without_nonces(again.get_data(as_text=True)) == _without_nonces(
        first.get_data(as_text=True)
    )
    assert sorted(folder.iterdir()) == kept


def test_tests_compile_templates_in_the_process(app):
    assert app.jinja_env.bytecode_cache is None

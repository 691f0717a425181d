"""The Public Sector AI Register: a Flask application.

`create_app` only wires things together: settings, extensions, templates, blueprints, error
pages and commands. What the register does lives in the modules it wires.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import (
    ChoiceLoader,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
)
from sqlalchemy.orm import configure_mappers
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import INSTANCE_DIR, config_for
from .extensions import csrf, db, limiter, login_manager, migrate
from .formatting import init_formatting
from .html_text import printable
from .languages import init_languages
from .security import init_hosts, init_security, init_sessions
from .signed_in import init_signed_in

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the application for `config_name` (default: the `REGISTER_ENV` variable)."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    config = config_for(config_name)
    app.config.from_object(config)
    if overrides:
        app.config.update(overrides)
    config.check()
    init_languages(app)
    init_hosts(app)
    if app.config["PROXY_COUNT"]:
        # Behind a reverse proxy: take the client's address and scheme from its headers, so
        # rate limits count clients (not the proxy) and HSTS and links know it is HTTPS.
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    # The GOV.UK macros refer to each other as "govuk_frontend_jinja/...".
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.finalize = printable
    if app.config["TEMPLATE_CACHE_DIR"] != "off":
        compiled = Path(app.config["TEMPLATE_CACHE_DIR"])
        compiled.mkdir(mode=0o700, parents=True, exist_ok=True)
        app.jinja_env.bytecode_cache = FileSystemBytecodeCache(str(compiled))
    init_formatting(app)

    cost = app.config["POSTGRES_RANDOM_PAGE_COST"]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") and cost:
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {"options": f"-c random_page_cost={float(cost)}"}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    # Templates are given `signed_in` (see signed_in.py), never the person's model.
    login_manager.init_app(app, add_context_processor=False)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see this page."
    init_signed_in(app)
    WTFormsHelpers(app)
    init_security(app)
    init_sessions(app)

    from .cli import register_commands
    from .views import account, admin, auth, entry_pages, errors, manage, public

    app.register_blueprint(public.blueprint)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(account.blueprint)
    # Importing admin_sign_in adds the sign-in provider pages to the admin blueprint.
    from .views import admin_sign_in  # noqa: F401

    app.register_blueprint(admin.blueprint)
    # The manage blueprint's routes live in modules by feature, which import the blueprint
    # and the rules they share from `manage`; importing them adds them to it.
    from .views import (  # noqa: F401
        manage_api_tokens,
        manage_bulk,
        manage_dashboard,
        manage_drafts,
        manage_entries,
        manage_feedback,
        manage_import_mapping,
        manage_imports,
        manage_print,
        manage_review,
        manage_review_dates,
        manage_rows,
    )

    app.register_blueprint(manage.blueprint)
    app.register_blueprint(entry_pages.blueprint)
    from .views import listing, organisations, suppliers

    app.register_blueprint(listing.blueprint)
    app.register_blueprint(organisations.blueprint)
    app.register_blueprint(suppliers.blueprint)
    # `api_openapi` adds the OpenAPI document to the read API's blueprint, and
    # `downloads_formats` the Parquet files and the catalogue to the downloads', and
    # `standards` other registers' shapes of each entry and of the register.
    from .views import (  # noqa: F401
        api,
        api_openapi,
        downloads,
        downloads_formats,
        feeds,
        open_data,
        standards,
    )

    for open_data_blueprint in (downloads, api, open_data, feeds):
        app.register_blueprint(open_data_blueprint.blueprint)
    from .views import api_submissions

    app.register_blueprint(api_submissions.blueprint)
    from .views import alerts, feedback, statistics

    app.register_blueprint(feedback.blueprint)
    app.register_blueprint(alerts.blueprint)
    app.register_blueprint(statistics.blueprint)
    from .views import second_factor, session_end

    app.register_blueprint(second_factor.blueprint)
    errors.register(app)
    session_end.init_app(app)
    register_commands(app)
    # The models' relationships are worked out once, at start-up, rather than by whichever
    # request a new worker serves first.
    configure_mappers()

    return app

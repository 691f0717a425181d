"""Pages anyone can read: the home page and the register's statements."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from .session_end import person_cookie_name

blueprint = Blueprint("public", __name__)


@blueprint.get("/")
def home() -> str:
    return render_template("public/home.html")


@blueprint.get("/accessibility")
def accessibility() -> str:
    return render_template("public/accessibility.html")


@blueprint.get("/privacy")
def privacy() -> str:
    # The cookie table names the cookie the app really sets.
    config = current_app.config
    return render_template(
        "public/privacy.html",
        session_cookie_name=config["SESSION_COOKIE_NAME"],
        session_idle_minutes=int(config["PERMANENT_SESSION_LIFETIME"].total_seconds() // 60),
        session_absolute_hours=config["SESSION_ABSOLUTE_HOURS"],
        person_cookie_name=person_cookie_name(),
        person_cookie_hours=int(config["SESSION_ABSOLUTE_HOURS"] + config["KEPT_ANSWERS_HOURS"]),
        kept_answers_hours=int(config["KEPT_ANSWERS_HOURS"]),
    )

"""A small, fixed register for the search tests, made through `publishing` as people would.

Five published entries (one of them retired), a draft, a withdrawn entry and a published entry
with a revision in progress. Each search has one right answer on both
engines, which index the same words (`register/models/search_words.py`).
"""

from __future__ import annotations

from typing import Any

from register import publishing

from .factories import publishable_values
from .manage_world import World
from .public_entries import revise, withdraw
from .snapshots import built_once

SOUTHVALE = "Southvale Police"


def _values(**answers: Any) -> dict[str, Any]:
    # The factory's purpose and benefits mention potholes: every entry gets its own.
    own = {"purpose": "The team needed help with the work.", "benefits": "Staff spend time well."}
    return publishable_values(**{**own, **answers})


PUBLISHED: dict[str, tuple[str, dict[str, Any]]] = {
    "pothole": (
        "Northshire County Council",
        _values(
            title="Pothole report triage",
            summary="Sorts reports of potholes by how urgent the repair is.",
            techniques=["classical_ml", "computer_vision"],
        ),
    ),
    "chatbot": (
        "Northshire County Council",
        _values(
            title="Council tax chatbot",
            summary="Answers questions about council tax bills in plain English, day and night.",
            status="pilot",
            in_use_from=None,
            policy_area="general_public_services",
            risk_level="medium",
            techniques=["generative_ai", "nlp"],
            uses_personal_data=True,
        ),
    ),
    "forecast": (
        "Northshire County Council",
        _values(
            title="Home care demand forecasting",
            summary="Predicts how many people will need home care next winter.",
            purpose="Predictions help managers plan staff rotas.",
            policy_area="social_protection",
            risk_level="high",
            decision_role="informs",
            techniques=["forecasting"],
            uses_personal_data=True,
            eu_ai_act_category="high_risk",
        ),
    ),
    "hotspot": (
        SOUTHVALE,
        _values(
            title="Burglary hotspot prediction",
            summary="Predicting where burglaries are likely, so patrols can be planned.",
            contact_email="data@southvale.example",
            policy_area="public_order_safety",
            risk_level="high",
            techniques=["classical_ml"],
            uses_personal_data=True,
        ),
    ),
    "bins": (
        "Northshire County Council",
        _values(
            title="Missed bin reminders",
            summary='Sends <b>reminders</b> & letters about "missed bin" collections.',
            purpose="Unlike a chatbot, it only sends letters.",
            policy_area="environmental_protection",
            techniques=["rule_based"],
        ),
    ),
}


def build(world: World) -> dict[str, str]:
    """Make the corpus; the reference of each entry by its key."""
    references = {}
    for key, (organisation, values) in PUBLISHED.items():
        author = "outside_editor" if organisation == SOUTHVALE else "editor"
        references[key] = world.entry(
            "published", values=values, organisation=organisation, author=author
        )
    with world.app.app_context():
        # As the police's own publisher (the shared helper retires as Northshire's).
        publishing.retire(
            world.load(references["hotspot"]),
            world.user("outside_publisher"),
            "Replaced by a national system.",
            "2025-03",
        )
    references["draft"] = world.entry(
        "draft", values=_values(title="Secret chatbot draft", summary="Never published.")
    )
    references["withdrawn"] = world.entry(
        "published",
        values=_values(title="Face matching at libraries", summary="Matches faces at the door."),
    )
    withdraw(world, references["withdrawn"], "Published in error.")
    references["revision"] = world.entry(
        "published",
        values=_values(
            title="Library opening hours assistant",
            summary="Says when it is open.",
            techniques=["speech"],
        ),
    )
    revise(
        world,
        references["revision"],
        {"title": "Library renamed helper", "summary": "Unpublished words: zebra."},
        publish=False,
    )
    return references


def built(world: World) -> dict[str, str]:
    """The corpus, built once per process and copied back for each later test."""
    return built_once(world.app, "search corpus", lambda: build(world))


# The entries the public can find.
VISIBLE = ("pothole", "chatbot", "forecast", "hotspot", "bins", "revision")

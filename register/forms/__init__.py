"""WTForms classes, one module per part of the service."""

from typing import Any


def legend(question: str, size: str = "s") -> dict[str, Any]:
    """Radio and checkbox widgets' params for a fieldset whose legend asks `question`, at a
    GOV.UK size ("s", "m", "l"). Passing a fieldset replaces the widget's own legend, so
    one given without its text would leave the choices with no question."""
    return {
        "fieldset": {"legend": {"text": question, "classes": f"govuk-fieldset__legend--{size}"}}
    }

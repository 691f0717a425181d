"""GOV.UK Frontend widgets that speak the page's language.

The components write some texts of their own in English ("Show", "You have 20 characters
remaining"). On a Welsh page these widgets pass them in Welsh; on an English page they pass
nothing, so the components write exactly what they always have.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from govuk_frontend_wtf.main import merger
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovDateInput, GovPasswordInput

from ..languages import DEFAULT_LANGUAGE, current_language


def _in_welsh() -> bool:
    return current_language() != DEFAULT_LANGUAGE


def _under(texts: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    # What the template passed wins over the widget's own texts.
    return merger.merge(texts, params)


def _plural(one: str, other: str) -> dict[str, str]:
    # GOV.UK Frontend picks a form by the browser's plural rules, which for Welsh has six:
    # zero, one, two, few, many and other. Only "one" reads differently here.
    return dict.fromkeys(("zero", "two", "few", "many", "other"), other) | {"one": one}


class PasswordInput(GovPasswordInput):
    """A password input whose "Show" and "Hide" button speaks the page's language."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        if not _in_welsh():
            return params
        texts = {
            "showPasswordText": gettext("Show"),
            "hidePasswordText": gettext("Hide"),
            "showPasswordAriaLabelText": gettext("Show password"),
            "hidePasswordAriaLabelText": gettext("Hide password"),
            "passwordShownAnnouncementText": gettext("Your password is visible"),
            "passwordHiddenAnnouncementText": gettext("Your password is hidden"),
        }
        return _under(texts, params)


class CharacterCount(GovCharacterCount):
    """A text area whose count of characters left speaks the page's language."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        if not _in_welsh():
            return params
        # "%{count}" is filled in by GOV.UK Frontend's script, not by the catalogue.
        under = gettext("You have %(count)s characters remaining", count="%{count}")
        over = gettext("You have %(count)s characters too many", count="%{count}")
        texts = {
            "textareaDescriptionText": gettext(
                "You can enter up to %(count)s characters", count="%{count}"
            ),
            "charactersUnderLimitText": _plural(gettext("You have 1 character remaining"), under),
            "charactersAtLimitText": gettext("You have 0 characters remaining"),
            "charactersOverLimitText": _plural(gettext("You have 1 character too many"), over),
        }
        return _under(texts, params)


class DateInput(GovDateInput):
    """A date input whose Day, Month and Year speak the page's language."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        if _in_welsh():
            names = (gettext("Day"), gettext("Month"), gettext("Year"))
            for item, name in zip(params.get("items", []), names, strict=False):
                item["label"] = name
        return params

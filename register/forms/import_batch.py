"""The form that publishes an import's entries waiting for review, all at once. What it
publishes is decided by `importing.batches`; the form carries the CSRF token and which list
of entries the reviewer read."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import HiddenField, SubmitField


class PublishBatchForm(FlaskForm):
    # The `BatchReview.fingerprint` of the list the reviewer confirmed.
    entries = HiddenField()
    publish_all = SubmitField(_("Publish all"), widget=GovSubmitInput())

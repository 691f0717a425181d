"""Importing a file of entries from the web: upload, read the report, then decide.

For administrators and for publishers (who import into their own organisations only). The
file waits in the database between the report and the decision, and the report is worked
out again from it when the person decides, so it always describes what will happen.
"""

from __future__ import annotations

import io
import secrets
from datetime import UTC, datetime, timedelta

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import delete, select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from .. import importing
from ..extensions import db
from ..forms.imports import FILE_SAYS, DecisionForm, UploadForm
from ..importing import summary
from ..models import Organisation, PendingImport, User
from .manage import blueprint, error_summary, person

# Files nobody decided about are deleted after this long.
KEPT_FOR = timedelta(days=1)
NOTES_SHOWN = 200


def _importable_organisations(user: User) -> list[Organisation]:
    """The organisations this person may import into: all of them for administrators, the
    ones they publish for otherwise."""
    if user.is_admin:
        return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))
    return user.publishes_for()


def _allowed_or_403() -> list[Organisation]:
    user = person()
    organisations = _importable_organisations(user)
    if not user.is_admin and not organisations:
        abort(403)
    return organisations


@blueprint.route("/import", methods=["GET", "POST"])
def import_upload() -> str | Response:
    organisations = _allowed_or_403()
    user = person()
    form = UploadForm()
    choices = [SelectChoice(str(o.id), o.name) for o in organisations]
    if user.is_admin:
        choices.insert(0, SelectChoice(FILE_SAYS, "The organisations the file names"))
    form.organisation.choices = choices
    if form.validate_on_submit():
        content = form.file.data.read()
        if not content.strip():
            form.file.errors.append("The file is empty. Choose a file with entries in it.")
        else:
            pending = PendingImport(
                key=secrets.token_urlsafe(32),
                user_id=user.id,
                organisation_id=int(form.organisation.data) if form.organisation.data else None,
                format=form.format.data,
                filename=(form.file.data.filename or "upload")[-255:],
                content=content,
                create_organisations=bool(user.is_admin and form.create_organisations.data),
                publish=bool(form.publish.data),
            )
            _forget_old_uploads(user)
            db.session.add(pending)
            db.session.commit()
            return redirect(url_for("manage.import_report", key=pending.key))
    return render_template(
        "manage/import_upload.html",
        form=form,
        is_admin=user.is_admin,
        problems=error_summary(form),
    )


def _forget_old_uploads(user: User) -> None:
    cutoff = datetime.now(UTC) - KEPT_FOR
    db.session.execute(
        delete(PendingImport).where(
            (PendingImport.user_id == user.id) | (PendingImport.created_at < cutoff)
        )
    )


def _pending_or_404(key: str) -> PendingImport:
    pending = db.session.scalar(select(PendingImport).where(PendingImport.key == key))
    if pending is None or pending.user_id != person().id:
        abort(404)
    return pending


def _options(pending: PendingImport) -> importing.ImportOptions:
    user = person()
    organisation = (
        db.session.get(Organisation, pending.organisation_id) if pending.organisation_id else None
    )
    allowed = None if user.is_admin else frozenset(o.id for o in _importable_organisations(user))
    if organisation is not None and allowed is not None and organisation.id not in allowed:
        abort(403)
    return importing.ImportOptions(
        format=importing.FORMATS[pending.format],
        filename=pending.filename,
        organisation=organisation,
        create_organisations=pending.create_organisations,
        publish=pending.publish,
        actor=user,
        allowed_organisations=allowed,
    )


@blueprint.route("/import/<key>", methods=["GET", "POST"])
def import_report(key: str) -> str | Response:
    _allowed_or_403()
    pending = _pending_or_404(key)
    options = _options(pending)
    report = importing.review(io.BytesIO(pending.content), options)
    form = DecisionForm()
    if form.validate_on_submit():
        if form.cancel.data:
            db.session.delete(pending)
            db.session.commit()
            flash(f"Nothing was imported from {pending.filename}.", "important")
            return redirect(url_for("manage.import_upload"))
        if report.has_problems and not form.import_valid.data:
            flash("Some rows have problems. Import only the rows without them, or nothing.")
        elif report.to_write:
            report = importing.run(
                io.BytesIO(pending.content), options, report, valid_rows_only=True
            )
            db.session.delete(db.session.merge(pending))
            db.session.commit()
            flash(summary.headline(report), "success")
            return redirect(url_for("manage.dashboard"))
    notes = list(summary.warning_lines(report))
    return render_template(
        "manage/import_report.html",
        pending=pending,
        report=report,
        headline=summary.headline(report),
        describe=summary.describe,
        notes=notes[:NOTES_SHOWN],
        more_notes=max(0, len(notes) - NOTES_SHOWN),
        format_label=options.format.label,
        form=form,
    )

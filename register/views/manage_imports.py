"""Importing a file of entries from the web: upload, read the report, then decide.

For administrators and for publishers (who import into their own organisations only). The
file is read once, within the register's limits, when it arrives; its report (or why it
was refused) waits in the database with it, so viewing the report never reads the file
again. It is read again only when the person decides to import it, and if the register
has changed since so that the import would do something else, the new report is shown
instead of importing.
"""

from __future__ import annotations

import io
import secrets
from datetime import UTC, datetime, timedelta

from flask import abort, current_app, flash, redirect, render_template, url_for
from sqlalchemy import delete, select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from .. import importing
from ..extensions import db
from ..forms.imports import FILE_SAYS, DecisionForm, UploadForm
from ..importing import reports, summary
from ..models import Organisation, PendingImport, User
from .manage import blueprint, error_summary, person

# Files nobody decided about are deleted after this long.
KEPT_FOR = timedelta(days=1)
NOTES_SHOWN = 200
# The report of an upload from before reports were kept.
NOT_KEPT = "The report of this file was not kept. Upload the file again to import it."


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
            _keep_report(pending, importing.review(io.BytesIO(content), _options(pending)))
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


def _keep_report(pending: PendingImport, report: importing.ImportReport) -> None:
    """Keep the report with the file; a refused file is not kept, only why."""
    if report.file_problem:
        pending.refusal, pending.report, pending.content = report.file_problem, None, b""
    else:
        pending.refusal, pending.report = None, reports.dumps(report)


def _kept_report(
    pending: PendingImport, options: importing.ImportOptions
) -> importing.ImportReport:
    if pending.report is not None:
        return reports.loads(pending.report)
    report = importing.ImportReport(pending.filename, options.format.name, pending.publish)
    report.file_problem = pending.refusal or NOT_KEPT
    return report


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
        limits=importing.ReadLimits.from_config(current_app.config),
    )


@blueprint.route("/import/<key>", methods=["GET", "POST"])
def import_report(key: str) -> str | Response:
    _allowed_or_403()
    pending = _pending_or_404(key)
    options = _options(pending)
    report = _kept_report(pending, options)
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
            # What the register holds may have changed since the report was made.
            now = importing.review(io.BytesIO(pending.content), options)
            if now.file_problem:
                flash(f"{now.file_problem} Nothing was imported.")
            elif _plan(now) != _plan(report):
                _keep_report(pending, now)
                db.session.commit()
                flash(
                    "The register has changed since this report was made, so nothing was "
                    "imported. This is what importing the file would do now."
                )
                report = _kept_report(pending, options)
            else:
                report = importing.run(
                    io.BytesIO(pending.content), options, now, valid_rows_only=True
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
        imported_as=summary.imported_as(report),
        describe=summary.describe,
        notes=notes[:NOTES_SHOWN],
        more_notes=max(0, len(notes) - NOTES_SHOWN) + report.notes_left_out,
        format_label=options.format.label,
        form=form,
    )


def _plan(report: importing.ImportReport) -> list[tuple]:
    """What an import would do with each row, to tell whether a report still holds."""
    plan = [(row.number, row.action, row.entry_id, row.for_review) for row in report.rows]
    return [report.file_problem, *plan]

"""Importing a file of entries from the web: upload, read the report, then decide.

For administrators and for publishers (who import into their own organisations only). The
file is read once, within the register's limits, when it arrives; its report (or why it
was refused) waits in the database with it, so viewing the report never reads the file
again. It is read again only when the person decides to import it, and if the register
has changed since so that the import would do something else, the new report is shown
instead of importing. While a file is checked, the upload page's script shows how far the
check has got (see `manage_import_progress`).
"""

from __future__ import annotations

import dataclasses
import io
import secrets
from datetime import UTC, datetime, timedelta

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext
from sqlalchemy import delete, select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from .. import importing
from ..extensions import db
from ..formatting import N_, number
from ..forms.imports import FILE_SAYS, DecisionForm, UploadForm
from ..importing import reports, summary
from ..importing.column_mapping import format_of_upload
from ..importing.govuk_organisations import organisation_name_for
from ..importing.importer import organisation_name_problem
from ..importing.missing import reason_problem
from ..models import Organisation, PendingImport, User
from ..schema.texts import shown
from .manage import blueprint, error_summary, person
from .manage_import_progress import answer_with_report, form_progress, recorder

# Files nobody decided about are deleted after this long.
KEPT_FOR = timedelta(days=1)
NOTES_SHOWN = 200
# The report of an upload from before reports were kept.
NOT_KEPT = N_("The report of this file was not kept. Upload the file again to import it.")


def _importable_organisations(user: User) -> list[Organisation]:
    """The organisations this person may import into: all of them for administrators, the
    ones they publish for otherwise."""
    if user.is_admin:
        return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))
    return user.publishes_for()


def allowed_or_403() -> list[Organisation]:
    user = person()
    organisations = _importable_organisations(user)
    if not user.is_admin and not organisations:
        abort(403)
    return organisations


@blueprint.route("/import", methods=["GET", "POST"])
def import_upload() -> str | Response:
    organisations = allowed_or_403()
    user = person()
    form = UploadForm()
    choices = [SelectChoice(str(o.id), o.name) for o in organisations]
    if user.is_admin:
        choices.insert(0, SelectChoice(FILE_SAYS, gettext("The organisations the file names")))
    form.organisation.choices = choices
    if form.validate_on_submit():
        content = form.file.data.read()
        if not content.strip():
            form.file.errors.append(gettext("The file is empty. Choose a file with entries in it."))
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
            stream = io.BytesIO(content)
            options = import_options(pending)
            with recorder(stream, len(content), options.format) as checking:
                report = importing.review(stream, options, progress=checking)
                checking.finished(len(report.rows))
                keep_report(pending, report)
                forget_old_uploads(user)
                db.session.add(pending)
                db.session.commit()
            return answer_with_report(url_for("manage.import_report", key=pending.key))
    return render_template(
        "manage/import_upload.html",
        form=form,
        is_admin=user.is_admin,
        problems=error_summary(form),
        progress=form_progress(),
    )


def keep_report(pending: PendingImport, report: importing.ImportReport) -> None:
    """Keep the report with the file; a refused file is not kept, only why."""
    if report.file_problem:
        pending.refusal = reports.dumps_reason(report.file_problem)
        pending.report, pending.content = None, b""
    else:
        pending.refusal, pending.report = None, reports.dumps(report)


def _kept_report(
    pending: PendingImport, options: importing.ImportOptions
) -> importing.ImportReport:
    if pending.report is not None:
        return reports.loads(pending.report)
    report = importing.ImportReport(pending.filename, options.format.name, pending.publish)
    report.file_problem = (
        reports.loads_reason(pending.refusal) if pending.refusal else gettext(NOT_KEPT)
    )
    return report


def forget_old_uploads(user: User) -> None:
    cutoff = datetime.now(UTC) - KEPT_FOR
    db.session.execute(
        delete(PendingImport).where(
            (PendingImport.user_id == user.id) | (PendingImport.created_at < cutoff)
        )
    )


def pending_or_404(key: str) -> PendingImport:
    pending = db.session.scalar(select(PendingImport).where(PendingImport.key == key))
    if pending is None or pending.user_id != person().id:
        abort(404)
    return pending


def import_options(pending: PendingImport) -> importing.ImportOptions:
    """How an upload is reviewed and imported, in its format (a known one, or the one its
    column mapping makes), for the organisations the person may import into."""
    user = person()
    organisation = (
        db.session.get(Organisation, pending.organisation_id) if pending.organisation_id else None
    )
    allowed = None if user.is_admin else frozenset(o.id for o in _importable_organisations(user))
    if organisation is not None and allowed is not None and organisation.id not in allowed:
        abort(403)
    return importing.ImportOptions(
        format=format_of_upload(pending),
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
    allowed_or_403()
    pending = pending_or_404(key)
    options = import_options(pending)
    report = _kept_report(pending, options)
    form = DecisionForm(organisation_names=[_proposed_name(n) for n in report.new_organisations])
    _offer(form, report)
    if form.validate_on_submit():
        if form.cancel.data:
            db.session.delete(pending)
            db.session.commit()
            flash(
                gettext("Nothing was imported from %(filename)s.", filename=pending.filename),
                "important",
            )
            return redirect(url_for("manage.import_upload"))
        if report.has_problems and not form.import_valid.data:
            flash(
                gettext("Some rows have problems. Import only the rows without them, or nothing.")
            )
        elif not _decision_checked(form, report):
            pass  # the errors are shown next to their fields
        elif not (report.to_write or form.retire.data):
            flash(
                gettext("There is nothing to import. Choose entries to retire, or import nothing.")
            )
        else:
            options = dataclasses.replace(options, organisation_names=_names(form, report))
            retire = _chosen(form, report)
            # What the register holds may have changed since the report was made.
            now = importing.review(io.BytesIO(pending.content), options)
            if now.file_problem:
                flash(gettext("%(problem)s Nothing was imported.", problem=shown(now.file_problem)))
            elif _plan(now) != _plan(report):
                keep_report(pending, now)
                db.session.commit()
                flash(
                    gettext(
                        "The register has changed since this report was made, so nothing was "
                        "imported. This is what importing the file would do now."
                    )
                )
                report = _kept_report(pending, options)
                form = DecisionForm(formdata=None, organisation_names=_names(form, report))
                _offer(form, report)
            else:
                report = importing.run(
                    io.BytesIO(pending.content),
                    options,
                    now,
                    valid_rows_only=True,
                    retire=retire,
                    retirement_reason=form.retirement_reason.data or "",
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
        problems=_problems(form),
    )


# More entries than this to retire are offered as one choice, "all of them".
RETIRE_ONE_BY_ONE = 100
ALL = "all"


def _proposed_name(name: str) -> str:
    """The name an organisation the file names is given unless the person changes it: its
    proper name where GOV.UK's list knows it, or one made readable from a slug."""
    return organisation_name_for(name)[0][:200] or name


def _offer(form: DecisionForm, report: importing.ImportReport) -> None:
    """Label each organisation's name field, and offer the entries that can be retired."""
    while len(form.organisation_names) > len(report.new_organisations):
        form.organisation_names.pop_entry()
    while len(form.organisation_names) < len(report.new_organisations):
        form.organisation_names.append_entry(
            _proposed_name(report.new_organisations[len(form.organisation_names)])
        )
    for field, name in zip(form.organisation_names, report.new_organisations, strict=True):
        field.label.text = gettext("Name for “%(name)s”", name=name)
    retirable = report.retirable
    if len(retirable) > RETIRE_ONE_BY_ONE:
        form.retire.choices = [
            (
                ALL,
                gettext(
                    "Retire all %(count)s published entries the file no longer has",
                    count=number(len(retirable)),
                ),
            )
        ]
    else:
        form.retire.choices = [
            (str(m.entry_id), f"{m.reference}: {m.title} ({m.organisation})") for m in retirable
        ]


def _decision_checked(form: DecisionForm, report: importing.ImportReport) -> bool:
    """Check the names given and the entries chosen to retire, each error next to its field."""
    offered = {value for value, _ in form.retire.choices}
    if set(form.retire.data or []) - offered:
        form.retire.errors.append(gettext("Choose only entries that are listed"))
    elif form.retire.data and (problem := reason_problem(form.retirement_reason.data or "")):
        form.retirement_reason.errors.append(shown(problem))
    given: set[str] = set()
    for field in form.organisation_names:
        problem = shown(organisation_name_problem(field.data or ""))
        if not problem and (field.data or "").casefold() in given:
            problem = gettext("Give each new organisation a different name")
        if problem:
            field.errors = [problem]
        given.add((field.data or "").casefold())
    return not any(field.errors for field in (form.retire, form.retirement_reason)) and not any(
        field.errors for field in form.organisation_names
    )


def _problems(form: DecisionForm) -> list[dict[str, str]]:
    """The error summary: the form's fields, then each organisation name's, in page order."""
    names = [
        {"text": field.errors[0], "href": f"#{field.id}"}
        for field in form.organisation_names
        if field.errors
    ]
    others = [item for item in error_summary(form) if item["href"] != "#organisation_names"]
    return names + others


def _names(form: DecisionForm, report: importing.ImportReport) -> dict[str, str]:
    return {
        name: field.data or name
        for name, field in zip(report.new_organisations, form.organisation_names, strict=False)
    }


def _chosen(form: DecisionForm, report: importing.ImportReport) -> list[int]:
    chosen = set(form.retire.data or [])
    return [m.entry_id for m in report.retirable if ALL in chosen or str(m.entry_id) in chosen]


def _plan(report: importing.ImportReport) -> list[tuple]:
    """What an import would do with each row, and which entries it could retire and which
    organisations add, to tell whether a report still holds."""
    plan = [(row.number, row.action, row.entry_id, row.for_review) for row in report.rows]
    missing = [(m.entry_id, m.why_not) for m in report.missing]
    return [report.file_problem, *plan, missing, report.new_organisations]

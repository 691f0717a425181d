"""Importing a file that follows no known format: upload it, say where each of its columns
goes, preview the first entries, save the mapping for next time, then read the import
report and import as for any other format.

For the people who may import (see `manage_imports`). The file is kept as an upload
(`PendingImport`) with its mapping beside it; it is read within the register's limits when
it arrives (for its columns, a few of their values and what they suggest), and again for
the preview and for the report. Nothing is written before the person chooses to go on, and
a mapping with a problem is shown with the problem next to what needs changing.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, field
from itertools import islice
from pathlib import PurePath

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from .. import importing, schema
from ..extensions import db
from ..forms.import_mapping import (
    DAY,
    LEAVE_OUT,
    MONTH,
    ColumnsForm,
    MappingUploadForm,
    SaveMappingForm,
    column_choices,
)
from ..importing import column_mapping
from ..importing.column_mapping import MAPPED, OTHER, ColumnMapping
from ..importing.mapping import ImportedEntry
from ..importing.summary import describe, headline
from ..models import Organisation, PendingImport, PendingMapping, SavedMapping, User
from ..schema import Kind
from ..schema.texts import shown as record_text
from ..validation import is_blank
from .entry_display import Answer, RowCard, Shown, show
from .entry_summary import row_title
from .manage import blueprint, error_summary, person
from .manage_imports import (
    allowed_or_403,
    forget_old_uploads,
    import_options,
    keep_report,
    pending_or_404,
)

# Entries the preview shows; the import report lists every row.
PREVIEWED = 5
# What a file may be called: its contents decide how it is read.
FILE_SUFFIXES = ("", ".csv", ".tsv", ".txt", ".xlsx")
FILE_SAYS = ""  # the organisation choice for "the one each row names"


@blueprint.route("/import/columns", methods=["GET", "POST"])
def import_mapping_upload() -> str | Response:
    organisations = allowed_or_403()
    user = person()
    saved = column_mapping.saved_mappings(None if user.is_admin else [o.id for o in organisations])
    form = MappingUploadForm()
    form.saved_mapping.choices = [
        SelectChoice("", gettext("No, map the columns from the start")),
        *(SelectChoice(str(s.id), f"{s.name} ({s.organisation.name})") for s in saved),
    ]
    if form.validate_on_submit():
        chosen = next((s for s in saved if str(s.id) == form.saved_mapping.data), None)
        pending = _upload(form, user, organisations, chosen)
        if pending is not None:
            return redirect(url_for("manage.import_mapping_columns", key=pending.key))
    return render_template(
        "manage/import_mapping_upload.html",
        form=form,
        has_saved=bool(saved),
        problems=error_summary(form),
    )


def _upload(
    form: MappingUploadForm,
    user: User,
    organisations: list[Organisation],
    saved: SavedMapping | None,
) -> PendingImport | None:
    """Keep the file with its columns and the mapping to start from, or say next to the
    file field why it cannot be mapped (keeping nothing)."""
    filename = (form.file.data.filename or "upload")[-255:]
    content = form.file.data.read()
    if PurePath(filename).suffix.lower() not in FILE_SUFFIXES:
        form.file.errors.append(
            gettext(
                "“%(filename)s” is not a CSV file or an Excel workbook (.xlsx). Choose one of "
                "those.",
                filename=filename,
            )
        )
        return None
    if not content.strip():
        form.file.errors.append(gettext("The file is empty. Choose a file with entries in it."))
        return None
    limits = importing.ReadLimits.from_config(current_app.config)
    try:
        columns = column_mapping.read_columns(content, limits)
    except importing.FileRefused as refusal:
        form.file.errors.append(record_text(refusal.reason))
        return None
    mapping, suggested = column_mapping.first_mapping(
        columns, column_mapping.mapping_of(saved) if saved else None
    )
    organisation = _first_choice(mapping.organisation, user, organisations)
    pending = PendingImport(
        key=secrets.token_urlsafe(32),
        user_id=user.id,
        organisation_id=organisation.id if organisation else None,
        format=MAPPED,
        filename=filename,
        content=content,
        create_organisations=False,
        publish=False,
    )
    forget_old_uploads(user)
    db.session.add(pending)
    db.session.flush()
    column_mapping.keep_with_upload(pending, columns, suggested, mapping, saved)
    db.session.commit()
    return pending


def _first_choice(named: str, user: User, organisations: list[Organisation]) -> Organisation | None:
    """The organisation the entries are for until the person says: the one the mapping
    names, if the person may import for it; else, for a publisher, their first."""
    wanted = importing.find_organisation(named) if named else None
    if wanted is not None and (user.is_admin or wanted.id in {o.id for o in organisations}):
        return wanted
    return None if user.is_admin else organisations[0]


def _mapped_upload_or_404(key: str) -> tuple[PendingImport, PendingMapping]:
    pending = pending_or_404(key)
    kept = db.session.get(PendingMapping, pending.id) if pending.format == MAPPED else None
    if kept is None:
        abort(404)
    return pending, kept


def _organisation_choices(user: User, organisations: list[Organisation]) -> list[SelectChoice]:
    choices = [SelectChoice(str(o.id), o.name) for o in organisations]
    if user.is_admin:
        choices.insert(0, SelectChoice(FILE_SAYS, gettext("The one each row names, in its column")))
    return choices


@blueprint.route("/import/columns/<key>", methods=["GET", "POST"])
def import_mapping_columns(key: str) -> str | Response:
    organisations = allowed_or_403()
    user = person()
    pending, kept = _mapped_upload_or_404(key)
    columns = column_mapping.shown_columns(kept)
    mapping = column_mapping.kept_mapping(kept)
    form = ColumnsForm(
        columns=[_choice_of(mapping.columns.get(column.name, OTHER)) for column in columns],
        dates=DAY if mapping.day_first else MONTH,
        organisation=str(pending.organisation_id or FILE_SAYS),
        create_organisations=pending.create_organisations,
        publish=pending.publish,
    )
    _offer_columns(form, columns)
    form.organisation.choices = _organisation_choices(user, organisations)
    table_error = ""
    if form.validate_on_submit():
        chosen = next((o for o in organisations if str(o.id) == form.organisation.data), None)
        chosen_targets = zip(columns, form.columns, strict=True)
        mapping = ColumnMapping(
            {column.name: _target_of(entry.data) for column, entry in chosen_targets},
            form.dates.data == DAY,
            chosen.slug if chosen else "",
        )
        table_error = _place_problems(form, columns, mapping.problems())
        if not table_error and not _has_errors(form):
            kept.definition = mapping.to_json()
            pending.organisation_id = chosen.id if chosen else None
            pending.create_organisations = bool(user.is_admin and form.create_organisations.data)
            pending.publish = bool(form.publish.data)
            db.session.commit()
            return redirect(url_for("manage.import_mapping_preview", key=pending.key))
    saved = db.session.get(SavedMapping, kept.saved_mapping_id) if kept.saved_mapping_id else None
    return render_template(
        "manage/import_mapping_columns.html",
        pending_filename=pending.filename,
        form=form,
        rows=list(zip(columns, form.columns, strict=True)),
        table_error=table_error,
        is_admin=user.is_admin,
        saved_name=saved.name if saved else "",
        has_new=any(column.why == "new" for column in columns),
        not_in_file=column_mapping.mapping_of(saved).not_in(columns) if saved else [],
        problems=_problems(form, table_error),
    )


def _choice_of(target: str | None) -> str:
    return LEAVE_OUT if target is None else target


def _target_of(choice: str) -> str | None:
    return None if choice == LEAVE_OUT else choice


def _offer_columns(form: ColumnsForm, columns: list[column_mapping.ShownColumn]) -> None:
    """One select per column, labelled with it: as many as the file has columns, whatever
    was sent."""
    while len(form.columns) > len(columns):
        form.columns.pop_entry()
    while len(form.columns) < len(columns):
        form.columns.append_entry()
    choices = column_choices()
    for entry, column in zip(form.columns, columns, strict=True):
        entry.choices = choices
        entry.label.text = gettext("Where “%(column)s” goes", column=column.name)
        entry.description = _why(column)


def _why(column: column_mapping.ShownColumn) -> str:
    target = column_mapping.TARGETS_BY_VALUE.get(column.suggested)
    if column.why == "new":
        return gettext("Not in the saved mapping")
    if column.why == "saved" or target is None:
        return ""
    if column.why == "name":
        return gettext("%(field)s: suggested by its name", field=target.shown)
    return gettext("%(field)s: suggested by its values", field=target.shown)


def _place_problems(
    form: ColumnsForm,
    columns: list[column_mapping.ShownColumn],
    problems: list[column_mapping.Problem],
) -> str:
    """Put each problem next to what it is about; the problem with the columns as a whole
    (no title), which goes above the table, is returned."""
    entries = {column.name: entry for column, entry in zip(columns, form.columns, strict=True)}
    table_error = ""
    for problem in problems:
        if problem.column in entries:
            entries[problem.column].errors = [*entries[problem.column].errors, problem.message]
        elif problem.about == "organisation":
            form.organisation.errors = [*form.organisation.errors, problem.message]
        else:
            table_error = table_error or problem.message
    return table_error


def _has_errors(form: ColumnsForm) -> bool:
    return any(entry.errors for entry in form.columns) or any(
        f.errors for f in form if f.name != "columns"
    )


def _problems(form: ColumnsForm, table_error: str) -> list[dict[str, str]]:
    """The error summary, in the page's order: the table, each column, then the rest."""
    found = [{"text": table_error, "href": "#column-table"}] if table_error else []
    found += [{"text": e.errors[0], "href": f"#{e.id}"} for e in form.columns if e.errors]
    return found + [item for item in error_summary(form) if item["href"] != "#columns"]


@dataclass
class PreviewEntry:
    """One row as its entry would read, with what the import would do with it."""

    row: importing.RowOutcome
    answers: list[Answer] = field(default_factory=list)
    groups: list[tuple[str, list[RowCard]]] = field(default_factory=list)


@blueprint.route("/import/columns/<key>/preview", methods=["GET", "POST"])
def import_mapping_preview(key: str) -> str | Response:
    organisations = allowed_or_403()
    user = person()
    pending, kept = _mapped_upload_or_404(key)
    if column_mapping.kept_mapping(kept).problems():
        flash(gettext("Finish mapping the columns before previewing the entries."))
        return redirect(url_for("manage.import_mapping_columns", key=key))
    saved = db.session.get(SavedMapping, kept.saved_mapping_id) if kept.saved_mapping_id else None
    # A mapping is kept for an organisation the person may import for (any, for an
    # administrator).
    form = SaveMappingForm(
        name=saved.name if saved else "", keep_for=_keeper(saved, pending, organisations)
    )
    form.keep_for.choices = [SelectChoice(str(o.id), o.name) for o in organisations]
    if form.validate_on_submit() and _saved_if_named(form, kept, organisations, user):
        options = import_options(pending)
        keep_report(pending, importing.review(io.BytesIO(pending.content), options))
        db.session.commit()
        return redirect(url_for("manage.import_report", key=pending.key))
    options = import_options(pending)
    report = importing.review(io.BytesIO(pending.content), options)
    return render_template(
        "manage/import_mapping_preview.html",
        pending_filename=pending.filename,
        key=pending.key,
        report=report,
        headline=headline(report),
        entries=_previewed(pending.content, options, report),
        describe=describe,
        form=form,
        problems=error_summary(form),
    )


def _keeper(saved: SavedMapping | None, pending: PendingImport, owners: list[Organisation]) -> str:
    """The organisation a mapping is kept for unless the person says: the saved mapping's,
    else the one the entries are for, else the first the person may keep one for."""
    if saved is not None:
        return str(saved.organisation_id)
    if pending.organisation_id:
        return str(pending.organisation_id)
    return str(owners[0].id) if owners else ""


def _saved_if_named(
    form: SaveMappingForm, kept: PendingMapping, owners: list[Organisation], user: User
) -> bool:
    """Save the mapping if the person named it, or say next to the name why it cannot be;
    whether to go on."""
    if not form.name.data:
        return True
    owner = next((o for o in owners if str(o.id) == form.keep_for.data), None)
    if owner is None:
        form.keep_for.errors = [gettext("Choose the organisation to keep the mapping for")]
        return False
    problem = column_mapping.name_problem(form.name.data, owner, kept.saved_mapping_id)
    if problem:
        form.name.errors = [problem]
        return False
    saved = column_mapping.save(
        form.name.data, owner, column_mapping.kept_mapping(kept), user, kept.saved_mapping_id
    )
    kept.saved_mapping_id = saved.id
    return True


def _previewed(
    content: bytes, options: importing.ImportOptions, report: importing.ImportReport
) -> list[PreviewEntry]:
    """The first rows as their entries would read, each with what the report says of it."""
    if report.file_problem:
        return []
    outcomes = {row.number: row for row in report.rows}
    entries = options.format.entries(io.BytesIO(content), options.limits)
    return [
        _preview_entry(imported, outcomes[imported.number])
        for imported in islice(entries, PREVIEWED)
        if imported.number in outcomes
    ]


def _preview_entry(imported: ImportedEntry, row: importing.RowOutcome) -> PreviewEntry:
    shown = PreviewEntry(row)
    for item in schema.all_fields():
        if item.kind is Kind.ORGANISATION:
            if row.organisation:
                shown.answers.append(Answer(record_text(item.label), Shown(row.organisation)))
            continue
        value = imported.values.get(item.name)
        if not is_blank(value):
            shown.answers.append(Answer(record_text(item.label), show(item, value)))
    for group in schema.groups():
        cards = [
            RowCard(
                row_title(group, values, number),
                [
                    Answer(record_text(f.label), show(f, values.get(f.name)))
                    for f in group.fields
                    if not is_blank(values.get(f.name))
                ],
            )
            for number, values in enumerate(imported.rows.get(group.name, []), start=1)
        ]
        if cards:
            shown.groups.append((record_text(group.label), cards))
    return shown

"""`flask register ...` commands for setting up and filling the register."""

from __future__ import annotations

import csv
import dataclasses
import os
import signal
import sys
import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from . import (
    accounts,
    completeness,
    demo,
    feedback,
    importing,
    kept_answers,
    published,
    reviews,
    sign_in_providers,
    suppliers,
)
from .addresses import absolute_url
from .alerts import send_alerts
from .backup import BackupError, backup_database
from .importing import organisation_list, summary
from .importing.column_mapping.command import command_format, mapping_options
from .importing.missing import reason_problem
from .links import checks as link_checks
from .mail import sender
from .mail.transports import MailSettingsError, configured_transport
from .opendata import documents, snapshots, whole_register
from .opendata.dictionary import markdown
from .schema.vocabularies import ORGANISATION_TYPE, ROLE

register_group = AppGroup("register", help="Set up and fill the register.")


@register_group.command("create-organisation")
@click.argument("name")
@click.option(
    "--type",
    "type_code",
    required=True,
    type=click.Choice(ORGANISATION_TYPE.codes),
    help="The kind of public body.",
)
@click.option("--slug", help="The short name used in web addresses (default: from the name).")
@click.option("--website", help="The organisation's website, starting https://.")
@click.option("--contact-email", help="A public contact address.")
@click.option(
    "--self-publishing/--no-self-publishing",
    default=False,
    help="Let publishers approve their own submissions.",
)
def create_organisation_command(
    name: str,
    type_code: str,
    slug: str | None,
    website: str | None,
    contact_email: str | None,
    self_publishing: bool,
) -> None:
    """Add an organisation called NAME."""
    try:
        organisation = accounts.create_organisation(
            name,
            type_code,
            slug=slug,
            website=website,
            contact_email=contact_email,
            allows_self_publishing=self_publishing,
        )
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created organisation {organisation.name} ({organisation.slug}).")


@register_group.command("create-user")
@click.argument("email")
@click.option("--name", default="", help="The person's name.")
@click.option("--organisation", help="Name or slug of the organisation they belong to.")
@click.option("--role", type=click.Choice(ROLE.codes), help="Their role in that organisation.")
@click.option("--admin", is_flag=True, help="Make them a register administrator.")
@click.option(
    "--generate-password",
    is_flag=True,
    help="Generate a password and print it once, instead of asking for one.",
)
def create_user_command(
    email: str,
    name: str,
    organisation: str | None,
    role: str | None,
    admin: bool,
    generate_password: bool,
) -> None:
    """Add a person who signs in with EMAIL."""
    # Check everything that needs no password first, so nobody types one in vain.
    try:
        accounts.normalise_email(email)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    if generate_password:
        password = accounts.generate_password()
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    try:
        user = accounts.create_user(
            email,
            password,
            name=name,
            organisation=organisation,
            role=role,
            is_admin=admin,
        )
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    roles = [f"{m.role} of {m.organisation.name}" for m in user.memberships]
    if user.is_admin:
        roles.append("register administrator")
    click.echo(f"Created user {user.email}: {', '.join(roles)}.")
    if generate_password:
        click.echo(f"Password (shown once): {password}")
        if not sys.stdout.isatty():
            click.echo("Store it safely and ask them to change it after signing in.", err=True)


# The client secret never comes from an argument, which other users can read in the
# process list and which shells keep in their history.
CLIENT_SECRET_VARIABLE = "SIGN_IN_CLIENT_SECRET"  # noqa: S105  # nosec B105  # a variable's name


@register_group.command("sign-in-provider")
@click.argument("organisation", required=False)
@click.option("--whole-register", is_flag=True, help="The register's own, for no organisation.")
@click.option("--issuer", required=True, help="The provider's issuer address, starting https://.")
@click.option("--client-id", required=True, help="The client ID the provider gave the register.")
@click.option("--domain", "domains", multiple=True, required=True, help="An email domain.")
@click.option("--provider-only", is_flag=True, help="Its people may no longer use passwords.")
@click.option("--trust-second-factor", is_flag=True, help="Ask no code when the provider used one.")
@click.option("--domain-join", is_flag=True, help="Anyone from its domains may join as an editor.")
def sign_in_provider_command(
    organisation: str | None,
    whole_register: bool,
    issuer: str,
    client_id: str,
    domains: tuple[str, ...],
    provider_only: bool,
    trust_second_factor: bool,
    domain_join: bool,
) -> None:
    """Set the provider ORGANISATION (name or slug) signs in with (OpenID Connect). The
    client secret is read from SIGN_IN_CLIENT_SECRET if set, else from standard input."""
    if bool(organisation) == whole_register:
        raise click.UsageError("Give an ORGANISATION, or --whole-register (not both).")
    found = None
    if organisation:
        found = accounts.find_organisation(organisation)
        if found is None:
            raise click.ClickException(f"No organisation is called {organisation!r}.")
    secret = os.environ.get(CLIENT_SECRET_VARIABLE)
    if not secret:
        if sys.stdin.isatty():
            secret = click.prompt("Client secret", hide_input=True, err=True)
        else:
            secret = sys.stdin.readline()
    try:
        sign_in_providers.save_provider(
            found,
            issuer=issuer,
            client_id=client_id,
            client_secret=secret.strip() or None,
            domains=domains,
            provider_only=provider_only,
            trusts_second_factor=trust_second_factor,
            lets_domain_join=domain_join,
        )
    except sign_in_providers.ProviderSettingsError as error:
        raise click.ClickException(" ".join(error.problems.values())) from None
    who = found.name if found else "The register"
    click.echo(f"{who} signs in through {issuer} for {', '.join(domains)}.")


@register_group.command("demo-data")
@click.option(
    "--entries",
    default=300,
    show_default=True,
    type=click.IntRange(min=1, max=1_000_000),
    help="How many published entries to create.",
)
@click.option("--seed", default=2024, show_default=True, type=int, help="Random seed.")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing if the register already has entries (used by `make run`).",
)
def demo_data_command(entries: int, seed: int, if_empty: bool) -> None:
    """Fill the register with realistic, varied, published demo entries."""
    if if_empty and not demo.register_is_empty():
        click.echo("The register already has entries; no demo data loaded.")
        return
    try:
        created = demo.load(entries, seed=seed)
    except demo.DemoDataError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Created {created.entries} published entries in {created.organisations} organisations."
    )


@register_group.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(destination: Path) -> None:
    """Write a consistent copy of the running database to DESTINATION (SQLite)."""
    try:
        pages = backup_database(destination)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up the register to {destination} ({pages} pages).")


@register_group.command("import")
@click.option(
    "--format",
    "format_name",
    type=click.Choice(sorted(importing.FORMATS)),
    help="The file's format: native (the register's own CSV or JSON); the UK Algorithmic "
    "Transparency Recording Standard as GOV.UK's finder lists it (atrs-finder), as whole "
    "records (atrs-record), as the filled-in template (atrs-template) or one record per row "
    "(atrs); us-2024 or us-2025 (the US federal AI use case inventories). A file in none of "
    "these is read with --mapping-file or --mapping instead.",
)
@click.option(
    "--organisation",
    "organisation_name",
    help="File every entry under this organisation (its slug, name or abbreviation), "
    "whatever the file says.",
)
@click.option(
    "--create-organisations",
    is_flag=True,
    help="Add the organisations the file names that are not on the register yet.",
)
@click.option("--publish", is_flag=True, help="Publish the entries (default: leave drafts).")
@click.option("--dry-run", is_flag=True, help="Report what would happen; write nothing.")
@click.option(
    "--valid-rows-only",
    is_flag=True,
    help="Import the rows without problems and leave out the rest. This is the default for "
    "other registers' files; for the register's own (native), if any row has a problem, "
    "ask, or import nothing when there is no one to ask.",
)
@click.option(
    "--retire-missing",
    is_flag=True,
    help="Retire the published entries imported before from this format, for the "
    "organisations the file covers, that the file no longer has (needs --reason).",
)
@click.option(
    "--reason",
    "retirement_reason",
    default="",
    help="Why the entries the file no longer has are retired; shown to the public.",
)
@click.option("--all-warnings", is_flag=True, help="List every note, not only the first 20.")
@click.option(
    "--show-mapping", is_flag=True, help="Say how each row's values were read, field by field."
)
@mapping_options
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_command(
    format_name: str | None,
    organisation_name: str | None,
    create_organisations: bool,
    publish: bool,
    dry_run: bool,
    valid_rows_only: bool,
    retire_missing: bool,
    retirement_reason: str,
    all_warnings: bool,
    show_mapping: bool,
    file: str,
    **mapping: Any,
) -> None:
    """Import the entries in FILE: first a report of every row, then all of them in one
    transaction, or none."""
    if retire_missing and (problem := reason_problem(retirement_reason)):
        raise click.ClickException(f"--retire-missing needs --reason: {problem}.")
    organisation = None
    if organisation_name:
        organisation = importing.find_organisation(organisation_name)
        if organisation is None:
            raise click.ClickException(f"There is no organisation {organisation_name!r}.")
    file_format, organisation = command_format(format_name, organisation, **mapping)
    options = importing.ImportOptions(
        format=file_format,
        filename=os.path.basename(file),
        organisation=organisation,
        create_organisations=create_organisations,
        publish=publish,
        explain=show_mapping,
        limits=dataclasses.replace(
            importing.ReadLimits.from_config(current_app.config),
            seconds=current_app.config["IMPORT_COMMAND_MAX_SECONDS"],
        ),
    )
    with open(file, "rb") as stream:
        report = importing.review(stream, options)
        click.echo(summary.headline(report))
        if report.file_problem:
            raise click.ClickException("Nothing was imported.")
        if show_mapping:
            for line in summary.mapping_lines(report):
                click.echo(line)
        if report.new_organisations:
            click.echo("Organisations to add: " + "; ".join(report.new_organisations))
        for line in summary.problem_lines(report):
            click.echo(f"Problem: {line}", err=True)
        warnings = list(summary.warning_lines(report))
        for line in warnings if all_warnings else warnings[:20]:
            click.echo(f"Note: {line}")
        if len(warnings) > 20 and not all_warnings:
            click.echo(f"... and {len(warnings) - 20:,} more notes (--all-warnings lists them).")
        for line in summary.missing_lines(report):
            click.echo(f"Not in the file: {line}")
        retire = [missing.entry_id for missing in report.retirable] if retire_missing else []
        if report.retirable and not retire_missing:
            click.echo(
                f"To retire the {summary.entries(len(report.retirable), 'published')} no "
                'longer in the file, import with --retire-missing --reason "...".'
            )
        if dry_run:
            click.echo("Dry run: nothing was written.")
            return
        if not report.to_write and not retire:
            if len(report.problem_rows) == len(report.rows):
                raise click.ClickException("Nothing was imported: no row can be imported.")
            click.echo("Nothing to import: no entry would be created or changed.")
            return
        # Another register's rows are refused only for what its publisher left out (no title,
        # no organisation, one entry given twice with different answers): nothing a later
        # try could mend, so the rest are imported. The register's own files are all or none.
        if report.problem_rows and (valid_rows_only or options.format.as_recorded):
            left_out = summary.plural(len(report.problem_rows), "row")
            click.echo(f"Leaving out the {left_out} with problems listed above.")
        elif report.problem_rows:
            question = (
                f"Import the {report.to_write:,} rows without problems, and leave out the "
                f"{len(report.problem_rows):,} with problems?"
            )
            if not (sys.stdin.isatty() and click.confirm(question)):
                raise click.ClickException(
                    "Nothing was imported, because some rows have problems. Correct them, "
                    "or use --valid-rows-only to import the others."
                )
        with click.progressbar(length=report.to_write, label="Importing") as bar:
            report = importing.run(
                stream,
                options,
                report,
                valid_rows_only=True,
                progress=lambda: bar.update(1),
                retire=retire,
                retirement_reason=retirement_reason,
            )
    click.echo(summary.headline(report))


@register_group.command("import-organisations")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--type",
    "default_type",
    default="",
    help="The type of every organisation in a list without a type column (a code or label).",
)
@click.option("--scheme", default="", help="The identifier scheme of every row (such as gss).")
@click.option("--dry-run", is_flag=True, help="Say what would change, and change nothing.")
def import_organisations_command(path: Path, default_type: str, scheme: str, dry_run: bool) -> None:
    """Load a reference list of organisations from the CSV file at PATH: find each by
    identifier, then by name; update its type; add those missing; never delete. If any
    row is wrong, nothing is written."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as lines:
            rows, problems, notes = organisation_list.read_list(
                lines, default_type=default_type, default_scheme=scheme
            )
    except UnicodeDecodeError:
        raise click.ClickException("The list must be a CSV file in UTF-8.") from None
    except (organisation_list.ListError, csv.Error) as error:
        raise click.ClickException(str(error)) from None
    outcome = organisation_list.load_list(rows, dry_run=dry_run or bool(problems))
    problems += outcome.problems
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        raise click.ClickException(
            f"{len(problems):,} {'row is' if len(problems) == 1 else 'rows are'} wrong: "
            "nothing was changed."
        )
    for note in notes:
        click.echo(note)
    verb = ("Would add", "would update") if dry_run else ("Added", "updated")
    click.echo(
        f"{verb[0]} {len(outcome.added):,}, {verb[1]} {len(outcome.changed):,}; "
        f"{outcome.unchanged:,} already up to date."
    )
    for name in outcome.added:
        click.echo(f"  {'would add' if dry_run else 'added'}: {name}")
    for name in outcome.changed:
        click.echo(f"  {'would update' if dry_run else 'updated'}: {name}")


@register_group.command("merge-suppliers")
@click.argument("source")
@click.argument("target")
def merge_suppliers_command(source: str, target: str) -> None:
    """Fold supplier SOURCE into TARGET (their slugs): two records of one company."""
    try:
        merged = suppliers.merge(source, target)
    except suppliers.SupplierError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{source} is now part of {merged.slug} ({merged.name}).")


@register_group.command("data-dictionary")
def data_dictionary_command() -> None:
    """Print the data dictionary as Markdown (docs/data-dictionary.md is this output)."""
    click.echo(markdown(), nl=False)


@register_group.command("build-documents")
def build_documents_command() -> None:
    """Write the downloadable text of every current version that has none for the data
    package's layout (after an upgrade that changes it, or demo data loaded in bulk), so
    the first download does not wait for it. Safe to run at any time."""
    written = documents.fill(published.current_version_ids())
    click.echo(f"Wrote the documents of {written:,} versions.")


@register_group.command("count-answers")
def count_answers_command() -> None:
    """Count and keep the answers of every current version without a count for today's
    questions (after an upgrade that adds them, or changes which are counted), so that
    the statistics do not count them on every new process. Safe to run at any time."""
    kept = completeness.keep_missing()
    click.echo(f"Counted the answers of {kept:,} versions.")


@register_group.command("snapshot")
def snapshot_command() -> None:
    """Write this month's snapshot of the whole register, unless it has one (run daily from
    cron: the first run of each month writes it). Snapshots are kept in SNAPSHOTS_DIR with
    their SHA-256 and are never written again."""
    app = current_app._get_current_object()
    # No request to take the register's address from: the package's links use REGISTER_BASE_URL.
    with app.test_request_context("/", base_url=app.config["REGISTER_BASE_URL"] or None):
        taken = snapshots.take_snapshot(
            whole_register.snapshots_folder(), datetime.now(UTC).date(), whole_register.write_zip
        )
    if taken is None:
        click.echo("This month's snapshot is already written; nothing to do.")
        return
    click.echo(f"Wrote {taken.name} ({taken.size:,} bytes, SHA-256 {taken.sha256}).")


@register_group.command("send-reminders")
def send_reminders_command() -> None:
    """Email publishers about entries due for review (run daily, for example from cron).

    Each organisation's publishers get one email listing its entries due for review within
    30 days and those overdue; an entry is in one such email per review date and stage,
    however often this runs. It also clears reporters' email addresses from feedback dealt
    with more than FEEDBACK_EMAIL_RETENTION_DAYS ago, and deletes answers kept after a
    session ended once their KEPT_ANSWERS_HOURS are up.
    """
    app = current_app._get_current_object()
    base_url = app.config["REGISTER_BASE_URL"]
    if not base_url:
        click.echo("REGISTER_BASE_URL is not set, so links in the emails are not usable.", err=True)
    # No request to take the register's address from: links are made for REGISTER_BASE_URL.
    with app.test_request_context("/", base_url=base_url or "http://localhost"):
        report = reviews.send_reminders(
            date.today(),
            link=lambda entry: absolute_url("manage.review_date", reference=entry.reference),
        )
    for problem in report.not_sent:
        click.echo(f"Not sent: {problem}", err=True)
    click.echo(f"Sent {report.emails} reminder emails about {report.entries} entries.")
    if report.emails:
        click.echo("They wait in the outbox until `flask register send-email` delivers them.")
    _purge_feedback_emails()
    forgotten = kept_answers.delete_expired(datetime.now(UTC))
    click.echo(f"Deleted {forgotten} forms' answers kept after sessions ended, now expired.")


@register_group.command("check-links")
def check_links_command() -> None:
    """Check every link of the public entries (run daily, for example from cron).

    Broken links are marked on the dashboard; each organisation's publishers get one email
    listing the links newly broken since the last run, and are not told again of a link
    that stays broken.
    """
    app = current_app._get_current_object()
    # No request to take the register's address from: links are made for REGISTER_BASE_URL.
    with app.test_request_context("/", base_url=app.config["REGISTER_BASE_URL"] or None):
        report = link_checks.check_links(datetime.now(UTC))
    click.echo(
        f"Checked {report.checked} addresses: {report.broken} links broken, "
        f"{report.newly_broken} newly. Queued {report.emails} emails to publishers."
    )


@register_group.command("send-alerts")
def send_alerts_command() -> None:
    """Email each confirmed alert subscription that is due (daily or weekly) what changed
    among its search's entries (run hourly or daily, for example from cron).

    Nothing changed: no email, but the subscription is marked as told. Running it twice
    tells nobody twice. It also deletes subscriptions never confirmed within a week.
    """
    app = current_app._get_current_object()
    if not app.config["REGISTER_BASE_URL"]:
        click.echo("REGISTER_BASE_URL is not set, so links in the emails are not usable.", err=True)
    # No request to take the register's address from: links are made for REGISTER_BASE_URL.
    with app.test_request_context("/", base_url=app.config["REGISTER_BASE_URL"] or None):
        run = send_alerts(datetime.now(UTC))
    click.echo(
        f"{run.due} subscriptions were due: queued {run.emails} emails, {run.quiet} had "
        f"nothing new. Deleted {run.deleted} never confirmed."
    )


@register_group.command("send-email")
@click.option("--watch", is_flag=True, help="Keep running, sending email as it is queued.")
def send_email_command(watch: bool) -> None:
    """Deliver the email waiting in the outbox, then exit (for cron); with --watch, keep
    delivering until stopped (for a service manager: SIGTERM stops it between messages).

    A message that cannot go is tried again later, waiting longer each time, and given up
    on after MAIL_GIVE_UP_AFTER_HOURS; administrators see why on the email page.
    """
    app = current_app._get_current_object()
    try:
        transport = configured_transport(app.config)
    except MailSettingsError as error:
        raise click.ClickException(str(error)) from None
    if transport is None:
        waiting = sender.waiting_count()
        raise click.ClickException(
            f"No mail transport is set (NOTIFY_API_KEY or MAIL_SERVER), so nothing was sent; "
            f"{waiting} emails wait in the outbox."
        )
    if not watch:
        delivery = sender.deliver_waiting(transport)
        click.echo(
            f"Sent {delivery.sent} emails; {delivery.retrying} to try again later; "
            f"{delivery.failed} failed."
        )
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    signal.signal(signal.SIGINT, lambda signum, frame: stop.set())
    click.echo(f"Sending email every {app.config['MAIL_POLL_SECONDS']:g} seconds until stopped.")
    sender.watch(transport, stop, app.config["MAIL_POLL_SECONDS"])
    click.echo("Stopped.")


@register_group.command("purge-feedback-emails")
def purge_feedback_emails_command() -> None:
    """Clear reporters' email addresses from feedback resolved or hidden more than
    FEEDBACK_EMAIL_RETENTION_DAYS ago (send-reminders does this too)."""
    _purge_feedback_emails()


def _purge_feedback_emails() -> None:
    days = current_app.config["FEEDBACK_EMAIL_RETENTION_DAYS"]
    cleared = feedback.purge_emails(datetime.now(UTC), days)
    click.echo(f"Cleared {cleared} email addresses from feedback dealt with over {days} days ago.")


def register_commands(app: Flask) -> None:
    app.cli.add_command(register_group)

"""How an entry reads on the management pages, derived from the record definition: the task
list's statuses, the check-your-answers cards, and what changed under a person whose save
clashed with someone else's.

A section is "completed" when it has everything publishing needs (every required answer
given, every answer valid): that is what a person must finish before submitting. Recommended
questions are counted by the completeness indicator instead, so they nudge without blocking.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext
from markupsafe import Markup

from .. import comparison, plain_english, schema, withholding
from ..formatting import N_, partial_date
from ..forms.entry import asked
from ..models import Entry, EntryVersion
from ..publishing import problems_with, rows_of, values_of
from ..schema import Kind
from ..schema.texts import answer_label, shown
from ..validation import Problem, completeness, is_blank, is_required, missing_answers

# In English, as the task list compares them; the page translates each where it shows it.
NOT_STARTED = N_("Not started")
IN_PROGRESS = N_("In progress")
COMPLETED = N_("Completed")


@dataclass(frozen=True)
class Task:
    section: schema.Section
    status: str


@dataclass(frozen=True)
class Missing:
    """A counted question not answered yet, and where to answer it."""

    label: str
    section: schema.Section
    anchor: str
    needed: bool  # needed to publish, rather than recommended


@dataclass(frozen=True)
class Progress:
    """Where a version stands: the task statuses, what publishing still needs, how many
    of the required and recommended questions are answered (out of a total that is the same
    for every entry), and which are not."""

    tasks: list[Task]
    problems: list[Problem]
    answered: int
    total: int
    missing: list[Missing]


def progress_of(version: EntryVersion) -> Progress:
    values, rows = values_of(version), rows_of(version)
    withheld = withholding.withheld_of(version)
    # What publishing needs of this entry: of one imported from another register, not the
    # answers its source did not record (see `publishing.problems_with`).
    problems = problems_with(version)
    tasks = []
    for section in schema.SECTIONS:
        started = any(
            not is_blank(values.get(f.name)) or f.name in withheld for f in asked(section)
        ) or any(rows.get(g.name) or g.name in withheld for g in section.groups)
        unfinished = any(problem.section == section.slug for problem in problems)
        status = NOT_STARTED if not started else IN_PROGRESS if unfinished else COMPLETED
        tasks.append(Task(section, status))
    answered, total = completeness(values, rows, withheld)
    return Progress(tasks, problems, answered, total, _missing(values, rows, withheld))


def _missing(
    values: Mapping[str, Any],
    rows: Mapping[str, list[Mapping[str, Any]]],
    withheld: Mapping[str, Any],
) -> list[Missing]:
    where = {item.name: section for section in schema.SECTIONS for item in section.items}
    return [
        Missing(
            shown(item.label),
            where[item.name],
            item.name,
            isinstance(item, schema.Field) and is_required(item, values),
        )
        for item in missing_answers(values, rows, withheld)
    ]


def section_href(entry: Entry, section: schema.Section | str, anchor: str = "") -> str:
    slug = section if isinstance(section, str) else section.slug
    url = url_for("manage.section", reference=entry.reference, section_slug=slug)
    return f"{url}#{anchor}" if anchor else url


def answer_text(item: schema.Field, value: Any) -> str:
    """An answer as people read it, as the public entry page writes it ("May 2024")."""
    if item.kind is Kind.PARTIAL_DATE and not is_blank(value):
        return partial_date(str(value))
    return answer_label(item, value)


def row_title(group: schema.Group, row: Mapping[str, Any], number: int) -> str:
    """A row's heading: its first one-line answer (its name or title), after its number."""
    for field in group.fields:
        if field.kind is Kind.TEXT and row.get(field.name):
            return f"{shown(group.item_label).capitalize()} {number}: {row[field.name]}"
    return f"{shown(group.item_label).capitalize()} {number}"


def row_answers(group: schema.Group, row: Mapping[str, Any]) -> list[dict[str, str]]:
    """A row's answers as summary list rows."""
    return [
        {
            "key": {"text": shown(field.label)},
            "value": _row_value(field, answer_text(field, row.get(field.name))),
        }
        for field in group.fields
    ]


def _row_value(field: schema.Field, text: str) -> dict[str, Any]:
    if not text:
        return {"text": gettext("Not answered")}
    if field.welsh_of:
        return {"html": Markup('<span lang="{}">{}</span>').format(schema.WELSH, text)}
    return {"text": text}


def summary_cards(
    entry: Entry, version: EntryVersion, problems: Sequence[Problem]
) -> list[dict[str, Any]]:
    """One card per section with every question, its answer (as a person reads it), what is
    missing before publishing, where to change it, and the plain-English score of the
    answers that get one."""
    values, rows = values_of(version), rows_of(version)
    withheld = withholding.withheld_of(version)
    found = {problem.field: shown(problem.message) for problem in problems}
    advice = plain_english.advice_for(values)
    cards = []
    for section in schema.SECTIONS:
        answers = []
        for item in section.items:
            if isinstance(item, schema.Group):
                group_rows = rows.get(item.name, [])
                titles = [row_title(item, row, n) for n, row in enumerate(group_rows, start=1)]
                row_problems = [m for f, m in found.items() if f.startswith(f"{item.name}-")]
                if item.name in withheld:
                    titles = [withheld[item.name].shown]
                answers.append(
                    {
                        "label": shown(item.label),
                        "text": "\n".join(titles) if titles else gettext("None added"),
                        "problem": " ".join(row_problems),
                        "href": section_href(entry, section, item.name),
                    }
                )
                continue
            fixed = item.kind is Kind.ORGANISATION  # an entry stays with its organisation
            if fixed:
                text = entry.organisation.name
            elif item.name in withheld:
                text = withheld[item.name].shown
            else:
                text = answer_text(item, values.get(item.name))
            problem = found.get(item.name)
            answers.append(
                {
                    "label": shown(item.label),
                    "text": text,
                    "fixed": fixed,
                    "missing": problem if problem and not text else "",
                    "problem": problem if text else "",
                    "href": section_href(entry, section, item.name),
                    "advice": advice.get(item.name),
                    "lang": schema.WELSH if item.welsh_of else "",
                }
            )
        cards.append({"title": shown(section.title), "answers": answers})
    return cards


def changed_answers(
    fields: Iterable[schema.Field], changed: Mapping[str, tuple[Any, Any]]
) -> list[dict[str, str]]:
    """For each question answered differently now than in the person's form: the saved
    answer and theirs, as people read them."""
    return [
        {
            "label": shown(field.label),
            "saved": answer_text(field, changed[field.name][0]),
            "yours": answer_text(field, changed[field.name][1]),
        }
        for field in fields
        if field.name in changed
    ]


def changed_row(
    group: schema.Group, saved: Mapping[str, Any] | None, yours: Mapping[str, Any]
) -> list[dict[str, str]]:
    """The answers of one row that differ between what is saved now and the person's form."""
    saved = saved or {}
    return changed_answers(
        group.fields,
        {
            field.name: (saved.get(field.name), yours.get(field.name))
            for field in group.fields
            if _answer(saved.get(field.name)) != _answer(yours.get(field.name))
        },
    )


def _answer(value: Any) -> Any:
    return None if is_blank(value) else value


def clash_questions(
    clashes: Sequence[comparison.Clash],
    changes: Mapping[str, Any],
    sent: Mapping[str, str],
    problems: Mapping[str, str],
    form: Any,
) -> list[dict[str, Any]]:
    """Each question that clashes, as the section page asks about it: both answers as people
    read them, who changed theirs and when (`changes`, by field name), the choice and merged
    answer sent so far (`sent`), the problem with them, and the person's own answer as the
    form sent it, to carry in the page while the question is asked this way."""
    questions = []
    for clash in clashes:
        name = clash.field.name
        choice = sent.get(f"clash-{name}", "")
        merged = sent.get(f"merged-{name}", clash.yours or "") if clash.mergeable else ""
        error = problems.get(name, "")
        # A problem with a merged answer belongs next to it; a missing choice, at the choices.
        on_merged = bool(error) and choice == comparison.MERGED
        questions.append(
            {
                "name": name,
                "label": shown(clash.field.label),
                "theirs": answer_text(clash.field, clash.theirs),
                "yours": answer_text(clash.field, clash.yours),
                "changed_by": changes[name].by,
                "changed_at": changes[name].at,
                "you_changed": clash.you_changed,
                "mergeable": clash.mergeable,
                "long": clash.field.kind is Kind.LONG_TEXT,
                "max_length": clash.field.max_length,
                "choice": choice,
                "merged": merged,
                "error": error,
                "error_href": f"#merged-{name}" if on_merged else f"#clash-{name}",
                "choice_error": "" if on_merged else error,
                "merged_error": error if on_merged else "",
                "sent": list(form[name].raw_data or []),
            }
        )
    return questions

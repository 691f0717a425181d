"""One demo entry's content, composed from an organisation, a use case and shared wording.

`Composer.next()` returns a `Draft`: each published version's record, techniques and
repeating rows, and the register's dates. Until every vocabulary code and both answers of
every yes/no question have appeared, drafts are drawn until one shows something not yet seen,
so even a small register shows every value. Ids and database rows are `bulk.py`'s business.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import accumulate

from ..accounts import slugify
from ..schema import Field, Kind, all_fields, column_fields, groups
from ..schema.vocabularies import RIGHTS_SAFETY_EFFECT
from ..versions import FIRST_PUBLICATION_NOTE
from . import (
    cases_government,
    cases_health,
    cases_justice_education,
    cases_people,
    cases_places,
    cases_policing,
    entry_groups,
    eu_act,
    history,
)
from . import wording as w
from . import wording_groups as wg
from .history import Draft, Version
from .organisations import KINDS, DemoOrganisation
from .use_cases import UseCase

CATALOGUE: tuple[UseCase, ...] = (
    *cases_places.CASES,
    *cases_people.CASES,
    *cases_policing.CASES,
    *cases_health.CASES,
    *cases_government.CASES,
    *cases_justice_education.CASES,
)

STATUSES = ("planned", "in_development", "pilot", "in_use", "retired")
STATUS_WEIGHTS = (6, 10, 16, 53, 15)
BUILT_BY = ("in_house", "external_supplier", "both")
BUILT_BY_WEIGHTS = (25, 50, 25)
PROHIBITED_CHANCE = 0.004
ADDRESS_CHANCE = 0.4  # entries giving the organisation's address when they need not
MAX_DRAWS = 3000  # drafts drawn looking for one value before giving up on it
# How much the tool's role in decisions weighs towards a higher risk level.
WEIGHT = {
    "no_decisions": 0,
    "informs": 1,
    "recommends": 1,
    "decides_with_review": 2,
    "decides_automatically": 3,
}

COLUMNS = tuple(field.name for field in column_fields())
RECOMMENDED = tuple(field.name for field in column_fields() if field.recommended)

Target = tuple[str, str, object]  # (group name or "", field name, code or yes/no)


def coverage_targets() -> list[Target]:
    """Every value a choice or yes/no field can hold, in the record and its groups."""

    def values(field: Field) -> tuple[object, ...]:
        if field.vocabulary is not None:
            return field.vocabulary.codes
        return (True, False) if field.kind is Kind.BOOLEAN else ()

    targets = [("", f.name, value) for f in all_fields() for value in values(f)]
    for group in groups():
        targets += [(group.name, f.name, value) for f in group.fields for value in values(f)]
    return targets


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _team_phrase(team: str) -> str:
    last = team.rsplit(" ", 1)[-1]
    return team if last in {"Unit", "Centre", "Programme", "Group", "Bureau"} else f"{team} team"


def _round(number: int) -> int:
    """`number` to two significant figures, as people quote figures."""
    digits = max(len(str(number)) - 2, 0)
    return round(number, -digits)


class Composer:
    """Makes drafts for the given organisations, deterministically from `rng`."""

    def __init__(
        self, rng: random.Random, organisations: list[DemoOrganisation], today: date
    ) -> None:
        self.rng = rng
        self.today = today
        self.cases = {
            org.id: [case for case in CATALOGUE if set(case.kinds) & set(org.tags)]
            for org in organisations
        }
        self.organisations = [org for org in organisations if self.cases[org.id]]
        if not self.organisations:
            raise ValueError("None of the organisations has a use case.")
        weights = [rng.lognormvariate(0, 0.9) for _ in self.organisations]
        self.cumulative = list(accumulate(weights))
        self.waiting = list(reversed(self.organisations))  # each gets one entry before repeats
        self.wanted = coverage_targets()

    def next(self) -> Draft:
        if not self.wanted:
            if self.waiting:
                return self.compose(self.waiting.pop())
            return self.compose(
                self.rng.choices(self.organisations, cum_weights=self.cumulative)[0]
            )
        target = self.wanted[0]
        for _ in range(MAX_DRAWS):
            draft = self.compose(self.rng.choice(self.organisations))
            seen = draft.versions[-1].values()
            if target in seen:
                break
        else:
            seen = {target}  # not possible with these organisations: stop looking for it
        self.wanted = [wanted for wanted in self.wanted if wanted not in seen]
        return draft

    def compose(self, org: DemoOrganisation) -> Draft:
        rng = self.rng
        case = rng.choice(self.cases[org.id])
        prohibited = rng.random() < PROHIBITED_CHANCE
        status = "retired" if prohibited else rng.choices(STATUSES, STATUS_WEIGHTS)[0]
        started, in_use_from, retired_on = self._lifecycle(status)
        precision = rng.choice((4, 7, 7, 10, 10, 10))

        def partial(day: date | None) -> str | None:
            return day.isoformat()[:precision] if day else None

        decision = case.decisions[0] if rng.random() < 0.6 else rng.choice(case.decisions)
        oversight_options = w.OVERSIGHT_FOR_DECISION[decision]
        oversight = oversight_options[0] if rng.random() < 0.6 else rng.choice(oversight_options)
        techniques = list(case.techniques)
        techniques += [code for code in case.extra_techniques if rng.random() < 0.3]
        built_by = rng.choices(BUILT_BY, BUILT_BY_WEIGHTS)[0]
        supplier = rng.choice(w.SUPPLIERS[case.supplier]) if built_by != "in_house" else None
        personal = rng.random() < case.personal
        special = personal and rng.random() < case.special
        level = round(0.5 * (WEIGHT[decision] + personal + special) + rng.gauss(0, 0.6))
        risk_level = ("low", "medium", "high")[min(max(level, 0), 2)]
        if prohibited:
            eu_category = "prohibited"
        else:
            eu_category = rng.choice(case.eu) if rng.random() < 0.85 else "not_assessed"
        effect = (
            rng.choice(case.effects)
            if rng.random() < 0.9
            else rng.choice(RIGHTS_SAFETY_EFFECT.codes)
        )

        team = rng.choice(case.teams)
        maker = supplier[0] if supplier else "our own " + rng.choice(w.IN_HOUSE_TEAMS)
        mailbox = slugify(team) if rng.random() < 0.7 else rng.choice(w.MAILBOXES)
        year = {"retired": retired_on, "in_use": in_use_from}.get(status)
        ctx = {
            "org": org.name,
            "subject": case.subject,
            "output": case.output,
            "staff": case.staff,
            "Staff": _cap(case.staff),
            "team": _team_phrase(team),
            "owner": rng.choice(case.owners),
            "maker": maker,
            "Maker": _cap(maker),
            "email": f"{mailbox}@{org.domain}",
            "ombudsman": w.OMBUDSMAN.get(KINDS[org.kind].family, "relevant ombudsman"),
            "year": year.year if year else self.today.year + rng.randint(0, 1),
            "years": rng.randint(2, 8),
            "period": rng.choice(("month", "quarter", "six months")),
            "months": rng.randint(3, 18),
            "agree": rng.randint(78, 97),
            "test_n": f"{rng.randint(2, 60) * 500:,}",
            "sample": rng.choice((50, 100, 200)),
            "error": rng.randint(3, 15),
            "rules": rng.randint(12, 140),
            "team_size": rng.randint(3, 40),
            "keep": rng.choice((1, 2, 3, 6, 7)),
        }

        def say(options: tuple[str, ...]) -> str:
            return rng.choice(options).format_map(ctx)

        title = rng.choice(case.titles)
        roll = rng.random()
        if roll < 0.18:
            title = f"{rng.choice(w.BRAND_STARTS)}{rng.choice(w.BRAND_ENDS)}: {title}"
        elif status == "pilot" and roll < 0.5:
            title = f"{title} pilot"
        ctx["title"] = title
        legal = case.legal_basis
        if personal and "UK GDPR" not in legal and "Data Protection Act" not in legal:
            legal += w.PUBLIC_TASK
        if special and "9(2)" not in legal:
            legal += w.SPECIAL_CATEGORY
        low, high, unit = case.volume
        published_code = built_by == "in_house" and rng.random() < 0.45

        record = dict.fromkeys(COLUMNS)
        record.update(
            title=title,
            summary=self._summary(case, status, ctx),
            team=team,
            policy_area=case.policy_area,
            status=status,
            started_on=partial(started),
            in_use_from=partial(in_use_from),
            retired_on=partial(retired_on),
            contact_email=ctx["email"],
            # A high-risk tool's entry needs the address to register in the EU database.
            postal_address=org.postal_address
            if eu_category == "high_risk" or rng.random() < ADDRESS_CHANCE
            else None,
            web_page=f"https://www.{org.domain}/{slugify(title)[:60]}",
            senior_responsible_owner=ctx["owner"],
            purpose=case.purpose,
            benefits=case.benefits,
            alternatives_considered=say(w.ALTERNATIVES),
            outputs=_outputs(case) + say(w.OUTPUT_ENDINGS),
            decision_role=decision,
            people_affected=_cap(case.people) + "." + say(w.PEOPLE_ENDINGS),
            scale=f"About {_round(rng.randint(low, high)):,} {unit}" + say(w.SCALE_ENDINGS),
            legal_basis=legal,
            model_description=say(w.MODELS[case.techniques[0]]),
            performance=say(w.PERFORMANCE[_measure(case.techniques[0])])
            + say(w.PERFORMANCE_ENDINGS),
            built_by=built_by,
            supplier_name=supplier[0] if supplier else None,
            product_name=w.product_of(supplier[0], case.subject) if supplier else None,
            supplier_registry=w.SUPPLIER_REGISTRIES.get(supplier[0], "gb_coh")
            if supplier
            else None,
            supplier_company_number=supplier[1] if supplier else None,
            source_code_url=f"https://code.{org.domain}/{slugify(case.titles[0])}"
            if published_code
            else None,
            source_code_withheld_reason=None
            if published_code
            else say(w.WITHHELD_BY_SUPPLIER if supplier else w.WITHHELD_IN_HOUSE),
            uses_personal_data=personal,
            uses_special_category_data=special,
            demographic_features=case.features
            if personal and case.features
            else say(w.FEATURES_NONE),
            risk_level=risk_level,
            eu_ai_act_category=eu_category,
            rights_safety_effect=effect,
            oversight_model=oversight,
            oversight_description=say(w.OVERSIGHT[oversight]),
            staff_training=say(w.TRAINING),
            appeal_process=say(w.APPEAL[_appeal_kind(decision)]),
            monitoring=say(w.MONITORING),
            public_engagement=say(w.ENGAGEMENT),
        )
        if status == "retired":
            record["retirement_reason"] = (
                w.RETIREMENT_PROHIBITED if prohibited else say(w.RETIREMENT)
            )
        gaps = rng.choice((0.0, 0.0, 0.0, 0.1, 0.25))
        for name in RECOMMENDED:
            if gaps and rng.random() < gaps:
                record[name] = None
        # After the gaps: an entry that does not give its category gives none of these.
        provider = supplier[0] if supplier else org.name
        record.update(eu_act.answers(rng, case, record["eu_ai_act_category"], status, provider))

        rows = {
            "data_sources": entry_groups.data_sources(rng, case, org, personal, ctx),
            "risks": entry_groups.risks(rng, case, techniques, ctx),
            "impact_assessments": entry_groups.assessments(
                rng, org, personal, eu_category, started, self.today, ctx
            ),
        }
        current = Version(record, techniques, rows, None, "")
        return self._publish(org, case, current, ctx, (started, in_use_from, retired_on))

    def _publish(
        self,
        org: DemoOrganisation,
        case: UseCase,
        current: Version,
        ctx: dict[str, object],
        lifecycle: tuple[date | None, date | None, date | None],
    ) -> Draft:
        rng = self.rng
        started, in_use_from, retired_on = lifecycle
        first, later, reviewed, due = history.publication_dates(rng, self.today, started)
        created, first_at, later_at = history.moments(rng, first, later)
        if later is None or later_at is None:
            current.published_at, current.change_note = first_at, FIRST_PUBLICATION_NOTE
            return Draft(org, [current], created, reviewed, due)
        change = history.change_for(rng, current, (first, later), (in_use_from, retired_on))
        earlier = history.earlier_version(
            rng, current, change, org.domain, lambda status: self._summary(case, status, ctx)
        )
        earlier.published_at = first_at
        if change == "retired":
            note = f"Retired: {current.record['retirement_reason']}"
        else:
            note = wg.CHANGE_NOTES[change]
        current.published_at, current.change_note = later_at, note
        return Draft(org, [earlier, current], created, reviewed, due)

    def _lifecycle(self, status: str) -> tuple[date | None, date | None, date | None]:
        """When work started, when the tool came into use and when it was retired."""
        rng = self.rng

        def before(day: date, low: int, high: int) -> date:
            return day - timedelta(days=rng.randint(low, high))

        started = in_use = retired = None
        if status == "retired":
            retired = before(self.today, 30, 4 * 365)
            in_use = before(retired, 180, 5 * 365)
            started = before(in_use, 60, 720)
        elif status == "in_use":
            in_use = before(self.today, 30, 7 * 365)
            started = before(in_use, 60, 720)
        elif status == "pilot":
            started = before(self.today, 60, 900)
        elif status == "in_development" or rng.random() < 0.6:
            started = before(self.today, 0, 720 if status == "in_development" else 180)
        return started, in_use, retired

    def _summary(self, case: UseCase, status: str, ctx: dict[str, object]) -> str:
        ending = self.rng.choice(w.SUMMARY_BY_STATUS[status]).format_map(ctx)
        return f"{case.summary} {ending}".strip()


def _measure(technique: str) -> str:
    """How the performance of a tool whose main technique is `technique` is measured."""
    if technique == "forecasting":
        return "forecast"
    if technique == "optimisation":
        return "plan"
    if technique in ("generative_ai", "speech", "agentic_ai"):
        return "text"
    return "judgement"


def _appeal_kind(decision: str) -> str:
    if decision == "no_decisions":
        return "no_decisions"
    if decision in ("informs", "recommends"):
        return "person_decides"
    return "tool_decides"


def _outputs(case: UseCase) -> str:
    """What the tool produces: for each item it handles, or as a whole for plans and forecasts."""
    if _measure(case.techniques[0]) in ("forecast", "plan"):
        return f"The tool produces {case.output}."
    return f"For each of the {case.subject} the tool produces {case.output}."

"""The repeating rows of a demo entry: data sources, risks and impact assessments."""

from __future__ import annotations

import random
from datetime import date, timedelta

from ..accounts import slugify
from ..schema import groups
from ..schema.vocabularies import RISK_CATEGORY
from . import wording_groups as wg
from .organisations import KINDS, DemoOrganisation
from .use_cases import UseCase

Row = dict[str, object]
COLUMNS = {group.name: tuple(field.name for field in group.fields) for group in groups()}


def _row(group: str, **values: object) -> Row:
    row = dict.fromkeys(COLUMNS[group])
    row.update(values)
    return row


def data_sources(
    rng: random.Random,
    case: UseCase,
    org: DemoOrganisation,
    personal: bool,
    ctx: dict[str, object],
) -> list[Row]:
    """The data the tool uses: the use case's own sources, sometimes with common ones."""
    pool = list(case.sources) + [item for item in wg.COMMON_SOURCES if rng.random() < 0.35]
    count = min(len(pool), rng.choices(range(6), (1, 4, 5, 4, 2, 1))[0])
    rows = []
    for name, description, has_personal in pool[:count]:
        contains = personal and has_personal
        link = None
        if not contains and rng.random() < 0.5:
            link = f"https://data.{org.domain}/{slugify(name)}"
        collection = rng.choice(wg.COLLECTION if contains else wg.COLLECTION_OPEN)
        sharing = rng.choice(wg.SHARING if contains else wg.SHARING_OPEN)
        rows.append(
            _row(
                "data_sources",
                name=name,
                description=description.format_map(ctx),
                contains_personal_data=contains,
                link=link,
                collection_method=collection.format_map(ctx) if rng.random() < 0.85 else None,
                sharing_access_retention=sharing.format_map(ctx) if rng.random() < 0.8 else None,
            )
        )
    return rows


def risks(
    rng: random.Random, case: UseCase, techniques: list[str], ctx: dict[str, object]
) -> list[Row]:
    """The risks recorded: those most relevant to the use case first, then others."""
    count = rng.choices(range(6), (8, 15, 25, 25, 17, 10))[0]
    others = [code for code in RISK_CATEGORY.codes if code not in case.risks]
    categories = list(case.risks) + rng.sample(others, len(others))
    rows = []
    for category in categories[:count]:
        options = wg.RISKS[category]
        if category == "accuracy_reliability" and "generative_ai" in techniques:
            options = (*options, wg.GENERATED_TEXT_RISK)
        name, description, mitigation = rng.choice(options)
        rows.append(
            _row(
                "risks",
                name=name,
                category=category,
                description=description.format_map(ctx),
                mitigation=mitigation.format_map(ctx) if rng.random() < 0.9 else None,
            )
        )
    return rows


def assessments(
    rng: random.Random,
    org: DemoOrganisation,
    personal: bool,
    eu_category: str,
    started: date | None,
    today: date,
    ctx: dict[str, object],
) -> list[Row]:
    """The impact assessments carried out, dated between the start of work and today."""
    kinds = []
    if personal and rng.random() < 0.85:
        kinds.append("data_protection")
    if rng.random() < 0.5:
        kinds.append("equality")
    if (eu_category == "high_risk" and rng.random() < 0.5) or rng.random() < 0.04:
        kinds.append("fundamental_rights")
    if rng.random() < 0.3:
        kinds.append("algorithmic")
    if rng.random() < 0.12:
        kinds.append("other")
    earliest = started or today - timedelta(days=365)
    span = max((today - earliest).days, 0)
    rows = []
    for kind in kinds:
        options = wg.ASSESSMENTS[kind]
        if kind == "other" and KINDS[org.kind].family == "nhs":
            options = (*options, wg.CLINICAL_SAFETY)
        title, summary = rng.choice(options)
        done = earliest + timedelta(days=rng.randint(0, span))
        link = None
        if rng.random() < 0.6:
            link = f"https://www.{org.domain}/assessments/{slugify(ctx['title'] + ' ' + kind)}"
        rows.append(
            _row(
                "impact_assessments",
                kind=kind,
                title=title,
                date=done.isoformat()[: rng.choice((4, 7, 10))] if rng.random() < 0.9 else None,
                summary=summary.format_map(ctx) if rng.random() < 0.9 else None,
                link=link,
            )
        )
    return rows

"""Who is on the register: an organisation by its web address and, as administrators list
them, organisations with how many people they have, the members of one, and everyone.

Reading only; changes go through `accounts` and `one_time_links`, which check them and
write the audit log.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .extensions import db
from .models import Membership, Organisation, User


def organisation_with_slug(slug: str) -> Organisation | None:
    """The organisation whose web address is `slug`, if there is one."""
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def member(organisation: Organisation, user_id: int) -> Membership | None:
    """The membership of person `user_id` in `organisation`, if they are a member."""
    return db.session.scalar(
        select(Membership)
        .where(Membership.organisation_id == organisation.id, Membership.user_id == user_id)
        .limit(1)
    )


def organisations_with_head_count() -> list[tuple[Organisation, int]]:
    """Every organisation by name, with how many people belong to it."""
    people = (
        select(Membership.organisation_id, func.count().label("people"))
        .group_by(Membership.organisation_id)
        .subquery()
    )
    return [
        (organisation, count)
        for organisation, count in db.session.execute(
            select(Organisation, func.coalesce(people.c.people, 0))
            .outerjoin(people, people.c.organisation_id == Organisation.id)
            .order_by(Organisation.name)
        )
    ]


def members_of(organisation: Organisation) -> list[Membership]:
    """The organisation's memberships, with their people, by name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.user)
            .where(Membership.organisation_id == organisation.id)
            .options(selectinload(Membership.user))
            .order_by(func.lower(User.name), User.email)
        )
    )


def everyone() -> list[User]:
    """Every person on the register by name, with the organisations they belong to."""
    return list(
        db.session.scalars(
            select(User)
            .options(selectinload(User.memberships).selectinload(Membership.organisation))
            .order_by(func.lower(User.name), User.email)
        )
    )

"""Who may do what with an entry: one home for the rules the workflow, the review dates,
the feedback, the API tokens and the importers all ask.

A person's role comes from their membership of the entry's organisation (editor or
publisher); register administrators may do what any publisher may.
"""

from __future__ import annotations

from flask_babel import gettext as _

from .models import Entry, Organisation, User

PUBLISHER = "publisher"


def role_in(user: User, organisation_id: int) -> str | None:
    """The person's role in the organisation, or None if they are not a member."""
    for membership in user.memberships:
        if membership.organisation_id == organisation_id:
            return membership.role
    return None


def can_create_in(user: User, organisation: Organisation) -> bool:
    """Members of the organisation, and administrators, may start entries for it."""
    return user.is_admin or role_in(user, organisation.id) is not None


def can_edit(user: User | None, entry: Entry) -> bool:
    """Editors and publishers of the entry's organisation, and administrators."""
    if user is None:
        return False
    return user.is_admin or role_in(user, entry.organisation_id) is not None


def can_review(user: User | None, entry: Entry) -> bool:
    """Publishers of the entry's organisation, and administrators."""
    if user is None:
        return False
    return publishes_for(user, entry.organisation_id)


def publishes_for(user: User, organisation_id: int) -> bool:
    """Whether the person publishes for the organisation: its publishers and administrators."""
    return user.is_admin or role_in(user, organisation_id) == PUBLISHER


def can_manage_tokens(user: User | None, organisation_id: int) -> bool:
    """Publishers of the organisation and administrators may make and revoke its API
    tokens, while their account is active; a token works only while its maker still may."""
    return user is not None and user.is_active and publishes_for(user, organisation_id)


def can_withdraw(user: User) -> bool:
    """Taking an entry off the public register needs a register administrator."""
    return user.is_admin


def may_publish_own(person: User | None, organisation: Organisation | None) -> bool:
    """The two-person rule: what a person asks to publish is published by another publisher
    unless their organisation allows publishers to approve their own entries (an
    organisation not on the register yet does not). Administrators are held to it too. An
    operator's command on the server, which acts as no person, publishes directly."""
    if person is None:
        return True
    return organisation is not None and organisation.allows_self_publishing


def two_person_refusal(
    person: User | None, organisation: Organisation | None, *, submitted: bool, wrote: bool
) -> str:
    """Why `person` may not publish a version under the two-person rule, in plain words, or
    empty if they may: whoever submitted it, or changed any of its answers, is not its only
    reviewer, unless their organisation allows publishers to approve their own entries."""
    if may_publish_own(person, organisation) or not (submitted or wrote):
        return ""
    # In the language of the page that asks (English in the API, the command line).
    if organisation is None:
        allowed = _("This organisation does not allow publishers to approve their own entries.")
    else:
        allowed = _(
            "%(name)s does not allow publishers to approve their own entries.",
            name=organisation.name,
        )
    if submitted:
        return _(
            "You submitted this entry, so another publisher must review it. %(allowed)s",
            allowed=allowed,
        )
    return _(
        "You changed answers in this version, so another publisher must review it. %(allowed)s",
        allowed=allowed,
    )

"""The register's tables. Import models from here."""

from .audit import AuditEvent
from .entry import DataSource, Entry, EntryVersion, ImpactAssessment, Risk, VersionChoice
from .feedback import Feedback, ReviewReminder
from .organisation import Membership, Organisation, User
from .token import Invitation, PasswordReset

__all__ = [
    "AuditEvent",
    "DataSource",
    "Entry",
    "EntryVersion",
    "Feedback",
    "ImpactAssessment",
    "Invitation",
    "Membership",
    "Organisation",
    "PasswordReset",
    "ReviewReminder",
    "Risk",
    "User",
    "VersionChoice",
]

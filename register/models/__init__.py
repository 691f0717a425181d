"""The register's tables. Import models from here."""

from .api_token import ApiToken
from .audit import AuditEvent
from .entry import DataSource, Entry, EntryVersion, ImpactAssessment, Risk, VersionChoice
from .feedback import Feedback, ReviewReminder
from .organisation import Membership, Organisation, User
from .security import RecoveryCode, RegisterSetting, SecurityEvent
from .token import Invitation, PasswordReset
from .upload import PendingImport

__all__ = [
    "ApiToken",
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
    "PendingImport",
    "RecoveryCode",
    "RegisterSetting",
    "ReviewReminder",
    "Risk",
    "SecurityEvent",
    "User",
    "VersionChoice",
]

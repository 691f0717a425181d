"""The register's tables. Import models from here."""

from .api_token import ApiToken
from .audit import AuditEvent
from .column_mapping import PendingMapping, SavedMapping
from .entry import DataSource, Entry, EntryVersion, ImpactAssessment, Risk, VersionChoice
from .feedback import Feedback, ReviewReminder
from .import_progress import ImportProgress
from .organisation import Membership, Organisation, User
from .outbox import OutboxMessage
from .provenance import EntryProvenance, ImportBatch
from .security import RecoveryCode, RegisterSetting, SecurityEvent
from .token import Invitation, PasswordReset
from .upload import PendingImport

__all__ = [
    "ApiToken",
    "AuditEvent",
    "DataSource",
    "Entry",
    "EntryProvenance",
    "EntryVersion",
    "Feedback",
    "ImpactAssessment",
    "ImportBatch",
    "ImportProgress",
    "Invitation",
    "Membership",
    "Organisation",
    "OutboxMessage",
    "PasswordReset",
    "PendingImport",
    "PendingMapping",
    "RecoveryCode",
    "RegisterSetting",
    "ReviewReminder",
    "Risk",
    "SavedMapping",
    "SecurityEvent",
    "User",
    "VersionChoice",
]

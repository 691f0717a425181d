"""The register's tables. Import models from here."""

from .alert import AlertSubscription
from .api_token import ApiToken
from .audit import AuditEvent
from .authorship import AnswerChange
from .column_mapping import PendingMapping, SavedMapping
from .email_choice import EmailTurnedOff
from .entry import DataSource, Entry, EntryVersion, ImpactAssessment, Risk, VersionChoice
from .feedback import Feedback, ReviewReminder
from .import_progress import ImportProgress
from .kept_answers import KeptAnswers
from .link_check import LinkCheck
from .organisation import FormerName, Membership, Organisation, User
from .outbox import OutboxMessage
from .provenance import EntryProvenance, ImportBatch
from .security import RecoveryCode, RegisterSetting, SecurityEvent
from .sign_in import SignInDomain, SignInLink, SignInProvider
from .supplier import Product, Supplier
from .token import Invitation, PasswordReset
from .upload import PendingImport
from .version_document import VersionDocument
from .withheld_answer import WithheldAnswer

__all__ = [
    "AlertSubscription",
    "AnswerChange",
    "ApiToken",
    "AuditEvent",
    "DataSource",
    "EmailTurnedOff",
    "Entry",
    "EntryProvenance",
    "EntryVersion",
    "Feedback",
    "FormerName",
    "ImpactAssessment",
    "ImportBatch",
    "ImportProgress",
    "Invitation",
    "KeptAnswers",
    "LinkCheck",
    "Membership",
    "Organisation",
    "OutboxMessage",
    "PasswordReset",
    "PendingImport",
    "PendingMapping",
    "Product",
    "RecoveryCode",
    "RegisterSetting",
    "ReviewReminder",
    "Risk",
    "SavedMapping",
    "SecurityEvent",
    "SignInDomain",
    "SignInLink",
    "SignInProvider",
    "Supplier",
    "User",
    "VersionChoice",
    "VersionDocument",
    "WithheldAnswer",
]

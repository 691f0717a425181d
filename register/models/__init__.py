"""The register's tables. Import models from here."""

from .audit import AuditEvent
from .entry import DataSource, Entry, EntryVersion, ImpactAssessment, Risk, VersionChoice
from .organisation import Membership, Organisation, User

__all__ = [
    "AuditEvent",
    "DataSource",
    "Entry",
    "EntryVersion",
    "ImpactAssessment",
    "Membership",
    "Organisation",
    "Risk",
    "User",
    "VersionChoice",
]

"""All ORM models. Import from here so the metadata is always complete."""

from deskapp.db.models.activity import (
    AuditEvent,
    ChangeFeedEntry,
    Presence,
    SignIn,
    WorkspaceSetting,
)
from deskapp.db.models.base import Base, new_id
from deskapp.db.models.canned import CannedResponse, CannedResponseUsage, CannedSuggestion
from deskapp.db.models.cases import Case, Interaction
from deskapp.db.models.customers import Customer, Organization, SupportPlan
from deskapp.db.models.handoffs import Commitment, HandoffAck, HandoffDraft, HandoffNote
from deskapp.db.models.people import SlaPolicy, Team, User

__all__ = [
    "AuditEvent",
    "Base",
    "CannedResponse",
    "CannedResponseUsage",
    "CannedSuggestion",
    "Case",
    "ChangeFeedEntry",
    "Commitment",
    "Customer",
    "HandoffAck",
    "HandoffDraft",
    "HandoffNote",
    "Interaction",
    "Organization",
    "Presence",
    "SignIn",
    "SlaPolicy",
    "SupportPlan",
    "Team",
    "User",
    "WorkspaceSetting",
    "new_id",
]

"""The closed vocabularies of the product. Stored in the database by value (see db/types.py)."""

from enum import StrEnum


class Role(StrEnum):
    REP = "rep"
    LEAD = "lead"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """Rights only grow: an admin may do what a lead may, a lead what a rep may."""
        return {"rep": 1, "lead": 2, "admin": 3}[self.value]


class CaseStatus(StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING_CUSTOMER = "pending_customer"
    PENDING_INTERNAL = "pending_internal"
    PENDING_THIRD_PARTY = "pending_third_party"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def is_open(self) -> bool:
        return self not in (CaseStatus.RESOLVED, CaseStatus.CLOSED)

    @property
    def pauses_sla(self) -> bool:
        """The SLA clock stops while the ball is in the customer's court."""
        return self is CaseStatus.PENDING_CUSTOMER


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    CHAT = "chat"
    SOCIAL = "social"
    IN_PERSON = "in_person"
    THIRD_PARTY = "third_party"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    INTERNAL = "internal"


class Mood(StrEnum):
    CALM = "calm"
    NEUTRAL = "neutral"
    FRUSTRATED = "frustrated"
    ANGRY = "angry"


class Tier(StrEnum):
    STANDARD = "standard"
    PRIORITY = "priority"
    VIP = "vip"


class PlanPeriod(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class RiskLevel(StrEnum):
    STABLE = "stable"
    WATCH = "watch"
    AT_RISK = "at_risk"


class HandoffKind(StrEnum):
    REASSIGN = "reassign"
    TRANSFER = "transfer"
    ESCALATE = "escalate"
    RELEASE = "release"
    END_OF_SHIFT = "end_of_shift"
    BULK_REASSIGN = "bulk_reassign"


class AckKind(StrEnum):
    ACCEPTED = "accepted"
    QUESTION = "question"
    ANSWER = "answer"


class CannedScope(StrEnum):
    PERSONAL = "personal"
    TEAM = "team"
    GLOBAL = "global"


class PresenceState(StrEnum):
    VIEWING = "viewing"
    EDITING = "editing"

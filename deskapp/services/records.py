"""What services hand back: frozen dataclasses, never ORM objects or sessions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import CaseStatus, Channel, Mood, Priority, Role


@dataclass(frozen=True)
class Actor:
    """Who is signed in. On a server the login is what the database authenticated."""

    login: str
    display_name: str
    role: Role
    user_id: uuid.UUID | None  # None only for the setup account (a superuser with no person row)
    team_id: uuid.UUID | None

    @property
    def is_setup_account(self) -> bool:
        return self.user_id is None


@dataclass(frozen=True)
class TeamInfo:
    id: uuid.UUID
    name: str
    time_zone: str
    version: int


@dataclass(frozen=True)
class UserInfo:
    id: uuid.UUID
    login: str
    display_name: str
    email: str | None
    role: Role
    team_id: uuid.UUID | None
    active: bool
    version: int


@dataclass(frozen=True)
class CaseInfo:
    id: uuid.UUID
    number: int
    subject: str
    customer_id: uuid.UUID
    team_id: uuid.UUID
    assignee_id: uuid.UUID | None
    status: CaseStatus
    priority: Priority
    channel: Channel
    mood: Mood
    category: str | None
    created_at: datetime
    updated_at: datetime
    version: int

    @property
    def key(self) -> str:
        return format_case_key(self.number)


@dataclass(frozen=True)
class AuditInfo:
    id: uuid.UUID
    chain: str
    seq: int
    case_id: uuid.UUID | None
    actor_login: str
    action: str
    reason: str | None
    detail: dict[str, object]
    occurred_at: datetime

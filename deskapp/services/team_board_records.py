"""The team board's records (services/team_board.py reads them): a row per person with their
load and what needs a lead's eye, the board itself, the measures a number can be, and the cases
behind one number. Frozen, plain data the GUI shows without touching the database.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from deskapp.domain.enums import Role
from deskapp.services.handoff_figures import RepQuality
from deskapp.services.queue_records import QueueRow

# The team's queue on the board (open cases nobody holds): a row needs an id to be clicked.
UNASSIGNED = uuid.UUID(int=0)


class BoardMeasure(StrEnum):
    OPEN = "open"
    DUE_SOON = "due_soon"
    BREACHED = "breached"
    COMMITMENTS_DUE = "commitments_due"
    UNACKNOWLEDGED = "unacknowledged"
    KUDOS = "kudos"

    @property
    def label(self) -> str:
        """As it reads after a name: "Dana Scully — breached"."""
        return {
            "open": "open",
            "due_soon": "due soon",
            "breached": "breached",
            "commitments_due": "commitments due",
            "unacknowledged": "unacknowledged handoffs",
            "kudos": "kudos, last 30 days",
        }[self.value]


class RowKind(StrEnum):
    MEMBER = "member"  # an active person of the team
    OTHER = "other"  # holds the team's cases without being an active member
    QUEUE = "queue"  # the team's unassigned cases
    TOTAL = "total"


@dataclass(frozen=True)
class BoardRow:
    user_id: uuid.UUID | None  # UNASSIGNED on the queue's row, None on the total
    name: str
    kind: RowKind
    role: Role | None
    open_cases: int = 0
    due_soon: int = 0
    breached: int = 0
    commitments_due: int = 0
    unacknowledged: int = 0
    oldest_unacknowledged: timedelta | None = None  # its age by the server's clock
    kudos: int = 0
    signed_in: bool = False
    quality: RepQuality | None = None  # the person's handoff figures (the team's on the total)

    def count(self, measure: BoardMeasure) -> int:
        return {
            BoardMeasure.OPEN: self.open_cases,
            BoardMeasure.DUE_SOON: self.due_soon,
            BoardMeasure.BREACHED: self.breached,
            BoardMeasure.COMMITMENTS_DUE: self.commitments_due,
            BoardMeasure.UNACKNOWLEDGED: self.unacknowledged,
            BoardMeasure.KUDOS: self.kudos,
        }[measure]


@dataclass(frozen=True)
class TeamBoard:
    team_id: uuid.UUID
    team_name: str
    measured_at: datetime  # the server's clock
    rows: tuple[BoardRow, ...]  # members, then others holding team cases, then the queue
    total: BoardRow
    # When the kudos and quality figures were read (None: not yet; kudos 0, quality None).
    history_read_at: datetime | None
    kudos_since: datetime | None

    @property
    def members(self) -> tuple[BoardRow, ...]:
        return tuple(r for r in self.rows if r.kind is RowKind.MEMBER)

    @property
    def signed_in(self) -> int:
        return sum(r.signed_in for r in self.members)


@dataclass(frozen=True)
class BoardCases:
    """The cases behind one number of the board, in the order that number is about."""

    team_id: uuid.UUID
    user_id: uuid.UUID | None
    measure: BoardMeasure
    title: str  # "Dana Scully — breached"
    rows: tuple[QueueRow, ...]
    total: int  # may exceed len(rows): at most team_board.MAX_CASES are listed

    @property
    def case_ids(self) -> tuple[uuid.UUID, ...]:
        return tuple(r.id for r in self.rows)

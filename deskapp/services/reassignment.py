"""A lead moves cases: one or a selection, or every case of a rep who is out (issue 8).

Each case moves on its own, atomically, through the handoff service (services/handoffs.py):
its own note, linted against its team's template at the server's clock, and the one reason the
lead gave, recorded with every move. A case changed since the preview (another version) is
reported as *changed meanwhile* and left as it is; a note that lint blocks is *refused* with its
findings; the other cases still move. Where nobody could brief (the owner is out and left
nothing usable), the move is an *unbriefed* handoff carrying the reason (DESIGN.md §5): the
receivers see it flagged and may accept several such handoffs at once.

Plans (the preview) live in services/reassignment_plan.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import select

from deskapp.db.models import Case, HandoffNote, User
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import HandoffKind, Role
from deskapp.domain.errors import DeskappError, InvalidInput, NotFound, StaleEdit
from deskapp.domain.handoff import NoteContent
from deskapp.domain.handoff_lint import Finding
from deskapp.services import handoff_followup, handoffs
from deskapp.services.handoffs import HandoffOutcome, HandoffRejected, HandoffRequest
from deskapp.services.permissions import require_role
from deskapp.services.reassignment_plan import MAX_CASES, PlannedMove
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace

REASON_LIMIT = 300  # the note's unbriefed_reason column


@dataclass(frozen=True)
class MoveOrder:
    """One case to move, as the lead finally decided it."""

    case_id: uuid.UUID
    to_user_id: uuid.UUID | None  # None: the team's queue
    content: NoteContent
    expected_version: int
    unbriefed: bool = False  # hand over without a briefing (the reason says why)
    accept_warnings: bool = False  # the lead read this note's warnings
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)  # the note's id: a retry is safe


class MoveStatus(StrEnum):
    MOVED = "moved"
    CHANGED = "changed"  # the case changed since the preview: left as it is
    REFUSED = "refused"  # lint blocked the note, or the move is not allowed


@dataclass(frozen=True)
class MoveResult:
    case_id: uuid.UUID
    key: str
    status: MoveStatus
    message: str  # for the lead: where it went, or why it did not
    note_id: uuid.UUID | None = None
    findings: tuple[Finding, ...] = ()  # a refused note's findings, field by field


@dataclass(frozen=True)
class ReassignReport:
    results: tuple[MoveResult, ...]

    def of(self, status: MoveStatus) -> tuple[MoveResult, ...]:
        return tuple(r for r in self.results if r.status is status)

    @property
    def moved(self) -> tuple[MoveResult, ...]:
        return self.of(MoveStatus.MOVED)

    @property
    def changed(self) -> tuple[MoveResult, ...]:
        return self.of(MoveStatus.CHANGED)

    @property
    def refused(self) -> tuple[MoveResult, ...]:
        return self.of(MoveStatus.REFUSED)

    def headline(self) -> str:
        moved, changed, refused = len(self.moved), len(self.changed), len(self.refused)
        parts = [f"{moved} case{'s' if moved != 1 else ''} moved"]
        if changed:
            parts.append(f"{changed} changed meanwhile (left as they are)")
        if refused:
            parts.append(f"{refused} refused")
        return ", ".join(parts) + "."


def order_from_plan(move: PlannedMove, *, unbriefed: bool | None = None) -> MoveOrder:
    """The order a plan proposes for ``move``: its prefilled note, unbriefed where the plan says
    nothing usable was written (or as ``unbriefed`` says)."""
    return MoveOrder(
        case_id=move.case_id,
        to_user_id=move.to_user_id,
        content=move.prefill,
        expected_version=move.expected_version,
        unbriefed=move.needs_unbriefed if unbriefed is None else unbriefed,
    )


def reassign(
    ws: Workspace, actor: Actor, orders: Sequence[MoveOrder], reason: str
) -> ReassignReport:
    """Move each case of ``orders`` with its own note and the shared ``reason``. Never raises
    for one case: each result says moved, changed meanwhile or refused (and why)."""
    require_role(actor, Role.LEAD, "reassign cases")
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput(
            "Say why these cases move (for example “Rae is off sick today”): it is recorded "
            "with every move and shown to whoever receives an unbriefed handoff."
        )
    if len(reason) > REASON_LIMIT:
        raise InvalidInput(f"Keep the reason under {REASON_LIMIT} characters; it is one line.")
    if len(orders) > MAX_CASES:
        raise InvalidInput(f"Reassign at most {MAX_CASES} cases at a time.")
    if len({o.case_id for o in orders}) != len(orders):
        raise InvalidInput("Each case can move only once in a reassignment.")
    single = len(orders) == 1
    requests = [_request(order, reason, single) for order in orders]
    outcomes = handoffs.bulk_hand_off(ws, actor, requests)
    keys, names = _keys_and_names(ws, orders)
    return ReassignReport(
        tuple(
            _result(order, outcome, keys[order.case_id], names)
            for order, outcome in zip(orders, outcomes, strict=True)
        )
    )


def acknowledge_unbriefed(ws: Workspace, actor: Actor, note_ids: Sequence[uuid.UUID]) -> int:
    """Accept several unbriefed handoffs at once (all or none); a briefed note asks for its
    own read-back and is refused here. Returns how many were newly accepted."""
    wanted = list(dict.fromkeys(note_ids))
    if not wanted:
        return 0
    with read_session(ws) as session:
        notes = list(
            session.execute(
                select(HandoffNote.id, HandoffNote.unbriefed, Case.number)
                .join(Case, Case.id == HandoffNote.case_id)
                .where(HandoffNote.id.in_(wanted))
            )
        )
    if len(notes) != len(wanted):
        raise NotFound("A handoff in that list does not exist (any more). Refresh the list.")
    briefed = sorted(format_case_key(number) for _id, unbriefed, number in notes if not unbriefed)
    if briefed:
        raise InvalidInput(
            f"{', '.join(briefed)} came with a briefing: read each note and acknowledge it on "
            "its own. Nothing was acknowledged."
        )
    return handoff_followup.acknowledge_all(ws, actor, wanted)


# --------------------------------------------------------------------------- internals
def _request(order: MoveOrder, reason: str, single: bool) -> HandoffRequest:
    # One case to one person is an ordinary reassignment; a batch, or a case sent to the team
    # queue by a lead (its status stays as it is, unlike a release), is a bulk reassignment.
    kind = (
        HandoffKind.REASSIGN
        if single and order.to_user_id is not None
        else HandoffKind.BULK_REASSIGN
    )
    return HandoffRequest(
        case_id=order.case_id,
        kind=kind,
        to_user_id=order.to_user_id,
        to_team_id=None,
        content=order.content,
        expected_version=order.expected_version,
        accept_warnings=order.accept_warnings,
        unbriefed_reason=reason if order.unbriefed else None,
        request_id=order.request_id,
        reason=reason,
    )


def _keys_and_names(
    ws: Workspace, orders: Sequence[MoveOrder]
) -> tuple[dict[uuid.UUID, str], dict[uuid.UUID, str]]:
    case_ids = [o.case_id for o in orders]
    people = list({o.to_user_id for o in orders if o.to_user_id is not None})
    with read_session(ws) as session:
        numbers: dict[uuid.UUID, int] = {
            case_id: number
            for case_id, number in session.execute(
                select(Case.id, Case.number).where(Case.id.in_(case_ids))
            )
        }
        names: dict[uuid.UUID, str] = {
            user_id: name
            for user_id, name in session.execute(
                select(User.id, User.display_name).where(User.id.in_(people))
            )
        }
    keys = {
        case_id: format_case_key(numbers[case_id]) if case_id in numbers else "A case"
        for case_id in case_ids
    }
    return keys, names


def _result(
    order: MoveOrder,
    outcome: HandoffOutcome | DeskappError,
    key: str,
    names: dict[uuid.UUID, str],
) -> MoveResult:
    if isinstance(outcome, HandoffOutcome):
        where = (
            names.get(order.to_user_id, "the new owner") if order.to_user_id else "the team queue"
        )
        flag = " (unbriefed)" if order.unbriefed else ""
        return MoveResult(
            order.case_id, key, MoveStatus.MOVED, f"to {where}{flag}", outcome.note_id
        )
    if isinstance(outcome, StaleEdit):
        return MoveResult(
            order.case_id,
            key,
            MoveStatus.CHANGED,
            "changed by someone else since the preview, so it was left as it is. The note is "
            "kept: look at the case as it is now, then move it again.",
        )
    if isinstance(outcome, HandoffRejected):
        first = str(outcome).splitlines()[0]
        return MoveResult(order.case_id, key, MoveStatus.REFUSED, first, findings=outcome.findings)
    return MoveResult(order.case_id, key, MoveStatus.REFUSED, str(outcome))

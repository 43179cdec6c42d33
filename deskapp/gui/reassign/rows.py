"""What the reassign dialogs remember about each case while the lead works: where it goes, the
note as it stands, unbriefed or not, and what lint says about it now.

Plain Python (no Qt): lint is pure and fast, so every row's state is worked out on the GUI
thread from what the row holds, exactly as the handoff editor does for one note. Unbriefed
waives what an empty note lacks (the service waives the same rules, services/handoffs.py);
what was written is still checked.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from deskapp.domain.handoff import NoteContent
from deskapp.domain.handoff_lint import Finding, Severity, lint
from deskapp.domain.handoff_template import HandoffTemplate
from deskapp.services.reassignment import MoveOrder
from deskapp.services.reassignment_plan import PlannedMove, PrefillSource


class RowState(Enum):
    READY = "ready"
    NO_DESTINATION = "no_destination"
    NEEDS_NOTE = "needs_note"  # nothing written: write a note, or hand over unbriefed
    BLOCKED = "blocked"
    WARNINGS = "warnings"  # to be read (and accepted) first


@dataclass
class MoveRow:
    move: PlannedMove
    to_user_id: uuid.UUID | None  # None: the team queue (when ``chosen``)
    chosen: bool  # a destination was chosen; False shows "Choose…"
    content: NoteContent
    unbriefed: bool
    accept_warnings: bool = False
    edited: bool = False  # the lead changed the note: kept when the plan is read again
    last_outcome: str = ""  # "changed meanwhile…", "refused…": what the last attempt said
    server_findings: tuple[Finding, ...] = ()  # a refused note's findings, until edited
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def case_id(self) -> uuid.UUID:
        return self.move.case_id

    def order(self) -> MoveOrder:
        return MoveOrder(
            case_id=self.move.case_id,
            to_user_id=self.to_user_id,
            content=self.content,
            expected_version=self.move.expected_version,
            unbriefed=self.unbriefed,
            accept_warnings=self.accept_warnings,
            request_id=self.request_id,
        )


def new_row(move: PlannedMove, *, chosen: bool, unbriefed: bool | None = None) -> MoveRow:
    return MoveRow(
        move=move,
        to_user_id=move.to_user_id,
        chosen=chosen,
        content=move.prefill,
        unbriefed=move.needs_unbriefed if unbriefed is None else unbriefed,
    )


def missing_rules(template: HandoffTemplate, now: datetime) -> frozenset[str]:
    """The rules an empty note breaks: what nobody can write when the owner is away."""
    return frozenset(f.rule for f in lint(NoteContent(), now=now, template=template))


def counted_findings(row: MoveRow, template: HandoffTemplate, now: datetime) -> list[Finding]:
    """What stands between this row's note and its move, as the service will see it."""
    found = lint(row.content, now=now, previous=row.move.previous, template=template)
    found += [f for f in row.server_findings if f not in found]
    if not row.unbriefed:
        return found
    waived = missing_rules(template, now)
    return [f for f in found if f.rule not in waived]


def row_state(row: MoveRow, template: HandoffTemplate, now: datetime) -> tuple[RowState, str]:
    """The row's state and the words the table shows for it."""
    if not row.chosen:
        return RowState.NO_DESTINATION, "Choose who takes it"
    findings = counted_findings(row, template, now)
    blocking = [f for f in findings if f.severity is Severity.BLOCK]
    warnings = [f for f in findings if f.severity is Severity.WARN]
    if blocking and not row.unbriefed and row.content == NoteContent():
        return RowState.NEEDS_NOTE, "Write a note, or go unbriefed"
    if blocking:
        return RowState.BLOCKED, f"{_count(len(blocking), 'thing')} to fix"
    if warnings and not row.accept_warnings:
        return RowState.WARNINGS, f"Read {_count(len(warnings), 'warning')}"
    return RowState.READY, "Ready, unbriefed" if row.unbriefed else "Ready"


def source_text(move: PlannedMove, *, short: bool = False) -> str:
    """Where the note starts from; ``short`` (the table) names the owner by first name."""
    owner = move.from_name or "the owner"
    if short and move.from_name:
        owner = move.from_name.split()[0]
    return {
        PrefillSource.DRAFT: f"{owner}'s draft",
        PrefillSource.OWNER_NOTE: f"{owner}'s last note",
        PrefillSource.NONE: "nothing written",
    }[move.prefill_source]


def problem(states: Iterable[tuple[str, RowState, str]], reason: str) -> str | None:
    """Why nothing can be moved yet, for the lead (``states``: each row's case key, state and
    its words); None when every row is ready and the reason is given."""
    states = list(states)
    if not states:
        return "Nothing to move."
    waiting = [(key, text) for key, state, text in states if state is not RowState.READY]
    if waiting:
        shown = "; ".join(f"{key}: {text.lower()}" for key, text in waiting[:3])
        more = f" and {len(waiting) - 3} more" if len(waiting) > 3 else ""
        return f"{_count(len(waiting), 'case')} not ready yet — {shown}{more}."
    if not reason.strip():
        return "Say why these cases move (asked once, recorded with every move)."
    return None


def _count(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"

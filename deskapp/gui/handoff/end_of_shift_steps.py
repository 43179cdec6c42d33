"""The end-of-shift wizard's bookkeeping: what was decided for each case, and the summary
the rep reads before signing off (what is left, kept, handed off, moved meanwhile)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import Enum

from deskapp.domain.handoff_template import HandoffTemplate
from deskapp.gui.handoff import service_calls
from deskapp.services import cases, history
from deskapp.services.history import CaseDetail
from deskapp.services.queue import QueueRow
from deskapp.services.records import CaseInfo
from deskapp.services.workspace import Workspace

SUBJECT_CHARS = 38  # the case list stays narrow: no sideways scrolling


class Decision(Enum):
    KEEP = 1
    QUEUE = 2
    PERSON = 3


class StepState(Enum):
    TO_DECIDE = "to decide"
    KEPT = "kept"
    HANDED_OFF = "handed off"
    SKIPPED = "skipped"
    FAILED = "not handed off"
    GONE = "no longer yours"


# The mark carries the meaning as well as the colour: a tired eye, a colour-blind eye.
_MARKS = {StepState.TO_DECIDE: "○", StepState.KEPT: "●", StepState.HANDED_OFF: "✓",
          StepState.SKIPPED: "–", StepState.FAILED: "!", StepState.GONE: "–"}  # fmt: skip
COLOURS = {StepState.KEPT: "#0b2a5c", StepState.HANDED_OFF: "#1e6b2e",
            StepState.FAILED: "#8c1d18", StepState.SKIPPED: "#5c3d00",
            StepState.GONE: "#555555"}  # fmt: skip
DONE_STATES = (StepState.KEPT, StepState.HANDED_OFF, StepState.GONE)


@dataclass
class Step:
    """One case and what the rep decided about it tonight."""

    row: QueueRow
    state: StepState = StepState.TO_DECIDE
    detail: str = ""  # to whom it went, or why it did not
    decision: Decision | None = None
    version: int = 0
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)  # the note's id: retries are safe

    def __post_init__(self) -> None:
        self.version = self.row.version

    def line(self) -> str:
        text = self.state.value + (f": {self.detail}" if self.detail else "")
        subject = self.row.subject
        if len(subject) > SUBJECT_CHARS:  # the list is narrow; the heading shows it whole
            subject = subject[: SUBJECT_CHARS - 1].rstrip() + "…"
        return f"{self.row.key}  {subject}\n{_MARKS[self.state]} {text}"


@dataclass(frozen=True)
class StepData:
    """What a step needs from the database: the case as it is now and its team's template."""

    detail: CaseDetail
    case: CaseInfo
    template: HandoffTemplate


def read_step(ws: Workspace, case_id: uuid.UUID) -> StepData:
    """I/O: call through the task runner."""
    case = cases.get_case(ws, case_id)
    return StepData(history.case_detail(ws, case_id, cases_limit=1), case,
                    service_calls.template_for(ws, case.team_id))  # fmt: skip


def summary_sections(steps: list[Step]) -> list[tuple[str, list[str]]]:
    """(heading, lines) for the last page, in the order a rep checks them."""

    def lines(*states: StepState) -> list[str]:
        return [f"{s.row.key}  {s.row.subject}" + (f" — {why}" if (why := _outcome(s)) else "")
                for s in steps if s.state in states]  # fmt: skip

    sections = [
        ("Still to decide", lines(StepState.TO_DECIDE, StepState.SKIPPED, StepState.FAILED)),
        ("Handed off", lines(StepState.HANDED_OFF)),
        ("Kept: still yours", lines(StepState.KEPT)),
        ("Moved by someone else meanwhile", lines(StepState.GONE)),
    ]
    return [(f"{heading} ({len(found)})", found) for heading, found in sections if found]


def _outcome(step: Step) -> str:
    if step.state is StepState.TO_DECIDE:
        return ""  # the headline says these stay yours; fourteen times would be noise
    if step.state is StepState.SKIPPED:
        return "skipped"
    if step.state is StepState.FAILED:
        return f"not handed off: {step.detail}"
    return step.detail


def summary_headline(steps: list[Step]) -> str:
    left = sum(s.state not in DONE_STATES for s in steps)
    if not steps:
        return "You own no open cases: nothing to hand over. Good night."
    if left:
        return (
            f"{left} of {len(steps)} case{'s' if len(steps) != 1 else ''} still need a "
            "decision. Pick one on the left to finish it, or close: they stay yours."
        )
    return f"All {len(steps)} cases are decided. You can sign off."

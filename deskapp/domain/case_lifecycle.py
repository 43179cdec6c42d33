"""The case lifecycle (DESIGN.md §4): which status may follow which, and what resolving needs.

    new ──(take)──▶ open ⇄ pending customer / pending internal / pending third party
                     │  ⇅ escalated
                     ▼
                  resolved ──▶ closed (final)
                     │
                     └──▶ open again (a reopen, counted)

Ownership moves (take, release, transfer, escalate to someone) belong to the handoff service;
here the same owner moves the case along. A new case is unowned: it opens when someone takes it,
and may only be resolved straight from the queue (spam, a duplicate). Resolving asks for a
resolution code and a one-line outcome a colleague understands without opening the case.
Pure Python.
"""

from __future__ import annotations

from deskapp.domain.enums import CaseStatus
from deskapp.domain.errors import InvalidInput
from deskapp.domain.lint_vague import vagueness

S = CaseStatus
_PENDING = (S.PENDING_CUSTOMER, S.PENDING_INTERNAL, S.PENDING_THIRD_PARTY)
_WORKING = (S.OPEN, *_PENDING, S.ESCALATED)

# For each status, the ones a rep may move it to (in the order a status menu lists them).
NEXT_STATUSES: dict[CaseStatus, tuple[CaseStatus, ...]] = {
    S.NEW: (S.RESOLVED,),
    **{status: tuple(s for s in (*_WORKING, S.RESOLVED) if s is not status) for status in _WORKING},
    S.RESOLVED: (S.CLOSED, S.OPEN),
    S.CLOSED: (),
}

# Code → label. The demo's codes are among them, so old cases read back with a label.
RESOLUTION_CODES: dict[str, str] = {
    "fixed": "Fixed",
    "explained": "Explained / answered",
    "workaround": "Workaround given",
    "refunded": "Refunded",
    "credited": "Credited",
    "replaced": "Replaced",
    "duplicate": "Duplicate",
    "no_response": "No response from customer",
    "chargeback_won": "Chargeback won",
    "chargeback_lost": "Chargeback lost",
    "not_reproducible": "Could not reproduce",
    "wont_fix": "Will not fix",
    "spam": "Spam / not a case",
}
OUTCOME_MAX_CHARS = 300  # the column's width (cases.resolution_outcome)

_LABELS = {
    S.NEW: "New",
    S.OPEN: "Open",
    S.PENDING_CUSTOMER: "Pending customer",
    S.PENDING_INTERNAL: "Pending internal",
    S.PENDING_THIRD_PARTY: "Pending third party",
    S.ESCALATED: "Escalated",
    S.RESOLVED: "Resolved",
    S.CLOSED: "Closed",
}


class InvalidTransition(InvalidInput):
    """This status cannot follow that one; the message says what to do instead."""


def next_statuses(current: CaseStatus) -> tuple[CaseStatus, ...]:
    """What a status menu offers for a case in ``current``."""
    return NEXT_STATUSES[current]


def is_reopen(current: CaseStatus, target: CaseStatus) -> bool:
    return current is S.RESOLVED and target is S.OPEN


def check_transition(current: CaseStatus, target: CaseStatus, case_key: str) -> None:
    """Raise InvalidTransition unless a case in ``current`` may move to ``target``."""
    if target is current or target in NEXT_STATUSES[current]:
        return
    was, wanted = _LABELS[current], _LABELS[target]
    if current is S.CLOSED:
        advice = (
            "A closed case stays closed: open a new case for the customer and mention "
            f"{case_key} in it."
        )
    elif target is S.NEW:
        advice = "To put it back in the queue, release it with a handoff note."
    elif current is S.NEW:
        advice = "Take the case from the queue first; it opens when someone owns it."
    elif current is S.RESOLVED:
        advice = "Reopen it first (status Open); the reopen is counted."
    elif target is S.CLOSED:
        advice = "Resolve it first, with a resolution code and the outcome; then close it."
    else:  # pragma: no cover - every other pair is allowed
        advice = "Choose one of the statuses offered."
    raise InvalidTransition(f"{case_key} is {was}; it cannot become {wanted}. {advice}")


def check_resolution(code: str | None, outcome: str | None) -> tuple[str, str]:
    """The resolution code and the outcome on one line, or InvalidInput saying what is missing."""
    code = (code or "").strip()
    if code not in RESOLUTION_CODES:
        choices = ", ".join(RESOLUTION_CODES)
        raise InvalidInput(
            ("Choose a resolution code" if not code else f"“{code}” is not a resolution code")
            + f" to resolve the case ({choices})."
        )
    line = " ".join((outcome or "").split())  # one line: the history lists it beside the case
    if not line:
        raise InvalidInput(
            "Write the outcome in one line, e.g. “Refunded order 88123 to the card ending "
            "4242”, so the next person sees how it ended without opening the case."
        )
    if len(line) > OUTCOME_MAX_CHARS:
        raise InvalidInput(
            f"The outcome is {len(line)} characters; keep it to one line of at most "
            f"{OUTCOME_MAX_CHARS}. Put the details in an interaction or a note."
        )
    vague = vagueness(line, "done")
    if vague is not None and vague.rule in ("vague_mash", "vague_placeholder"):
        raise InvalidInput(
            f"“{line}” does not say how the case ended. Write what was done for the customer, "
            "e.g. “Sent a replacement router, tracking 1Z999”."
        )
    return code, line


def status_label(status: CaseStatus) -> str:
    return _LABELS[status]

"""Logging an interaction: a call, an email, a chat... on a case, as it happened.

- The text is kept as given (the GUI shows it as plain text), except that full card numbers are
  masked (domain/card_mask.py), NUL — which PostgreSQL cannot store — becomes “␀” and a lone
  surrogate (text broken before it reached us) becomes “�”. Up to 4 MiB of UTF-8 per body.
- The id is chosen by the client before the first attempt: a retry after a lost reply finds the
  row instead of inserting it twice.
- "Waiting" (DESIGN.md §4) is recomputed from the case's customer-facing interactions: the
  earliest inbound one after the last outbound one (NULL when every inbound one is answered). An
  outbound reply also marks the first response. A customer's reply to a case pending customer
  opens it again and the SLA clock runs on. These bookkeeping columns do not bump the case's
  version: logging a call must not turn a colleague's open edit of the priority stale.
- Kudos: a customer's praise for a rep is an inbound interaction naming that rep.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from deskapp.db.models import Case, Customer, Interaction, User
from deskapp.domain.card_mask import mask_card_numbers
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import CaseStatus, Channel, Direction
from deskapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from deskapp.services import audit, case_rights, sla_pause
from deskapp.services.handoff_waiting import server_now
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session, write_session
from deskapp.services.workspace import Workspace

LOGGED = "interaction.logged"
MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_DURATION = timedelta(hours=12)
# Contacts that last: a call, a chat session, a meeting. Emails and posts have no duration.
TIMED_CHANNELS = frozenset({Channel.PHONE, Channel.CHAT, Channel.IN_PERSON})
# Talking to a courier or a bank is not talking to the customer: it neither answers nor waits.
CUSTOMER_CHANNELS = tuple(c for c in Channel if c is not Channel.THIRD_PARTY)
FUTURE_SLACK = timedelta(minutes=5)  # a workstation clock a little ahead of the server's

_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class NewInteraction:
    case_id: uuid.UUID
    channel: Channel
    direction: Direction
    body: str
    duration_seconds: int | None = None  # calls, chats and meetings
    kudos_for_id: uuid.UUID | None = None  # the rep this customer's praise is for
    occurred_at: datetime | None = None  # None: now (server clock); else when it happened
    id: uuid.UUID = field(default_factory=uuid.uuid4)  # chosen once: retries are safe


@dataclass(frozen=True)
class LoggedInteraction:
    id: uuid.UUID
    case_id: uuid.UUID
    case_key: str
    customer_id: uuid.UUID
    channel: Channel
    direction: Direction
    author: str | None
    body: str  # as stored: card numbers masked
    duration_seconds: int | None
    occurred_at: datetime
    kudos_for: str | None  # the praised rep's display name
    cards_masked: int  # how many card numbers this call masked (0 on a retry's answer)
    # The case after logging: a reply changes what is waiting, a customer's answer reopens it.
    case_status: CaseStatus
    waiting_since: datetime | None
    case_version: int


@dataclass(frozen=True)
class Kudos:
    interaction_id: uuid.UUID
    at: datetime
    case_id: uuid.UUID
    case_key: str
    customer: str
    text: str


def clean_body(body: str) -> tuple[str, int]:
    """The body as it will be stored and how many card numbers were masked; InvalidInput for
    an empty or oversized one."""
    text = _SURROGATE.sub("\ufffd", body.replace("\x00", "\u2400"))
    if not text.strip():
        raise InvalidInput("Write what was said or done, even in one line, before logging it.")
    problem = body_too_large(text)
    if problem is not None:
        raise InvalidInput(problem)
    return mask_card_numbers(text)


def body_too_large(text: str) -> str | None:
    """Why ``text`` is too large to log (None: it is not). The window asks this before it
    sends, so the rep hears it at once and keeps the text; the service asks it again."""
    if len(text) * 4 <= MAX_BODY_BYTES:  # four bytes a character at most: no need to encode
        return None
    size = len(text.encode("utf-8", "surrogatepass"))
    if size <= MAX_BODY_BYTES:
        return None
    return (
        f"This text is {size / 1024 / 1024:.1f} MiB; an interaction holds at most "
        f"{MAX_BODY_BYTES // 1024 // 1024} MiB. Attach long documents elsewhere and "
        "summarise them here."
    )


def log_interaction(ws: Workspace, actor: Actor, new: NewInteraction) -> LoggedInteraction:
    """Record ``new`` on its case; returns it with the case's waiting state after it."""
    body, masked = prepare(actor, new)
    with write_session(ws) as session:
        return add_interaction(session, actor, new, body, masked)


def prepare(actor: Actor, new: NewInteraction) -> tuple[str, int]:
    """Check ``new`` and clean its body (before the write lock is taken): the body to store
    and how many card numbers it had."""
    if actor.user_id is None:
        raise PermissionDenied("The setup account cannot log interactions: sign in as a person.")
    _check_shape(new)
    return clean_body(new.body)


def add_interaction(
    session: Session, actor: Actor, new: NewInteraction, body: str, masked: int
) -> LoggedInteraction:
    """Insert the prepared interaction and keep the case's bookkeeping, in the caller's
    transaction (a retry with the same id finds the first attempt's row)."""
    case = session.scalar(select(Case).where(Case.id == new.case_id).with_for_update())
    if case is None:
        raise NotFound("That case does not exist (any more).")
    existing = session.get(Interaction, new.id)
    if existing is not None:  # the retry of a log whose reply was lost
        if existing.case_id != new.case_id:
            raise InvalidInput("That interaction id is already used on another case.")
        return _logged(session, existing, case, 0)
    key = format_case_key(case.number)
    if case.status is CaseStatus.CLOSED:
        raise InvalidInput(
            f"{key} is closed. Open a new case for this contact and mention {key} in it."
        )
    now = server_now(session)
    occurred = _occurred_at(new, now, case.created_at)
    if new.kudos_for_id is not None and session.get(User, new.kudos_for_id) is None:
        raise NotFound("The colleague this praise is for is not a Deskapp user.")
    row = Interaction(
        id=new.id, case_id=case.id, customer_id=case.customer_id, channel=new.channel,
        direction=new.direction, author_id=actor.user_id, body=body,
        duration_seconds=new.duration_seconds, occurred_at=occurred,
        kudos_for_id=new.kudos_for_id,
    )  # fmt: skip
    session.add(row)
    session.flush()
    detail: dict[str, object] = {
        "interaction": new.id.hex,
        "channel": new.channel.value,
        "direction": new.direction.value,
    }
    if masked:
        detail["cards_masked"] = masked
    if new.kudos_for_id is not None:
        detail["kudos_for"] = new.kudos_for_id.hex
    # Anyone who reads the case may log a contact on it; reopening it is its owner's (or their
    # lead's) change to make (services/case_rights.py): for anyone else it stays as it is.
    if _customer_answered(case, new) and case_rights.may_work_on(
        actor, case.assignee_id, case.team_id
    ):
        detail["status"] = {"from": case.status.value, "to": CaseStatus.OPEN.value}
        resumed = sla_pause.resume(session, case, now)
        if resumed:
            detail["sla_resumed"] = resumed
        case.status = CaseStatus.OPEN
        session.flush()  # a status change is a change a colleague must see: version + 1
    _update_bookkeeping(session, case, new, occurred)
    audit.record_event(session, actor, LOGGED, event_id=new.id, case_id=case.id, detail=detail)
    session.refresh(case)
    return _logged(session, row, case, masked)


def kudos_received(
    ws: Workspace, user_id: uuid.UUID, *, since: datetime | None = None, limit: int = 50
) -> list[Kudos]:
    """The praise customers gave ``user_id``, newest first."""
    query = (
        select(Interaction.id, Interaction.occurred_at, Case.id, Case.number, Customer.name,
               Interaction.body)
        .join(Case, Case.id == Interaction.case_id)
        .join(Customer, Customer.id == Interaction.customer_id)
        .where(Interaction.kudos_for_id == user_id)
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(limit)
    )  # fmt: skip
    if since is not None:
        query = query.where(Interaction.occurred_at >= since)
    with read_session(ws) as session:
        return [Kudos(r[0], r[1], r[2], format_case_key(r[3]), r[4], r[5])
                for r in session.execute(query)]  # fmt: skip


# ----------------------------------------------------------------------------- helpers
def _check_shape(new: NewInteraction) -> None:
    if new.duration_seconds is not None:
        if new.channel not in TIMED_CHANNELS:
            raise InvalidInput(
                f"A {new.channel.value.replace('_', ' ')} contact has no duration; leave it "
                "empty (durations are for calls, chats and meetings)."
            )
        if not 0 <= new.duration_seconds <= MAX_DURATION.total_seconds():
            raise InvalidInput(
                "A duration runs from 0 to 12 hours; check the minutes and seconds entered."
            )
    if new.kudos_for_id is not None and new.direction is not Direction.INBOUND:
        raise InvalidInput(
            "Kudos is the customer's praise for a colleague: log it as an inbound contact."
        )
    if new.occurred_at is not None and new.occurred_at.tzinfo is None:
        raise InvalidInput("Give the time of the contact with its time zone.")


def _occurred_at(new: NewInteraction, now: datetime, case_created: datetime) -> datetime:
    if new.occurred_at is None:
        return now
    if new.occurred_at > now + FUTURE_SLACK:
        raise InvalidInput("That contact is in the future: log it once it has happened.")
    if new.occurred_at < case_created - timedelta(days=1):
        raise InvalidInput(
            "That contact is from before the case was opened: log it on the case it belongs to."
        )
    return new.occurred_at


def _customer_answered(case: Case, new: NewInteraction) -> bool:
    return (
        case.status is CaseStatus.PENDING_CUSTOMER
        and new.direction is Direction.INBOUND
        and new.channel in CUSTOMER_CHANNELS
    )


def _update_bookkeeping(
    session: Session, case: Case, new: NewInteraction, occurred: datetime
) -> None:
    """Waiting, first response and last activity, without bumping the case's version."""
    values: dict[str, object] = {"waiting_since": _waiting_since(session, case.id)}
    if case.last_activity_at is None or occurred > case.last_activity_at:
        values["last_activity_at"] = occurred
    facing = new.channel in CUSTOMER_CHANNELS
    if facing and new.direction is Direction.OUTBOUND and case.first_responded_at is None:
        values["first_responded_at"] = occurred
    statement = update(Case).where(Case.id == case.id).values(**values)
    session.execute(statement.execution_options(synchronize_session=False))


def _waiting_since(session: Session, case_id: uuid.UUID) -> datetime | None:
    facing = and_(Interaction.case_id == case_id, Interaction.channel.in_(CUSTOMER_CHANNELS))
    last_answer = session.scalar(
        select(func.max(Interaction.occurred_at)).where(
            facing, Interaction.direction == Direction.OUTBOUND
        )
    )
    unanswered = select(func.min(Interaction.occurred_at)).where(
        facing, Interaction.direction == Direction.INBOUND
    )
    if last_answer is not None:
        unanswered = unanswered.where(Interaction.occurred_at > last_answer)
    return session.scalar(unanswered)


def _logged(session: Session, row: Interaction, case: Case, masked: int) -> LoggedInteraction:
    names = _names(session, [u for u in (row.author_id, row.kudos_for_id) if u is not None])
    return LoggedInteraction(
        row.id, case.id, format_case_key(case.number), row.customer_id, row.channel,
        row.direction, names.get(row.author_id) if row.author_id else None, row.body,
        row.duration_seconds, row.occurred_at,
        names.get(row.kudos_for_id) if row.kudos_for_id else None, masked, case.status,
        case.waiting_since, case.version,
    )  # fmt: skip


def _names(session: Session, user_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not user_ids:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids)))
    return {r[0]: r[1] for r in rows}

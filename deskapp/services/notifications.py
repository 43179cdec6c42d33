"""What to tell a person, as it happens: a case handed to them, a handoff note still waiting for
their read-back, a question on a note they wrote, a promise or an SLA about to be missed.

No Qt: the GUI calls ``poll`` on its task runner every few seconds (and at once when the change
feed says something changed) and keeps the cursor it gets back for the next call.

Two sorts of event, read two ways:

- *Happenings* (a case handed to me, a question asked of me) are rows written since the cursor.
  They are read over a trailing window, like the change feed (DESIGN.md §6): a transaction that
  committed late is still inside the window on the next poll, and the cursor remembers the keys
  already reported inside it, so nothing is reported twice. The first poll only learns what is
  there: signing in does not replay the past.
- *States* (a note waiting for my read-back for a while, a deadline within a warning threshold)
  are computed by query on each poll; the cursor remembers which (item, threshold) has been
  told, so each is told once per threshold however often the poll runs.

Times are the database server's (DESIGN.md §4). A kind left out of ``kinds`` is neither queried
nor remembered for states, so turning it on later tells what is true then; happenings while
it was off stay untold.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session, aliased

from deskapp.db.models import Case, Commitment, HandoffAck, HandoffNote, User
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import AckKind, CaseStatus, Role
from deskapp.domain.sla_clock import BusinessCalendar, business_time_between
from deskapp.services.handoff_waiting import open_questions, server_now, to_acknowledge
from deskapp.services.queue_query import read_clock
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace

# Longer than any write transaction stays open (as services/queue_live.py reads the feed).
TRAILING_WINDOW = timedelta(seconds=60)
# A note handed to me by name is told at once as an assignment; if it is still not read back
# after this long, a reminder. With assignment notices turned off, the reminder comes at once.
ACK_REMINDER_AFTER = timedelta(minutes=10)
# Deadline warnings, widest first: each is told once per promise or SLA due time.
DEADLINE_WARNINGS = (timedelta(minutes=30), timedelta(minutes=5))
_TICKING = [s for s in CaseStatus if s.is_open and not s.pauses_sla]
_OPEN = [s for s in CaseStatus if s.is_open]


class NotificationKind(StrEnum):
    """Each kind can be turned off (deskapp/settings.py: ``notify_<value>``)."""

    CASE_ASSIGNED = "case_assigned"
    HANDOFF_TO_ACKNOWLEDGE = "handoff_to_acknowledge"
    QUESTION_FOR_ME = "question_for_me"
    DEADLINE_AT_RISK = "deadline_at_risk"


ALL_KINDS = frozenset(NotificationKind)


@dataclass(frozen=True)
class Notification:
    key: str  # stable for one happening (or one item at one threshold): told once
    kind: NotificationKind
    case_id: uuid.UUID
    case_key: str
    headline: str  # our words, with a colleague's name and the case key
    detail: str  # the customer's or a colleague's text (subject, question, promise): plain text
    at: datetime  # when it happened; for a deadline, when it is due


@dataclass(frozen=True)
class NotificationCursor:
    since: datetime  # the server's time at the last poll
    reported: frozenset[str] = field(default_factory=frozenset)  # happenings inside the window
    told: frozenset[str] = field(default_factory=frozenset)  # states already told


@dataclass(frozen=True)
class NotificationPoll:
    events: tuple[Notification, ...]  # oldest first
    cursor: NotificationCursor


def poll(
    ws: Workspace,
    actor: Actor,
    cursor: NotificationCursor | None,
    kinds: Iterable[NotificationKind] = ALL_KINDS,
) -> NotificationPoll:
    """What is new for ``actor`` since ``cursor`` (None: the first poll of a session)."""
    wanted = frozenset(kinds)
    with read_session(ws) as session:
        now = server_now(session)
        if actor.user_id is None:  # the setup account owns no cases and writes no notes
            return NotificationPoll((), NotificationCursor(now))
        start = (cursor.since if cursor else now) - TRAILING_WINDOW
        # Read even when turned off, so what happened meanwhile stays untold once turned on.
        happened = _assigned(session, actor.user_id, start)
        happened += _questions(session, actor, actor.user_id, start)
        deadlines = (
            _deadlines(session, actor.user_id, now)
            if NotificationKind.DEADLINE_AT_RISK in wanted
            else []
        )
    reported = cursor.reported if cursor else frozenset()
    events = [e for e in happened if e.key not in reported and e.kind in wanted] if cursor else []
    still_in_window = frozenset(e.key for e in happened if e.at >= now - TRAILING_WINDOW)
    told = cursor.told if cursor else frozenset()
    states = list(deadlines)
    if NotificationKind.HANDOFF_TO_ACKNOWLEDGE in wanted:
        states += _waiting_for_read_back(ws, actor, wanted)
    events += [e for e in states if e.key not in told]
    # Only what is true now is remembered: a deadline moved later, or a note handed to me
    # again, is worth telling again once it comes due.
    told = frozenset(e.key for e in states)
    events.sort(key=_shown_last_is_first)
    return NotificationPoll(tuple(events), NotificationCursor(now, still_in_window, told))


def _shown_last_is_first(event: Notification) -> tuple[int, float, str]:
    """The order of a poll's events: the last is the one a toast shows and the centre lists on
    top. Things that just happened come last (newest last), then reminders, then deadlines,
    the soonest due last."""
    if event.kind is NotificationKind.DEADLINE_AT_RISK:
        return (0, -event.at.timestamp(), event.key)
    if event.kind is NotificationKind.HANDOFF_TO_ACKNOWLEDGE:
        return (1, event.at.timestamp(), event.key)
    return (2, event.at.timestamp(), event.key)


# ----------------------------------------------------------------------------- happenings
def _assigned(session: Session, me: uuid.UUID, start: datetime) -> list[Notification]:
    """Notes by someone else handing a case to me by name, on cases still mine."""
    author = aliased(User, name="note_author")
    rows = session.execute(
        select(HandoffNote.id, HandoffNote.case_id, HandoffNote.created_at, HandoffNote.unbriefed,
               Case.number, Case.subject, author.display_name)
        .join(Case, Case.id == HandoffNote.case_id)
        .join(author, author.id == HandoffNote.author_id)
        .where(
            HandoffNote.to_user_id == me,
            HandoffNote.author_id != me,
            HandoffNote.addendum_to_id.is_(None),
            HandoffNote.created_at >= start,
            Case.assignee_id == me,
        )
    ).all()  # fmt: skip
    events = []
    for note_id, case_id, created_at, unbriefed, number, subject, author_name in rows:
        key = format_case_key(number)
        how = " without a briefing (read its history)" if unbriefed else ""
        events.append(
            Notification(f"assigned:{note_id.hex}", NotificationKind.CASE_ASSIGNED, case_id, key,
                         f"{author_name} handed {key} to you{how}", subject, created_at)
        )  # fmt: skip
    return events


def _questions(
    session: Session, actor: Actor, me: uuid.UUID, start: datetime
) -> list[Notification]:
    """Questions asked on notes I wrote (a lead: also the team's absent authors' notes, which
    the lead answers for them), still unanswered."""
    asker = aliased(User, name="asker")
    author = aliased(User, name="note_author")
    mine: ColumnElement[bool] = HandoffNote.author_id == me
    if actor.role is Role.ADMIN:
        mine = or_(mine, author.active.is_(False))
    elif actor.role is Role.LEAD and actor.team_id is not None:
        mine = or_(mine, and_(author.active.is_(False), author.team_id == actor.team_id))
    rows = session.execute(
        select(HandoffAck.id, HandoffAck.note_id, HandoffAck.text, HandoffAck.created_at,
               Case.id, Case.number, asker.display_name)
        .join(HandoffNote, HandoffNote.id == HandoffAck.note_id)
        .join(Case, Case.id == HandoffNote.case_id)
        .join(asker, asker.id == HandoffAck.user_id)
        .join(author, author.id == HandoffNote.author_id)
        .where(HandoffAck.kind == AckKind.QUESTION, HandoffAck.created_at >= start,
               HandoffAck.user_id != me, mine)
    ).all()  # fmt: skip
    if not rows:
        return []
    acks = session.scalars(
        select(HandoffAck).where(HandoffAck.note_id.in_({r[1] for r in rows}))
    ).all()
    still_open = open_questions(acks)
    events = []
    for ack_id, note_id, text, asked_at, case_id, number, asker_name in rows:
        if note_id not in still_open:
            continue  # answered already: nothing left to do
        key = format_case_key(number)
        events.append(
            Notification(f"question:{ack_id.hex}", NotificationKind.QUESTION_FOR_ME, case_id, key,
                         f"Question from {asker_name} on your note for {key}", text, asked_at)
        )  # fmt: skip
    return events


# ----------------------------------------------------------------------------- states
def _waiting_for_read_back(
    ws: Workspace, actor: Actor, wanted: frozenset[NotificationKind]
) -> list[Notification]:
    """Notes handed to me by name that I have not read back for a while. (A note to the team
    queue on a case I took myself is left to the case's banner: I chose that case.)"""
    after = ACK_REMINDER_AFTER if NotificationKind.CASE_ASSIGNED in wanted else timedelta(0)
    states = []
    for pending in to_acknowledge(ws, actor):
        if pending.receiver is None or pending.age < after:
            continue
        headline = f"{pending.case_key}: {pending.author}'s note awaits your read-back"
        states.append(
            Notification(f"read-back:{pending.note_id.hex}",
                         NotificationKind.HANDOFF_TO_ACKNOWLEDGE, pending.case_id, pending.case_key,
                         headline, pending.subject, pending.created_at)
        )  # fmt: skip
    return states


def _deadlines(session: Session, me: uuid.UUID, now: datetime) -> list[Notification]:
    """Promises and SLA due times on my open cases that fall due within a warning threshold
    (SLA time counted in the team's business hours; promises in the customer's clock time).
    Already missed ones are not told: the queue shows them as breached."""
    widest = DEADLINE_WARNINGS[0]
    states: list[Notification] = []
    promises = session.execute(
        select(Commitment.id, Commitment.promise, Commitment.due_at, Case.id, Case.number)
        .join(Case, Case.id == Commitment.case_id)
        .where(Case.assignee_id == me, Case.status.in_(_OPEN), Commitment.fulfilled_at.is_(None),
               Commitment.due_at > now, Commitment.due_at <= now + widest)
    ).all()  # fmt: skip
    for commitment_id, promise, promised_at, case_id, number in promises:
        key = format_case_key(number)
        item = f"promise:{commitment_id.hex}:{promised_at.isoformat()}"
        states.append(_warning(item, promised_at - now, f"{key}: promise due", case_id, key,
                               promise, promised_at))  # fmt: skip
    cases = session.execute(
        select(Case.id, Case.number, Case.subject, Case.team_id, Case.first_responded_at,
               Case.first_response_due, Case.next_response_due, Case.resolution_due)
        .where(Case.assignee_id == me, Case.status.in_(_TICKING),
               or_(Case.first_response_due > now, Case.next_response_due > now,
                   Case.resolution_due > now))
    ).all()  # fmt: skip
    if not cases:
        return states
    calendars = read_clock(session).calendars
    for case_id, number, subject, team_id, responded, first, following, resolution in cases:
        key = format_case_key(number)
        dues = (("first response", None if responded else first),
                ("next response", following), ("resolution", resolution))  # fmt: skip
        ahead = [(due, label) for label, due in dues if due is not None and due > now]
        if not ahead:
            continue
        due, label = min(ahead)  # one warning per case: the SLA due first
        left = _business_left(now, due, calendars.get(team_id))
        if left > widest:
            continue
        item = f"sla:{case_id.hex}:{label}:{due.isoformat()}"
        states.append(_warning(item, left, f"{key}: {label} due", case_id, key, subject, due))
    return states


def _business_left(now: datetime, due: datetime, calendar: BusinessCalendar | None) -> timedelta:
    if calendar is None:  # a team whose hours do not parse counts wall-clock time
        return due - now
    try:
        return business_time_between(now, due, calendar)
    except (ValueError, KeyError):  # an unknown time zone: wall-clock time, never hidden
        return due - now


def _warning(item: str, left: timedelta, headline: str, case_id: uuid.UUID, case_key: str,
             detail: str, due: datetime) -> Notification:  # fmt: skip
    """The warning of the tightest threshold crossed (its key names the threshold): an item
    first seen 3 minutes before its due time is told once, not once per threshold."""
    tightest = min(t for t in DEADLINE_WARNINGS if left <= t)
    return Notification(f"{item}:{int(tightest.total_seconds() // 60)}",
                        NotificationKind.DEADLINE_AT_RISK, case_id, case_key,
                        f"{headline} {_due_in(left)}", detail, due)  # fmt: skip


def _due_in(left: timedelta) -> str:
    if left <= timedelta(0):  # due after closing time: missed unless someone acts tonight
        return "outside working hours"
    if left < timedelta(minutes=1):
        return "in under a minute"
    return f"in {math.ceil(left.total_seconds() / 60)} min"

"""Looking back at handoffs: what changed on a case since its last note, and how good a team's
handoffs are (DESIGN.md §5, issue 7).

Quality figures, per person and for the team:
- notes written: handoff notes they authored (addenda are corrections, not handoffs);
- clean at first submit: read from the audit event the handoff service records for each note
  (``first_submit_clean``, or a non-empty ``warnings_accepted``); notes without that record are
  left out of the share rather than guessed;
- time to acknowledge: from the note to its first acceptance, the median over accepted notes;
- cases reopened after a handoff: cases they handed on whose reopen count is above zero;
- handoffs per case: on the cases they handed on, how many handoff notes each case has had
  in all (a case bounced between people scores high).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskapp.db.models import AuditEvent, Case, HandoffAck, HandoffNote, Interaction, Team, User
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import AckKind, CaseStatus, Role
from deskapp.domain.errors import NotFound, PermissionDenied
from deskapp.services.audit import case_chain
from deskapp.services.handoff_waiting import server_now
from deskapp.services.handoffs import HANDED_OFF
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace

ActionState = Literal["overdue", "upcoming", "undated"]


@dataclass(frozen=True)
class ActionDue:
    """A next action of the last note. Whether it was done cannot be known from the record yet;
    its due time says whether it is late."""

    action: str
    owner: str
    due: datetime | None
    state: ActionState


@dataclass(frozen=True)
class ChangeSummary:
    note_id: uuid.UUID
    case_id: uuid.UUID
    case_key: str
    handed_over_at: datetime
    since: timedelta  # by the server's clock
    status_then: CaseStatus
    status_now: CaseStatus
    new_interactions: int
    last_interaction_at: datetime | None
    next_actions: tuple[ActionDue, ...]

    @property
    def status_changed(self) -> bool:
        return self.status_then is not self.status_now

    @property
    def overdue_actions(self) -> tuple[ActionDue, ...]:
        return tuple(a for a in self.next_actions if a.state == "overdue")


@dataclass(frozen=True)
class RepQuality:
    user_id: uuid.UUID | None  # None on the team total row
    name: str
    notes_written: int
    notes_with_lint_record: int  # the notes the clean share is computed over
    clean_first_submit_share: float | None  # None: nothing known yet
    acknowledged: int
    median_time_to_acknowledge: timedelta | None
    cases_reopened_after_handoff: int
    handoffs_per_case: float | None

    @property
    def is_team_total(self) -> bool:
        return self.user_id is None


def changes_since_last_handoff(ws: Workspace, case_id: uuid.UUID) -> ChangeSummary | None:
    """What happened on the case since its current handoff note; None if it never changed hands."""
    with read_session(ws) as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound("That case does not exist (any more).")
        note = _last_note(session, case)
        if note is None:
            return None
        now = server_now(session)
        after = Interaction.occurred_at > note.created_at
        count, last_at = session.execute(
            select(func.count(Interaction.id), func.max(Interaction.occurred_at)).where(
                Interaction.case_id == case.id, after
            )
        ).one()
        status_then = _status_at(session, case, note)
        return ChangeSummary(
            note.id, case.id, format_case_key(case.number), note.created_at,
            now - note.created_at, status_then, case.status, int(count or 0), last_at,
            tuple(_action(raw, now) for raw in note.next_actions or []),
        )  # fmt: skip


def quality_figures(ws: Workspace, actor: Actor, team_id: uuid.UUID) -> list[RepQuality]:
    """One row per member of the team (a rep sees only their own), then the team total."""
    with read_session(ws) as session:
        team = session.get(Team, team_id)
        if team is None:
            raise NotFound("That team does not exist (any more).")
        _require_may_see(actor, team)
        members = session.scalars(
            select(User).where(User.team_id == team_id).order_by(User.display_name, User.login)
        ).all()
        notes = _team_notes(session, team_id)
        facts = _NoteFacts.load(session, team_id)
    by_author: dict[uuid.UUID, list[NoteRow]] = defaultdict(list)
    for note in notes:
        by_author[note[1]].append(note)
    rows = [
        _figures(m.id, m.display_name, by_author[m.id], facts)
        for m in members
        if (m.active or by_author[m.id]) and (actor.role is not Role.REP or m.id == actor.user_id)
    ]
    if actor.role is not Role.REP:
        rows.append(_figures(None, f"{team.name} (team total)", notes, facts))
    return rows


# ----------------------------------------------------------------------------- changes since
def _last_note(session: Session, case: Case) -> HandoffNote | None:
    if case.current_handoff_id is not None:
        return session.get(HandoffNote, case.current_handoff_id)
    return session.scalar(
        select(HandoffNote)
        .where(HandoffNote.case_id == case.id, HandoffNote.addendum_to_id.is_(None))
        .order_by(HandoffNote.created_at.desc(), HandoffNote.id.desc())
        .limit(1)
    )


def _status_at(session: Session, case: Case, note: HandoffNote) -> CaseStatus:
    """The status when the note was written: the "from" of the first status change after it
    (the handoff's own event excluded), or today's status if it has not changed since."""
    events = session.execute(
        select(AuditEvent.id, AuditEvent.detail)
        .where(AuditEvent.chain == case_chain(case.id), AuditEvent.occurred_at > note.created_at)
        .order_by(AuditEvent.seq)
    ).all()
    for event_id, detail in events:
        if event_id == note.id or (detail or {}).get("note_id") in (note.id.hex, str(note.id)):
            continue
        change = (detail or {}).get("status")
        if isinstance(change, dict) and change.get("from") in CaseStatus._value2member_map_:
            return CaseStatus(change["from"])
    return case.status


def _action(raw: dict[str, Any], now: datetime) -> ActionDue:
    due: datetime | None
    try:
        due = datetime.fromisoformat(str(raw.get("due")))
    except ValueError:
        due = None
    if due is not None and due.tzinfo is None:
        due = None  # a due time without a zone cannot be placed; the lint never lets one in
    state: ActionState = "undated" if due is None else "overdue" if due < now else "upcoming"
    return ActionDue(str(raw.get("action", "")), str(raw.get("owner", "")), due, state)


# ----------------------------------------------------------------------------- quality
NoteRow = tuple[uuid.UUID, uuid.UUID, uuid.UUID, datetime]  # note, author, case, created


def _require_may_see(actor: Actor, team: Team) -> None:
    if actor.role is Role.ADMIN or actor.team_id == team.id:
        return
    raise PermissionDenied(
        f"Handoff figures of {team.name} are for its members and lead. Ask an admin if you "
        "need them."
    )


def _team_notes(session: Session, team_id: uuid.UUID) -> list[NoteRow]:
    rows = session.execute(
        select(HandoffNote.id, HandoffNote.author_id, HandoffNote.case_id, HandoffNote.created_at)
        .join(User, User.id == HandoffNote.author_id)
        .where(User.team_id == team_id, HandoffNote.addendum_to_id.is_(None))
    ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


@dataclass(frozen=True)
class _NoteFacts:
    first_accepted: dict[uuid.UUID, datetime]
    clean: dict[uuid.UUID, bool]  # only notes whose handoff event says
    reopened: set[uuid.UUID]  # case ids
    notes_per_case: dict[uuid.UUID, int]

    @classmethod
    def load(cls, session: Session, team_id: uuid.UUID) -> _NoteFacts:
        team_notes = (
            select(HandoffNote.id)
            .join(User, User.id == HandoffNote.author_id)
            .where(User.team_id == team_id, HandoffNote.addendum_to_id.is_(None))
        )
        team_cases = (
            select(HandoffNote.case_id)
            .join(User, User.id == HandoffNote.author_id)
            .where(User.team_id == team_id)
        )
        accepted = session.execute(
            select(HandoffAck.note_id, func.min(HandoffAck.created_at))
            .where(HandoffAck.kind == AckKind.ACCEPTED, HandoffAck.note_id.in_(team_notes))
            .group_by(HandoffAck.note_id)
        ).all()
        events = session.execute(
            select(AuditEvent.id, AuditEvent.detail).where(
                AuditEvent.case_id.in_(team_cases), AuditEvent.action == HANDED_OFF
            )
        ).all()
        reopened = session.scalars(
            select(Case.id).where(Case.id.in_(team_cases), Case.reopen_count > 0)
        ).all()
        per_case = session.execute(
            select(HandoffNote.case_id, func.count(HandoffNote.id))
            .where(HandoffNote.case_id.in_(team_cases), HandoffNote.addendum_to_id.is_(None))
            .group_by(HandoffNote.case_id)
        ).all()
        return cls(
            {note_id: at for note_id, at in accepted},
            _clean_by_note(events),
            set(reopened),
            {case_id: int(n) for case_id, n in per_case},
        )


def _clean_by_note(events: Sequence[Any]) -> dict[uuid.UUID, bool]:
    """Read the handoff service's lint record: the event's id is the note's id (its request
    id), or the detail names the note."""
    clean: dict[uuid.UUID, bool] = {}
    for event_id, detail in events:
        detail = detail or {}
        first_clean = detail.get("first_submit_clean")
        accepted = detail.get("warnings_accepted")
        if isinstance(first_clean, bool):
            verdict = first_clean
        elif isinstance(accepted, list) and accepted:
            verdict = False  # warnings were there at submit, so it was not clean
        else:
            continue
        try:
            note_id = uuid.UUID(str(detail["note_id"])) if "note_id" in detail else event_id
        except ValueError:
            continue
        clean[note_id] = verdict
    return clean


def _figures(
    user_id: uuid.UUID | None, name: str, notes: list[NoteRow], facts: _NoteFacts
) -> RepQuality:
    verdicts = [facts.clean[n[0]] for n in notes if n[0] in facts.clean]
    waits = [facts.first_accepted[n[0]] - n[3] for n in notes if n[0] in facts.first_accepted]
    cases = {n[2] for n in notes}
    return RepQuality(
        user_id,
        name,
        len(notes),
        len(verdicts),
        sum(verdicts) / len(verdicts) if verdicts else None,
        len(waits),
        _median(waits),
        len(cases & facts.reopened),
        sum(facts.notes_per_case.get(c, 0) for c in cases) / len(cases) if cases else None,
    )


def _median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2

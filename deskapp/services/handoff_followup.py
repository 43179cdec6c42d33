"""After a note is handed over: the receiver's read-back or question, the author's answer, and
corrections (DESIGN.md §5).

A submitted note never changes. An answer or a correction is a new note (an addendum pointing
at the original) with the original's case, from and to, so it can never stand in for a change
of owner. Every write records an audit event on the case's chain in the same transaction; its
id is the request id, so a write retried after a lost reply applies once.

The waiting lists and the figures live beside this module (handoff_waiting, handoff_figures)
and are importable from here, as the handoff API names them.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskapp.db.models import Case, HandoffAck, HandoffNote, User
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import AckKind, Role
from deskapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from deskapp.services import audit
from deskapp.services.handoff_figures import (
    ActionDue,
    ChangeSummary,
    RepQuality,
    changes_since_last_handoff,
    quality_figures,
)
from deskapp.services.handoff_waiting import (
    CommitmentDue,
    PendingHandoff,
    commitments_due,
    open_questions,
    questions_for,
    to_acknowledge,
    unacknowledged_sent,
)
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import already_applied, write_session
from deskapp.services.workspace import Workspace

__all__ = [
    "ActionDue",
    "ChangeSummary",
    "CommitmentDue",
    "PendingHandoff",
    "RepQuality",
    "acknowledge",
    "acknowledge_all",
    "add_addendum",
    "answer_question",
    "ask_question",
    "changes_since_last_handoff",
    "commitments_due",
    "quality_figures",
    "questions_for",
    "to_acknowledge",
    "unacknowledged_sent",
]

READ_BACK_LIMIT = 300
TEXT_LIMIT = 4000


def acknowledge(
    ws: Workspace,
    actor: Actor,
    note_id: uuid.UUID,
    read_back: str = "",
    *,
    request_id: uuid.UUID | None = None,
) -> None:
    """Accept a note, optionally with a one-line read-back. Accepting twice changes nothing."""
    read_back = _one_line(read_back)
    request_id = request_id or uuid.uuid4()
    with write_session(ws) as session:
        if already_applied(session, request_id):
            return
        note, case = _note_and_case(session, note_id)
        _accept(session, actor, note, case, read_back, request_id)


def acknowledge_all(ws: Workspace, actor: Actor, note_ids: list[uuid.UUID]) -> int:
    """Accept several notes at once (say, the unbriefed cases of a rep who is out): all or none.
    Returns how many were newly accepted."""
    accepted = 0
    with write_session(ws) as session:
        notes = [_note_and_case(session, note_id) for note_id in dict.fromkeys(note_ids)]
        for note, case in notes:
            accepted += _accept(session, actor, note, case, "", uuid.uuid4())
    return accepted


def ask_question(
    ws: Workspace,
    actor: Actor,
    note_id: uuid.UUID,
    question: str,
    *,
    request_id: uuid.UUID | None = None,
) -> None:
    """The receiver asks the author; the note stays unaccepted until they are satisfied."""
    question = _text(question, "Write the question you want the author to answer.")
    request_id = request_id or uuid.uuid4()
    with write_session(ws) as session:
        if already_applied(session, request_id):
            return
        note, case = _note_and_case(session, note_id)
        _require_receiver(actor, note, case, "ask about")
        session.add(
            HandoffAck(note_id=note.id, user_id=actor.user_id, kind=AckKind.QUESTION, text=question)
        )
        session.flush()
        audit.record_event(
            session, actor, "handoff.question_asked", event_id=request_id, case_id=case.id,
            detail={"note_id": note.id.hex},
        )  # fmt: skip


def answer_question(
    ws: Workspace,
    actor: Actor,
    note_id: uuid.UUID,
    answer: str,
    *,
    request_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Answer the open question on a note, as an addendum. The author answers; when the author
    is no longer active, their team lead (or an admin) answers for them. Returns the addendum's
    id (the request id)."""
    answer = _text(answer, "Write the answer for the colleague who asked.")
    request_id = request_id or uuid.uuid4()
    with write_session(ws) as session:
        if already_applied(session, request_id):
            return request_id
        note, case = _note_and_case(session, note_id)
        author = session.get(User, note.author_id)
        assert author is not None  # a foreign key keeps authors
        if not _may_answer_for(actor, author):
            raise PermissionDenied(
                f"Only {author.display_name}, who wrote this note, can answer questions on it"
                " (or their team lead once they are away)."
            )
        acks = session.scalars(select(HandoffAck).where(HandoffAck.note_id == note.id)).all()
        if note.id not in open_questions(acks):
            raise InvalidInput(
                f"There is no open question on the note for {format_case_key(case.number)}. "
                "To correct or add to the note, add an addendum instead."
            )
        _add_addendum_row(session, actor, note, request_id, answer, "Answer to a question on")
        session.add(HandoffAck(note_id=note.id, user_id=actor.user_id, kind=AckKind.ANSWER,
                               text=answer))  # fmt: skip
        session.flush()
        audit.record_event(
            session, actor, "handoff.question_answered", event_id=request_id, case_id=case.id,
            detail={"note_id": note.id.hex, "addendum_id": request_id.hex},
        )  # fmt: skip
    return request_id


def add_addendum(
    ws: Workspace,
    actor: Actor,
    note_id: uuid.UUID,
    text: str,
    *,
    request_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Correct or complete a note without editing it: the author adds an addendum."""
    text = _text(text, "Write the correction or addition for the next owner.")
    request_id = request_id or uuid.uuid4()
    with write_session(ws) as session:
        if already_applied(session, request_id):
            return request_id
        note, case = _note_and_case(session, note_id)
        if actor.user_id != note.author_id:
            raise PermissionDenied(
                "Only the author of a handoff note can add to it. Log what you know as an "
                "interaction on the case, or hand the case on with a note of your own."
            )
        _add_addendum_row(session, actor, note, request_id, text, "Addendum to")
        audit.record_event(
            session, actor, "handoff.addendum_added", event_id=request_id, case_id=case.id,
            detail={"note_id": note.id.hex, "addendum_id": request_id.hex},
        )  # fmt: skip
    return request_id


# ----------------------------------------------------------------------------- internals
def _note_and_case(session: Session, note_id: uuid.UUID) -> tuple[HandoffNote, Case]:
    """The note (an addendum's id stands for the note it belongs to) and its case, locked so
    two read-backs of the same note queue instead of both counting."""
    note = session.get(HandoffNote, note_id)
    if note is not None and note.addendum_to_id is not None:
        note = session.get(HandoffNote, note.addendum_to_id)
    if note is None:
        raise NotFound("That handoff note does not exist. Refresh the list and try again.")
    case = session.scalar(select(Case).where(Case.id == note.case_id).with_for_update())
    assert case is not None  # a foreign key keeps the case
    return note, case


def _accept(
    session: Session,
    actor: Actor,
    note: HandoffNote,
    case: Case,
    read_back: str,
    request_id: uuid.UUID,
) -> bool:
    _require_receiver(actor, note, case, "acknowledge")
    already = session.scalar(
        select(HandoffAck.id).where(
            HandoffAck.note_id == note.id, HandoffAck.kind == AckKind.ACCEPTED
        )
    )
    if already is not None:
        return False
    session.add(HandoffAck(note_id=note.id, user_id=actor.user_id, kind=AckKind.ACCEPTED,
                           text=read_back))  # fmt: skip
    session.flush()
    audit.record_event(
        session, actor, "handoff.acknowledged", event_id=request_id, case_id=case.id,
        detail={"note_id": note.id.hex, "read_back": bool(read_back)},
    )  # fmt: skip
    return True


def _require_receiver(actor: Actor, note: HandoffNote, case: Case, doing: str) -> None:
    """The person the note was written for; for a note to the team's queue, whoever owns the
    case now or any member of that team."""
    me = actor.user_id
    if me is not None and (
        note.to_user_id == me
        or (
            note.to_user_id is None and (case.assignee_id == me or actor.team_id == note.to_team_id)
        )
    ):
        return
    raise PermissionDenied(
        f"The handoff note on {format_case_key(case.number)} was written for someone else; only "
        f"its receiver can {doing} it."
    )


def _may_answer_for(actor: Actor, author: User) -> bool:
    if actor.user_id == author.id:
        return True
    if author.active:
        return False
    return actor.role is Role.ADMIN or (
        actor.role is Role.LEAD and actor.team_id is not None and actor.team_id == author.team_id
    )


def _add_addendum_row(
    session: Session,
    actor: Actor,
    note: HandoffNote,
    addendum_id: uuid.UUID,
    text: str,
    heading: str,
) -> None:
    """A new note with the original's case, from and to: it explains, it never moves a case."""
    session.add(
        HandoffNote(
            id=addendum_id,
            case_id=note.case_id,
            kind=note.kind,
            author_id=actor.user_id,
            from_user_id=note.from_user_id,
            to_user_id=note.to_user_id,
            from_team_id=note.from_team_id,
            to_team_id=note.to_team_id,
            risk=note.risk,
            summary=text,
            done=f"{heading} the handoff note of {note.created_at:%Y-%m-%d %H:%M} UTC",
            next_actions=[],
            commitments=[],
            no_commitments=note.no_commitments,
            contingencies="",
            mood=note.mood,
            contact_preference=note.contact_preference,
            template_version=note.template_version,
            addendum_to_id=note.id,
        )
    )
    session.flush()


def _one_line(read_back: str) -> str:
    line = " ".join(read_back.split())
    if len(line) > READ_BACK_LIMIT:
        raise InvalidInput(
            f"A read-back is one line of at most {READ_BACK_LIMIT} characters (this one has "
            f"{len(line)}). Shorten it, or ask a question if something is unclear."
        )
    return line


def _text(value: str, when_empty: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(when_empty)
    if len(value) > TEXT_LIMIT:
        raise InvalidInput(
            f"Keep it under {TEXT_LIMIT} characters (this has {len(value)}): the next owner "
            "needs the point, not the whole story."
        )
    return value

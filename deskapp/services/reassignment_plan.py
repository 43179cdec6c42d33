"""A lead's reassignment, planned before anything moves (issue 8, DESIGN.md §5).

The plan says, for each case of a selection, where it comes from and where it is proposed to go,
and which note to start from: the owner's draft (the row the owner's lead may read), else the
owner's latest note on that case, else nothing. A start that lint would still block is not a note
the next owner can act on, so the plan marks that case as one for an *unbriefed* handoff unless
the lead writes a note. Cases that cannot move (closed, another team's, already with the chosen
person) are listed apart with the reason, never silently dropped.

"Rep is out" plans all of one person's open cases at once, to the team queue or spread over
named colleagues, round-robin or to whoever holds the fewest open cases. Every proposal is only
a proposal: the lead changes any row before anything moves (services/reassignment.py moves).
The batched reads a plan is made from are in services/reassignment_reads.py.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskapp.db.models import Case, Customer, User
from deskapp.db.models.cases import OPEN_STATUSES
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import Role
from deskapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from deskapp.domain.handoff import NoteContent
from deskapp.domain.handoff_lint import blocks, lint
from deskapp.domain.handoff_template import HandoffTemplate
from deskapp.services.handoff_templates import team_template
from deskapp.services.handoff_waiting import server_now
from deskapp.services.permissions import require_role
from deskapp.services.reassignment_reads import (
    chunks,
    current_notes,
    open_counts,
    owner_drafts,
    owner_notes,
)
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace

MAX_CASES = 500  # per plan: a selection larger than this is a mistake, not a plan


class PrefillSource(StrEnum):
    DRAFT = "draft"  # the owner's unsent draft for this case
    OWNER_NOTE = "owner_note"  # the owner's latest note on this case
    NONE = "none"  # nothing written: a note from the lead, or an unbriefed handoff


class Spread(StrEnum):
    """How "Rep is out" shares the cases among named colleagues."""

    ROUND_ROBIN = "round_robin"  # in turn, in the order the lead named them
    BY_LOAD = "by_load"  # each case to whoever then holds the fewest open cases


@dataclass(frozen=True)
class Receiver:
    """Someone a case may go to, with how many open cases they hold now."""

    user_id: uuid.UUID
    display_name: str
    team_id: uuid.UUID | None
    role: Role
    open_cases: int


@dataclass(frozen=True)
class PlannedMove:
    case_id: uuid.UUID
    key: str
    subject: str
    customer_name: str
    customer_time_zone: str | None  # due times in a note are entered in the customer's time
    team_id: uuid.UUID
    from_user_id: uuid.UUID | None  # None: the case sits in the team queue
    from_name: str | None
    to_user_id: uuid.UUID | None  # the proposal; None: the team queue
    expected_version: int  # the version previewed: a case changed since is reported, not moved
    prefill: NoteContent
    prefill_source: PrefillSource
    previous: NoteContent | None  # the case's current note (lint spots a copy of it)
    needs_unbriefed: bool  # the prefill blocks: write a note, or hand over unbriefed


@dataclass(frozen=True)
class SkippedCase:
    case_id: uuid.UUID
    key: str | None  # None: the case does not exist (any more)
    reason: str


@dataclass(frozen=True)
class ReassignPlan:
    moves: tuple[PlannedMove, ...]
    skipped: tuple[SkippedCase, ...]
    receivers: tuple[Receiver, ...]  # active people the cases may go to, by name
    templates: dict[uuid.UUID, HandoffTemplate]  # each case team's handoff template
    planned_at: datetime  # the server's clock
    # "Rep is out" plans the MAX_CASES most urgent cases; how many more wait for another run.
    left_for_later: int = 0

    def template_for(self, team_id: uuid.UUID) -> HandoffTemplate:
        return self.templates[team_id]

    def receivers_for(self, team_id: uuid.UUID) -> tuple[Receiver, ...]:
        """Who may receive a case of ``team_id`` (its members; admins belong everywhere)."""
        return tuple(r for r in self.receivers if r.team_id == team_id or r.role is Role.ADMIN)


# --------------------------------------------------------------------------- planning
def plan_reassignment(
    ws: Workspace,
    actor: Actor,
    case_ids: Sequence[uuid.UUID],
    to_user_id: uuid.UUID | None = None,
) -> ReassignPlan:
    """Preview moving ``case_ids`` (in that order) to ``to_user_id`` (None: the team queue)."""
    _require_lead(actor, "reassign cases")
    wanted = list(dict.fromkeys(case_ids))
    if not wanted:
        raise InvalidInput("Select the cases to reassign first (Ctrl+click adds a case).")
    if len(wanted) > MAX_CASES:
        raise InvalidInput(
            f"{len(wanted):,} cases are selected; reassign at most {MAX_CASES} at a time."
        )
    with read_session(ws) as session:
        receiver = _receiver(session, to_user_id) if to_user_id is not None else None
        return _plan(session, actor, wanted, lambda _case: to_user_id, receiver)


def plan_absence(
    ws: Workspace,
    actor: Actor,
    rep_id: uuid.UUID,
    *,
    receivers: Sequence[uuid.UUID] = (),
    spread: Spread = Spread.BY_LOAD,
) -> ReassignPlan:
    """Every open case of ``rep_id``, most urgent first, proposed for the team queue (no
    ``receivers``) or shared among the named colleagues by ``spread``."""
    _require_lead(actor, "move an absent colleague's cases")
    with read_session(ws) as session:
        absent = session.get(User, rep_id)
        if absent is None:
            raise NotFound("That person does not exist (any more). Refresh and choose again.")
        if actor.role is not Role.ADMIN and absent.team_id != actor.team_id:
            raise PermissionDenied(
                f"{absent.display_name} is not in your team: their own lead moves their cases."
            )
        case_ids = list(
            session.scalars(
                select(Case.id)
                .where(Case.assignee_id == rep_id, Case.status.in_(OPEN_STATUSES))
                .order_by(Case.resolution_due.is_(None), Case.resolution_due, Case.number)
                .limit(MAX_CASES + 1)
            )
        )
        left_for_later = 0
        if len(case_ids) > MAX_CASES:
            all_open = session.scalar(
                select(func.count())
                .select_from(Case)
                .where(Case.assignee_id == rep_id, Case.status.in_(OPEN_STATUSES))
            )
            case_ids, left_for_later = case_ids[:MAX_CASES], (all_open or 0) - MAX_CASES
        named = list(dict.fromkeys(receivers))
        if rep_id in named:
            raise InvalidInput(
                f"{absent.display_name} is the one who is out: choose colleagues to take over."
            )
        chosen = [_receiver(session, user_id) for user_id in named]
        for person in chosen:
            if person.team_id != absent.team_id and person.role is not Role.ADMIN:
                raise InvalidInput(
                    f"{person.display_name} is not in {absent.display_name}'s team: choose "
                    "colleagues from that team, or the team queue."
                )
        loads = open_counts(session, [p.user_id for p in chosen])
        chosen = [_with_load(p, loads) for p in chosen]
        proposal = spread_cases(case_ids, chosen, spread)
        plan = _plan(session, actor, case_ids, proposal.get, None)
        return dataclasses.replace(plan, left_for_later=left_for_later)


def spread_cases(
    case_ids: Sequence[uuid.UUID], receivers: Sequence[Receiver], spread: Spread
) -> dict[uuid.UUID, uuid.UUID]:
    """Which receiver each case goes to. Round-robin takes the receivers in turn; by load,
    each case goes to whoever holds the fewest open cases counting those already given
    (ties: the order the lead named them). No receivers: nobody (the team queue)."""
    if not receivers:
        return {}
    if spread is Spread.ROUND_ROBIN:
        return {
            case_id: receivers[i % len(receivers)].user_id for i, case_id in enumerate(case_ids)
        }
    held = [r.open_cases for r in receivers]
    given: dict[uuid.UUID, uuid.UUID] = {}
    for case_id in case_ids:
        lightest = min(range(len(receivers)), key=lambda i: (held[i], i))
        given[case_id] = receivers[lightest].user_id
        held[lightest] += 1
    return given


# --------------------------------------------------------------------------- internals
def _require_lead(actor: Actor, doing: str) -> None:
    require_role(actor, Role.LEAD, doing)
    if actor.user_id is None:
        raise PermissionDenied("The setup account writes no handoff notes: sign in as a person.")


def _receiver(session: Session, user_id: uuid.UUID) -> Receiver:
    person = session.get(User, user_id)
    if person is None or not person.active:
        raise InvalidInput(
            "That person is not an active Deskapp user (any more): choose someone else, or "
            "the team queue."
        )
    return Receiver(person.id, person.display_name, person.team_id, person.role, 0)


def _with_load(person: Receiver, loads: dict[uuid.UUID, int]) -> Receiver:
    return Receiver(
        person.user_id,
        person.display_name,
        person.team_id,
        person.role,
        loads.get(person.user_id, 0),
    )


def _plan(
    session: Session,
    actor: Actor,
    case_ids: list[uuid.UUID],
    proposed_for: Callable[[uuid.UUID], uuid.UUID | None],
    receiver: Receiver | None,
) -> ReassignPlan:
    rows = {
        case.id: (case, customer_name, zone, owner_name)
        for chunk in chunks(case_ids)
        for case, customer_name, zone, owner_name in session.execute(
            select(Case, Customer.name, Customer.time_zone, User.display_name)
            .join(Customer, Customer.id == Case.customer_id)
            .outerjoin(User, User.id == Case.assignee_id)
            .where(Case.id.in_(chunk))
        ).all()
    }
    cases = [rows[case_id][0] for case_id in case_ids if case_id in rows]
    drafts = owner_drafts(session, cases)
    own_notes = owner_notes(session, cases)
    previous = current_notes(session, cases)
    templates = {team_id: team_template(session, team_id) for team_id in {c.team_id for c in cases}}
    now = server_now(session)
    moves: list[PlannedMove] = []
    skipped: list[SkippedCase] = []
    for case_id in case_ids:
        if case_id not in rows:
            skipped.append(SkippedCase(case_id, None, "This case does not exist (any more)."))
            continue
        case, customer_name, zone, owner_name = rows[case_id]
        to_user_id = proposed_for(case_id)
        why_not = _why_not_movable(actor, case, to_user_id, receiver)
        if why_not is not None:
            skipped.append(SkippedCase(case.id, format_case_key(case.number), why_not))
            continue
        if case.id in drafts:
            prefill, source = drafts[case.id], PrefillSource.DRAFT
        elif case.id in own_notes:
            prefill, source = own_notes[case.id], PrefillSource.OWNER_NOTE
        else:
            prefill, source = NoteContent(), PrefillSource.NONE
        template = templates[case.team_id]
        before = previous.get(case.id)
        moves.append(
            PlannedMove(
                case_id=case.id,
                key=format_case_key(case.number),
                subject=case.subject,
                customer_name=customer_name,
                customer_time_zone=zone,
                team_id=case.team_id,
                from_user_id=case.assignee_id,
                from_name=owner_name,
                to_user_id=to_user_id,
                expected_version=case.version,
                prefill=prefill,
                prefill_source=source,
                previous=before,
                needs_unbriefed=blocks(lint(prefill, now=now, previous=before, template=template)),
            )
        )
    teams = {move.team_id for move in moves}
    return ReassignPlan(
        tuple(moves), tuple(skipped), _receivers(session, actor, teams), templates, now
    )


def _why_not_movable(
    actor: Actor, case: Case, to_user_id: uuid.UUID | None, receiver: Receiver | None
) -> str | None:
    key = format_case_key(case.number)
    if not case.status.is_open:
        return f"{key} is {case.status.value}: there is nothing to move."
    if actor.role is not Role.ADMIN and case.team_id != actor.team_id:
        return f"{key} is in another team: its own lead moves it."
    if to_user_id is not None and case.assignee_id == to_user_id:
        name = receiver.display_name if receiver else "that person"
        return f"{key} is already {name}'s."
    if (
        receiver is not None
        and receiver.team_id != case.team_id
        and receiver.role is not Role.ADMIN
    ):
        return f"{receiver.display_name} is not in the team of {key}: transfer it first."
    return None


def _receivers(session: Session, actor: Actor, teams: set[uuid.UUID]) -> tuple[Receiver, ...]:
    query = select(User).where(User.active.is_(True))
    if actor.role is Role.ADMIN:
        query = query.where(User.team_id.in_(teams) | (User.role == Role.ADMIN))
    else:
        query = query.where(User.team_id == actor.team_id)
    people = list(session.scalars(query))
    loads = open_counts(session, [p.id for p in people])
    return tuple(
        sorted(
            (Receiver(p.id, p.display_name, p.team_id, p.role, loads.get(p.id, 0)) for p in people),
            key=lambda r: (r.display_name.casefold(), r.user_id),
        )
    )

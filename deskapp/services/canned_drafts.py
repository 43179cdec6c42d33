"""The rules of the canned-response library and its writes inside a caller's transaction,
shared by the editor's calls (canned_library.py, the API), suggestions and the importer.

Rights (the same on PostgreSQL in the database itself, migration 0003): a rep writes their own
personal responses; a lead also their team's; an admin also the global ones and any team's.
Every change is audited on the response's own chain (``canned:<id>``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from deskapp.db.models import CannedResponse, CannedSuggestion
from deskapp.domain.canned_validation import (
    Problem,
    SuggestionStatus,
    category_value,
    check_response,
    clean_shortcut,
    clean_tags,
)
from deskapp.domain.enums import CannedScope, Role
from deskapp.domain.errors import InvalidInput, NotFound, PermissionDenied, StaleEdit
from deskapp.services import audit
from deskapp.services.canned import CannedInfo
from deskapp.services.records import Actor

SCOPE_WORDS = {
    CannedScope.PERSONAL: "your own",
    CannedScope.TEAM: "a team's",
    CannedScope.GLOBAL: "global",
}


@dataclass(frozen=True)
class CannedDraft:
    scope: CannedScope
    title: str
    shortcut: str | None
    category: str  # a value or a label (domain/canned_validation.CATEGORIES)
    tags: tuple[str, ...]
    body: str
    team_id: uuid.UUID | None = None  # a team response's team; default: the writer's own

    def cleaned(self) -> CannedDraft:
        return CannedDraft(
            self.scope,
            self.title.strip(),
            clean_shortcut(self.shortcut),
            category_value(self.category) or self.category.strip(),
            clean_tags(self.tags),
            self.body.replace("\r\n", "\n").replace("\r", "\n"),  # one kind of line break
            self.team_id,
        )


class CannedInvalid(InvalidInput):
    def __init__(self, problems: tuple[Problem, ...] | list[Problem]) -> None:
        self.problems = tuple(problems)
        listed = "\n".join(f"• {p.message}" for p in self.problems)
        super().__init__(f"This response cannot be saved yet:\n{listed}")


@dataclass(frozen=True)
class SuggestionInfo:
    id: uuid.UUID
    response_id: uuid.UUID
    response_title: str  # as the response is titled now
    response_version: int  # the version the suggestion was written against
    author_id: uuid.UUID
    author_name: str
    draft: CannedDraft
    reason: str
    status: SuggestionStatus
    created_at: datetime
    decided_by: uuid.UUID | None
    decided_at: datetime | None
    comment: str
    version: int


# ------------------------------------------------------------------------ rights
def editable_scopes(actor: Actor) -> frozenset[CannedScope]:
    scopes = {CannedScope.PERSONAL} if actor.user_id is not None else set()
    if actor.role.rank >= Role.LEAD.rank:
        scopes.add(CannedScope.TEAM)
    if actor.role is Role.ADMIN:
        scopes.add(CannedScope.GLOBAL)
    return frozenset(scopes)


def may_write(
    actor: Actor, scope: CannedScope, owner_id: uuid.UUID | None, team_id: uuid.UUID | None
) -> bool:
    """May ``actor`` write a response in this place? (Migration 0003 says the same in SQL.)"""
    if scope is CannedScope.PERSONAL:
        return actor.user_id is not None and owner_id == actor.user_id
    if scope is CannedScope.TEAM:
        return actor.role is Role.ADMIN or (actor.role is Role.LEAD and team_id == actor.team_id)
    return actor.role is Role.ADMIN


def can_edit(actor: Actor, response: CannedInfo) -> bool:
    return may_write(actor, response.scope, response.owner_id, response.team_id)


def can_see(actor: Actor, response: CannedInfo) -> bool:
    if response.scope is CannedScope.PERSONAL:
        return actor.user_id is not None and response.owner_id == actor.user_id
    if response.scope is CannedScope.TEAM:
        return actor.role is Role.ADMIN or response.team_id == actor.team_id
    return True


def info(row: CannedResponse) -> CannedInfo:
    return CannedInfo(
        row.id,
        CannedScope(row.scope),
        row.title,
        row.shortcut,
        row.category,
        tuple(row.tags or ()),
        row.body,
        row.owner_id,
        row.team_id,
        row.version,
    )


# ------------------------------------------------------------------------ writing
def insert_response(
    session: Session, actor: Actor, draft: CannedDraft, response_id: uuid.UUID
) -> CannedInfo:
    """Check and insert in the caller's transaction (the importer's one transaction too)."""
    draft = draft.cleaned()
    owner_id, team_id = _place(session, actor, draft, None)
    row = CannedResponse(
        id=response_id,
        scope=draft.scope,
        owner_id=owner_id,
        team_id=team_id,
        title=draft.title,
        shortcut=draft.shortcut,
        category=draft.category,
        tags=list(draft.tags),
        body=draft.body,
        active=True,
    )
    session.add(row)
    session.flush()
    record(session, actor, row, "canned.created")
    return info(row)


def apply_draft(
    session: Session, actor: Actor, row: CannedResponse, draft: CannedDraft, action: str
) -> CannedInfo:
    """Check ``draft`` and write it over ``row`` (already checked editable and current)."""
    draft = draft.cleaned()
    owner_id, team_id = _place(session, actor, draft, row)
    row.scope, row.owner_id, row.team_id = draft.scope, owner_id, team_id
    row.title, row.shortcut, row.category = draft.title, draft.shortcut, draft.category
    row.tags, row.body, row.active = list(draft.tags), draft.body, True
    flush_versioned(row)
    record(session, actor, row, action)
    return info(row)


def editable_row(
    session: Session, actor: Actor, response_id: uuid.UUID, expected_version: int
) -> CannedResponse:
    row = session.get(CannedResponse, response_id, with_for_update=True)
    if row is None:
        raise NotFound("That canned response does not exist (any more).")
    if not can_edit(actor, info(row)):
        raise PermissionDenied(_not_yours(row))
    if row.version != expected_version:
        raise StaleEdit(
            f"“{row.title}” was changed by someone else after you opened it (it is now at "
            f"version {row.version}). Your text is kept: look at their change, then save again."
        )
    return row


@dataclass(frozen=True)
class Placement:
    """Where a draft would go, and what stands in the way (nothing: it may be written)."""

    owner_id: uuid.UUID | None
    team_id: uuid.UUID | None
    problems: tuple[Problem, ...]
    denied: str | None  # why this person may not write there, if they may not


def placement(
    session: Session, actor: Actor, draft: CannedDraft, current: CannedResponse | None
) -> Placement:
    """Check a cleaned draft, the writer's right to its place, and that nobody who would see
    it has another response with its shortcut. ``current``: the response it would replace."""
    owner_id = team_id = None
    problems = list(
        check_response(draft.title, draft.shortcut, draft.category, draft.tags, draft.body)
    )
    if draft.scope is CannedScope.PERSONAL:
        owner_id = actor.user_id
        if owner_id is None:
            text = "The setup account has no personal responses: choose team or global."
            problems.append(Problem("scope", text))
    elif draft.scope is CannedScope.TEAM:
        kept = current.team_id if current is not None and current.scope == draft.scope else None
        team_id = draft.team_id or kept or actor.team_id
        if team_id is None:
            problems.append(Problem("scope", "Choose the team this response is for."))
    if not (owner_id or team_id or draft.scope is CannedScope.GLOBAL):
        return Placement(owner_id, team_id, tuple(problems), None)
    if not may_write(actor, draft.scope, owner_id, team_id):
        return Placement(owner_id, team_id, tuple(problems), _no_right(draft.scope))
    if draft.shortcut and (
        clash := _shortcut_clash(session, actor, draft.shortcut, draft.scope, team_id, current)
    ):
        text = (
            f"/{draft.shortcut} is already the shortcut of “{clash.title}” "
            f"({SCOPE_WORDS[clash.scope]}), which the same people see: choose another."
        )
        problems.append(Problem("shortcut", text))
    return Placement(owner_id, team_id, tuple(problems), None)


def _place(
    session: Session, actor: Actor, draft: CannedDraft, current: CannedResponse | None
) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    found = placement(session, actor, draft, current)
    if found.denied:
        raise PermissionDenied(found.denied)
    if found.problems:
        raise CannedInvalid(found.problems)
    return found.owner_id, found.team_id


def _shortcut_clash(
    session: Session,
    actor: Actor,
    shortcut: str,
    scope: CannedScope,
    team_id: uuid.UUID | None,
    current: CannedResponse | None,
) -> CannedResponse | None:
    """An active response with this shortcut that the audience of the new one already sees."""
    r = CannedResponse
    spaces = [r.scope == CannedScope.GLOBAL]
    if scope is CannedScope.GLOBAL:
        spaces.append(r.scope == CannedScope.TEAM)  # every team sees a global response
    elif scope is CannedScope.TEAM:
        spaces.append(and_(r.scope == CannedScope.TEAM, r.team_id == team_id))
    else:
        spaces.append(and_(r.scope == CannedScope.TEAM, r.team_id == actor.team_id))
        spaces.append(and_(r.scope == CannedScope.PERSONAL, r.owner_id == actor.user_id))
    query = select(r).where(or_(*spaces), r.active.is_(True), func.lower(r.shortcut) == shortcut)
    if current is not None:
        query = query.where(r.id != current.id)
    return session.scalars(query.order_by(r.title).limit(1)).first()


def flush_versioned(row: CannedResponse | CannedSuggestion) -> None:
    session = Session.object_session(row)
    assert session is not None
    try:
        session.flush()
    except StaleDataError as exc:  # the version moved between our read and our write
        raise StaleEdit(
            "Someone else saved this at the same moment. Your text is kept: "
            "look at their change, then save again."
        ) from exc


def record(session: Session, actor: Actor, row: CannedResponse, action: str) -> None:
    audit.record_event(
        session,
        actor,
        action,
        chain=f"canned:{row.id.hex}",
        detail={
            "response": row.id.hex,
            "title": row.title,
            "scope": row.scope.value,
            "version": row.version,
        },
    )


def _not_yours(row: CannedResponse) -> str:
    if row.scope is CannedScope.PERSONAL:
        return f"“{row.title}” is someone's personal response; only they can change it."
    who = "its team's lead or an admin" if row.scope is CannedScope.TEAM else "an admin"
    return f"Only {who} can change “{row.title}”. Suggest your edit instead."


def _no_right(scope: CannedScope) -> str:
    if scope is CannedScope.GLOBAL:
        return "Only an admin can write global responses; write a personal one, or suggest it."
    if scope is CannedScope.TEAM:
        return (
            "Only the team's lead or an admin can write team responses; write a personal "
            "one instead."
        )
    return "A personal response belongs to the person who writes it."

"""Who is at work and who is looking at which case, from heartbeat rows (DESIGN.md §6).

A running client calls ``heartbeat`` every ``HEARTBEAT_EVERY`` (and at once when the rep opens
another case or starts or stops typing): one transaction that keeps its person's ``sign_ins``
row fresh and leaves exactly one ``presence`` row, for the case on screen, or none. A row whose
heartbeat is older than ``STALE_AFTER`` belongs to a client that closed without saying so,
crashed or lost the network, and counts as gone; ``sign_out`` removes the rows at once when the
window closes. Every time is the database server's, never a workstation's.

Reads stay cheap without an index of their own: ``presence`` holds at most a row per person at
work (a client deletes its old row when it moves on), and ``sign_ins`` is read by its key.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import case, delete, select
from sqlalchemy.orm import Session

from deskapp.db.models import Presence, SignIn, User
from deskapp.db.types import utcnow
from deskapp.db.upsert import upsert
from deskapp.domain.enums import PresenceState
from deskapp.services.handoff_waiting import server_now
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session, write_session
from deskapp.services.workspace import Workspace

HEARTBEAT_EVERY = timedelta(seconds=10)
# How often a client reads who else is on the cases it shows (gui/presence.py).
LOOK_EVERY = timedelta(seconds=5)
# Two and a half missed heartbeats. A client that crashed right after a beat is shown as gone
# by everyone else's next look: within STALE_AFTER + LOOK_EVERY = 30 s of the crash.
STALE_AFTER = timedelta(seconds=25)
CLIENT_MAX_CHARS = 120  # sign_ins.client
MAX_CASES_ASKED = 500  # a screenful of queue rows is far fewer; more is a caller's mistake


class Present(NamedTuple):
    """Someone else on a case: "Dana Scully", editing."""

    display_name: str
    state: PresenceState


@dataclass(frozen=True)
class SignedIn:
    """A person whose client is running now, on which computer, since when (server time)."""

    user_id: uuid.UUID
    client: str
    signed_in_at: datetime


def heartbeat(
    ws: Workspace, actor: Actor, client: str, viewing: uuid.UUID | None, editing: bool
) -> None:
    """This person's client is running, shows ``viewing`` (None: no case) and the person is
    typing in it (``editing``) or just looking. Safe to repeat and to retry."""
    user_id = actor.user_id
    if user_id is None:  # the setup account is nobody a colleague would look for
        return
    client = " ".join(client.split())[:CLIENT_MAX_CHARS] or "Deskapp"
    with write_session(ws) as session:
        _beat_sign_in(session, user_id, client)
        moved_on = delete(Presence).where(Presence.user_id == user_id)
        if viewing is not None:
            moved_on = moved_on.where(Presence.case_id != viewing)
        session.execute(moved_on)
        if viewing is not None:
            state = PresenceState.EDITING if editing else PresenceState.VIEWING
            upsert(
                session, Presence.__table__,  # type: ignore[arg-type]
                {"user_id": user_id, "case_id": viewing, "state": state, "heartbeat_at": utcnow()},
                key=("user_id", "case_id"),
                update=(("state", state), ("heartbeat_at", utcnow())),
            )  # fmt: skip


def _beat_sign_in(session: Session, user_id: uuid.UUID, client: str) -> None:
    table = SignIn.__table__
    # A row gone stale is an earlier session that ended without signing out (a crash, a
    # laptop closed overnight): signed in since now, not since then.
    since = case(
        (SignIn.heartbeat_at < server_now(session) - STALE_AFTER, utcnow()),
        else_=SignIn.signed_in_at,
    )
    upsert(
        session, table,  # type: ignore[arg-type]
        {"user_id": user_id, "client": client, "signed_in_at": utcnow(), "heartbeat_at": utcnow()},
        key=("user_id",),
        # signed_in_at reads heartbeat_at, so it is assigned first (db/upsert.py).
        update=(("signed_in_at", since), ("client", client), ("heartbeat_at", utcnow())),
    )  # fmt: skip


def sign_out(ws: Workspace, actor: Actor, client: str | None = None) -> None:
    """The window closes: nobody sees this person on a case any more, and the team board no
    longer counts them at work. ``client``: only if that client still holds the sign-in (the
    same person signed in on another computer meanwhile keeps theirs)."""
    user_id = actor.user_id
    if user_id is None:
        return
    with write_session(ws) as session:
        session.execute(delete(Presence).where(Presence.user_id == user_id))
        leaving = delete(SignIn).where(SignIn.user_id == user_id)
        if client is not None:
            leaving = leaving.where(SignIn.client == " ".join(client.split())[:CLIENT_MAX_CHARS])
        session.execute(leaving)


def who_is_on(
    ws: Workspace, actor: Actor, case_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, tuple[Present, ...]]:
    """Everyone else whose client shows one of ``case_ids`` now: {case id: people, those
    editing first}. Cases nobody else is on are left out; stale rows and ``actor`` too."""
    wanted = list(dict.fromkeys(case_ids))[:MAX_CASES_ASKED]
    if not wanted:
        return {}
    with read_session(ws) as session:
        fresh_since = server_now(session) - STALE_AFTER
        query = (
            select(Presence.case_id, User.display_name, Presence.state)
            .join(User, User.id == Presence.user_id)
            .where(Presence.case_id.in_(wanted), Presence.heartbeat_at >= fresh_since)
        )
        if actor.user_id is not None:
            query = query.where(Presence.user_id != actor.user_id)
        rows = session.execute(query).all()
    found: dict[uuid.UUID, list[Present]] = {}
    for case_id, name, state in rows:
        found.setdefault(case_id, []).append(Present(name, state))
    editing_first = {PresenceState.EDITING: 0, PresenceState.VIEWING: 1}
    return {
        case_id: tuple(sorted(people, key=lambda p: (editing_first[p.state], p.display_name)))
        for case_id, people in found.items()
    }


def signed_in(ws: Workspace, user_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, SignedIn]:
    """Which of ``user_ids`` have a client running now (a fresh heartbeat), by user id."""
    wanted = list(dict.fromkeys(user_ids))
    if not wanted:
        return {}
    with read_session(ws) as session:
        fresh_since = server_now(session) - STALE_AFTER
        rows = session.execute(
            select(SignIn.user_id, SignIn.client, SignIn.signed_in_at).where(
                SignIn.user_id.in_(wanted), SignIn.heartbeat_at >= fresh_since
            )
        ).all()
    return {row.user_id: SignedIn(row.user_id, row.client, row.signed_in_at) for row in rows}

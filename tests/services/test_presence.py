"""Presence from heartbeat rows (DESIGN.md §6): who else is on a case, viewing or editing,
gone within 30 s of leaving or crashing; and who has Deskapp open, for the team board.

A crash is simulated by ageing the heartbeat with plain SQL, never by sleeping 30 s."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import bindparam, text

from deskapp.db.types import Guid, UtcDateTime
from deskapp.domain.enums import PresenceState
from deskapp.services import presence
from deskapp.services.presence import LOOK_EVERY, STALE_AFTER, Present
from deskapp.services.unit_of_work import write_session
from deskapp.services.workspace import Workspace
from tests.services.handoff_helpers import db_now, new_case

ALL_DIALECTS = pytest.mark.dialects("sqlite", "postgresql", "mariadb")
VIEWING, EDITING = PresenceState.VIEWING, PresenceState.EDITING


def _age(ws: Workspace, table: str, user_id: uuid.UUID, by: timedelta) -> None:
    """As if ``user_id``'s client stopped beating ``by`` ago (a crash, a pulled cable)."""
    statement = text(f"UPDATE {table} SET heartbeat_at = :at WHERE user_id = :user").bindparams(
        bindparam("at", type_=UtcDateTime()), bindparam("user", type_=Guid())
    )
    with write_session(ws) as session:
        session.execute(statement, {"at": db_now(ws) - by, "user": user_id})


@ALL_DIALECTS
def test_a_colleague_sees_who_is_viewing_and_who_is_editing(db):
    ws, rae = db.sign_in("rep")
    lead_ws, lee = db.sign_in("lead")
    ray_ws, ray = db.sign_in("rep2")
    case, quiet = new_case(ws, rae), new_case(ws, rae, "Nobody looks at this one")
    presence.heartbeat(ws, rae, "DESK-7 · Deskapp", case.id, editing=True)
    presence.heartbeat(ray_ws, ray, "DESK-9 · Deskapp", case.id, editing=False)
    assert presence.who_is_on(lead_ws, lee, [case.id, quiet.id]) == {
        case.id: (Present("Rae Rep", EDITING), Present("Ray Rep", VIEWING))
    }
    # Nobody is told about themself.
    assert presence.who_is_on(ws, rae, [case.id]) == {case.id: (Present("Ray Rep", VIEWING),)}
    assert presence.who_is_on(ws, rae, []) == {}


@ALL_DIALECTS
def test_each_beat_keeps_one_row_for_the_case_on_screen(db):
    ws, rae = db.sign_in("rep")
    lead_ws, lee = db.sign_in("lead")
    first, second = new_case(ws, rae), new_case(ws, rae, "The second call")
    presence.heartbeat(ws, rae, "DESK-7", first.id, editing=False)
    presence.heartbeat(ws, rae, "DESK-7", first.id, editing=True)  # started typing
    assert presence.who_is_on(lead_ws, lee, [first.id]) == {
        first.id: (Present("Rae Rep", EDITING),)
    }
    presence.heartbeat(ws, rae, "DESK-7", second.id, editing=False)  # moved on
    assert presence.who_is_on(lead_ws, lee, [first.id, second.id]) == {
        second.id: (Present("Rae Rep", VIEWING),)
    }
    presence.heartbeat(ws, rae, "DESK-7", None, editing=False)  # no case open: still at work
    assert presence.who_is_on(lead_ws, lee, [first.id, second.id]) == {}
    assert set(presence.signed_in(lead_ws, [rae.user_id, lee.user_id])) == {rae.user_id}


@ALL_DIALECTS
def test_a_client_that_stops_beating_is_gone_after_the_timeout(db):
    ws, rae = db.sign_in("rep")
    lead_ws, lee = db.sign_in("lead")
    case = new_case(ws, rae)
    presence.heartbeat(ws, rae, "DESK-7", case.id, editing=True)
    # Just inside the timeout a late beat is forgiven...
    _age(ws, "presence", rae.user_id, STALE_AFTER - timedelta(seconds=3))
    _age(ws, "sign_ins", rae.user_id, STALE_AFTER - timedelta(seconds=3))
    assert case.id in presence.who_is_on(lead_ws, lee, [case.id])
    assert rae.user_id in presence.signed_in(lead_ws, [rae.user_id])
    # ...past it the client crashed or lost the network: nobody sees Rae any more.
    _age(ws, "presence", rae.user_id, STALE_AFTER + timedelta(seconds=1))
    _age(ws, "sign_ins", rae.user_id, STALE_AFTER + timedelta(seconds=1))
    assert presence.who_is_on(lead_ws, lee, [case.id]) == {}
    assert presence.signed_in(lead_ws, [rae.user_id]) == {}
    # The promise to the people looking: gone within 30 s of the last beat, whenever they look.
    assert timedelta(seconds=30) >= STALE_AFTER + LOOK_EVERY


@ALL_DIALECTS
def test_signing_out_removes_the_rows_at_once(db):
    ws, rae = db.sign_in("rep")
    lead_ws, lee = db.sign_in("lead")
    case = new_case(ws, rae)
    presence.heartbeat(ws, rae, "DESK-7", case.id, editing=False)
    presence.heartbeat(lead_ws, lee, "DESK-1", case.id, editing=False)
    presence.sign_out(ws, rae, "DESK-7")
    assert presence.who_is_on(lead_ws, lee, [case.id]) == {}
    assert set(presence.signed_in(lead_ws, [rae.user_id, lee.user_id])) == {lee.user_id}
    # Lee is still there for Rae's next start.
    assert presence.who_is_on(ws, rae, [case.id]) == {case.id: (Present("Lee Lead", VIEWING),)}


@ALL_DIALECTS
def test_signed_in_says_since_when_and_where(db):
    ws, rae = db.sign_in("rep")
    lead_ws, _lee = db.sign_in("lead")
    presence.heartbeat(ws, rae, "  DESK-7   · Deskapp 1.0 ", None, editing=False)
    first = presence.signed_in(lead_ws, [rae.user_id])[rae.user_id]
    assert first.client == "DESK-7 · Deskapp 1.0"
    presence.heartbeat(ws, rae, "DESK-7 · Deskapp 1.0", None, editing=False)
    again = presence.signed_in(lead_ws, [rae.user_id])[rae.user_id]
    assert again.signed_in_at == first.signed_in_at  # a beat is not a new sign-in
    # Rae's laptop slept for an hour: when it beats again, Rae is at work since then.
    _age(ws, "sign_ins", rae.user_id, timedelta(hours=1))
    presence.heartbeat(ws, rae, "DESK-7 · Deskapp 1.0", None, editing=False)
    woke = presence.signed_in(lead_ws, [rae.user_id])[rae.user_id]
    assert woke.signed_in_at > first.signed_in_at
    assert db_now(ws) - woke.signed_in_at < timedelta(minutes=1)


@ALL_DIALECTS
def test_signing_out_elsewhere_leaves_the_newer_computer_signed_in(db):
    ws, rae = db.sign_in("rep")
    lead_ws, _lee = db.sign_in("lead")
    presence.heartbeat(ws, rae, "DESK-7", None, editing=False)
    presence.heartbeat(ws, rae, "LAPTOP-2", None, editing=False)  # the same person, elsewhere
    presence.sign_out(ws, rae, "DESK-7")  # the old desk closes later
    assert presence.signed_in(lead_ws, [rae.user_id])[rae.user_id].client == "LAPTOP-2"

"""Presence in real windows: a colleague on the case shows in the case header ("Lee Lead is
editing") and on the queue row (an icon, a tooltip, spoken text), and goes away when they leave,
sign out or crash; my own window tells the others what I am doing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import bindparam, text

from deskapp.db.types import Guid, UtcDateTime
from deskapp.domain.enums import PresenceState
from deskapp.services import presence
from deskapp.services.presence import STALE_AFTER, Present
from deskapp.services.unit_of_work import write_session
from tests.gui.case_view_helpers import customer_with_case, wait_for_case
from tests.gui.two_clients import Client, clients
from tests.services.handoff_helpers import db_now

_R = Qt.ItemDataRole


@pytest.fixture
def make(db, qtbot, tmp_path, runner):
    yield from clients(db, qtbot, tmp_path, runner)


def _look(qtbot, client: Client) -> None:
    with qtbot.waitSignal(client.window.presence.looked, timeout=10_000):
        client.window.presence.look_now()


def _key_cell(client: Client, case_id):
    model = client.window.desk.queue_pane.model
    position = model.row_of(case_id)
    assert position is not None
    return model, model.index(position, 0)


def _header(client: Client) -> str:
    label = client.window.desk.case_pane.presence
    return label.text() if label.isVisibleTo(client.window) else ""


def test_a_colleague_opening_my_case_shows_in_my_header_and_queue_row(db, qtbot, make):
    ws, rae = db.sign_in("rep")
    case = customer_with_case(ws, rae)
    mine = make("rep")
    wait_for_case(qtbot, mine.window, case.id)
    _look(qtbot, mine)
    assert _header(mine) == ""  # only me
    lead = make("lead")  # Lee, at another workstation, opens the same case
    with qtbot.waitSignal(lead.window.presence.beaten, timeout=10_000):
        lead.window.desk.open_case(case.id)
    assert lead.window.presence.viewing == case.id
    _look(qtbot, mine)
    assert _header(mine) == "● Lee Lead is viewing"
    model, key = _key_cell(mine, case.id)
    assert model.data(key, _R.ToolTipRole) == "Lee Lead is viewing this case"
    assert model.data(key, _R.DecorationRole) is not None
    assert model.data(key, _R.AccessibleTextRole) == f"{case.key}, Lee Lead is viewing"
    # And Lee sees me on it, in Lee's own header.
    _look(qtbot, lead)
    assert _header(lead) == "● Rae Rep is viewing"
    # Lee closes Deskapp: gone from my header and my queue at my next look.
    with qtbot.waitSignal(lead.runner.became_idle, timeout=10_000):
        lead.window.close()
    _look(qtbot, mine)
    assert _header(mine) == ""
    assert model.data(key, _R.ToolTipRole) is None
    assert model.data(key, _R.DecorationRole) is None
    assert mine.problems == [] and lead.problems == []


def test_my_window_tells_the_others_viewing_editing_and_gone(db, qtbot, make):
    ws, rae = db.sign_in("rep")
    case = customer_with_case(ws, rae)
    lead_ws, lee = db.sign_in("lead")
    mine = make("rep")
    wait_for_case(qtbot, mine.window, case.id)
    qtbot.waitUntil(lambda: presence.who_is_on(lead_ws, lee, [case.id]) != {}, timeout=10_000)
    assert presence.who_is_on(lead_ws, lee, [case.id]) == {
        case.id: (Present("Rae Rep", PresenceState.VIEWING),)
    }

    # Typing a reply is editing; the others know within a moment, not at the next beat.
    def rae_seen_as(state: PresenceState) -> bool:
        return presence.who_is_on(lead_ws, lee, [case.id]) == {
            case.id: (Present("Rae Rep", state),)
        }

    composer = mine.window.desk.case_pane.composer.editor
    QTest.keyClicks(composer, "We refunded it today")
    assert mine.window.presence.editing
    # Well before the next regular beat (10 s).
    qtbot.waitUntil(lambda: rae_seen_as(PresenceState.EDITING), timeout=3_000)
    # The reply is gone (sent or cleared) and the keyboard is elsewhere: looking again.
    mine.window.desk.queue_pane.table.setFocus()
    composer.clear()
    qtbot.waitUntil(lambda: rae_seen_as(PresenceState.VIEWING), timeout=3_000)
    assert rae.user_id in presence.signed_in(lead_ws, [rae.user_id])
    # Closing the window signs out at once.
    mine.window.close()
    mine.idle()
    assert presence.who_is_on(lead_ws, lee, [case.id]) == {}
    assert presence.signed_in(lead_ws, [rae.user_id]) == {}


def test_a_colleague_who_crashed_disappears_after_the_timeout(db, qtbot, make):
    ws, rae = db.sign_in("rep")
    case = customer_with_case(ws, rae)
    lead_ws, lee = db.sign_in("lead")
    mine = make("rep")
    wait_for_case(qtbot, mine.window, case.id)
    presence.heartbeat(lead_ws, lee, "DESK-1", case.id, editing=True)
    _look(qtbot, mine)
    assert _header(mine) == "● Lee Lead is editing"
    label = mine.window.desk.case_pane.presence
    assert label.textFormat() == Qt.TextFormat.PlainText
    # Lee's computer lost power right after that beat: no sign-out, the rows only age.
    aged = text("UPDATE presence SET heartbeat_at = :at WHERE user_id = :user").bindparams(
        bindparam("at", type_=UtcDateTime()), bindparam("user", type_=Guid())
    )
    with write_session(lead_ws) as session:
        session.execute(aged, {"at": db_now(ws) - STALE_AFTER - timedelta(seconds=1),
                               "user": lee.user_id})  # fmt: skip
    _look(qtbot, mine)
    assert _header(mine) == ""
    model, key = _key_cell(mine, case.id)
    assert model.data(key, _R.ToolTipRole) is None

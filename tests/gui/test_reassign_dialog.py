"""A lead reassigns cases and covers for a rep who is out, in real dialogs over a real workspace:
the preview, notes pre-filled from the owner's draft or last note and linted, the reason asked
once, a case changed meanwhile reported (and moved on the second try), the rep-is-out flow
end to end, and the receiver accepting the unbriefed handoffs in one go."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence

from deskapp.domain.enums import Priority
from deskapp.domain.handoff import NoteContent
from deskapp.gui.handoff.banner import HandoffBanner
from deskapp.gui.handoff.receiving import HandoffInbox
from deskapp.gui.handoff.to_acknowledge import ToAcknowledgeList
from deskapp.gui.main_window import MainWindow
from deskapp.gui.reassign.absence_dialog import RepIsOutDialog
from deskapp.gui.reassign.moves_dialog import REPORT_PAGE, WORK_PAGE
from deskapp.gui.reassign.reassign_dialog import ReassignDialog
from deskapp.gui.reassign.rows import RowState
from deskapp.gui.sql_guard import guard_gui_thread
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services import cases, handoff_drafts, handoff_waiting, handoffs
from deskapp.services.queue import QueueView
from deskapp.settings import Settings
from tests.gui.test_accessible_names import _unnamed_controls
from tests.services.handoff_requests import (
    Desk,
    case_row,
    good_note,
    note_row,
    request,
    sign_in_everyone,
)

REASON = "Rae is covering the phones all afternoon"
LONG = " Ines Moreau was charged twice for October and wants the duplicate refunded by the 28th."


@pytest.fixture
def desk(db) -> Desk:
    return sign_in_everyone(db)


@pytest.fixture
def lead_ws(db, desk):
    ws = db.open("lead")
    guard_gui_thread(ws.engine)  # SQL on the GUI thread fails the test
    return ws


def _three_cases(desk: Desk):
    """Rae's cases: one with her draft, one with her own earlier note, one with nothing."""
    drafted, noted, bare = desk.new_case(), desk.new_case(), desk.new_case()
    draft = good_note(desk.rep.ws, summary="Rae's draft: the refund is approved." + LONG)
    handoff_drafts.save_draft(desk.rep.ws, desk.rep.actor, drafted.id, draft)
    mine = good_note(desk.rep.ws, summary="Rae's own note: payments owe a refund." + LONG)
    handoffs.hand_off(desk.rep.ws, desk.rep.actor, request(noted, mine, to=desk.rep2))
    back = good_note(desk.rep2.ws, summary="Ray's note: Ines sent the card's last digits." + LONG)
    version = case_row(desk.rep.ws, noted.id).version
    handoffs.hand_off(
        desk.rep2.ws, desk.rep2.actor, request(noted, back, to=desk.rep, expected_version=version)
    )
    return (drafted, draft), (noted, mine), bare


def _dialog(qtbot, dialog, rows: int):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: len(dialog.moves.rows) == rows, timeout=15_000)
    return dialog


def test_a_lead_reassigns_three_cases_with_prefilled_notes_and_a_conflict_is_reported(
    desk, qtbot, runner, lead_ws
):
    (drafted, draft), (noted, mine), bare = _three_cases(desk)
    dialog = _dialog(
        qtbot,
        ReassignDialog(
            runner, lead_ws, desk.lead.actor, [drafted.id, noted.id, bare.id], desk.rep2.id
        ),
        3,
    )
    moves = dialog.moves
    assert _unnamed_controls(dialog) == [], "every control has a name for screen readers"
    assert dialog.windowTitle() == "Reassign 3 cases"
    shown = [moves.model.index(r, 0).data() for r in range(3)]
    assert shown == [drafted.key, noted.key, bare.key]
    assert moves.model.index(0, 3).data().startswith("Ray Rep"), "to: the rep dropped on"
    assert moves.model.index(0, 4).data() == "Rae's draft"
    assert moves.model.index(1, 4).data() == "Rae's last note"

    # The notes start from the owner's draft, else their own last note, else nothing.
    assert moves.editor_of(drafted.id).content().summary == draft.summary
    assert moves.rows[0].content == draft, "sent as the owner wrote it unless edited"
    assert moves.editor_of(noted.id).content().summary == mine.summary
    assert moves.editor_of(bare.id).content() == NoteContent()
    assert moves.state_of(drafted.id)[0] is RowState.READY
    assert moves.state_of(noted.id)[0] is RowState.READY
    assert moves.state_of(bare.id) == (RowState.NEEDS_NOTE, "Write a note, or go unbriefed")
    assert not dialog.submit_button.isEnabled()
    assert bare.key in dialog.status.text()

    # Linted as the lead types: a card number blocks, and says so under the field.
    editor = moves.editor_of(bare.id)
    editor.set_content(good_note(desk.lead.ws, done="Refunded to card 4111 1111 1111 1111."))
    assert moves.state_of(bare.id) == (RowState.BLOCKED, "1 thing to fix")
    assert editor.findings_labels["done"].text().startswith("Must fix:")
    editor.set_content(good_note(desk.lead.ws))
    assert moves.state_of(bare.id)[0] is RowState.READY
    assert "Say why" in dialog.status.text(), "the reason is asked once, for all"
    moves.reason.setText(REASON)
    assert dialog.submit_button.isEnabled(), dialog.status.text()
    assert dialog.submit_button.text() == "&Reassign 3 cases"

    # Rae changes one case after the preview: it is reported, not overwritten.
    cases.change_case(
        desk.rep.ws,
        desk.rep.actor,
        noted.id,
        cases.CaseChange(
            expected_version=case_row(desk.rep.ws, noted.id).version, priority=Priority.HIGH
        ),
    )
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == REPORT_PAGE, timeout=15_000)
    assert dialog.report is not None
    assert dialog.report_view.headline.text() == (
        "2 cases moved, 1 changed meanwhile (left as they are)."
    )
    changed = dialog.report_view.lists["changed"]
    assert changed.count() == 1 and changed.item(0).text().startswith(noted.key)
    assert dialog.report_view.lists["moved"].count() == 2
    assert case_row(desk.rep.ws, noted.id).assignee_id == desk.rep.id
    for moved in (drafted, bare):
        assert case_row(desk.rep.ws, moved.id).assignee_id == desk.rep2.id
    [moved_bare] = [r for r in dialog.report.moved if r.case_id == bare.id]
    assert handoffs.note_content(note_row(desk.rep.ws, moved_bare.note_id)).summary == (
        good_note(desk.lead.ws).summary
    )

    # Back to the case not moved: its note is kept, its version read again; then it moves.
    assert dialog.back_button.isVisible()
    qtbot.waitUntil(
        lambda: moves.rows[0].move.expected_version == case_row(desk.rep.ws, noted.id).version,
        timeout=15_000,
    )
    dialog.back_button.click()
    assert dialog.pages.currentIndex() == WORK_PAGE
    assert [row.case_id for row in moves.rows] == [noted.id]
    assert "changed by someone else" in moves.case_outcome.text()
    assert moves.editor_of(noted.id).content().summary == mine.summary
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == REPORT_PAGE, timeout=15_000)
    assert dialog.report_view.headline.text() == "1 case moved."
    assert case_row(desk.rep.ws, noted.id).assignee_id == desk.rep2.id
    assert runner.wait_idle()


def test_closing_with_a_written_note_asks_first(desk, qtbot, runner, lead_ws):
    case = desk.new_case()
    asked: list[bool] = []
    dialog = _dialog(
        qtbot,
        ReassignDialog(
            runner,
            lead_ws,
            desk.lead.actor,
            [case.id],
            confirm_discard=lambda _w: asked.append(True) or False,
        ),
        1,
    )
    assert dialog.moves.model.index(0, 3).data().startswith("Choose…")
    dialog.reject()
    assert asked == [] and not dialog.isVisible(), "nothing written: closes at once"
    dialog.show()
    dialog.moves.editor_of(case.id).set_content(good_note(desk.lead.ws))
    dialog.reject()
    assert asked == [True] and dialog.isVisible(), "the lead chose to keep writing"
    assert runner.wait_idle()


def test_rep_is_out_moves_every_open_case_and_the_receiver_accepts_them_at_once(
    desk, qtbot, runner, lead_ws, db
):
    (drafted, draft), (noted, _mine), bare = _three_cases(desk)
    dialog = RepIsOutDialog(runner, lead_ws, desk.lead.actor, desk.rep.id)
    _dialog(qtbot, dialog, 3)
    moves = dialog.moves
    assert _unnamed_controls(dialog) == []
    assert dialog.who.currentText() == "Rae Rep — 3 open"
    assert moves.reason.text() == "Rae Rep is out", "a reason to start from, edited at will"
    assert all(row.to_user_id is None and row.chosen for row in moves.rows), "the team queue"
    unbriefed = {row.case_id: row.unbriefed for row in moves.rows}
    assert unbriefed == {drafted.id: False, noted.id: False, bare.id: True}

    dialog.choose_colleagues([desk.rep2.id])
    qtbot.waitUntil(
        lambda: all(row.to_user_id == desk.rep2.id for row in moves.rows), timeout=15_000
    )
    assert moves.model.index(0, 3).data().startswith("Ray Rep")
    moves.reason.setText("Rae is off sick today")
    assert dialog.submit_button.text() == "&Move 3 cases"
    assert dialog.submit_button.isEnabled(), dialog.status.text()
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == REPORT_PAGE, timeout=15_000)
    assert dialog.report_view.headline.text() == "3 cases moved."
    assert not dialog.back_button.isVisible()
    for case in (drafted, noted, bare):
        assert case_row(desk.rep.ws, case.id).assignee_id == desk.rep2.id
    [bare_note] = [r for r in dialog.report.moved if r.case_id == bare.id]
    assert note_row(desk.rep.ws, bare_note.note_id).unbriefed_reason == "Rae is off sick today"

    # Ray sees the unbriefed one flagged with the reason, and accepts the unbriefed in one go.
    ray_ws = db.open("rep2")
    guard_gui_thread(ray_ws.engine)
    pending_list, banner = ToAcknowledgeList(), HandoffBanner()
    for widget in (pending_list, banner):
        qtbot.addWidget(widget)
    inbox = HandoffInbox(runner, banner, pending_list)
    inbox.start(ray_ws, desk.rep2.actor)
    qtbot.waitUntil(lambda: pending_list.items.count() == 3, timeout=15_000)
    flagged = [pending_list.items.item(i).text() for i in range(3)]
    assert sum("UNBRIEFED (Rae is off sick today)" in text for text in flagged) == 1
    button = pending_list.acknowledge_unbriefed
    assert not button.isHidden() and button.text() == "Acknowledge all unbriefed (1)"
    button.click()
    qtbot.waitUntil(lambda: pending_list.items.count() == 2, timeout=15_000)
    assert button.isHidden(), "the briefed ones still wait for their own read-back"
    left = handoff_waiting.to_acknowledge(desk.rep2.ws, desk.rep2.actor)
    assert {p.case_id for p in left} == {drafted.id, noted.id}
    assert draft.summary in {
        handoffs.note_content(note_row(desk.rep2.ws, p.note_id)).summary for p in left
    }
    inbox.stop()
    assert runner.wait_idle()


@pytest.mark.dialects("sqlite")
def test_the_queue_selects_several_cases_and_reassign_opens_for_them(
    desk, qtbot, runner, db, tmp_path
):
    chosen = [desk.new_case() for _ in range(3)]
    desk.new_case()
    workspaces = WorkspaceController(runner)
    window = MainWindow(
        runner,
        workspaces,
        settings=Settings.load(tmp_path / "settings.json"),
        show_problem=lambda _p, _t: None,
        ask_identity=lambda *_: desk.lead.actor,
    )
    qtbot.addWidget(window)
    action = window.reassign.action_reassign
    assert action.shortcut() == QKeySequence("Ctrl+Shift+R")
    assert not action.isVisible(), "nobody signed in yet"
    with qtbot.waitSignal(workspaces.signed_in, timeout=15_000):
        workspaces.open(db.url)
    assert action.isVisible() and window.reassign.action_rep_out.isVisible()
    pane = window.ui.queuePane
    pane.select_view(QueueView.ALL_OPEN.value)
    qtbot.waitUntil(lambda: pane.model.rowCount() == 4 and pane.model.is_loaded(3), timeout=15_000)

    # One click: that case is in view, as before.
    first = pane.model.row_of(chosen[0].id)
    pane.table.selectRow(first)
    qtbot.waitUntil(
        lambda: (
            window.desk.current_case is not None and window.desk.current_case.id == chosen[0].id
        ),
        timeout=15_000,
    )
    # Ctrl+click two more: three selected, the last one clicked in view.
    selection = pane.table.selectionModel()
    for case in chosen[1:]:
        selection.setCurrentIndex(
            pane.model.index(pane.model.row_of(case.id), 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    assert set(pane.selected_case_ids()) == {c.id for c in chosen}
    qtbot.waitUntil(lambda: window.desk.current_case.id == chosen[2].id, timeout=15_000)
    # A refresh keeps the same three cases selected.
    window.desk.reload_view()
    assert runner.wait_idle()
    qtbot.wait(50)
    assert set(pane.selected_case_ids()) == {c.id for c in chosen}

    assert pane.table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert action in pane.table.actions()
    action.trigger()
    dialog = window.reassign.dialog
    assert isinstance(dialog, ReassignDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: len(dialog.moves.rows) == 3, timeout=15_000)
    assert {row.case_id for row in dialog.moves.rows} == {c.id for c in chosen}
    dialog.reject()
    assert runner.wait_idle()
    workspaces.close()


@pytest.mark.dialects("sqlite")
def test_a_rep_is_offered_neither_reassign_nor_rep_is_out(desk, qtbot, runner, db, tmp_path):
    workspaces = WorkspaceController(runner)
    window = MainWindow(
        runner,
        workspaces,
        settings=Settings.load(tmp_path / "settings.json"),
        show_problem=lambda _p, _t: None,
        ask_identity=lambda *_: desk.rep.actor,
    )
    qtbot.addWidget(window)
    with qtbot.waitSignal(workspaces.signed_in, timeout=15_000):
        workspaces.open(db.url)
    assert not window.reassign.action_reassign.isVisible()
    assert not window.reassign.action_rep_out.isVisible()
    assert window.reassign.open_reassign([desk.new_case().id]) is None
    assert runner.wait_idle()
    workspaces.close()

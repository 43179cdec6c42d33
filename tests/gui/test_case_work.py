"""Working a case in the real main window: logging a contact (card numbers masked, kudos),
the reply composer (canned responses at its caret, Send logs and copies or mails it), and a
new case from a call in a few keystrokes. What the rep logs is on the timeline at once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication

from deskapp.domain.enums import CannedScope, CaseStatus, Channel, Direction
from deskapp.gui.canned_picker import CannedPicker, shared_library
from deskapp.gui.interaction_dialog import InteractionDialog
from deskapp.gui.new_case_dialog import NewCaseDialog
from deskapp.gui.panes.reply_composer import COPY, MAIL
from deskapp.services import customer_lookup, history, interactions
from tests.gui.canned_gui_helpers import write_response
from tests.gui.case_view_helpers import contact, customer_with_case, open_window, wait_for_case

# The main window signs in to a file workspace here; the panes run on PostgreSQL too
# (test_case_header_edits.py, test_customer_history_view.py).
pytestmark = pytest.mark.dialects("sqlite")


@pytest.fixture
def desk(db, qtbot, runner, tmp_path):
    ws, rae = db.sign_in("rep")
    case = customer_with_case(ws, rae)
    contact(ws, rae, case, "My refund bounced twice.")
    opened = open_window(db, qtbot, tmp_path, runner, rae)
    wait_for_case(qtbot, opened.window, case.id)
    yield opened, case, ws, rae
    QGuiApplication.clipboard().clear()
    runner.wait_idle()
    runner.shutdown()
    opened.controller.close()


def test_log_interaction_masks_cards_records_kudos_and_shows_at_once(db, qtbot, runner, desk):
    opened, _case, ws, rae = desk
    work = opened.window.case_work
    assert work.action_log.shortcut() == QKeySequence("Ctrl+L")
    work.action_log.trigger()
    dialog = work.interaction_dialog
    assert isinstance(dialog, InteractionDialog) and dialog.isVisible()
    dialog.channel.setCurrentIndex(dialog.channel.findData(Channel.PHONE))
    assert dialog.minutes.isEnabled()
    dialog.minutes.setValue(7)
    dialog.seconds.setValue(30)
    dialog.text.setFocus()
    qtbot.keyClick(dialog.text, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    picker = dialog.inserter.picker
    assert isinstance(picker, CannedPicker) and picker.isVisible(), "canned responses here too"
    picker.close()
    dialog.text.setPlainText("Thanks to Rae! Card 4111 1111 1111 1111 was charged.")
    qtbot.waitUntil(lambda: dialog.kudos_for.count() > 0, timeout=10_000)
    dialog.kudos.setChecked(True)
    assert dialog.direction.currentData() == Direction.INBOUND
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: work.interaction_dialog is None, timeout=10_000)  # closed
    timeline = opened.window.desk.history_pane.timeline
    top = timeline.item(0).text()  # there at once, before any reload
    assert "Phone in 7m 30s — KUDOS for Rae Rep" in top and "4111 1111 1111 1111" not in top
    [logged] = [k for k in interactions.kudos_received(ws, rae.user_id)]
    assert "1111" in logged.text and "4111 1111 1111 1111" not in logged.text
    assert "masked" in opened.window.statusBar().currentMessage()
    assert runner.wait_idle()
    assert opened.problems == []


def test_a_refused_interaction_keeps_the_text_and_says_why(db, qtbot, runner, desk):
    opened, _case, _ws, _rae = desk
    work = opened.window.case_work
    work.action_log.trigger()
    dialog = work.interaction_dialog
    dialog.text.setPlainText("   ")
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and "Write what was said" in dialog.problem.text()
    dialog.reject()


@pytest.mark.parametrize("how", [COPY, MAIL])
def test_send_logs_the_reply_and_copies_or_mails_it(db, qtbot, runner, desk, how):
    opened, case, ws, _rae = desk
    work = opened.window.case_work
    opened_urls = []
    work.open_url = opened_urls.append
    composer = opened.window.desk.case_pane.composer
    assert composer.isEnabled()
    composer.how.setCurrentIndex(composer.how.findData(how))
    reply = "Hello Margaret,\nthe refund is on its way. <b>not bold</b>"
    composer.editor.setPlainText(reply)
    composer.send.click()
    qtbot.waitUntil(lambda: composer.editor.toPlainText() == "", timeout=10_000)
    first = history.case_detail(ws, case.id).timeline[0]
    assert first.direction is Direction.OUTBOUND and first.text == reply
    assert opened.window.desk.history_pane.timeline.item(0).text().endswith("<b>not bold</b>")
    if how == COPY:
        assert QApplication.clipboard().text() == reply and opened_urls == []
    else:
        [url] = opened_urls
        assert url.scheme() == "mailto" and url.path() == "margaret@example.com"
        query = url.query(url.ComponentFormattingOption.FullyDecoded)
        assert f"[{case.key}]" in query and "the refund is on its way" in query
    assert runner.wait_idle()
    assert opened.problems == []


def test_canned_responses_land_at_the_composers_caret(db, qtbot, runner, tmp_path):
    ws, rae = db.sign_in("rep")
    write_response(db, "rep", CannedScope.PERSONAL, "Refund on its way", "refund",
                   "Hi {{customer.first_name}}, the refund is on its way.")  # fmt: skip
    case = customer_with_case(ws, rae)
    opened = open_window(db, qtbot, tmp_path, runner, rae)
    try:
        wait_for_case(qtbot, opened.window, case.id)
        titles = lambda: {r.title for r in shared_library().responses}  # noqa: E731
        qtbot.waitUntil(lambda: "Refund on its way" in titles(), timeout=10_000)
        composer = opened.window.desk.case_pane.composer
        canned = opened.window.desk.canned_pane
        composer.editor.setPlainText("Dear customer,\n\nBest, Rae")
        opened.window.show()
        opened.window.activateWindow()
        qtbot.waitExposed(opened.window)
        composer.editor.setFocus()
        qtbot.waitUntil(lambda: shared_library().target is composer.inserter, timeout=5_000)
        cursor = composer.editor.textCursor()
        cursor.setPosition(len("Dear customer,\n"))
        composer.editor.setTextCursor(cursor)
        canned.search.setText("Refund on its way")
        assert canned.insert.isEnabled()
        canned.insert.click()  # the panel's Insert writes where the rep was typing
        assert composer.editor.toPlainText() == (
            "Dear customer,\nHi Margaret, the refund is on its way.\nBest, Rae"
        )
        composer.editor.clear()
        composer.editor.setFocus()
        qtbot.keyClick(composer.editor, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
        picker = composer.inserter.picker
        assert isinstance(picker, CannedPicker) and picker.isVisible()
        picker.close()
        qtbot.keyClicks(composer.editor, "/")  # at the start of a line: the picker again
        assert composer.inserter.picker is not picker and composer.inserter.picker.isVisible()
        composer.inserter.picker.close()
    finally:
        runner.wait_idle()
        runner.shutdown()
        opened.controller.close()


def test_a_new_case_from_a_call_in_a_few_keystrokes(db, qtbot, runner, desk):
    opened, case, _ws, _rae = desk
    work = opened.window.case_work
    assert work.action_new_case.shortcut() == QKeySequence("Ctrl+N")
    work.action_new_case.trigger()
    dialog = work.new_case_dialog
    assert isinstance(dialog, NewCaseDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.search, "okafor")
    qtbot.waitUntil(lambda: dialog.results.count() == 2, timeout=10_000)  # her, or new
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.subject.hasFocus() or dialog.focusWidget() is dialog.subject
    qtbot.keyClicks(dialog.subject, "Card declined at the till")
    qtbot.keyClick(dialog.subject, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: work.new_case_dialog is None, timeout=10_000)
    qtbot.waitUntil(lambda: opened.window.desk.current_case.subject == "Card declined at the till",
                    timeout=10_000)  # fmt: skip
    shown = opened.window.desk.current_case
    assert shown.customer.id == case.customer_id and shown.status is CaseStatus.OPEN
    assert shown.channel is Channel.PHONE and shown.assignee == "Rae Rep"
    assert runner.wait_idle()
    assert opened.problems == []


def test_a_caller_nobody_knows_is_created_on_the_spot(db, qtbot, runner, desk):
    opened, _case, ws, _rae = desk
    work = opened.window.case_work
    work.action_new_case.trigger()
    dialog = work.new_case_dialog
    qtbot.keyClicks(dialog.search, "+31 6 1234 5678")
    qtbot.waitUntil(lambda: dialog.results.count() == 1, timeout=10_000)  # only "new"
    assert not dialog.new_box.isHidden() and dialog.new_phone.text() == "+31 6 1234 5678"
    dialog.new_name.setText("Pieter de Vries")
    dialog.subject.setText("Wants to cancel")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: opened.window.desk.current_case.subject == "Wants to cancel",
                    timeout=10_000)  # fmt: skip
    assert opened.window.desk.current_case.customer.name == "Pieter de Vries"
    [match] = customer_lookup.find_customers(ws, "pieter")
    assert match.phone == "+31 6 1234 5678"
    assert opened.problems == []

"""A megabyte pasted where a rep writes to or about a customer (the reply composer, the "Log
interaction" text, a handoff note's fields): the window stays responsive and every character is
kept, a text over the service's limit is refused before anything is sent (the text stays, the
reason shows), and a reply too long for a mail link still reaches the mail app whole, through
the clipboard.

Qt lays out a word-wrapped paragraph without spaces in quadratic time (a megabyte takes
minutes), so what is asserted is that such a paste switches the box to wrap anywhere (linear)
before the text goes in, and back once the text is short again — not a timing, which a shared
machine would make flaky."""

from __future__ import annotations

import time
import uuid

import pytest
from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from deskapp.domain.enums import Channel
from deskapp.gui.handoff.editor import HandoffEditor
from deskapp.gui.handoff.inputs import PlainTextInput
from deskapp.gui.interaction_dialog import InteractionDialog
from deskapp.gui.panes.reply_composer import MAIL, ReplyComposer
from deskapp.gui.panes.text_input import LONG_LINE, LongTextEdit
from deskapp.services import history
from deskapp.services.handoff_templates import default_template
from deskapp.services.interactions import MAX_BODY_BYTES
from tests.gui.case_view_helpers import contact, customer_with_case, open_window, wait_for_case

MEGABYTE_LINE = "0123456789abcdef" * 62_500  # one million characters, not one space
OVER_LIMIT = "A long log line with words in it.\n" * (MAX_BODY_BYTES // 34 + 10)


def _paste(box: LongTextEdit, text: str) -> float:
    """What Ctrl+V or a drop does: the clipboard's text through insertFromMimeData."""
    data = QMimeData()
    data.setText(text)
    started = time.perf_counter()
    box.insertFromMimeData(data)
    QApplication.processEvents()
    box.viewport().repaint()  # laid out and painted, as the rep would see it
    return time.perf_counter() - started


@pytest.fixture
def composer(qtbot):
    widget = ReplyComposer()
    qtbot.addWidget(widget)
    widget.setEnabled(True)
    widget.resize(600, 300)
    widget.show()
    return widget


def test_a_megabyte_line_pasted_into_the_reply_is_kept_whole_and_wrapped_anywhere(composer):
    editor = composer.editor
    editor.setPlainText("Dear Margaret, the log you sent:\n")
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    assert not editor.wraps_anywhere  # a normal reply wraps at words
    took = _paste(editor, MEGABYTE_LINE)
    assert editor.toPlainText() == "Dear Margaret, the log you sent:\n" + MEGABYTE_LINE
    assert editor.wraps_anywhere
    print(f"1 MB line pasted and painted in {took * 1000:.0f} ms")
    # Sent or cleared: the next reply wraps at words again.
    composer.sent()
    assert editor.toPlainText() == "" and not editor.wraps_anywhere


def test_a_megabyte_of_ordinary_lines_keeps_word_wrapping(composer):
    lines = "Line of a pasted email thread, with words.\n" * 24_000  # ~1 MB
    _paste(composer.editor, lines)
    assert composer.editor.toPlainText() == lines
    assert not composer.editor.wraps_anywhere  # no paragraph is long: nothing to avoid


def test_a_reply_over_the_limit_is_refused_before_sending_and_kept(composer, qtbot):
    sent: list[str] = []
    composer.send_requested.connect(lambda text, _how: sent.append(text))
    composer.editor.setPlainText(OVER_LIMIT)
    composer.send.click()
    assert sent == []
    assert composer.problem.isVisible()
    assert "an interaction holds at most 4 MiB" in composer.problem.text()
    assert composer.editor.toPlainText() == OVER_LIMIT  # nothing lost
    composer.editor.setPlainText("Short and sweet.")
    composer.send.click()
    assert sent == ["Short and sweet."] and not composer.problem.isVisible()


def test_the_interaction_dialog_takes_a_megabyte_and_refuses_too_much_up_front(qtbot):
    dialog = InteractionDialog("C-000001", uuid.uuid4(), Channel.EMAIL, placeholder_values=dict)
    qtbot.addWidget(dialog)
    dialog.show()
    submitted: list[object] = []
    dialog.submitted.connect(submitted.append)
    _paste(dialog.text, MEGABYTE_LINE)
    assert dialog.text.toPlainText() == MEGABYTE_LINE and dialog.text.wraps_anywhere
    dialog.text.setPlainText(OVER_LIMIT)
    dialog._submit()  # what "Log it" does
    assert submitted == []
    assert dialog.problem.isVisibleTo(dialog) and "at most 4 MiB" in dialog.problem.text()
    assert dialog.text.toPlainText() == OVER_LIMIT
    dialog.text.setPlainText(MEGABYTE_LINE)
    dialog._submit()
    [new] = submitted
    assert new.body == MEGABYTE_LINE  # type: ignore[attr-defined]


def test_typing_after_a_long_line_pasted_and_deleted_wraps_at_words_again(qtbot):
    box = LongTextEdit()
    qtbot.addWidget(box)
    box.show()
    _paste(box, "y" * (LONG_LINE + 1))
    assert box.wraps_anywhere
    box.selectAll()
    box.textCursor().removeSelectedText()
    box.insertPlainText("Thanks for calling.")
    assert not box.wraps_anywhere


@pytest.mark.dialects("sqlite")
def test_a_megabyte_reply_is_logged_whole_and_mailed_through_the_clipboard(db, qtbot, runner,
                                                                           tmp_path):  # fmt: skip
    ws, rae = db.sign_in("rep")
    case = customer_with_case(ws, rae)
    contact(ws, rae, case, "Please send me the whole log.")
    opened = open_window(db, qtbot, tmp_path, runner, rae)
    wait_for_case(qtbot, opened.window, case.id)
    work = opened.window.case_work
    urls: list = []
    work.open_url = urls.append
    composer = opened.window.desk.case_pane.composer
    composer.how.setCurrentIndex(composer.how.findData(MAIL))
    _paste(composer.editor, MEGABYTE_LINE)
    composer.send.click()
    qtbot.waitUntil(lambda: composer.editor.toPlainText() == "", timeout=20_000)
    assert history.entry_text(ws, history.case_detail(ws, case.id).timeline[0].id) == (
        MEGABYTE_LINE
    )
    [url] = urls  # the mail opens with its subject; the body is on the clipboard
    assert url.scheme() == "mailto" and url.toEncoded().size() < 1_000
    assert QGuiApplication.clipboard().text() == MEGABYTE_LINE
    assert opened.problems == []
    QGuiApplication.clipboard().clear()
    runner.wait_idle()
    runner.shutdown()
    opened.controller.close()


def test_a_megabyte_line_pasted_into_a_handoff_field_is_kept_and_linted(qtbot):
    editor = HandoffEditor(default_template(), customer_zone="Europe/Amsterdam")
    qtbot.addWidget(editor)
    editor.resize(700, 600)
    editor.show()
    key, field = next((k, w) for k, w in editor.inputs.items() if isinstance(w, PlainTextInput))
    took = _paste(field, "Customer's log: " + MEGABYTE_LINE)
    assert field.wraps_anywhere
    editor.lint_now()  # the debounced lint, over the whole megabyte, finishes
    assert getattr(editor.content(), key) == "Customer's log: " + MEGABYTE_LINE
    print(f"1 MB line pasted into the handoff field {key!r} in {took * 1000:.0f} ms")

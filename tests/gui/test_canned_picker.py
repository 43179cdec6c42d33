"""The canned-response picker in the handoff editor's text fields: keys that open it, ranked
choice, placeholders resolved from the case, the unresolved ones asked for, caret at {{cursor}}."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPlainTextEdit

from deskapp.domain.enums import CannedScope
from deskapp.gui.canned_picker import CannedInserter, PlaceholderForm, shared_library
from deskapp.gui.handoff.editor import HandoffEditor
from deskapp.gui.panes.canned_pane import CannedPane
from deskapp.services.canned import CannedInfo
from deskapp.services.handoff_templates import default_template

VALUES = {"customer.first_name": "Ana", "customer.name": "{{agent.first_name}}",
          "case.key": "C-42", "agent.first_name": "Sam"}  # fmt: skip
SORRY = CannedInfo(
    uuid.uuid4(),
    CannedScope.GLOBAL,
    "Sincere apology",
    "sorry",
    "apology",
    ("apology",),
    "Sorry, {{customer.first_name}} — {{cursor}}I own {{case.key}}.",
)
REFUND = CannedInfo(
    uuid.uuid4(),
    CannedScope.GLOBAL,
    "Refund on its way",
    "refund",
    "refunds",
    ("refunds",),
    "Refund of {{refund.amount}} for {{customer.name}}.{{cursor}}",
)


@pytest.fixture
def library() -> Iterator[None]:
    shared_library().set_responses([SORRY, REFUND])
    yield
    shared_library().set_responses([])
    shared_library().set_usage({})


@pytest.fixture
def summary(qtbot, library) -> QPlainTextEdit:
    editor = HandoffEditor(default_template(), customer_zone="Europe/Amsterdam")
    qtbot.addWidget(editor)
    editor.set_placeholder_values(lambda: VALUES)
    editor.show()
    field = editor.inputs["summary"]
    assert isinstance(field, QPlainTextEdit)
    field.setFocus()
    return field


def _inserter(field: QPlainTextEdit) -> CannedInserter:
    inserter = field.findChild(CannedInserter)
    assert inserter is not None, "the handoff editor's text field has no picker"
    return inserter


def _pick(qtbot, field: QPlainTextEdit, query: str) -> None:
    picker = _inserter(field).picker
    assert picker is not None and picker.isVisible()
    qtbot.keyClicks(picker.search, query)
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)


def test_ctrl_space_type_enter_inserts_resolved_text_with_the_caret_at_the_marker(qtbot, summary):
    qtbot.keyClicks(summary, "Called her. ")
    qtbot.keyClick(summary, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    _pick(qtbot, summary, "sory")  # a typo still finds it
    assert summary.toPlainText() == "Called her. Sorry, Ana — I own C-42."
    assert summary.textCursor().position() == len("Called her. Sorry, Ana — ")
    qtbot.keyClicks(summary, "x")  # the rep types on where the marker was
    assert summary.toPlainText() == "Called her. Sorry, Ana — xI own C-42."


def test_arrows_choose_another_response_and_esc_closes_without_inserting(qtbot, summary):
    qtbot.keyClick(summary, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    picker = _inserter(summary).picker
    assert picker is not None
    assert picker.results.count() == 2 and picker.results.currentRow() == 0
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    assert picker.results.currentRow() == 1 and picker.search.hasFocus()
    qtbot.keyClick(picker.search, Qt.Key.Key_Escape)
    assert not picker.isVisible() and summary.toPlainText() == ""


def test_an_unresolved_placeholder_is_asked_for_before_inserting(qtbot, summary, monkeypatch):
    asked: list[list[str]] = []

    def fill_in(form: PlaceholderForm) -> int:
        asked.append(list(form.inputs))
        form.inputs["refund.amount"].setText("€40 {{case.key}}")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PlaceholderForm, "exec", fill_in)
    qtbot.keyClick(summary, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    _pick(qtbot, summary, "refund")
    assert asked == [["refund.amount"]]
    # Answers and the case's values go in literally: no second pass over them.
    assert summary.toPlainText() == "Refund of €40 {{case.key}} for {{agent.first_name}}."
    assert summary.textCursor().position() == len(summary.toPlainText())


def test_cancelling_the_form_inserts_nothing(qtbot, summary, monkeypatch):
    monkeypatch.setattr(PlaceholderForm, "exec", lambda _form: QDialog.DialogCode.Rejected)
    qtbot.keyClicks(summary, "Kept.")
    qtbot.keyClick(summary, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    _pick(qtbot, summary, "refund")
    assert summary.toPlainText() == "Kept."


def test_slash_at_the_start_of_a_line_opens_the_picker_and_is_replaced(qtbot, summary):
    qtbot.keyClicks(summary, "First line.")
    qtbot.keyClick(summary, Qt.Key.Key_Return)
    qtbot.keyClicks(summary, "/")
    assert _inserter(summary).picker is not None
    _pick(qtbot, summary, "sorry")
    assert summary.toPlainText() == "First line.\nSorry, Ana — I own C-42."


def test_slash_in_the_middle_of_a_line_is_just_a_slash(qtbot, summary):
    qtbot.keyClicks(summary, "and/or")
    assert _inserter(summary).picker is None
    assert summary.toPlainText() == "and/or"


def test_the_panel_preview_resolves_the_case_values_in_one_pass(qtbot):
    pane = CannedPane()
    qtbot.addWidget(pane)
    pane.set_responses([REFUND])
    assert pane.preview.toPlainText() == REFUND.body.replace("{{cursor}}", "")
    pane.set_case_values(VALUES)
    # The unknown {{refund.amount}} stays visible; the customer's "{{…}}" name stays literal.
    assert pane.preview.toPlainText() == "Refund of {{refund.amount}} for {{agent.first_name}}."

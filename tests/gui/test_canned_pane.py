"""The canned-response panel: ranked search, browsing by category, a resolved preview, Insert at
the caret of the field the rep was last typing in, Copy with every placeholder filled."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QPlainTextEdit

from deskapp.domain.enums import CannedScope
from deskapp.gui.canned_picker import CannedLibrary, PlaceholderForm, install_canned_picker
from deskapp.gui.panes.canned_pane import CannedPane
from deskapp.services.canned import CannedInfo


def _response(title: str, shortcut: str, category: str, body: str,
              scope: CannedScope = CannedScope.GLOBAL) -> CannedInfo:  # fmt: skip
    return CannedInfo(uuid.uuid4(), scope, title, shortcut, category, (category,), body)


REFUND = _response("Refund issued", "refund", "refunds and chargebacks", "Refunded.")
SORRY = _response(
    "Sincere apology", "sorry", "apology and empathy", "Sorry, {{customer.first_name}}!"
)
LATE = _response("Parcel running late", "late", "shipping", "Your parcel is late; I'm sorry.")
MINE = _response("My sign-off", "bye", "closing", "Speak soon,\n{{agent.first_name}}",
                 CannedScope.PERSONAL)  # fmt: skip


@pytest.fixture
def pane(qtbot) -> CannedPane:
    pane = CannedPane()
    qtbot.addWidget(pane)
    pane.set_responses([REFUND, SORRY, LATE, MINE])
    pane.set_case_values({"customer.first_name": "Ana", "agent.first_name": "Sam"})
    return pane


def _titles(pane: CannedPane) -> list[str]:
    return [pane.model.response(row).title for row in range(pane.model.rowCount())]  # type: ignore[union-attr]


def test_typing_ranks_by_title_shortcut_and_body_words(qtbot, pane):
    assert len(_titles(pane)) == 4
    qtbot.keyClicks(pane.search, "sorr")  # a title prefix
    assert _titles(pane)[0] == "Sincere apology"
    assert pane.preview.toPlainText() == "Sorry, Ana!"  # placeholders of the case in hand
    pane.search.setText("parcel")  # a body and title word
    assert _titles(pane) == ["Parcel running late"]
    pane.search.setText("zzzz qqqq")
    assert _titles(pane) == [] and pane.preview.toPlainText() == ""
    assert not pane.copy.isEnabled()


def test_browsing_a_category_shows_only_its_responses(pane):
    labels = [pane.category.itemText(i) for i in range(pane.category.count())]
    assert labels[0] == "All categories" and "Shipping" in labels and "Closing" in labels
    pane.category.setCurrentIndex(pane.category.findData("shipping"))
    assert _titles(pane) == ["Parcel running late"]
    pane.search.setText("sorry")  # search stays within the category
    assert _titles(pane) == ["Parcel running late"]
    pane.category.setCurrentIndex(0)
    assert "Sincere apology" in _titles(pane)


def test_whose_response_it_is_shows_in_the_list(pane):
    pane.search.setText("bye")
    index = pane.model.index(0, 0)
    assert "· mine" in index.data()
    assert "shortcut /bye" in index.data(Qt.ItemDataRole.AccessibleTextRole)


def test_insert_goes_to_the_caret_of_the_field_last_typed_in(qtbot, pane):
    library = CannedLibrary()
    pane.use_library(library)
    library.set_responses([SORRY, LATE])
    assert not pane.insert.isEnabled()  # nowhere to insert yet
    composer = QPlainTextEdit()
    qtbot.addWidget(composer)
    install_canned_picker(composer, lambda: {"customer.first_name": "Bo"}, library)
    composer.show()
    composer.setPlainText("Hello. ")
    composer.moveCursor(composer.textCursor().MoveOperation.End)
    composer.setFocus()
    qtbot.waitUntil(lambda: pane.insert.isEnabled())
    pane.search.setText("sorry")
    pane.insert.click()
    assert composer.toPlainText() == "Hello. Sorry, Bo!"
    # The rep's own use is counted, so the response rises in their list.
    assert library.rank("")[0].id == SORRY.id


def test_enter_in_the_search_line_inserts_the_top_result(qtbot, pane):
    library = CannedLibrary()
    pane.use_library(library)
    library.set_responses([LATE])
    note = QPlainTextEdit()
    qtbot.addWidget(note)
    install_canned_picker(note, dict, library)
    note.show()
    note.setFocus()
    qtbot.waitUntil(lambda: library.target is not None)
    pane.search.setFocus()
    qtbot.keyClicks(pane.search, "late")
    qtbot.keyClick(pane.search, Qt.Key.Key_Return)
    assert note.toPlainText() == "Your parcel is late; I'm sorry."


def test_copy_fills_placeholders_and_asks_for_the_rest_never_copying_them_raw(qtbot, monkeypatch):
    pane = CannedPane()
    qtbot.addWidget(pane)
    body = "Hi {{customer.first_name}}, your refund of {{refund.amount}} is on its way.{{cursor}}"
    pane.set_responses([_response("Refund", "refund", "refunds and chargebacks", body)])
    pane.set_case_values({"customer.first_name": "Ana"})
    assert pane.preview.toPlainText().startswith("Hi Ana,")
    assert not pane.asks.isHidden(), "the {{…}} left in the preview is explained"
    assert pane.asks.text() == "You will be asked for: Refund amount."
    QGuiApplication.clipboard().setText("before")
    monkeypatch.setattr(PlaceholderForm, "exec", lambda form: QDialog.DialogCode.Rejected.value)
    pane.copy.click()
    assert QGuiApplication.clipboard().text() == "before"  # cancelled: nothing copied

    def answer(form: PlaceholderForm) -> int:
        next(iter(form.inputs.values())).setText("€49.95")
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(PlaceholderForm, "exec", answer)
    pane.copy.click()
    assert QGuiApplication.clipboard().text() == "Hi Ana, your refund of €49.95 is on its way."


def test_a_customer_value_that_looks_like_a_placeholder_stays_literal(pane):
    pane.set_case_values({"customer.first_name": "{{agent.first_name}}", "agent.first_name": "Sam"})
    pane.search.setText("sorry")
    assert pane.preview.toPlainText() == "Sorry, {{agent.first_name}}!"


def test_the_preview_says_nothing_more_when_the_case_fills_every_placeholder(pane):
    pane.set_case_values({"customer.first_name": "Bo", "agent.first_name": "Sam"})
    pane.search.setText("sorry")
    assert "{{" not in pane.preview.toPlainText()
    assert pane.asks.isHidden() and pane.asks.text() == ""


def test_the_result_list_is_a_sound_model_a_rep_cannot_edit_in_place(qtmodeltester, pane):
    qtmodeltester.check(pane.model, force_py=True)
    first = pane.model.index(0, 0)
    assert not pane.model.flags(first) & Qt.ItemFlag.ItemIsEditable
    before = pane.model.data(first)
    assert pane.model.setData(first, "changed") is False
    assert pane.model.data(first) == before
    assert pane.model.data(first, Qt.ItemDataRole.ToolTipRole).startswith(
        pane.model.response(0).title + " — "
    )

"""The profile card's "Erase this customer's personal data…": admins only; the dialog names the
customer (as plain text), and erases only once their name is typed and a reason given; the case
view then shows the customer redacted."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from deskapp.gui.erase_customer_dialog import EraseCustomerDialog
from deskapp.services.redaction_marks import MARKER
from tests.gui.case_view_helpers import HOSTILE, contact, customer_with_case, open_window

pytestmark = pytest.mark.dialects("sqlite")


def _erasure_dialog(qtbot, erasure) -> EraseCustomerDialog:
    erasure.action.trigger()
    qtbot.waitUntil(lambda: erasure.dialog is not None, timeout=10_000)
    assert erasure.dialog is not None
    return erasure.dialog


def test_an_admin_erases_the_customer_in_view_after_typing_their_name(db, qtbot, tmp_path, runner):
    ws, admin = db.sign_in("admin")
    name = f"Ada {HOSTILE}"
    case = customer_with_case(ws, admin, name, "Refund for Ada's order")
    contact(ws, admin, case, "Ada's new address is 3 Quay Road.")
    shown = open_window(db, qtbot, tmp_path, runner, admin)
    erasure = shown.window.erasure
    card = shown.window.desk.history_pane.card
    assert erasure.action in card.actions() and erasure.action.isVisible()

    dialog = _erasure_dialog(qtbot, erasure)

    heading = dialog.findChild(type(card.name), "eraseHeading")
    assert heading.textFormat() is Qt.TextFormat.PlainText and HOSTILE in heading.text()
    what = dialog.findChild(type(card.name), "eraseWhat").text()
    assert "their 1 case, the text of 1 contact" in what and "cannot be undone" not in what
    assert not dialog.erase_button.isEnabled()
    dialog.reason.setText("ER-2291")
    dialog.typed_name.setText("Ada")  # not the whole name
    assert not dialog.erase_button.isEnabled()
    dialog.typed_name.setText(f" {name} ")
    assert dialog.erase_button.isEnabled()
    dialog.erase_button.click()

    qtbot.waitUntil(
        lambda: (c := shown.window.desk.current_case) is not None and c.customer.name == MARKER,
        timeout=15_000,
    )
    assert card.name.text() == MARKER
    assert "Personal data erased" in shown.window.ui.statusBar.currentMessage()
    assert shown.problems == []


def test_cancel_erases_nobody_and_a_rep_is_not_offered_it(db, qtbot, tmp_path, runner):
    ws, admin = db.sign_in("admin")
    customer_with_case(ws, admin, "Bo Lindgren", "Router")
    shown = open_window(db, qtbot, tmp_path, runner, admin)
    dialog = _erasure_dialog(qtbot, shown.window.erasure)
    dialog.typed_name.setText("Bo Lindgren")
    dialog.reject()
    assert runner.wait_idle(10_000)
    assert shown.window.desk.current_case is not None
    assert shown.window.desk.current_case.customer.name == "Bo Lindgren"

    rep_ws, rep = db.sign_in("rep")
    customer_with_case(rep_ws, rep, "Cy Rep's Customer", "Printer")
    as_rep = open_window(db, qtbot, tmp_path / "rep", runner, rep)
    assert not as_rep.window.erasure.action.isVisible()
    assert not as_rep.window.erasure.action.isEnabled()

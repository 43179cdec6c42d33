"""The People window's yes/no questions, as plain functions the window is given, so tests
answer them instead of clicking message boxes. Texts may quote names: always plain text."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

# (parent, title, text, the button that goes ahead) → went ahead?
Confirm = Callable[[QWidget, str, str, str], bool]
# (parent, why a deactivation was refused) → open Team ▸ Rep is out… for that person?
OfferMove = Callable[[QWidget, str], bool]


def confirm_box(parent: QWidget, title: str, text: str, go_ahead: str) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    box.setObjectName("peopleConfirmBox")
    box.setTextFormat(Qt.TextFormat.PlainText)
    yes = box.addButton(go_ahead, QMessageBox.ButtonRole.AcceptRole)
    yes.setObjectName("peopleConfirmYes")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setObjectName("peopleConfirmCancel")
    box.setDefaultButton(cancel)  # Enter by habit does nothing drastic
    box.exec()
    return box.clickedButton() is yes


def offer_move_box(parent: QWidget, text: str) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Move their cases first",
        text,
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setObjectName("peopleMoveCasesBox")
    box.setTextFormat(Qt.TextFormat.PlainText)
    move = box.addButton("Move their cases…", QMessageBox.ButtonRole.AcceptRole)
    move.setObjectName("peopleMoveCasesButton")
    close = box.addButton(QMessageBox.StandardButton.Close)
    close.setObjectName("peopleMoveCasesClose")
    box.setDefaultButton(move)
    box.exec()
    return box.clickedButton() is move

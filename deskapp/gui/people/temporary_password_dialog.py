"""The one time a temporary password is seen: in this dialog, with Copy and a warning to hand
it over privately. Nothing keeps it: the field is emptied when the dialog closes, and the
clipboard too if it still holds the password. It never reaches a log or a setting."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from deskapp.db.roles import TEMPORARY_PASSWORD_HOURS
from deskapp.gui.appearance import is_dark
from deskapp.gui.panes.plain import plain_label

WARNING = (
    "Hand it over privately: in person or by phone, never by e-mail or chat. It is shown only "
    "now and kept nowhere. Their old password no longer works. This one stops working after "
    f"{TEMPORARY_PASSWORD_HOURS} hours; when they sign in with it, Deskapp asks them to "
    "choose their own before anything else."
)


class TemporaryPasswordDialog(QDialog):
    def __init__(
        self, display_name: str, login: str, password: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("temporaryPasswordDialog")
        self.setAccessibleName(f"Temporary password for {display_name}")
        self.setWindowTitle(f"Temporary password for {display_name}")
        self._password = password
        self.intro = plain_label(
            f"{display_name} ({login}) now signs in with:",
            self,
            name="temporaryPasswordIntro",
            wrap=True,
        )
        self.field = QLineEdit(password, self)
        self.field.setObjectName("temporaryPassword")
        self.field.setAccessibleName("The temporary password")
        self.field.setReadOnly(True)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setWeight(QFont.Weight.DemiBold)
        self.field.setFont(font)
        self.field.setMinimumWidth(self.field.fontMetrics().horizontalAdvance(password) + 24)
        self.copy_button = QPushButton("&Copy", self)
        self.copy_button.setObjectName("copyTemporaryPassword")
        self.copy_button.setAccessibleName("Copy the temporary password")
        self.copy_button.setToolTip("Put the password on the clipboard (emptied again on Done)")
        self.warning = plain_label(
            WARNING, self, name="temporaryPasswordWarning", wrap=True, selectable=False
        )
        self.warning.setAccessibleName("Hand it over privately")
        amber = "#f0b45a" if is_dark(self.palette()) else "#8a5300"  # readable on either
        self.warning.setStyleSheet(f"QLabel {{ color: {amber}; font-weight: 600; }}")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        done = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        done.setText("&Done")
        done.setObjectName("temporaryPasswordDone")
        row = QHBoxLayout()
        row.addWidget(self.field, 1)
        row.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(row)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.copy_button.clicked.connect(self.copy)
        self.buttons.rejected.connect(self.reject)
        self.finished.connect(self._forget)
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.field.selectAll()

    @Slot()
    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self._password)
        self.copy_button.setText("Copied")

    @Slot()
    def _forget(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if self._password and clipboard.text() == self._password:
            clipboard.clear()
        self.field.clear()
        self._password = ""

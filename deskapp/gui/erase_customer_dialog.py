"""The confirmation before an erasure request: it names the customer, says what goes and that it
cannot be undone, asks why (kept in the audit trail) and for the customer's name typed out.

The Erase button stays disabled until the name is typed exactly (spaces at the ends aside) and a
reason is given; Cancel is the default, so Enter alone never erases anyone. Plain text only: the
name is the customer's own text.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.panes.plain import plain_label, preview_line
from deskapp.services.redaction import REASON_MAX, ErasureTarget

WARNING_STYLE = "QLabel { color: #b3261e; font-weight: bold; }"


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}{'' if n == 1 else 's'}"


class EraseCustomerDialog(QDialog):
    def __init__(self, target: ErasureTarget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eraseCustomerDialog")
        self.target = target
        name = preview_line(target.name, 80)
        self.setWindowTitle(f"Erase {name}'s personal data")
        self.setAccessibleName("Erase a customer's personal data")
        who = name + (f" ({preview_line(target.email, 80)})" if target.email else "")
        heading = plain_label(f"Erase the personal data of {who}?", self, name="eraseHeading",
                              wrap=True)  # fmt: skip
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        again = (
            "They were erased before; this also erases what was recorded about them since. "
            if target.redacted_at is not None
            else ""
        )
        what = plain_label(
            f"{again}Their name, e-mail, phone, tags and profile note, the subjects of their "
            f"{_count(target.cases, 'case')}, the text of {_count(target.interactions, 'contact')}"
            ", of the handoff notes, read-backs and promises on their cases, and the free text "
            "of the audit events about them become “[redacted]” for everyone. Drafts of notes "
            "on their cases are deleted. The audit trail still verifies afterwards.",
            self, name="eraseWhat", wrap=True, selectable=False,
        )  # fmt: skip
        warning = plain_label(
            "This cannot be undone. Exports and backups made before are not changed.",
            self, name="eraseWarning", wrap=True, selectable=False,
        )  # fmt: skip
        warning.setStyleSheet(WARNING_STYLE)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("eraseReason")
        self.reason.setAccessibleName("Reason")
        self.reason.setMaxLength(REASON_MAX)
        self.reason.setPlaceholderText("The request's reference, e.g. ER-2291 — not their data")
        self.typed_name = QLineEdit(self)
        self.typed_name.setObjectName("eraseTypedName")
        self.typed_name.setAccessibleName("The customer's name, to confirm")
        self.typed_name.setPlaceholderText(name)
        form = QFormLayout()
        form.addRow("Reason (kept in the audit trail):", self.reason)
        form.addRow("Type the customer's name to confirm:", self.typed_name)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.erase_button = self.buttons.addButton(
            "Erase personal data", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        name_standard_buttons(self.buttons)
        self.erase_button.setObjectName("eraseButton")
        self.erase_button.setEnabled(False)
        self.erase_button.setAutoDefault(False)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        layout = QVBoxLayout(self)
        for widget in (heading, what, warning):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.reason.textChanged.connect(self._on_typed)
        self.typed_name.textChanged.connect(self._on_typed)
        self.buttons.rejected.connect(self.reject)
        self.erase_button.clicked.connect(self.accept)

    @property
    def confirmed(self) -> bool:
        return self.typed_name.text().strip() == self.target.name.strip() and bool(
            self.reason.text().strip()
        )

    @Slot()
    def _on_typed(self) -> None:
        self.erase_button.setEnabled(self.confirmed)

    def accept(self) -> None:
        if self.confirmed:  # the button is disabled otherwise; a stray accept() erases nobody
            super().accept()

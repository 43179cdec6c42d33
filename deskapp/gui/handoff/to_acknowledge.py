"""The "To acknowledge" list: every handoff waiting for my read-back, oldest first. Activating
one opens its case, where the banner offers Acknowledge / Ask a question."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from deskapp.gui.handoff.banner import RISK_WORDS
from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes.plain import plain_label
from deskapp.services.handoff_waiting import PendingHandoff

NOTHING_WAITING = "Nothing to acknowledge."


def item_text(pending: PendingHandoff) -> str:
    flags = "  ·  UNBRIEFED" if pending.unbriefed else ""
    asked = "  ·  question asked" if pending.open_question else ""
    return (f"{pending.case_key}  {pending.subject}\n"
            f"from {pending.author}, {fmt.span(pending.age)} ago  ·  risk: "
            f"{RISK_WORDS[pending.risk]}{flags}{asked}")  # fmt: skip


class ToAcknowledgeList(QWidget):
    case_requested = Signal(object)  # uuid.UUID

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toAcknowledge")
        self.setAccessibleName("Handoffs to acknowledge")
        self.heading = plain_label(NOTHING_WAITING, self, name="toAcknowledgeHeading",
                                   selectable=False)  # fmt: skip
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.items = QListWidget(self)
        self.items.setObjectName("toAcknowledgeList")
        self.items.setAccessibleName("Handoffs waiting for your read-back")
        self.items.setMaximumHeight(self.fontMetrics().lineSpacing() * 7)
        self.items.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.items)
        self.items.itemActivated.connect(self._on_activated)
        self.items.itemClicked.connect(self._on_activated)
        self.show_pending([])

    def show_pending(self, pending: list[PendingHandoff]) -> None:
        self.items.clear()
        for entry in pending:
            item = QListWidgetItem(item_text(entry))
            item.setData(Qt.ItemDataRole.UserRole, str(entry.case_id))
            if entry.unbriefed:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.items.addItem(item)
        self.heading.setText(f"To acknowledge ({len(pending)})" if pending else NOTHING_WAITING)
        self.items.setVisible(bool(pending))

    @Slot(QListWidgetItem)
    def _on_activated(self, item: QListWidgetItem) -> None:
        self.case_requested.emit(uuid.UUID(item.data(Qt.ItemDataRole.UserRole)))

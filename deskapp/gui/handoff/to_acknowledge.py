"""The "To acknowledge" list: every handoff waiting for my read-back, oldest first. Activating
one opens its case, where the banner offers Acknowledge / Ask a question.

Unbriefed handoffs (a lead moved an absent rep's cases, DESIGN.md §5) are flagged with the
lead's reason, and can be accepted together: "Acknowledge all unbriefed" takes exactly those
shown, never a briefed note, which asks for its own read-back."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from deskapp.gui.handoff.banner import RISK_WORDS
from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes.plain import plain_label, preview_line
from deskapp.services.handoff_waiting import PendingHandoff

NOTHING_WAITING = "Nothing to acknowledge."


def item_text(pending: PendingHandoff) -> str:
    flags = "  ·  UNBRIEFED" if pending.unbriefed else ""
    if pending.unbriefed and pending.unbriefed_reason:
        flags += f" ({preview_line(pending.unbriefed_reason, 80)})"
    asked = "  ·  question asked" if pending.open_question else ""
    return (f"{pending.case_key}  {pending.subject}\n"
            f"from {pending.author}, {fmt.span(pending.age)} ago  ·  risk: "
            f"{RISK_WORDS[pending.risk]}{flags}{asked}")  # fmt: skip


class ToAcknowledgeList(QWidget):
    case_requested = Signal(object)  # uuid.UUID
    unbriefed_acknowledge_requested = Signal(list)  # the note ids of the unbriefed ones shown

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
        self.acknowledge_unbriefed = QPushButton(self)
        self.acknowledge_unbriefed.setObjectName("acknowledgeUnbriefed")
        self.acknowledge_unbriefed.setToolTip(
            "Accept every unbriefed handoff listed here at once: you brief yourself from each "
            "case's history. Briefed notes still need their own read-back."
        )
        self._unbriefed_ids: list[uuid.UUID] = []
        heading_row = QHBoxLayout()
        heading_row.setContentsMargins(0, 0, 0, 0)
        heading_row.addWidget(self.heading, 1)
        heading_row.addWidget(self.acknowledge_unbriefed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addLayout(heading_row)
        layout.addWidget(self.items)
        self.items.itemActivated.connect(self._on_activated)
        self.items.itemClicked.connect(self._on_activated)
        self.acknowledge_unbriefed.clicked.connect(self._on_acknowledge_unbriefed)
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
        self._unbriefed_ids = [entry.note_id for entry in pending if entry.unbriefed]
        count = len(self._unbriefed_ids)
        self.acknowledge_unbriefed.setText(f"Acknowledge all unbriefed ({count})")
        self.acknowledge_unbriefed.setVisible(count > 0)
        self.acknowledge_unbriefed.setEnabled(count > 0)

    def set_busy(self, busy: bool) -> None:
        """While the batch read-back is on its way: not twice."""
        self.acknowledge_unbriefed.setEnabled(not busy and bool(self._unbriefed_ids))

    @Slot()
    def _on_acknowledge_unbriefed(self) -> None:
        if self._unbriefed_ids:
            self.unbriefed_acknowledge_requested.emit(list(self._unbriefed_ids))

    @Slot(QListWidgetItem)
    def _on_activated(self, item: QListWidgetItem) -> None:
        self.case_requested.emit(uuid.UUID(item.data(Qt.ItemDataRole.UserRole)))

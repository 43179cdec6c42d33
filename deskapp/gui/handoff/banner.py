"""The banner on the case a rep just received: who handed it over, how long ago, how risky,
and the two things to do about it — acknowledge (with an optional one-line read-back) or ask
the author a question. An unbriefed handoff says so plainly (DESIGN.md §5)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from deskapp.domain.enums import RiskLevel
from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes.plain import plain_label
from deskapp.services.handoff_waiting import PendingHandoff

RISK_WORDS = {RiskLevel.STABLE: "stable", RiskLevel.WATCH: "watch", RiskLevel.AT_RISK: "AT RISK"}
_STYLE = {
    RiskLevel.STABLE: "#e8f0fe; color: #0b2a5c; border: 1px solid #8ab4f8",
    RiskLevel.WATCH: "#fff4d6; color: #4a3200; border: 1px solid #e8a400",
    RiskLevel.AT_RISK: "#fdecea; color: #6e1611; border: 2px solid #c5221f",
}


def banner_text(pending: PendingHandoff, me: str | None = None) -> str:
    to = "to you" if pending.receiver and pending.receiver == me else (
        f"to {pending.receiver}" if pending.receiver else f"to {pending.team}'s queue"
    )  # fmt: skip
    return (f"Handed over {to} by {pending.author}, {fmt.span(pending.age)} ago — "
            f"risk: {RISK_WORDS[pending.risk]}.")  # fmt: skip


class HandoffBanner(QFrame):
    acknowledge_requested = Signal(object, str)  # note id, read-back (may be empty)
    question_requested = Signal(object, str)  # note id, the question

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handoffBanner")
        self.setAccessibleName("Handoff to acknowledge")
        self.pending: PendingHandoff | None = None
        self.message = plain_label("", self, name="handoffBannerText", wrap=True)
        font = self.message.font()
        font.setBold(True)
        self.message.setFont(font)
        self.unbriefed = plain_label(
            "UNBRIEFED — nobody briefed this case. Read the history before you contact the "
            "customer.", self, name="handoffBannerUnbriefed", wrap=True,
        )  # fmt: skip
        self.unbriefed.setStyleSheet(
            "QLabel { background: #6e1611; color: white; padding: 3px 6px; font-weight: bold; }"
        )
        self.question = plain_label("", self, name="handoffBannerQuestion", wrap=True)
        self.read_back = QLineEdit(self)
        self.read_back.setObjectName("handoffReadBack")
        self.read_back.setAccessibleName("Read-back or question")
        self.read_back.setPlaceholderText(
            "Optional: your read-back in one line — or type a question for the author"
        )
        self.read_back.setMaxLength(300)
        self.acknowledge = QPushButton("&Acknowledge", self)
        self.acknowledge.setObjectName("handoffAcknowledge")
        self.ask = QPushButton("Ask a &question", self)
        self.ask.setObjectName("handoffAsk")
        self.ask.setToolTip("Type the question in the box first; it goes to the author.")
        row = QHBoxLayout()
        row.addWidget(self.read_back, 1)
        row.addWidget(self.acknowledge)
        row.addWidget(self.ask)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.message)
        layout.addWidget(self.unbriefed)
        layout.addWidget(self.question)
        layout.addLayout(row)
        self.acknowledge.clicked.connect(self._on_acknowledge)
        self.ask.clicked.connect(self._on_ask)
        self.read_back.textChanged.connect(self._update_buttons)
        self.read_back.returnPressed.connect(self._on_acknowledge)
        self.show_pending(None)

    def show_pending(self, pending: PendingHandoff | None, me: str | None = None) -> None:
        changed = pending is None or self.pending is None or pending.note_id != self.pending.note_id
        self.pending = pending
        if pending is None:
            self.hide()
            return
        if changed:
            self.read_back.clear()
        self.setStyleSheet(f"#handoffBanner {{ background: {_STYLE[pending.risk]}; "
                           "border-radius: 4px; }")  # fmt: skip
        self.message.setText(banner_text(pending, me))
        self.unbriefed.setVisible(pending.unbriefed)
        self.question.setText(
            f"Your question is waiting for an answer: “{pending.open_question}”"
            if pending.open_question
            else ""
        )
        self.question.setVisible(bool(pending.open_question))
        self._update_buttons()
        self.show()

    def set_busy(self, busy: bool) -> None:
        self.read_back.setEnabled(not busy)
        self.acknowledge.setEnabled(not busy)
        self.ask.setEnabled(not busy and bool(self.read_back.text().strip()))

    @Slot()
    def _update_buttons(self) -> None:
        self.ask.setEnabled(bool(self.read_back.text().strip()))

    @Slot()
    def _on_acknowledge(self) -> None:
        if self.pending is not None:
            self.acknowledge_requested.emit(self.pending.note_id, self.read_back.text().strip())

    @Slot()
    def _on_ask(self) -> None:
        text = self.read_back.text().strip()
        if self.pending is not None and text:
            self.question_requested.emit(self.pending.note_id, text)

    def note_id(self) -> uuid.UUID | None:
        return self.pending.note_id if self.pending else None

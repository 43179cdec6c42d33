"""The case in hand: who, what, how urgent, and how often it has already been bounced."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes.plain import plain_label
from deskapp.services.history import CaseDetail

BOUNCE_WARNING_AT = 2


class CasePane(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseView")
        self.setAccessibleName("Case")
        self.title = plain_label("Select a case in the queue to see it here.", self,
                                 name="caseTitle", wrap=True)  # fmt: skip
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.bounced = plain_label("", self, name="caseBounced", wrap=True)
        self.bounced.setStyleSheet(
            "QLabel { background: #fdecea; color: #8c1d18; padding: 4px; border-radius: 3px; }"
        )
        self.bounced.hide()
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(2)
        for label in ("Customer", "Status", "Priority", "SLA", "Mood", "Channel", "Category",
                      "Owner", "History"):  # fmt: skip
            value = plain_label("", self, name=f"case{label}")
            value.setAccessibleName(label)
            self.fields[label] = value
            form.addRow(f"{label}:", value)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.bounced)
        layout.addLayout(form)
        layout.addStretch(1)

    def show_case(self, case: CaseDetail) -> None:
        now = datetime.now(UTC)
        self.title.setText(f"{case.key}  {case.subject}")
        customer = case.customer
        local = fmt.local_time(customer.time_zone, now)
        self.fields["Customer"].setText(
            f"{customer.name}  ·  {local} their time ({customer.time_zone})"
            if local
            else customer.name
        )
        self.fields["Status"].setText(fmt.STATUS_LABELS[case.status])
        self.fields["Priority"].setText(fmt.PRIORITY_LABELS[case.priority])
        self.fields["SLA"].setText(fmt.sla_text(case.resolution_due, now)[0])
        self.fields["Mood"].setText(fmt.MOOD_LABELS[case.mood])
        self.fields["Channel"].setText(fmt.CHANNEL_LABELS[case.channel])
        self.fields["Category"].setText(case.category or "—")
        self.fields["Owner"].setText(f"{case.assignee or 'Unassigned'}  ·  {case.team}")
        self.fields["History"].setText(
            f"Transferred {case.transfer_count}×  ·  reopened {case.reopen_count}×"
        )
        if case.transfer_count >= BOUNCE_WARNING_AT:
            self.bounced.setText(
                f"Bounced {case.transfer_count} times — don't make them repeat themselves. "
                "Read the history first."
            )
            self.bounced.show()
        else:
            self.bounced.hide()

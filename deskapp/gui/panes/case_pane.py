"""The case in hand: who, what, how urgent, how often it has already been bounced, and what
was promised to the customer — each promise a timer that turns amber when due within two hours
and red when late, ticking every minute like the queue's SLA column."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QSize, QTimer, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes.plain import plain_label
from deskapp.services.history import CaseDetail, OpenCommitment

BOUNCE_WARNING_AT = 2
PROMISES_SHOWN = 4  # more than that is listed as "and N more" (the handoff pane has them all)
TICK_MS = 60_000
_PROMISE_STYLE = {
    "overdue": "QLabel { color: white; background: #b3261e; padding: 1px 4px; font-weight: bold; }",
    "due_soon": "QLabel { color: #4a3200; background: #ffe08a; padding: 1px 4px; }",
    "upcoming": "",
}


promise_timer = fmt.promise_timer  # where the header's timers come from


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
        # Paired facts share a row, so the header stays short enough to leave room for the
        # promises and the customer's history below it.
        for label in ("Customer", "Status", "SLA", "Mood", "Owner", "History"):
            value = plain_label("", self, name=f"case{label}")
            value.setAccessibleName(label)
            self.fields[label] = value
            form.addRow(f"{label}:", value)
        # Promises to the customer: one line each, soonest first, re-timed every minute.
        self.promises_box = QWidget(self)
        self.promises_box.setObjectName("casePromises")
        self.promises_box.setAccessibleName("Promised to the customer")
        self._promise_rows = QVBoxLayout(self.promises_box)
        self._promise_rows.setContentsMargins(0, 0, 0, 0)
        self._promise_rows.setSpacing(2)
        self.promise_labels: list[QLabel] = []
        self.more_promises = plain_label("", self.promises_box, name="casePromisesMore")
        self._promise_rows.addWidget(self.more_promises)
        self._commitments: tuple[OpenCommitment, ...] = ()
        self._has_case = False
        form.addRow("Promised:", self.promises_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.bounced)
        layout.addLayout(form)
        layout.addStretch(1)
        self.show_timers_at(datetime.now(UTC))
        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self.refresh_timers)
        self.ticker.start()

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
        self.fields["Status"].setText(
            f"{fmt.STATUS_LABELS[case.status]}  ·  {fmt.CHANNEL_LABELS[case.channel]}  ·  "
            f"{case.category or 'no category'}"
        )
        self.fields["SLA"].setText(
            f"{fmt.sla_text(case.resolution_due, now)[0]}  ·  "
            f"{fmt.PRIORITY_LABELS[case.priority]} priority"
        )
        self.fields["Mood"].setText(fmt.MOOD_LABELS[case.mood])
        self.fields["Owner"].setText(f"{case.assignee or 'Unassigned'}  ·  {case.team}")
        self.fields["History"].setText(
            f"Transferred {case.transfer_count}×  ·  reopened {case.reopen_count}×"
        )
        self._commitments, self._has_case = case.commitments, True
        self.show_timers_at(now)
        self.updateGeometry()  # a longer title or more promises need more height
        if case.transfer_count >= BOUNCE_WARNING_AT:
            self.bounced.setText(
                f"Bounced {case.transfer_count} times — don't make them repeat themselves. "
                "Read the history first."
            )
            self.bounced.show()
        else:
            self.bounced.hide()

    def minimumSizeHint(self) -> QSize:
        """Tall enough for the wrapped title and every promise at the current width: the
        splitter above the customer history asks this, and Qt's own hint counts a wrapped label
        as one line, which let the history squeeze the promises into each other."""
        hint = super().minimumSizeHint()
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth() and self.width() > 0:
            hint.setHeight(max(hint.height(), layout.heightForWidth(self.width())))
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the wrapped lines, and so the height needed, changed

    @Slot()
    def refresh_timers(self) -> None:
        """Re-time the promises without a reload: due soon turns amber, late turns red."""
        self.show_timers_at(datetime.now(UTC))

    def show_timers_at(self, now: datetime) -> None:
        shown = self._commitments[:PROMISES_SHOWN]
        while len(self.promise_labels) < len(shown):
            label = plain_label("", self.promises_box, name="casePromise", wrap=True)
            # At least a line each: a short case column must push the history down, never
            # squeeze a late promise out of sight.
            label.setMinimumHeight(label.fontMetrics().lineSpacing() + 4)
            self._promise_rows.insertWidget(len(self.promise_labels), label)
            self.promise_labels.append(label)
        for number, label in enumerate(self.promise_labels):
            if number >= len(shown):
                label.hide()
                continue
            commitment = shown[number]
            timer, state = promise_timer(commitment.due, now)
            label.setText(f"{timer} — {commitment.promise}")
            label.setAccessibleName(f"Promise, {state.replace('_', ' ')}")
            label.setProperty("state", state)
            label.setStyleSheet(_PROMISE_STYLE[state])
            label.show()
        hidden = len(self._commitments) - len(shown)
        if not self._commitments:
            self.more_promises.setText("No open promises" if self._has_case else "")
        else:
            self.more_promises.setText(f"and {hidden} more" if hidden else "")
        self.more_promises.setVisible(not self._commitments or hidden > 0)

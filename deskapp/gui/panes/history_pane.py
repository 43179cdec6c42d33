"""The customer's whole story: profile card, every case, one timeline across channels."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes.plain import plain_label, plain_viewer
from deskapp.services.history import CaseDetail, TimelineEntry

_LINE_CHARS = 160  # one line per entry in the list; the full text shows below when selected


class HistoryPane(QWidget):
    case_opened = Signal(object)  # uuid.UUID of an earlier case

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerHistory")
        self.setAccessibleName("Customer history")
        self.profile = plain_label("The customer's profile and history appear here.", self,
                                   name="customerProfile", wrap=True)  # fmt: skip
        self.cases = QListWidget(self)
        self.cases.setObjectName("customerCases")
        self.cases.setAccessibleName("Customer's cases")
        self.timeline = QListWidget(self)
        self.timeline.setObjectName("customerTimeline")
        self.timeline.setAccessibleName("Timeline of interactions and handoffs")
        self.timeline.setUniformItemSizes(True)
        self.entry = plain_viewer(self, name="timelineEntry")
        self.entry.setAccessibleName("Selected interaction")
        self.entry.setPlaceholderText("Select an interaction to read it in full.")
        self._entries: list[TimelineEntry] = []
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setObjectName("historySplitter")
        split.addWidget(self._titled("Cases", self.cases))
        split.addWidget(self._titled("Timeline (newest first)", self.timeline))
        split.addWidget(self.entry)
        split.setSizes([120, 300, 120])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.profile)
        layout.addWidget(split, 1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.timeline.currentRowChanged.connect(self._on_entry_selected)
        self.cases.itemActivated.connect(self._on_case_activated)

    def _titled(self, title: str, widget: QWidget) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        heading = QLabel(title, box)
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        layout.addWidget(widget)
        return box

    def show_case(self, case: CaseDetail) -> None:
        customer = case.customer
        now = datetime.now(UTC)
        last_contact = next((e.at for e in case.timeline if e.kind == "interaction"), None)
        recent = sum(1 for e in case.timeline if e.kind == "interaction"
                     and (now - e.at).days < 30)  # fmt: skip
        lines = [
            f"{customer.name}  ·  {customer.tier.value.upper()}"
            + (f"  ·  {customer.organization}" if customer.organization else ""),
            "  ·  ".join(x for x in (customer.email, customer.phone) if x),
            f"Local time {fmt.local_time(customer.time_zone, now)} ({customer.time_zone})"
            + (f"  ·  Plan: {customer.support_plan}" if customer.support_plan else ""),
            f"{customer.case_count} cases  ·  last contact "
            + (fmt.span(now - last_contact) + " ago" if last_contact else "never")
            + f"  ·  {recent} contacts in the last 30 days",
        ]
        if customer.tags:
            lines.append("Tags: " + ", ".join(customer.tags))
        if customer.profile_note:
            lines.append("Note: " + customer.profile_note)
        self.profile.setText("\n".join(lines))
        self.cases.clear()
        for summary in case.cases:
            item = QListWidgetItem(
                f"{summary.key}  {fmt.STATUS_LABELS[summary.status]:<16}  "
                f"{summary.created_at.astimezone():%d %b %Y}  {summary.subject}"
            )
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            self.cases.addItem(item)
        self._entries = list(case.timeline)
        self.timeline.clear()
        self.timeline.addItems([self._line(e) for e in self._entries])
        self.entry.clear()

    def _line(self, entry: TimelineEntry) -> str:
        moment = entry.at.astimezone().strftime("%d %b %Y %H:%M")
        if entry.addendum:  # an answer or correction added to a note, which never changes
            head = "HANDOFF ADDENDUM"
        elif entry.kind == "handoff":
            head = f"HANDOFF ({entry.risk.value.replace('_', ' ') if entry.risk else ''})"
        else:
            channel = fmt.CHANNEL_LABELS[entry.channel] if entry.channel else ""
            head = f"{channel} {entry.direction.value if entry.direction else ''}"
        text = " ".join(entry.text.split())[:_LINE_CHARS]
        return f"{moment}  {entry.case_key}  {head}: {text}"

    @Slot(int)
    def _on_entry_selected(self, row: int) -> None:
        if 0 <= row < len(self._entries):
            entry = self._entries[row]
            who = f" by {entry.author}" if entry.author else ""
            self.entry.setPlainText(f"{self._line(entry)[:40]}{who}\n\n{entry.text}")

    @Slot(QListWidgetItem)
    def _on_case_activated(self, item: QListWidgetItem) -> None:
        self.case_opened.emit(item.data(Qt.ItemDataRole.UserRole))

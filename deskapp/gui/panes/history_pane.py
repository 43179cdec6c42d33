"""The customer's whole story: the profile card, every case, and one timeline of every
interaction and handoff note across their cases, newest first.

The first screen comes with the case (``show_case``); the rest streams in as the rep scrolls,
a page at a time, through a ``HistorySource`` (the task runner, off the GUI thread). Filters
(channel, case) re-read the timeline from the top. A reply that arrives for an older request
(the rep changed the filter or the case meanwhile) is dropped.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.case_lifecycle import RESOLUTION_CODES
from deskapp.domain.enums import Channel, Direction
from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes.plain import plain_label, plain_viewer, preview_line, show_text
from deskapp.gui.panes.profile_card import ProfileCard
from deskapp.gui.panes.two_line_delegate import (
    ACCENT_ROLE,
    BODY_ROLE,
    HEAD_ROLE,
    TwoLineDelegate,
)
from deskapp.services import history
from deskapp.services.history import CaseDetail, CaseSummaryRow, TimelineEntry
from deskapp.services.workspace import Workspace

_LINE_CHARS = 160  # the one-line summary (accessible text); the full text shows below
PAGE = 100
NEAR_END = 5  # rows from the bottom at which the next page is asked for
ID_ROLE = Qt.ItemDataRole.UserRole
DIRECTION_WORDS = {Direction.INBOUND: "in", Direction.OUTBOUND: "out",
                   Direction.INTERNAL: "internal"}  # fmt: skip
ACCENTS = {
    Direction.INBOUND: "#1a73e8",
    Direction.OUTBOUND: "#188038",
    Direction.INTERNAL: "#5f6368",
    "handoff": "#8e24aa",
    "kudos": "#e8a400",
    "open": "#e37400",
    "done": "#9aa0a6",
    "this": "#1a73e8",
}


class HistorySource(Protocol):
    """Runs a read off the GUI thread and hands its result back on it."""

    def read(self, fn: Callable[[Workspace], Any], on_done: Callable[[Any], None]) -> None: ...


def entry_line(entry: TimelineEntry) -> str:
    """The entry on one line: when, case, what, and the start of the text."""
    return f"{fmt.when(entry.at)}  {entry.case_key}  {_what(entry)}: " + preview_line(
        entry.text, _LINE_CHARS
    )


def _what(entry: TimelineEntry) -> str:
    if entry.addendum:  # an answer or correction added to a note, which never changes
        return "HANDOFF ADDENDUM"
    if entry.kind == "handoff":
        return f"HANDOFF ({entry.risk.value.replace('_', ' ') if entry.risk else ''})"
    channel = fmt.CHANNEL_LABELS[entry.channel] if entry.channel else ""
    what = f"{channel} {DIRECTION_WORDS[entry.direction] if entry.direction else ''}".strip()
    if entry.duration_seconds:
        what += f" {fmt.span_seconds(entry.duration_seconds)}"
    if entry.kudos_for:
        what += f" — KUDOS for {entry.kudos_for}"
    return what


def entry_heading(entry: TimelineEntry) -> str:
    who = f"  ·  {entry.author}" if entry.author else ""
    return f"{fmt.when(entry.at)}  ·  {entry.case_key}  ·  {_what(entry)}{who}"


def _accent(entry: TimelineEntry) -> str:
    if entry.kind == "handoff":
        return ACCENTS["handoff"]
    if entry.kudos_for:
        return ACCENTS["kudos"]
    return ACCENTS[entry.direction] if entry.direction else ACCENTS[Direction.INTERNAL]


def case_lines(row: CaseSummaryRow, current: uuid.UUID | None) -> tuple[str, str, str]:
    """(heading, text, accent) for a case in the customer's list."""
    head = [row.key, fmt.STATUS_LABELS[row.status]]
    if row.priority is not None:
        head.append(fmt.PRIORITY_LABELS[row.priority])
    head.append(f"opened {row.created_at.astimezone():%d %b %Y}")
    ended = row.closed_at or row.resolved_at
    if ended is not None:
        head.append(f"ended {ended.astimezone():%d %b %Y}")
    if row.assignee:
        head.append(row.assignee)
    if row.id == current:
        head.insert(0, "THIS CASE")
    text = row.subject
    if row.resolution_outcome:
        code = RESOLUTION_CODES.get(row.resolution_code or "", row.resolution_code or "")
        text += f"  →  {code + ': ' if code else ''}{row.resolution_outcome}"
    accent = "this" if row.id == current else "open" if row.status.is_open else "done"
    return "  ·  ".join(head), preview_line(text, 300), ACCENTS[accent]


class HistoryPane(QWidget):
    case_opened = Signal(object)  # uuid.UUID of an earlier case

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerHistory")
        self.setAccessibleName("Customer history")
        self.source: HistorySource | None = None
        self.card = ProfileCard(self)
        self.profile = self.card.name  # the customer's name: the first thing a rep reads
        self.cases_heading = QLabel("Cases", self)
        self.cases = self._list("customerCases", "Customer's cases (Enter or click opens one)")
        self.cases.setToolTip("Click a case, or select it and press Enter, to open it")
        self.channel_filter = QComboBox(self)
        self.channel_filter.setObjectName("timelineChannelFilter")
        self.channel_filter.setAccessibleName("Show the timeline for channel")
        self.channel_filter.addItem("All channels", None)
        for channel in Channel:
            self.channel_filter.addItem(fmt.CHANNEL_LABELS[channel], channel)
        self.case_filter = QComboBox(self)
        self.case_filter.setObjectName("timelineCaseFilter")
        self.case_filter.setAccessibleName("Show the timeline for case")
        self.case_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.case_filter.setMinimumContentsLength(14)
        self.timeline_heading = QLabel("Timeline, newest first", self)
        self.timeline = self._list("customerTimeline", "Timeline of interactions and handoffs")
        self.entry = plain_viewer(self, name="timelineEntry")
        self.entry.setAccessibleName("Selected interaction")
        self.entry.setPlaceholderText("Select an entry to read it in full.")
        self.entry.setTabChangesFocus(True)
        self.full_text = QPushButton("Show the &whole text", self)
        self.full_text.setObjectName("timelineFullText")
        self.full_text.setAccessibleName("Show the whole text of the selected entry")
        self.full_text.hide()
        self.status = plain_label("", self, name="timelineStatus", selectable=False)
        self._entries: list[TimelineEntry] = []
        self._case_rows: list[CaseSummaryRow] = []
        self._case_total = 0
        self._customer_id: uuid.UUID | None = None
        self._case_id: uuid.UUID | None = None
        self._timeline_next: history.Cursor | None = None
        self._cases_next: history.CaseCursor | None = None
        self._tickets = itertools.count(1)
        self._timeline_ticket = 0
        self._cases_ticket = 0
        self._timeline_loading = False
        self._cases_loading = False
        self._build_layout()
        self._connect_signals()

    def _list(self, name: str, spoken: str) -> QListWidget:
        view = QListWidget(self)
        view.setObjectName(name)
        view.setAccessibleName(spoken)
        view.setUniformItemSizes(True)
        view.setItemDelegate(TwoLineDelegate(view))
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return view

    def _build_layout(self) -> None:
        for heading in (self.cases_heading, self.timeline_heading):
            heading.setTextFormat(Qt.TextFormat.PlainText)
            heading.setStyleSheet("font-weight: bold;")
        cases_box = QWidget(self)
        cases_layout = QVBoxLayout(cases_box)
        cases_layout.setContentsMargins(0, 0, 0, 0)
        cases_layout.setSpacing(2)
        cases_layout.addWidget(self.cases_heading)
        cases_layout.addWidget(self.cases)
        timeline_box = QWidget(self)
        timeline_layout = QVBoxLayout(timeline_box)
        timeline_layout.setContentsMargins(0, 0, 0, 0)
        timeline_layout.setSpacing(2)
        filters = QHBoxLayout()
        filters.addWidget(self.timeline_heading, 1)
        filters.addWidget(self.channel_filter)
        filters.addWidget(self.case_filter)
        timeline_layout.addLayout(filters)
        timeline_layout.addWidget(self.timeline, 1)
        timeline_layout.addWidget(self.status)
        entry_box = QWidget(self)
        entry_layout = QVBoxLayout(entry_box)
        entry_layout.setContentsMargins(0, 0, 0, 0)
        entry_layout.setSpacing(2)
        entry_layout.addWidget(self.entry, 1)
        entry_layout.addWidget(self.full_text)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.setObjectName("historySplitter")
        self.split.setChildrenCollapsible(False)
        self._entry_box = entry_box
        entry_box.hide()  # until the rep opens an entry: the list gets the room
        self.split.addWidget(cases_box)
        self.split.addWidget(timeline_box)
        self.split.addWidget(entry_box)
        self.split.setSizes([110, 520, 0])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.card)
        layout.addWidget(self.split, 1)

    def _connect_signals(self) -> None:
        self.timeline.currentRowChanged.connect(self._on_entry_selected)
        self.cases.itemActivated.connect(self._on_case_activated)
        self.cases.itemClicked.connect(self._on_case_activated)
        self.timeline.verticalScrollBar().valueChanged.connect(self._on_timeline_scrolled)
        self.cases.verticalScrollBar().valueChanged.connect(self._on_cases_scrolled)
        self.channel_filter.currentIndexChanged.connect(self._reload_timeline)
        self.case_filter.currentIndexChanged.connect(self._reload_timeline)
        self.full_text.clicked.connect(self._load_full_text)

    # ------------------------------------------------------------------ the first screen
    def show_case(self, case: CaseDetail) -> None:
        same_customer = case.customer.id == self._customer_id
        self._customer_id, self._case_id = case.customer.id, case.id
        self.card.show_profile(case.customer, case.read_at or datetime.now(UTC))
        self._case_total = case.customer.case_count
        self._show_cases(case.cases, case.cases_next)
        self._fill_case_filter(keep=same_customer)
        if self._filters() == (None, None):
            self._set_timeline(case.timeline, case.timeline_next)
        else:  # the rep's filter stays while they move between this customer's cases
            self._reload_timeline()

    def _show_cases(self, rows: tuple[CaseSummaryRow, ...], after: history.CaseCursor | None
                    ) -> None:  # fmt: skip
        self._cases_ticket = next(self._tickets)  # a page still on its way is for the old list
        self._cases_loading = False
        self._case_rows = []
        self.cases.clear()
        self._append_cases(rows, after)

    def _append_cases(self, rows: tuple[CaseSummaryRow, ...],
                      after: history.CaseCursor | None) -> None:  # fmt: skip
        self._cases_next = after
        for row in rows:
            head, text, accent = case_lines(row, self._case_id)
            item = QListWidgetItem(f"{head}: {text}")
            item.setData(ID_ROLE, row.id)
            item.setData(HEAD_ROLE, head)
            item.setData(BODY_ROLE, text)
            item.setData(ACCENT_ROLE, accent)
            self.cases.addItem(item)
        self._case_rows.extend(rows)
        total = max(self._case_total, len(self._case_rows))
        shown = len(self._case_rows)
        self.cases_heading.setText(
            f"Cases ({shown:,} of {total:,} shown)" if shown < total else f"Cases ({total:,})"
        )

    def _fill_case_filter(self, *, keep: bool) -> None:
        chosen = self.case_filter.currentData() if keep else None
        self.case_filter.blockSignals(True)
        self.case_filter.clear()
        self.case_filter.addItem("All cases", None)
        for row in self._case_rows:
            label = f"{row.key} — {preview_line(row.subject, 40)}"
            if row.id == self._case_id:
                label = f"This case ({row.key})"
            self.case_filter.addItem(label, str(row.id))  # a str: Qt can find it again
        index = self.case_filter.findData(chosen) if chosen is not None else 0
        self.case_filter.setCurrentIndex(max(0, index))
        self.case_filter.blockSignals(False)

    def _filters(self) -> tuple[Channel | None, uuid.UUID | None]:
        channel = self.channel_filter.currentData()  # Qt gives a StrEnum back as a str
        case_id = self.case_filter.currentData()
        return (Channel(channel) if channel else None), (uuid.UUID(case_id) if case_id else None)

    def _set_timeline(self, entries: tuple[TimelineEntry, ...],
                      after: history.Cursor | None) -> None:  # fmt: skip
        self._timeline_ticket = next(self._tickets)
        self._timeline_loading = False
        self._entries = []
        self.timeline.clear()
        self.entry.clear()
        self.full_text.hide()
        self._append_entries(entries, after)

    def _append_entries(self, entries: tuple[TimelineEntry, ...],
                        after: history.Cursor | None) -> None:  # fmt: skip
        self._timeline_next = after
        for entry in entries:
            self.timeline.addItem(self._entry_item(entry))
        self._entries.extend(entries)
        self._show_status()

    def _entry_item(self, entry: TimelineEntry) -> QListWidgetItem:
        item = QListWidgetItem(entry_line(entry))
        item.setData(HEAD_ROLE, entry_heading(entry))
        item.setData(BODY_ROLE, preview_line(entry.text, 300))
        item.setData(ACCENT_ROLE, _accent(entry))
        return item

    def _show_status(self) -> None:
        count = len(self._entries)
        if self._timeline_loading:
            text = f"{count:,} entries shown — loading older ones…"
        elif self._timeline_next is not None:
            text = f"{count:,} entries shown — scroll down for older ones"
        elif count:
            text = f"All {count:,} entries shown"
        else:
            text = "Nothing logged yet" if self._filters() == (None, None) else "No entries match"
        self.status.setText(text)

    def prepend_entry(self, entry: TimelineEntry) -> None:
        """A contact the rep just logged: on top at once, before any reload."""
        channel, case_id = self._filters()
        if channel is not None and entry.channel is not channel:
            return
        if case_id is not None and entry.case_id != case_id:
            return
        if entry.id is not None and any(e.id == entry.id for e in self._entries[:20]):
            return
        self._entries.insert(0, entry)
        self.timeline.insertItem(0, self._entry_item(entry))
        self._show_status()

    # ------------------------------------------------------------------ streaming
    @Slot()
    def _reload_timeline(self) -> None:
        self._set_timeline((), None)
        self._request_timeline(None)

    @Slot(int)
    def _on_timeline_scrolled(self, value: int) -> None:
        bar = self.timeline.verticalScrollBar()
        if self._timeline_next is not None and value >= bar.maximum() - NEAR_END:
            self._request_timeline(self._timeline_next)

    def fetch_more_timeline(self) -> bool:
        """Ask for the next page now (what scrolling to the end does); False: nothing more."""
        if self._timeline_next is None:
            return False
        self._request_timeline(self._timeline_next)
        return True

    def _request_timeline(self, before: history.Cursor | None) -> None:
        customer_id, source = self._customer_id, self.source
        if customer_id is None or source is None or self._timeline_loading:
            return
        channel, case_id = self._filters()
        ticket = self._timeline_ticket
        self._timeline_loading = True
        self._show_status()

        def fetch(ws: Workspace) -> history.TimelinePage:
            return history.timeline_page(
                ws, customer_id, before=before, limit=PAGE,
                channels=[channel] if channel is not None else None, case_id=case_id,
            )  # fmt: skip

        def arrived(page: history.TimelinePage) -> None:
            if ticket != self._timeline_ticket:
                return  # the filter or the case changed meanwhile
            self._timeline_loading = False
            self._append_entries(page.entries, page.next_before)

        source.read(fetch, arrived)

    @Slot(int)
    def _on_cases_scrolled(self, value: int) -> None:
        bar = self.cases.verticalScrollBar()
        after, customer_id, source = self._cases_next, self._customer_id, self.source
        if after is None or value < bar.maximum() - NEAR_END or self._cases_loading:
            return
        if customer_id is None or source is None:
            return
        ticket = self._cases_ticket
        self._cases_loading = True

        def arrived(page: history.CasesPage) -> None:
            if ticket == self._cases_ticket:
                self._cases_loading = False
                self._append_cases(page.rows, page.next_before)

        source.read(lambda ws: history.cases_page(ws, customer_id, before=after, limit=PAGE),
                    arrived)  # fmt: skip

    # ------------------------------------------------------------------ reading an entry
    @Slot(int)
    def _on_entry_selected(self, row: int) -> None:
        if not 0 <= row < len(self._entries):
            return
        entry = self._entries[row]
        if self._entry_box.isHidden():
            self._entry_box.show()
            sizes = self.split.sizes()
            self.split.setSizes([sizes[0], sizes[1] * 2 // 3, sizes[1] // 3])
        show_text(self.entry, f"{entry_heading(entry)}\n\n{entry.text}")
        self.full_text.setVisible(entry.truncated and self.source is not None)

    @Slot()
    def _load_full_text(self) -> None:
        row, source = self.timeline.currentRow(), self.source
        if source is None or not 0 <= row < len(self._entries):
            return
        entry = self._entries[row]
        entry_id = entry.id
        if entry_id is None:
            return
        self.full_text.setEnabled(False)

        def arrived(text: str) -> None:
            self.full_text.setEnabled(True)
            if self.timeline.currentRow() == row:
                show_text(self.entry, f"{entry_heading(entry)}\n\n{text}")
                self.full_text.hide()

        source.read(lambda ws: history.entry_text(ws, entry_id), arrived)

    @Slot(QListWidgetItem)
    def _on_case_activated(self, item: QListWidgetItem) -> None:
        case_id = item.data(ID_ROLE)
        if case_id is not None and case_id != self._case_id:
            self.case_opened.emit(case_id)

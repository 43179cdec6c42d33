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
from functools import partial
from typing import Any, Protocol

from PySide6.QtCore import QPoint, QSignalBlocker, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
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
_NIL = uuid.UUID(int=0)  # sorts an entry without an id (never the case for stored ones) last
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
    return _entry_texts(entry)[0]


def _entry_texts(entry: TimelineEntry) -> tuple[str, str, str]:
    """(one line, heading, text preview) of an entry, each part worked out once."""
    when, what = fmt.when(entry.at), _what(entry)
    who = f"  ·  {entry.author}" if entry.author else ""
    line = f"{when}  {entry.case_key}  {what}: " + preview_line(entry.text, _LINE_CHARS)
    return line, f"{when}  ·  {entry.case_key}  ·  {what}{who}", preview_line(entry.text, 300)


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
    return _entry_texts(entry)[1]


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


Texts = tuple[str, str, str, str]  # one line (display, accessible), heading, text, accent
_TEXT_SLOTS = {Qt.ItemDataRole.DisplayRole: 0, HEAD_ROLE: 1, BODY_ROLE: 2, ACCENT_ROLE: 3}


class _LazyRow(QListWidgetItem):
    """A row whose texts are worked out the first time anyone asks for them (the view painting
    it, a screen reader, a test): a hundred rows go in at once, but only the dozen on screen
    pay for their dates and previews before the first paint. Worked out once, then kept."""

    def __init__(self, texts: Callable[[], Texts]) -> None:
        super().__init__()
        self._texts_of = texts
        self._texts: Texts | None = None

    def set_texts(self, texts: Callable[[], Texts]) -> None:
        self._texts_of, self._texts = texts, None

    def data(self, role: int) -> Any:
        slot = _TEXT_SLOTS.get(role)
        if slot is None:
            return super().data(role)
        texts = self._texts
        if texts is None:
            texts = self._texts = self._texts_of()
        return texts[slot]


def _entry_row_texts(entry: TimelineEntry) -> Texts:
    return (*_entry_texts(entry), _accent(entry))


class _KeptInPlace:
    """What the rep sees in a list stays put while rows go in above it or the list is rebuilt:
    the selected row and the row at the top of the view, found again by ``key`` (or as the
    same item, when items are only inserted). A list scrolled to the top stays at the top, so
    the newest rows come into view."""

    def __init__(self, view: QListWidget, key: Callable[[QListWidgetItem], object] | None):
        self._view, self._key = view, key

    def _ident(self, item: QListWidgetItem | None) -> object:
        if item is None:
            return None
        return self._key(item) if self._key is not None else item

    def _find(self, ident: object) -> QListWidgetItem | None:
        if ident is None or self._key is None:
            return ident if isinstance(ident, QListWidgetItem) else None
        view, key = self._view, self._key
        return next((view.item(r) for r in range(view.count()) if key(view.item(r)) == ident),
                    None)  # fmt: skip

    def __enter__(self) -> _KeptInPlace:
        view = self._view
        bar = view.verticalScrollBar()
        self._at_top = bar.value() <= bar.minimum()
        top = view.itemAt(QPoint(1, 1))
        self._top = self._ident(top)
        self._offset = view.visualItemRect(top).top() if top is not None else 0
        self._current = self._ident(view.currentItem())
        return self

    def __exit__(self, *_exc: object) -> None:
        view = self._view
        view.doItemsLayout()  # the new rows counted in the scroll range now, not later
        current = self._find(self._current)
        if current is not None and current is not view.currentItem():
            with QSignalBlocker(view):
                view.setCurrentItem(current)
        bar = view.verticalScrollBar()
        top = None if self._at_top else self._find(self._top)
        if top is None:
            bar.setValue(bar.minimum())
            return
        view.scrollToItem(top, QAbstractItemView.ScrollHint.PositionAtTop)
        if view.verticalScrollMode() is QAbstractItemView.ScrollMode.ScrollPerPixel:
            bar.setValue(bar.value() - self._offset)  # the part of it scrolled past before


def _case_row_texts(row: CaseSummaryRow, current: uuid.UUID | None) -> Texts:
    head, text, accent = case_lines(row, current)
    return f"{head}: {text}", head, text, accent


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
        self._entry_shown: TimelineEntry | None = None  # the entry in the reading box
        self._case_rows: list[CaseSummaryRow] = []
        self._filter_ids: list[uuid.UUID] = []  # the cases the case filter offers
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

    # ------------------------------------------------------------------ live refresh
    def shown_case_ids(self) -> frozenset[uuid.UUID]:
        """The customer's cases listed now: a change to any of them changes this history."""
        return frozenset(row.id for row in self._case_rows)

    def refresh_case(self, case: CaseDetail) -> None:
        """The same case read again (a colleague's contact, note or change): the card, the
        cases and the newest entries of the timeline updated in place. What the rep scrolled
        to and selected stays where it was; new entries above it push nothing out of view."""
        if case.customer.id != self._customer_id:
            self.show_case(case)
            return
        self._case_id = case.id
        self.card.show_profile(case.customer, case.read_at or datetime.now(UTC))
        self._case_total = case.customer.case_count
        self._refresh_cases(case.cases, case.cases_next)
        channel, case_filter = self._filters()
        if (channel, case_filter) == (None, None):
            self._merge_newest(case.timeline, case.timeline_next)
            return
        customer_id, source, ticket = self._customer_id, self.source, self._timeline_ticket
        if customer_id is None or source is None:
            return

        def fetch(ws: Workspace) -> history.TimelinePage:
            return history.timeline_page(
                ws, customer_id, limit=PAGE, case_id=case_filter,
                channels=[channel] if channel is not None else None,
            )  # fmt: skip

        def arrived(page: history.TimelinePage) -> None:
            if ticket == self._timeline_ticket:  # the filter is still the same
                self._merge_newest(page.entries, page.next_before)

        source.read(fetch, arrived)

    def _refresh_cases(self, rows: tuple[CaseSummaryRow, ...],
                       after: history.CaseCursor | None) -> None:  # fmt: skip
        """The first page read again, merged with the older pages the rep scrolled in."""
        fresh = {row.id for row in rows}
        last = rows[-1].cursor if rows else None
        older = [row for row in self._case_rows
                 if row.id not in fresh and last is not None and row.cursor < last]  # fmt: skip
        if older:  # the rep had scrolled further (or a new case pushed rows down): go on
            after = self._cases_next  # from the last row listed
        merged = (*rows, *older)
        if merged == tuple(self._case_rows) and after == self._cases_next:
            self._update_cases_heading()
            return
        same_order = [r.id for r in merged] == [r.id for r in self._case_rows]
        if same_order:  # statuses or owners changed: the rows are rewritten where they are
            for number, row in enumerate(merged):
                if row != self._case_rows[number]:
                    self._set_case_item(self.cases.item(number), row)
            self._case_rows = list(merged)
            self._cases_next = after
            self._update_cases_heading()
        else:
            with _KeptInPlace(self.cases, lambda item: item.data(ID_ROLE)):
                self._cases_ticket = next(self._tickets)
                self._cases_loading = False
                self._case_rows = []
                self.cases.clear()
                self._append_cases(merged, after)
        self._fill_case_filter(keep=True)

    def _merge_newest(self, entries: tuple[TimelineEntry, ...],
                      after: history.Cursor | None) -> None:  # fmt: skip
        """Entries read from the top again: the ones not shown yet go in at their place (new
        ones on top). If none of them were shown before, the page is all new (more than a page
        was logged meanwhile) and the timeline starts again from it."""
        known = {entry.id for entry in self._entries}
        new = [entry for entry in entries if entry.id not in known]
        if not new:
            return
        if self._entries and len(new) == len(entries) and after is not None:
            self._set_timeline(entries, after)
            return
        if not self._entries:
            self._timeline_next = after
        with _KeptInPlace(self.timeline, None):
            for entry in new:
                position = self._position_of(entry)
                self._entries.insert(position, entry)
                self.timeline.insertItem(position, self._entry_item(entry))
        self._show_status()

    def _position_of(self, entry: TimelineEntry) -> int:
        """Where ``entry`` goes in the newest-first list (entries are few above it)."""
        key = (entry.at, entry.id or _NIL)
        for number, shown in enumerate(self._entries):
            if (shown.at, shown.id or _NIL) < key:
                return number
        return len(self._entries)

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
        current = self._case_id
        for row in rows:
            item = _LazyRow(partial(_case_row_texts, row, current))
            item.setData(ID_ROLE, row.id)
            self.cases.addItem(item)
        self._case_rows.extend(rows)
        self._update_cases_heading()

    def _set_case_item(self, item: QListWidgetItem, row: CaseSummaryRow) -> None:
        assert isinstance(item, _LazyRow)
        item.set_texts(partial(_case_row_texts, row, self._case_id))
        item.setData(ID_ROLE, row.id)  # also tells the view the row changed: it asks again

    def _update_cases_heading(self) -> None:
        total = max(self._case_total, len(self._case_rows))
        shown = len(self._case_rows)
        self.cases_heading.setText(
            f"Cases ({shown:,} of {total:,} shown)" if shown < total else f"Cases ({total:,})"
        )

    def _fill_case_filter(self, *, keep: bool) -> None:
        chosen = self.case_filter.currentData() if keep else None
        self.case_filter.blockSignals(True)
        ids = [row.id for row in self._case_rows]
        if keep and ids == self._filter_ids:  # the same cases: only "This case" moves
            for number, row in enumerate(self._case_rows, start=1):
                if row.id == self._case_id or self.case_filter.itemText(number).startswith(
                    "This case"
                ):
                    self.case_filter.setItemText(number, self._filter_label(row))
        else:
            self._filter_ids = ids
            self.case_filter.clear()
            self.case_filter.addItem("All cases", None)
            for row in self._case_rows:  # the id as a str: Qt can find it again
                self.case_filter.addItem(self._filter_label(row), str(row.id))
        index = self.case_filter.findData(chosen) if chosen is not None else 0
        self.case_filter.setCurrentIndex(max(0, index))
        self.case_filter.blockSignals(False)

    def _filter_label(self, row: CaseSummaryRow) -> str:
        if row.id == self._case_id:
            return f"This case ({row.key})"
        return f"{row.key} — {preview_line(row.subject, 40)}"

    def _filters(self) -> tuple[Channel | None, uuid.UUID | None]:
        channel = self.channel_filter.currentData()  # Qt gives a StrEnum back as a str
        case_id = self.case_filter.currentData()
        return (Channel(channel) if channel else None), (uuid.UUID(case_id) if case_id else None)

    def _set_timeline(self, entries: tuple[TimelineEntry, ...],
                      after: history.Cursor | None) -> None:  # fmt: skip
        self._timeline_ticket = next(self._tickets)
        self._timeline_loading = False
        self._entries = []
        self._entry_shown = None
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
        return _LazyRow(partial(_entry_row_texts, entry))

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
        if entry is self._entry_shown:
            return  # the same entry, moved down by newer ones: the rep's reading stays
        self._entry_shown = entry
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
            now = self.timeline.currentRow()
            if 0 <= now < len(self._entries) and self._entries[now] is entry:
                show_text(self.entry, f"{entry_heading(entry)}\n\n{text}")
                self.full_text.hide()

        source.read(lambda ws: history.entry_text(ws, entry_id), arrived)

    @Slot(QListWidgetItem)
    def _on_case_activated(self, item: QListWidgetItem) -> None:
        case_id = item.data(ID_ROLE)
        if case_id is not None and case_id != self._case_id:
            self.case_opened.emit(case_id)

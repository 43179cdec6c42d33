"""The case queue pane: one tab per view, a dense table, keyboard first."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStackedLayout,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from deskapp.gui.panes.queue_model import COLUMNS, PROMISE_COLUMN, CaseQueueModel
from deskapp.services.queue import QueueRow, QueueView

_EMPTY_TEXT = {
    QueueView.MY_CASES: "No open cases assigned to you. Take one from “My team — unassigned”.",
    QueueView.TEAM_UNASSIGNED: "Your team has no unassigned cases right now.",
    QueueView.WAITING_ON_CUSTOMER: "No cases are waiting on a customer's reply.",
    QueueView.COMMITMENTS_DUE: "No promises to a customer fall due in the next 24 hours, and "
    "none are late.",
    QueueView.ALL_OPEN: "There are no open cases.",
}
_WIDTHS = {"Key": 72, "SLA": 120, "Priority": 62, "Customer": 140, "Subject": 260,
           "Status": 115, "Mood": 72, "Waiting": 62, "Channel": 75, "Assignee": 120,
           "Transfers": 70, "Promise": 150}  # fmt: skip


class QueuePane(QWidget):
    view_changed = Signal(object)  # QueueView
    case_selected = Signal(object)  # uuid.UUID

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queuePane")
        self.setAccessibleName("Case queue")
        self._views: list[QueueView] = []
        self._current_case: uuid.UUID | None = None  # the case last announced as selected
        self.tabs = QTabBar(self)
        self.tabs.setObjectName("queueViews")
        self.tabs.setAccessibleName("Queue views")
        self.tabs.setExpanding(False)
        self.model = CaseQueueModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("caseQueue")
        self.table.setAccessibleName("Cases in this view")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        vertical = self.table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # lazy and fast at scale
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        vertical.hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column, name in enumerate(COLUMNS):
            if name in _WIDTHS:
                self.table.setColumnWidth(column, _WIDTHS[name])
        header.setStretchLastSection(True)
        # The promise timer matters only in "Commitments due": there it sits beside the key.
        header.moveSection(header.visualIndex(PROMISE_COLUMN), 1)
        self.table.setColumnHidden(PROMISE_COLUMN, True)
        self.empty = QLabel(self)
        self.empty.setObjectName("queueEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.stack = QStackedLayout()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.tabs)
        layout.addLayout(self.stack)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

    def set_views(self, views: list[QueueView]) -> None:
        self._views = list(views)
        self.tabs.blockSignals(True)
        while self.tabs.count():
            self.tabs.removeTab(0)
        for view in views:
            self.tabs.addTab(view.label)
        self.tabs.blockSignals(False)

    def current_view(self) -> QueueView | None:
        index = self.tabs.currentIndex()
        return self._views[index] if 0 <= index < len(self._views) else None

    def show_rows(self, view: QueueView, rows: list[QueueRow]) -> None:
        """Show fresh rows for ``view``, keeping the selected case selected when it is still
        there (rows may change under the rep; the open case never jumps)."""
        selected = self.selected_case()
        self.model.set_rows(rows)
        self.table.setColumnHidden(PROMISE_COLUMN, view is not QueueView.COMMITMENTS_DUE)
        self.empty.setText(_EMPTY_TEXT[view])
        self.stack.setCurrentWidget(self.table if rows else self.empty)
        row = self.model.row_of(selected) if selected else None
        if row is not None:
            self.table.selectRow(row)

    def selected_case(self) -> uuid.UUID | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()).id if index.isValid() else None

    def select_first(self) -> None:
        if self.model.rowCount():
            self.table.selectRow(0)

    @Slot(int)
    def _on_tab_changed(self, index: int) -> None:
        if 0 <= index < len(self._views):
            self.view_changed.emit(self._views[index])

    @Slot()
    def _on_current_row_changed(self, current, _previous) -> None:
        # A refresh re-selects the same case: announce only a real change, so the open case is
        # not reloaded (and nothing the rep is typing is disturbed) when rows arrive.
        if current.isValid():
            case_id = self.model.row_at(current.row()).id
            if case_id != self._current_case:
                self._current_case = case_id
                self.case_selected.emit(case_id)

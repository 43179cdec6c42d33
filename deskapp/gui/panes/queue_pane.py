"""The case queue pane: views with live counts, search, filters, a dense table, keyboard first.

It only shows and asks: the QueueController (gui/queue_controller.py) fetches rows, counts and
claims through the task runner. The table's model is windowed (queue_model.py); sorting is a
header click that becomes the SQL's ORDER BY, never a sort in Python.

Keys (also in Help ▸ Keyboard shortcuts): ↑/↓ or j/k move, Enter opens the case, Ctrl+F goes to
the search box (Esc there clears it and comes back), Take and Get next have their own keys.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Mapping

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QStackedLayout,
    QTabBar,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from deskapp.gui.appearance import is_dark
from deskapp.gui.panes.queue_cell_delegate import QueueCellDelegate
from deskapp.gui.panes.queue_cells import COLUMN_SORTS
from deskapp.gui.panes.queue_filter_menu import FilterMenu
from deskapp.gui.panes.queue_model import COLUMNS, PROMISE_COLUMN, CaseQueueModel
from deskapp.services.queue import Count, QueueFilters, QueueRow, QueueView, SortColumn

SEARCH_DEBOUNCE_MS = 250  # typing "refund" is one search, not six
TAKE_KEYS = "Ctrl+T"
GET_NEXT_KEYS = "Ctrl+G"
_EMPTY_TEXT = {
    QueueView.MY_CASES: "No open cases assigned to you. Take one from “My team — unassigned”, "
    "or press Get next.",
    QueueView.TEAM_UNASSIGNED: "Your team has no unassigned cases right now.",
    QueueView.WAITING_ON_CUSTOMER: "No cases are waiting on a customer's reply.",
    QueueView.DUE_SOON: "Nothing is due soon or breaching its SLA. Well done.",
    QueueView.COMMITMENTS_DUE: "No promises to a customer fall due in the next 24 hours, and "
    "none are late.",
    QueueView.ALL_OPEN: "There are no open cases.",
    QueueView.REP: "This person has no open cases.",
}
_WIDTHS = {"Key": 84, "SLA": 142, "Priority": 70, "Mood": 92, "Customer": 140, "Subject": 250,
           "Status": 118, "Waiting": 66, "Channel": 72, "Category": 84, "Assignee": 110,
           "Transfers": 40, "Promise": 150}  # fmt: skip
_SHORT_HEADERS = {"Transfers": "⇄"}


def view_key(view: QueueView, rep_id: uuid.UUID | None = None) -> str:
    """How a view is known in the tabs and in the settings file."""
    return f"rep:{rep_id.hex}" if view is QueueView.REP and rep_id is not None else view.value


class QueuePane(QWidget):
    view_changed = Signal(object)  # QueueView
    view_key_changed = Signal(str)
    case_selected = Signal(object)  # uuid.UUID: the current row is another case
    case_opened = Signal(object)  # uuid.UUID: Enter or a double click
    sort_changed = Signal(object, bool)  # SortColumn | None (the view's own order), descending
    filters_changed = Signal(object)  # QueueFilters
    search_changed = Signal(str)
    take_requested = Signal(object)  # QueueRow
    get_next_requested = Signal()
    person_chosen = Signal(object, str)  # user id, display name
    columns_changed = Signal()
    refresh_requested = Signal()
    list_closed = Signal(str)  # the key of a list from elsewhere whose tab was closed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queuePane")
        self.setAccessibleName("Case queue")
        self._keys: list[str] = []
        self._labels: dict[str, str] = {}
        self._counts: dict[str, Count] = {}
        self._current_case: uuid.UUID | None = None  # the case last announced as selected
        self._chosen: list[uuid.UUID] = []  # the selected cases, kept by id across refreshes
        self._default_order = True  # the view's own order: no column shows an arrow
        self._lists: dict[str, QueueView] = {}  # lists from elsewhere: their look-alike view
        self._back_key: str | None = None  # the view to go back to when a list closes
        self.model = CaseQueueModel(self)
        self._build()
        self._connect_signals()
        self.setFocusProxy(self.table)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.tabs = QTabBar(self)
        self.tabs.setObjectName("queueViews")
        self.tabs.setAccessibleName("Queue views")
        self.tabs.setExpanding(False)
        self.tabs.setUsesScrollButtons(True)
        self.tabs.setDocumentMode(True)
        self.tabs.setElideMode(Qt.TextElideMode.ElideNone)
        self.search = QLineEdit(self)
        self.search.setObjectName("queueSearch")
        self.search.setAccessibleName("Search cases")
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(10_000)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self.filter_menu = FilterMenu(self)
        self.filter_button = self._tool_button("queueFilter", "Filter",
                                               "Show only some statuses, priorities, channels, "
                                               "categories, teams or assignees")  # fmt: skip
        self.filter_button.setMenu(self.filter_menu.menu)
        self.filter_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.people_menu = QMenu("People", self)
        self.people_button = self._tool_button(
            "queuePeople", "People", "Open one person's cases in a view of its own"
        )
        self.people_button.setMenu(self.people_menu)
        self.people_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.people_button.hide()  # leads and admins only
        self.action_take = self._action(
            "actionTake", "&Take", TAKE_KEYS, "Take the selected case from your team's queue"
        )
        self.action_get_next = self._action(
            "actionGetNext",
            "&Get next",
            GET_NEXT_KEYS,
            "Take the most urgent case of your team's queue",
        )
        self.action_find = self._action("actionFindCase", "&Find a case", "",
                                        "Search the cases of this view")  # fmt: skip
        self.action_find.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Find))
        self.action_refresh = self._action(
            "actionRefreshQueue",
            "&Refresh queue",
            "",
            "Read the queue again now (it also updates itself)",
        )
        self.action_refresh.setShortcuts(
            QKeySequence.keyBindings(QKeySequence.StandardKey.Refresh) or [QKeySequence("F5")]
        )
        self.action_take.setEnabled(False)
        self.take_button = self._tool_button("queueTake", "", "")
        self.take_button.setDefaultAction(self.action_take)
        self.next_button = self._tool_button("queueGetNext", "", "")
        self.next_button.setDefaultAction(self.action_get_next)
        self._update_search_hint()
        tools = QHBoxLayout()
        tools.setContentsMargins(4, 0, 4, 0)
        tools.setSpacing(4)
        tools.addWidget(self.search, 1)
        for button in (self.filter_button, self.people_button, self.take_button,
                       self.next_button):  # fmt: skip
            tools.addWidget(button)
        self.filter_summary = QLabel(self)
        self.filter_summary.setObjectName("queueFilterSummary")
        self.filter_summary.setTextFormat(Qt.TextFormat.PlainText)
        self.filter_summary.setWordWrap(True)
        self.filter_summary.hide()
        self.notice = QLabel(self)
        self.notice.setObjectName("queueNotice")
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.table = QueueTable(self)
        self.table.setModel(self.model)
        # One call per cell, text laid out once (panes/queue_cell_delegate.py).
        self.table.setItemDelegate(QueueCellDelegate(self.model, self.table))
        self.empty = QLabel(self)
        self.empty.setObjectName("queueEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setMargin(24)
        self.stack = QStackedLayout()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.footer = QLabel(self)
        self.footer.setObjectName("queueStatus")
        self.footer.setTextFormat(Qt.TextFormat.PlainText)
        self.footer.setAccessibleName("Queue status")
        self.connection = QLabel(self)
        self.connection.setObjectName("queueConnection")
        self.connection.setTextFormat(Qt.TextFormat.PlainText)
        self.connection.hide()
        bottom = QHBoxLayout()
        bottom.setContentsMargins(6, 0, 6, 2)
        bottom.addWidget(self.footer, 1)
        bottom.addWidget(self.connection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.tabs)
        layout.addLayout(tools)
        layout.addWidget(self.filter_summary)
        layout.addWidget(self.notice)
        layout.addLayout(self.stack, 1)
        layout.addLayout(bottom)
        self._set_up_header()

    def _tool_button(self, name: str, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        if text:
            button.setText(text)
            button.setAccessibleName(text)
        if tip:
            button.setToolTip(tip)
        return button

    def _action(self, name: str, text: str, keys: str, tip: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setToolTip(tip)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(action)
        return action

    def _set_up_header(self) -> None:
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsClickable(True)
        header.setSectionsMovable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicatorClearable(True)
        header.setStretchLastSection(False)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.setMinimumSectionSize(28)
        for column, name in enumerate(COLUMNS):
            self.table.setColumnWidth(column, _WIDTHS[name])
        header.setSectionResizeMode(COLUMNS.index("Subject"), QHeaderView.ResizeMode.Interactive)
        self.table.setColumnHidden(PROMISE_COLUMN, True)
        self.default_header_state = header.saveState()
        self._clear_sort_indicator()

    def _connect_signals(self) -> None:
        header = self.table.horizontalHeader()
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.opened.connect(self._on_activated)
        header.sortIndicatorChanged.connect(self._on_sort_indicator_changed)
        header.sectionResized.connect(self._on_columns_changed)
        header.sectionMoved.connect(self._on_columns_changed)
        header.customContextMenuRequested.connect(self._on_header_menu)
        self.search.textEdited.connect(self._on_search_edited)
        self.search.textChanged.connect(self._on_search_text_changed)
        self._search_timer.timeout.connect(self._on_search_settled)
        self.search.installEventFilter(self)
        self.filter_menu.changed.connect(self._on_filters_changed)
        self.people_menu.triggered.connect(self._on_person_triggered)
        self.action_take.triggered.connect(self._on_take_triggered)
        self.action_get_next.triggered.connect(self.get_next_requested)
        self.action_find.triggered.connect(self.focus_search)
        self.action_refresh.triggered.connect(self.refresh_requested)
        self.model.modelReset.connect(self._update_take)

    # ------------------------------------------------------------------ views and counts
    def set_views(self, views: list[QueueView]) -> None:
        self.set_view_keys([(view_key(v), v.label) for v in views])

    def set_view_keys(self, views: list[tuple[str, str]]) -> None:
        self._lists.clear()
        self._keys = [key for key, _label in views]
        self._labels = dict(views)
        self.tabs.blockSignals(True)
        while self.tabs.count():
            self.tabs.removeTab(0)
        for key, _label in views:
            self.tabs.addTab(self._tab_text(key))
        self.tabs.blockSignals(False)

    def add_view(self, key: str, label: str) -> None:
        """A person's view for a lead: a tab of its own, or the one already open for them."""
        if key not in self._keys:
            self._keys.append(key)
            self._labels[key] = label
            self.tabs.blockSignals(True)
            self.tabs.addTab(self._tab_text(key))
            self.tabs.blockSignals(False)
        self.tabs.setCurrentIndex(self._keys.index(key))

    def current_key(self) -> str | None:
        index = self.tabs.currentIndex()
        return self._keys[index] if 0 <= index < len(self._keys) else None

    def current_view(self) -> QueueView | None:
        key = self.current_key()
        if key is None:
            return None
        if key in self._lists:
            return self._lists[key]
        return QueueView.REP if key.startswith("rep:") else QueueView(key)

    def select_view(self, key: str) -> None:
        if key in self._keys:
            self.tabs.setCurrentIndex(self._keys.index(key))

    def set_counts(self, counts: Mapping[str, Count]) -> None:
        """Live counts in the tabs: "Due soon / breaching SLA  7", "All open  100,000+"."""
        self._counts.update(counts)
        for index, key in enumerate(self._keys):
            if key in self._lists:  # a list from the board counts itself in its name
                continue
            self.tabs.setTabText(index, self._tab_text(key))
            count = self._counts.get(key)
            shown = "…" if count is None else count.label()
            self.tabs.setTabToolTip(index, f"{self._labels[key]}: {shown}")

    def count_of(self, key: str) -> int | None:
        """The tab's count (the cap when there are more: see ``count_label``)."""
        count = self._counts.get(key)
        return None if count is None else count.value

    def count_label(self, key: str) -> str | None:
        count = self._counts.get(key)
        return None if count is None else count.label()

    def _tab_text(self, key: str) -> str:
        count = self._counts.get(key)
        label = self._labels[key].replace("&", "&&")
        return label if count is None else f"{label}  {count.label()}"

    def set_people(self, people: list[tuple[uuid.UUID, str, int]]) -> None:
        """A lead's team with their open-case counts: the People menu."""
        self.people_menu.clear()
        for user_id, name, open_cases in people:
            action = self.people_menu.addAction(f"{name.replace('&', '&&')}  ({open_cases})")
            action.setData((user_id, name))
        self.people_button.setVisible(bool(people))

    # ------------------------------------------------------------------ rows
    def show_rows(self, view: QueueView, rows: list[QueueRow]) -> None:
        """Show a short fixed list for ``view`` (every row at once), keeping the selected case
        selected when it is still there."""
        selected = self.selected_case()
        self.model.set_rows(rows)
        self.show_loaded(view, len(rows), searching=False)
        if selected is not None:
            self.reselect(selected)

    def show_loaded(self, view: QueueView, count: int, *, searching: bool) -> None:
        """After a (re)load: the table, or the empty state saying why it is empty."""
        self.table.setColumnHidden(PROMISE_COLUMN, view is not QueueView.COMMITMENTS_DUE)
        if count == 0 and (searching or self.filter_menu.active_count()):
            self.empty.setText("No cases in this view match your search or filters. Clear the "
                               "search box (Esc) or the filters to see them all.")  # fmt: skip
        else:
            self.empty.setText(_EMPTY_TEXT[view])
        self.stack.setCurrentWidget(self.table if count else self.empty)
        self._update_take()

    def set_footer(self, text: str) -> None:
        self.footer.setText(text)

    def show_notice(self, text: str) -> None:
        """A line above the table (what Take or Get next did); empty hides it."""
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def show_connection(self, text: str) -> None:
        """ "Reconnecting…" while the server is away: the rows stay as they were."""
        self.connection.setText(text)
        self.connection.setVisible(bool(text))

    def selected_case(self) -> uuid.UUID | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row = self.model.row_at(index.row())  # None while its page is being fetched again
        return row.id if row is not None else self._current_case

    def selected_row(self) -> QueueRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def selected_case_ids(self) -> list[uuid.UUID]:
        """The cases selected (Ctrl+ or Shift+click, Shift+arrows) in queue order; the current
        case alone when nothing is selected. Rows still being fetched are left out."""
        positions = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        ids = [row.id for p in positions if (row := self.model.row_at(p)) is not None]
        current = self.selected_case()
        return ids or ([current] if current is not None else [])

    def select_first(self) -> None:
        if self.model.rowCount():
            self.table.selectRow(0)

    def reselect(self, case_id: uuid.UUID) -> None:
        """After rows changed: keep ``case_id`` the current row wherever it went, without
        announcing it again (the open case is not reloaded, nothing typed is disturbed). Gone
        from the fetched rows: nothing is highlighted rather than another case."""
        position = self.model.row_of(case_id)
        current = self.table.currentIndex()
        # Cases selected with it (a lead's multi-selection) follow their cases, not positions.
        others = [c for c in self._chosen if c != case_id] if position is not None else []
        if position is not None and current.isValid() and current.row() == position and not others:
            return
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        if position is None:
            selection.clear()
        else:
            column = current.column() if current.isValid() else 0
            selection.setCurrentIndex(
                self.model.index(position, column),
                selection.SelectionFlag.ClearAndSelect | selection.SelectionFlag.Rows,
            )
            also = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
            for other in self.model.positions_of(set(others)):
                selection.select(self.model.index(other, 0), also)
        selection.blockSignals(False)
        self.table.viewport().update()
        self._update_take()

    def visible_pages(self, page_size: int) -> set[int]:
        """The pages the rows on screen (and the current row) belong to."""
        table = self.table
        top = table.rowAt(0)
        bottom = table.rowAt(table.viewport().height() - 1)
        if top < 0:
            top = 0
        if bottom < 0:
            bottom = min(self.model.rowCount() - 1, top + 50)
        pages = set(range(top // page_size, bottom // page_size + 1))
        current = table.currentIndex()
        if current.isValid():
            pages.add(current.row() // page_size)
        return {p for p in pages if p * page_size < self.model.rowCount()}

    # ------------------------------------------------------------------ lists from elsewhere
    # A fixed list of cases (a number clicked on the team board) in a tab of its own, with a
    # close button; the normal views stay a click away and closing it goes back to the last one.
    # The controller reads the rows (queue_controller.show_list); search, filters and sorting
    # belong to the normal views and wait, greyed, until the lead goes back to one.
    def show_list(self, key: str, label: str, view: QueueView, rows: list[QueueRow]) -> None:
        """Show ``rows`` in the tab ``key`` named ``label``; ``view`` decides the columns."""
        self._lists[key] = view
        self._labels[key] = label
        if key not in self._keys:
            self._keys.append(key)
            self.tabs.blockSignals(True)
            index = self.tabs.addTab(self._tab_text(key))
            self.tabs.setTabButton(index, QTabBar.ButtonPosition.RightSide,
                                   self._list_close_button(key))  # fmt: skip
            self.tabs.blockSignals(False)
        index = self._keys.index(key)
        self.tabs.setTabText(index, self._tab_text(key))
        self.tabs.setTabToolTip(index, f"{label}: a list from the team board. Close it (✕) to "
                                "go back to your views.")  # fmt: skip
        self.tabs.setCurrentIndex(index)
        self._set_list_mode(key)  # again: the controller restored the header meanwhile
        self.show_rows(view, rows)
        if not rows:
            self.empty.setText("None of these cases is left: the number on the board has "
                               "changed. Close this tab to go back to your views.")  # fmt: skip

    def close_list(self, key: str) -> None:
        """Close the list's tab and go back to the view it was opened from."""
        if key not in self._lists or key not in self._keys:
            return
        if self.current_key() == key:
            others = [k for k in self._keys if k not in self._lists]
            back = self._back_key if self._back_key in others else others[0] if others else None
            if back is not None:
                self.select_view(back)
        index = self._keys.index(key)
        self.tabs.blockSignals(True)
        self._keys.pop(index)
        self._labels.pop(key, None)
        self._lists.pop(key, None)
        self.tabs.removeTab(index)
        self.tabs.blockSignals(False)
        self.list_closed.emit(key)

    def is_list(self, key: str | None) -> bool:
        return key in self._lists

    def _list_close_button(self, key: str) -> QToolButton:
        button = QToolButton(self.tabs)
        button.setObjectName("queueListClose")
        button.setText("✕")
        button.setAutoRaise(True)
        button.setAccessibleName("Close this list and go back to your views")
        button.setToolTip("Close this list and go back to your views")
        button.clicked.connect(lambda: self.close_list(key))
        return button

    def _set_list_mode(self, key: str) -> None:
        """Greys what does not apply to a list; remembers the normal view to come back to."""
        listing = key in self._lists
        if not listing:
            self._back_key = key
        for widget in (self.search, self.filter_button):
            widget.setEnabled(not listing)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(not listing)
        header.setSortIndicatorShown(not listing)

    # ------------------------------------------------------------------ sort, columns, search
    def set_sort(self, sort: SortColumn | None, descending: bool) -> None:
        """Show the order in force (no arrow for the view's own order)."""
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        names = [n for n, s in COLUMN_SORTS.items() if s is sort]
        if names:
            order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            header.setSortIndicator(COLUMNS.index(names[0]), order)
        else:
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)

    def _clear_sort_indicator(self) -> None:
        self.set_sort(None, False)

    def header_state(self) -> str:
        return base64.b64encode(self.table.horizontalHeader().saveState().data()).decode()

    def restore_header(self, state: str, view: QueueView) -> None:
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        restored = False
        if state:
            try:
                restored = header.restoreState(QByteArray(base64.b64decode(state, validate=True)))
            except (binascii.Error, ValueError):
                restored = False
        if not restored:
            header.restoreState(self.default_header_state)
            if view is QueueView.COMMITMENTS_DUE:  # the promise is what this view is about
                header.moveSection(header.visualIndex(PROMISE_COLUMN), 1)
        header.blockSignals(False)
        self.table.setColumnHidden(PROMISE_COLUMN, view is not QueueView.COMMITMENTS_DUE)

    def set_search_text(self, text: str) -> None:
        self.search.setText(text)

    def set_filters(self, filters: QueueFilters) -> None:
        self.filter_menu.set_filters(filters, announce=False)
        self._show_filter_summary()

    @Slot()
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _update_search_hint(self) -> None:
        keys = self.action_find.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        hint = f"Search cases ({keys})" if keys else "Search cases"
        self.search.setPlaceholderText(f"{hint}: words, a name, e-mail, phone or case number")

    def _show_filter_summary(self) -> None:
        summary = self.filter_menu.describe()
        count = self.filter_menu.active_count()
        self.filter_button.setText(f"Filter · {count}" if count else "Filter")
        self.filter_summary.setText(f"Showing only {summary}" if summary else "")
        self.filter_summary.setVisible(bool(summary))

    # ------------------------------------------------------------------ slots
    @Slot(int)
    def _on_tab_changed(self, index: int) -> None:
        if 0 <= index < len(self._keys):
            self._set_list_mode(self._keys[index])
            self.view_key_changed.emit(self._keys[index])
            view = self.current_view()
            if view is not None:
                self.view_changed.emit(view)

    @Slot(QModelIndex, QModelIndex)
    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        # A refresh re-selects the same case: announce only a real change, so the open case is
        # not reloaded (and nothing the rep is typing is disturbed) when rows arrive.
        self._update_take()
        row = self.model.row_at(current.row()) if current.isValid() else None
        if row is not None and row.id != self._current_case:
            self._current_case = row.id
            self.case_selected.emit(row.id)

    @Slot()
    def _on_selection_changed(self, *_changes: object) -> None:
        positions = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        self._chosen = [row.id for p in positions if (row := self.model.row_at(p)) is not None]

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row()) if index.isValid() else None
        if row is not None:
            self._current_case = row.id
            self.case_opened.emit(row.id)

    @Slot(int, Qt.SortOrder)
    def _on_sort_indicator_changed(self, section: int, order: Qt.SortOrder) -> None:
        name = COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        sort = COLUMN_SORTS.get(name) if name else None
        if sort is SortColumn.PROMISE and self.current_view() is not QueueView.COMMITMENTS_DUE:
            sort = None
        if sort is None:
            self._clear_sort_indicator()
            self.sort_changed.emit(None, False)
            return
        self.sort_changed.emit(sort, order == Qt.SortOrder.DescendingOrder)

    @Slot()
    def _on_columns_changed(self) -> None:
        self.columns_changed.emit()

    @Slot(object)
    def _on_header_menu(self, position) -> None:
        menu = QMenu(self)
        for column, name in enumerate(COLUMNS):
            if column == PROMISE_COLUMN or name == "Key":
                continue
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.toggled.connect(lambda shown, c=column: self._show_column(c, shown))
        menu.addSeparator()
        menu.addAction("Reset columns", self._reset_columns)
        menu.popup(self.table.horizontalHeader().mapToGlobal(position))

    def _show_column(self, column: int, shown: bool) -> None:
        self.table.setColumnHidden(column, not shown)
        self.columns_changed.emit()

    def _reset_columns(self) -> None:
        view = self.current_view() or QueueView.MY_CASES
        self.restore_header("", view)
        self.columns_changed.emit()

    @Slot(str)
    def _on_search_edited(self, _text: str) -> None:
        self._search_timer.start()

    @Slot(str)
    def _on_search_text_changed(self, text: str) -> None:
        if not text:  # the clear button, or Esc: no need to wait
            self._search_timer.stop()
            self.search_changed.emit("")

    @Slot()
    def _on_search_settled(self) -> None:
        self.search_changed.emit(self.search.text())

    @Slot(object)
    def _on_filters_changed(self, filters: QueueFilters) -> None:
        self._show_filter_summary()
        self.filters_changed.emit(filters)

    @Slot(QAction)
    def _on_person_triggered(self, action: QAction) -> None:
        data = action.data()
        if data:
            self.person_chosen.emit(data[0], data[1])

    @Slot()
    def _on_take_triggered(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.take_requested.emit(row)

    @Slot()
    def _update_take(self) -> None:
        row = self.selected_row()
        self.action_take.setEnabled(row is not None and row.assignee_id is None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape:
                self.search.clear()
                self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return True
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
                if not self.table.currentIndex().isValid():
                    self.select_first()
                return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.model.set_dark(is_dark(self.palette()))
        super().changeEvent(event)

    def showEvent(self, event) -> None:
        self.model.set_dark(is_dark(self.palette()))
        super().showEvent(event)


class QueueTable(QTableView):
    """The queue's table: fixed row heights (lazy at any size), j/k like ↓/↑, Enter opens."""

    opened = Signal(QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseQueue")
        self.setAccessibleName("Cases in this view")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Ctrl/Shift+click select several cases (a lead reassigns them together); the current
        # row is still the one case in view.
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Rows drag out as case ids (panes/case_drag.py): a lead drops them on a rep on the
        # team board to reassign them. Nothing is dropped here.
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.setCornerButtonEnabled(False)
        self.setIconSize(self.iconSize().scaled(12, 12, Qt.AspectRatioMode.KeepAspectRatio))
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # lazy and fast at scale
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 6)
        vertical.hide()
        self.doubleClicked.connect(self.opened)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        modifiers = event.modifiers()
        plain = modifiers in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if plain and event.key() in (Qt.Key.Key_J, Qt.Key.Key_K):
            self._step(1 if event.key() == Qt.Key.Key_J else -1)
            return
        if plain and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.currentIndex().isValid():
                self.opened.emit(self.currentIndex())
            return
        super().keyPressEvent(event)

    def _step(self, by: int) -> None:
        current = self.currentIndex()
        row = (current.row() + by) if current.isValid() else 0
        row = max(0, min(row, self.model().rowCount() - 1))
        if row >= 0:
            index = self.model().index(row, current.column() if current.isValid() else 0)
            self.setCurrentIndex(index)
            self.scrollTo(index)

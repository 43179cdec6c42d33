"""CaseQueueModel: a window over a view of any size, fetched a page at a time as it scrolls.

The model knows how many rows the view holds (one count query) and keeps only the pages fetched
so far, keyed by position. A row not fetched yet is a placeholder ("Loading…"); asking for it
notes its page, and ``pages_wanted`` tells the controller which pages to fetch on the task
runner (the GUI thread never waits). Pages come back with ``put_page``: the first by position,
the next ones by keyset after the page before (services/queue.py), so scrolling down costs the
same at row 90,000 as at row 100.

``data()`` is a dict lookup and a tuple index (DESIGN.md §3): every cell's text, colour, icon and
spoken text is worked out when its row arrives (queue_cells.py). The SLA, waiting and promise
cells move with the clock: a timer re-renders the fetched rows from what they hold and signals
that those columns changed, with no database query.

Replies carry the model's generation: a page asked for before the view, sort, filter or search
changed is dropped when it arrives.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush

from deskapp.domain.sla_clock import BusinessCalendar
from deskapp.gui.panes import queue_cells as cells
from deskapp.gui.panes.case_drag import CASE_IDS_MIME, case_ids_mime
from deskapp.gui.panes.queue_cells import COLUMNS, PROMISE_COLUMN, SLA_COLUMN, TICKING
from deskapp.services.presence import Present
from deskapp.services.queue import Keyset, QueueRow

__all__ = ["COLUMNS", "PAGE", "PROMISE_COLUMN", "SLA_COLUMN", "CaseQueueModel"]

PAGE = 100  # rows per fetch: a screenful or three
MAX_PAGES = 40  # kept in memory; the farthest from where the rep looks are dropped first
TICK_MS = 15_000  # the countdowns show minutes: a quarter-minute tick is never visibly late
_SUBJECT = COLUMNS.index("Subject")
_R = Qt.ItemDataRole
Index = QModelIndex | QPersistentModelIndex
# Which part of a rendered row answers each role (queue_cells.Rendered's field order).
_SLOTS: dict[int, int] = {_R.DisplayRole: 0, _R.ForegroundRole: 1, _R.DecorationRole: 2,
          _R.AccessibleTextRole: 3, _R.ToolTipRole: 4, _R.FontRole: 5}  # fmt: skip
_FLAG = Qt.ItemFlag
_DRAGGABLE = _FLAG.ItemIsEnabled | _FLAG.ItemIsSelectable | _FLAG.ItemIsDragEnabled


class CaseQueueModel(QAbstractTableModel):
    pages_wanted = Signal(list)  # page numbers to fetch, nearest first

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.generation = 0
        self._count = 0
        self._rows: dict[int, QueueRow] = {}
        self._cells: dict[int, cells.Rendered] = {}
        self._pages: dict[int, Keyset | None] = {}  # fetched page -> the keyset it ended on
        self._asked: set[int] = set()  # pages being fetched
        self._wanted: list[int] = []
        self._last_wanted = 0
        self._calendars: Mapping[uuid.UUID, BusinessCalendar] = {}
        self._clock_skew = timedelta(0)  # the server's clock minus this computer's
        self._look = cells.look(False)
        # Who else has a case open (gui/presence.py reads it for the rows on screen).
        self._presence: dict[uuid.UUID, tuple[Present, ...]] = {}
        self._placeholder = ("…",) + ("",) * (len(COLUMNS) - 1)
        self._ask_timer = QTimer(self)
        self._ask_timer.setSingleShot(True)
        self._ask_timer.setInterval(0)
        self._ask_timer.timeout.connect(self._ask)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.refresh_countdowns)
        self._tick.start()

    # ------------------------------------------------------------------ Qt interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = _R.DisplayRole) -> Any:  # fmt: skip
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role in (_R.DisplayRole, _R.AccessibleTextRole):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = _R.DisplayRole) -> Any:
        slot = _SLOTS.get(role)
        if slot is None:  # most roles a view asks about: answered before touching the index
            return None
        row = self._cells.get(index.row())
        if row is None:
            return self._placeholder_data(index, role)
        return row[slot][index.column()]

    def placeholder(self, index: Index) -> tuple[str, QBrush]:
        """A cell of a row not fetched yet: its text and colour (the cell delegate paints it).
        Asking notes the row's page as wanted, as data() does."""
        return self._placeholder_data(index, _R.DisplayRole), self._look.brushes["grey"]

    def _placeholder_data(self, index: Index, role: int) -> Any:
        if role == _R.DisplayRole:
            self._want(index.row() // PAGE)
            return "Loading…" if index.column() == _SUBJECT else self._placeholder[index.column()]
        if role == _R.AccessibleTextRole:
            return "Loading"
        if role == _R.ForegroundRole:
            return self._look.brushes["grey"]
        return None

    # ------------------------------------------------------------------ drag source
    # Rows can be dragged out as case ids (panes/case_drag.py): onto a rep on the team board.
    def flags(self, index: Index) -> Qt.ItemFlag:
        return _DRAGGABLE if index.isValid() else _FLAG.NoItemFlags

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction  # nothing leaves the queue until the reassign is done

    def mimeTypes(self) -> list[str]:
        return [CASE_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        positions = sorted({i.row() for i in indexes if i.isValid()})
        return case_ids_mime(r.id for p in positions if (r := self._rows.get(p)) is not None)

    # ------------------------------------------------------------------ pages
    def reset(self, count: int, first: list[QueueRow], last: Keyset | None) -> int:
        """A new view, order, filter or search: ``count`` rows, the first page given."""
        self.beginResetModel()
        self.generation += 1
        self._count = max(count, len(first))
        self._rows.clear()
        self._cells.clear()
        self._pages.clear()
        self._asked.clear()
        self._wanted.clear()
        self._store(0, first, last)
        self.endResetModel()
        return self.generation

    def set_rows(self, rows: list[QueueRow]) -> None:
        """Every row at once (a short list, tests): the whole view is one fetched block."""
        self.beginResetModel()
        self.generation += 1
        self._count = len(rows)
        self._rows.clear()
        self._cells.clear()
        self._pages.clear()
        self._asked.clear()
        for start in range(0, len(rows), PAGE):
            self._store(start // PAGE, rows[start : start + PAGE], None)
        self.endResetModel()

    def put_page(
        self, generation: int, page: int, rows: list[QueueRow], last: Keyset | None
    ) -> bool:
        """A fetched page arrives. False (and nothing changes) when it belongs to an earlier
        view or order, or falls past the end."""
        self._asked.discard(page)
        if generation != self.generation or page * PAGE >= self._count:
            return False
        self._store(page, rows, last)
        first = page * PAGE
        end = min(first + PAGE, self._count) - 1
        self.dataChanged.emit(self.index(first, 0), self.index(end, len(COLUMNS) - 1))
        self._forget_far_pages(page)
        return True

    def page_failed(self, generation: int, page: int) -> None:
        """A fetch failed: the page may be asked for again when it is looked at."""
        if generation == self.generation:
            self._asked.discard(page)

    def set_count(self, count: int) -> None:
        """The view grew or shrank (a refresh): rows come or go at the end, so the rows on
        screen, the scroll position and the selection stay where they are; the refreshed
        pages then bring each position's current row."""
        if count > self._count:
            self.beginInsertRows(QModelIndex(), self._count, count - 1)
            self._count = count
            self.endInsertRows()
        elif count < self._count:
            self.beginRemoveRows(QModelIndex(), count, self._count - 1)
            for position in [p for p in self._rows if p >= count]:
                del self._rows[position]
                del self._cells[position]
            for page in [p for p in self._pages if p * PAGE >= count]:
                del self._pages[page]
            self._count = count
            self.endRemoveRows()

    def forget_pages_except(self, keep: set[int]) -> None:
        """After a change elsewhere: pages not being refreshed now are fetched again when
        looked at (they show placeholders until then)."""
        for page in [p for p in self._pages if p not in keep]:
            del self._pages[page]
            for position in range(page * PAGE, min((page + 1) * PAGE, self._count)):
                self._rows.pop(position, None)
                self._cells.pop(position, None)

    def loaded_pages(self) -> list[int]:
        return sorted(self._pages)

    def keyset_before(self, page: int) -> Keyset | None:
        """Where ``page`` starts, when the page before it was fetched: fetch by keyset then."""
        return self._pages.get(page - 1)

    def is_loaded(self, row: int) -> bool:
        return row in self._cells

    def _store(self, page: int, rows: list[QueueRow], last: Keyset | None) -> None:
        now = self.now()
        first = page * PAGE
        for offset, row in enumerate(rows):
            if first + offset >= self._count:
                break
            self._rows[first + offset] = row
            self._cells[first + offset] = cells.render(row, now, self._calendars, self._look,
                                                       self._presence.get(row.id, ()))  # fmt: skip
        for position in range(first + len(rows), min(first + PAGE, self._count)):
            self._rows.pop(position, None)  # the page came back short: the view shrank
            self._cells.pop(position, None)
        self._pages[page] = last

    def _want(self, page: int) -> None:
        self._last_wanted = page
        for wanted in (page, page + 1):  # and the page after: scrolling on finds it ready
            if (
                wanted not in self._pages
                and wanted not in self._asked
                and wanted * PAGE < self._count
                and wanted not in self._wanted
            ):
                self._wanted.append(wanted)
        if self._wanted and not self._ask_timer.isActive():
            self._ask_timer.start()

    def _ask(self) -> None:
        wanted = sorted(self._wanted, key=lambda p: abs(p - self._last_wanted))
        self._wanted.clear()
        self._asked.update(wanted)
        if wanted:
            self.pages_wanted.emit(wanted)

    def _forget_far_pages(self, near: int) -> None:
        while len(self._pages) > MAX_PAGES:
            far = max(self._pages, key=lambda p: abs(p - near))
            self.forget_pages_except(set(self._pages) - {far})

    # ------------------------------------------------------------------ rows
    def row_at(self, row: int) -> QueueRow | None:
        return self._rows.get(row)

    def rendered(self, row: int) -> cells.Rendered | None:
        """How a fetched row reads and looks (the cell delegate paints from it); None while
        the row is a placeholder."""
        return self._cells.get(row)

    def positions_of(self, case_ids: set[uuid.UUID]) -> list[int]:
        """Where these cases are among the fetched rows (one pass, for a multi-selection)."""
        return sorted(position for position, row in self._rows.items() if row.id in case_ids)

    def row_of(self, case_id: object) -> int | None:
        """Where a case is among the fetched rows (None: not fetched, or not in the view)."""
        for position, row in self._rows.items():
            if row.id == case_id:
                return position
        return None

    # ------------------------------------------------------------------ the clock and the look
    def now(self) -> datetime:
        return datetime.now(UTC) + self._clock_skew

    def set_clock(
        self, server_now: datetime, calendars: Mapping[uuid.UUID, BusinessCalendar]
    ) -> None:
        """The server's time (read just now) and the teams' business hours: the countdowns
        count in the server's time and each team's working hours."""
        self._clock_skew = server_now - datetime.now(UTC)
        self._calendars = dict(calendars)
        self.refresh_countdowns()

    def set_dark(self, dark: bool) -> None:
        if dark != self._look.dark:
            self._look = cells.look(dark)
            self._rerender(range(len(COLUMNS)))

    def refresh_countdowns(self) -> None:
        """Tick the SLA, waiting and promise columns of the fetched rows, without a query."""
        self._rerender(TICKING)

    def _rerender(self, columns: range | tuple[int, ...]) -> None:
        if not self._cells:
            return
        now = self.now()
        for position, row in self._rows.items():
            self._cells[position] = cells.render(row, now, self._calendars, self._look,
                                                 self._presence.get(row.id, ()))  # fmt: skip
        top, bottom = min(self._cells), max(self._cells)
        self.dataChanged.emit(self.index(top, min(columns)), self.index(bottom, max(columns)))

    # ------------------------------------------------------------------ presence
    def set_presence(
        self, looked_at: set[uuid.UUID], found: Mapping[uuid.UUID, tuple[Present, ...]]
    ) -> None:
        """Who else is on the cases in ``looked_at`` now (``found``: those somebody is on).
        Rows of other cases keep what they had; only rows whose people changed repaint."""
        changed = {
            case_id for case_id in looked_at
            if found.get(case_id, ()) != self._presence.get(case_id, ())
        }  # fmt: skip
        if not changed:
            return
        for case_id in changed:
            if found.get(case_id):
                self._presence[case_id] = found[case_id]
            else:
                self._presence.pop(case_id, None)
        now = self.now()
        for position, row in self._rows.items():
            if row.id in changed:
                self._cells[position] = cells.render(row, now, self._calendars, self._look,
                                                     self._presence.get(row.id, ()))  # fmt: skip
                self.dataChanged.emit(self.index(position, 0), self.index(position, 0))

    def presence_of(self, case_id: uuid.UUID) -> tuple[Present, ...]:
        return self._presence.get(case_id, ())

    def clear_presence(self) -> None:
        self.set_presence(set(self._presence), {})

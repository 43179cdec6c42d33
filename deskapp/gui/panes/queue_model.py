"""CaseQueueModel: a table over plain QueueRow tuples.

``data()`` does a tuple index and a dict lookup, nothing more: display strings and colours are
computed when rows arrive, and the SLA, waiting and promise columns are recomputed by a
one-minute timer that then signals just those columns changed (DESIGN.md §3).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor

from deskapp.domain.enums import Mood, Priority
from deskapp.gui.panes import formatting as fmt
from deskapp.services.queue import QueueRow

# What a rep scans first comes first: which case, how close to breach, how urgent, who.
COLUMNS = ["Key", "SLA", "Priority", "Customer", "Subject", "Status", "Mood", "Waiting",
           "Channel", "Assignee", "Transfers", "Promise"]  # fmt: skip
SLA_COLUMN = COLUMNS.index("SLA")
PROMISE_COLUMN = COLUMNS.index("Promise")  # the soonest open promise ("Commitments due" view)
_RED, _AMBER, _GREEN, _GREY = (QBrush(QColor(c)) for c in ("#b3261e", "#a15c00", "#1e6b34",
                                                             "#5f6368"))  # fmt: skip
_SLA_BRUSHES = {"breached": _RED, "due_soon": _AMBER, "on_track": _GREEN, "none": _GREY}
_PROMISE_BRUSHES = {"overdue": _RED, "due_soon": _AMBER}
_MOOD_BRUSHES = {Mood.ANGRY: _RED, Mood.FRUSTRATED: _AMBER}
_PRIORITY_BRUSHES = {Priority.URGENT: _RED, Priority.HIGH: _AMBER}
_MOOD_COLUMN, _PRIORITY_COLUMN = COLUMNS.index("Mood"), COLUMNS.index("Priority")
_WAITING_COLUMN = COLUMNS.index("Waiting")
_TICKING = (SLA_COLUMN, _WAITING_COLUMN, PROMISE_COLUMN)
Index = QModelIndex | QPersistentModelIndex


class CaseQueueModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[QueueRow] = []
        self._display: list[list[str]] = []
        self._sla_state: list[str] = []
        self._foreground: dict[tuple[int, int], QBrush] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(60_000)
        self._timer.timeout.connect(self.refresh_countdowns)
        self._timer.start()

    # ------------------------------------------------------------------ Qt interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display[index.row()][index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground.get((index.row(), index.column()))
        return None

    # ------------------------------------------------------------------ our interface
    def set_rows(self, rows: list[QueueRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        now = datetime.now(UTC)
        self._display = [self._render(row, now) for row in self._rows]
        self._recolour(now)
        self.endResetModel()

    def row_at(self, row: int) -> QueueRow:
        return self._rows[row]

    def row_of(self, case_id: object) -> int | None:
        for number, row in enumerate(self._rows):
            if row.id == case_id:
                return number
        return None

    def refresh_countdowns(self) -> None:
        """Tick the SLA and waiting columns without a reload."""
        if not self._rows:
            return
        now = datetime.now(UTC)
        for number, row in enumerate(self._rows):
            self._display[number][SLA_COLUMN] = fmt.sla_text(row.resolution_due, now)[0]
            self._display[number][_WAITING_COLUMN] = fmt.waiting_text(row.waiting_since, now)
            self._display[number][PROMISE_COLUMN] = _promise_text(row, now)
        self._recolour(now)
        first, last = min(_TICKING), max(_TICKING)
        self.dataChanged.emit(self.index(0, first), self.index(len(self._rows) - 1, last))

    def _render(self, row: QueueRow, now: datetime) -> list[str]:
        cells = {
            "Key": row.key,
            "SLA": fmt.sla_text(row.resolution_due, now)[0],
            "Priority": fmt.PRIORITY_LABELS[row.priority],
            "Customer": row.customer_name,
            "Subject": row.subject,
            "Status": fmt.STATUS_LABELS[row.status],
            "Mood": fmt.MOOD_LABELS[row.mood],
            "Waiting": fmt.waiting_text(row.waiting_since, now),
            "Channel": fmt.CHANNEL_LABELS[row.channel],
            "Assignee": row.assignee_name or "Unassigned",
            "Transfers": str(row.transfer_count) if row.transfer_count else "",
            "Promise": _promise_text(row, now),
        }
        return [cells[name] for name in COLUMNS]

    def _recolour(self, now: datetime) -> None:
        colours: dict[tuple[int, int], QBrush] = {}
        for number, row in enumerate(self._rows):
            state = fmt.sla_text(row.resolution_due, now)[1]
            colours[(number, SLA_COLUMN)] = _SLA_BRUSHES[state]
            if row.mood in _MOOD_BRUSHES:
                colours[(number, _MOOD_COLUMN)] = _MOOD_BRUSHES[row.mood]
            if row.priority in _PRIORITY_BRUSHES:
                colours[(number, _PRIORITY_COLUMN)] = _PRIORITY_BRUSHES[row.priority]
            if row.commitment_due is not None:
                promise_state = fmt.promise_timer(row.commitment_due, now)[1]
                if promise_state in _PROMISE_BRUSHES:
                    colours[(number, PROMISE_COLUMN)] = _PROMISE_BRUSHES[promise_state]
        self._foreground = colours


def _promise_text(row: QueueRow, now: datetime) -> str:
    return "" if row.commitment_due is None else fmt.promise_timer(row.commitment_due, now)[0]

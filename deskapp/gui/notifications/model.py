"""The centre's list: newest first, unread in bold, at most MAX_ENTRIES kept.

Rows are tuples prepared once (DESIGN.md §3: ``data()`` only indexes); the text is shown by
the default delegate, which never interprets markup, so a subject like ``<b>x</b>`` shows
those characters.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from deskapp.gui.panes.plain import preview_line
from deskapp.services.notifications import Notification

MAX_ENTRIES = 200  # a long absence must not grow the list without end
NOTIFICATION_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Entry:
    notification: Notification
    text: str  # what the row shows: time and headline, then the detail, each on one line
    read: bool = False


def entry_for(notification: Notification, received: datetime) -> Entry:
    head = preview_line(notification.headline, 160)
    detail = preview_line(notification.detail, 160)
    return Entry(notification, f"{received:%H:%M}  {head}\n{detail}")


class NotificationListModel(QAbstractListModel):
    unread_changed = Signal(int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Entry] = []
        self._bold = QFont()
        self._bold.setBold(True)

    # ------------------------------------------------------------------ Qt
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.text
        if role == Qt.ItemDataRole.FontRole:
            return None if entry.read else self._bold
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return entry.text if entry.read else f"Unread: {entry.text}"
        if role == NOTIFICATION_ROLE:
            return entry.notification
        return None

    # ------------------------------------------------------------------ changes
    @property
    def unread_count(self) -> int:
        return sum(not entry.read for entry in self._rows)

    def notification_at(self, row: int) -> Notification:
        return self._rows[row].notification

    def is_read(self, row: int) -> bool:
        return self._rows[row].read

    def add(self, notifications: list[Notification], received: datetime) -> None:
        """``notifications`` oldest first, as the service returns them; shown newest first."""
        if not notifications:
            return
        fresh = [entry_for(n, received) for n in reversed(notifications)][:MAX_ENTRIES]
        self.beginInsertRows(QModelIndex(), 0, len(fresh) - 1)
        self._rows[:0] = fresh
        self.endInsertRows()
        if len(self._rows) > MAX_ENTRIES:
            self.beginRemoveRows(QModelIndex(), MAX_ENTRIES, len(self._rows) - 1)
            del self._rows[MAX_ENTRIES:]
            self.endRemoveRows()
        self.unread_changed.emit(self.unread_count)

    def mark_read(self, row: int) -> None:
        if self._rows[row].read:
            return
        self._rows[row] = replace(self._rows[row], read=True)
        changed = self.index(row)
        self.dataChanged.emit(changed, changed)
        self.unread_changed.emit(self.unread_count)

    def mark_all_read(self) -> None:
        if not self._rows:
            return
        self._rows = [replace(entry, read=True) for entry in self._rows]
        self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))
        self.unread_changed.emit(0)

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self.endResetModel()
        self.unread_changed.emit(0)

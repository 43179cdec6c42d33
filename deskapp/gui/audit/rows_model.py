"""AuditRowsModel: audit events as table rows, each formatted once when a page arrives, so
``data()`` is a tuple index (DESIGN.md §3). Pages of the team log are appended at the end.

Item views draw DisplayRole text as plain text; tooltips, which Qt would render as rich text,
go through plain_tooltip. A reason a person typed is shown as typed, never as markup.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes.plain import plain_tooltip, preview_line
from deskapp.services.audit_review import AuditRow

Index = QModelIndex | QPersistentModelIndex
WHEN, CASE, WHO, WHAT, WHY = "When", "Case", "Who", "What", "Why"
_TIPS = {
    WHEN: "When it happened, in this computer's time zone",
    CASE: "The case it happened to (double-click to open it)",
    WHO: "Who did it: the person signed in, as the database knew them",
    WHAT: "What they did",
    WHY: "The reason they gave, if any",
}


def cells(row: AuditRow, columns: tuple[str, ...]) -> tuple[str, ...]:
    values = {
        WHEN: fmt.when(row.occurred_at),
        CASE: row.case_key or "—",
        WHO: preview_line(row.actor_name, 80),
        WHAT: preview_line(row.what, 400),
        WHY: preview_line(row.why, 400) if row.why else "",
    }
    return tuple(values[column] for column in columns)


class AuditRowsModel(QAbstractTableModel):
    def __init__(self, columns: tuple[str, ...], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self._cells: list[tuple[str, ...]] = []
        self._rows: list[AuditRow] = []

    def set_rows(self, rows: Iterable[AuditRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._cells = [cells(row, self.columns) for row in self._rows]
        self.endResetModel()

    def append_rows(self, rows: Iterable[AuditRow]) -> None:
        more = list(rows)
        if not more:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self._cells.extend(cells(row, self.columns) for row in more)
        self.endInsertRows()

    def row_at(self, number: int) -> AuditRow | None:
        return self._rows[number] if 0 <= number < len(self._rows) else None

    def case_at(self, number: int) -> uuid.UUID | None:
        row = self.row_at(number)
        return row.case_id if row is not None else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:  # a long "what" or "why" reads whole
            text = self._cells[index.row()][index.column()]
            return plain_tooltip(text) if text else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _TIPS[self.columns[section]]
        return None

"""A read-only table of text rows for the import previews (data and canned responses): rows
formatted once when a report arrives, so ``data()`` is a tuple index; rejected rows in red.
Cells come from the customer's file, and a table cell is always drawn as plain text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from deskapp.gui.panes.plain import plain_tooltip

Index = QModelIndex | QPersistentModelIndex
REJECTED = QBrush(QColor("#8c1d18"))


class TextRowsModel(QAbstractTableModel):
    """Rows of text under fixed headers; rows flagged as rejected are drawn in red."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, ...]] = []
        self._rejected: list[bool] = []

    def set_rows(self, rows: list[tuple[str, ...]], rejected: list[bool]) -> None:
        self.beginResetModel()
        self._rows, self._rejected = rows, rejected
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:  # a long cell reads whole, escaped
            return plain_tooltip(self._rows[index.row()][index.column()])
        if role == Qt.ItemDataRole.ForegroundRole and self._rejected[index.row()]:
            return REJECTED
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def row_text(self, row: int) -> tuple[str, ...] | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None


def report_table_view(parent: QWidget, name: str, accessible: str,
                      model: TextRowsModel) -> QTableView:  # fmt: skip
    """A table that shows a report: whole rows selected, nothing edited, fixed row heights."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.horizontalHeader().setStretchLastSection(True)
    return table

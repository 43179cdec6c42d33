"""The preview table of a reassignment: case, subject, from, to, where its note starts, state.

A model over the dialog's rows (rows.py) with each row's cells worked out once when it
changes, so ``data()`` is a tuple index. "To" is edited in place with a list of the people who
may take that case (its team's members, and the team queue).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from deskapp.gui.reassign.rows import MoveRow, RowState, source_text

COLUMNS = ("Case", "Subject", "From", "To", "Note starts from", "State")
TO_COLUMN = COLUMNS.index("To")
STATE_COLUMN = COLUMNS.index("State")
CHOOSE = "Choose…"
QUEUE = "The team queue"
_WIDTHS = (70, 150, 95, 140, 110, 180)
_R = Qt.ItemDataRole
Index = QModelIndex | QPersistentModelIndex
# Readable on light and dark schemes alike: the words say it too.
_STATE_COLOURS = {
    RowState.READY: QColor("#1e7d32"),
    RowState.NO_DESTINATION: QColor("#b3261e"),
    RowState.NEEDS_NOTE: QColor("#b3261e"),
    RowState.BLOCKED: QColor("#b3261e"),
    RowState.WARNINGS: QColor("#a15c00"),
}
Choices = list[tuple[str, uuid.UUID | None]]


class MovesModel(QAbstractTableModel):
    destination_chosen = Signal(int, object)  # row, user id (None: the team queue)

    def __init__(self, names: Callable[[uuid.UUID], str], parent: Any = None) -> None:
        super().__init__(parent)
        self._names = names
        self.rows: list[MoveRow] = []
        self._cells: list[tuple[str, ...]] = []
        self._states: list[RowState] = []
        self._brushes = {state: QBrush(colour) for state, colour in _STATE_COLOURS.items()}

    # ------------------------------------------------------------------ Qt interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = _R.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _R.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = _R.DisplayRole) -> Any:
        if role in (_R.DisplayRole, _R.ToolTipRole, _R.AccessibleTextRole):
            return self._cells[index.row()][index.column()]
        if role == _R.ForegroundRole and index.column() == STATE_COLUMN:
            return self._brushes[self._states[index.row()]]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == TO_COLUMN else base

    def setData(self, index: Index, value: Any, role: int = _R.EditRole) -> bool:
        if role != _R.EditRole or index.column() != TO_COLUMN:
            return False
        self.destination_chosen.emit(index.row(), value)
        return True

    # ------------------------------------------------------------------ rows
    def set_rows(self, rows: list[MoveRow], states: list[tuple[RowState, str]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self._cells = [
            self._render(row, text) for row, (_s, text) in zip(rows, states, strict=True)
        ]
        self._states = [state for state, _text in states]
        self.endResetModel()

    def row_changed(self, position: int, state: tuple[RowState, str]) -> None:
        self._cells[position] = self._render(self.rows[position], state[1])
        self._states[position] = state[0]
        self.dataChanged.emit(self.index(position, 0), self.index(position, len(COLUMNS) - 1))

    def _render(self, row: MoveRow, state_text: str) -> tuple[str, ...]:
        move = row.move
        if not row.chosen:
            to = CHOOSE
        elif row.to_user_id is None:
            to = QUEUE
        else:
            to = self._names(row.to_user_id)
        return (
            move.key,
            move.subject,
            move.from_name or "Team queue",
            to + "  ▾",
            source_text(move, short=True),
            state_text,
        )


class DestinationDelegate(QStyledItemDelegate):
    """A list of who may take the case, right in the "To" cell."""

    def __init__(self, choices_for: Callable[[int], Choices], parent: QWidget) -> None:
        super().__init__(parent)
        self._choices_for = choices_for

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName("reassignRowDestination")
        combo.setAccessibleName("Who takes this case")
        for label, user_id in self._choices_for(index.row()):
            combo.addItem(label, str(user_id) if user_id else "")
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model = index.model()
        assert isinstance(model, MovesModel)
        row = model.rows[index.row()]
        wanted = "" if row.to_user_id is None else str(row.to_user_id)
        found = editor.findData(wanted) if row.chosen else -1
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        raw = editor.currentData()
        model.setData(index, uuid.UUID(raw) if raw else None, _R.EditRole)


class MovesTable(QTableView):
    def __init__(
        self,
        model: MovesModel,
        choices_for: Callable[[int], Choices],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reassignPreview")
        self.setAccessibleName("Cases to move: from whom, to whom, and their notes")
        self.setModel(model)
        self.setItemDelegateForColumn(TO_COLUMN, DestinationDelegate(choices_for, self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        vertical.hide()
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in enumerate(_WIDTHS):
            self.setColumnWidth(column, width)
        # The subject gives way: who, where to and the state must stay in sight.
        header.setSectionResizeMode(COLUMNS.index("Subject"), QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)

"""The board's table: a number clicked (or Enter on it) asks for its cases; cases dragged from
the queue and dropped on a person ask for a reassignment.

Only an active member of the team takes a drop (not the queue, the totals, or someone outside
the team); the row under the pointer is highlighted while cases hover over it, and the pointer
says no elsewhere.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal, Slot
from PySide6.QtGui import (
    QBrush,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QPalette,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from deskapp.gui.panes.case_drag import case_ids_from
from deskapp.gui.team_board.board_model import COLUMNS, TeamBoardModel
from deskapp.services.team_board_records import BoardMeasure, BoardRow

_WIDTHS = {"Person": 210, "Signed in": 84, "Open": 64, "Due soon": 80, "Breached": 80,
           "Commitments due": 130, "Unacknowledged": 120, "Oldest waiting": 110,
           "Kudos (30 days)": 116}  # fmt: skip


class BoardTable(QTableView):
    number_activated = Signal(object, object)  # BoardRow, BoardMeasure
    cases_dropped = Signal(list, object)  # case ids, the user id they were dropped on

    def __init__(self, model: TeamBoardModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamBoardTable")
        self.setAccessibleName("Team board: one row per person")
        self.board_model = model
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setMouseTracking(True)  # the pointer becomes a hand over a number that opens
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDropIndicatorShown(False)  # the whole row lights up instead
        self.setIconSize(self.iconSize().scaled(12, 12, Qt.AspectRatioMode.KeepAspectRatio))
        self.setStyleSheet("QTableView#teamBoardTable::item { padding: 0 10px; }")
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        vertical.hide()
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        for column, spec in enumerate(COLUMNS):
            self.setColumnWidth(column, _WIDTHS[spec.title])
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.clicked.connect(self._on_clicked)

    # ------------------------------------------------------------------ numbers
    @Slot(QModelIndex)
    def _on_clicked(self, index: QModelIndex) -> None:
        found = self.board_model.number_at(index)
        if found is not None:
            self.number_activated.emit(*found)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            found = self.board_model.number_at(self.currentIndex())
            if found is not None:
                self.number_activated.emit(*found)
                return
        super().keyPressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        clickable = self.board_model.number_at(index) is not None
        cursor = Qt.CursorShape.PointingHandCursor if clickable else Qt.CursorShape.ArrowCursor
        self.viewport().setCursor(cursor)
        super().mouseMoveEvent(event)

    # ------------------------------------------------------------------ drops
    def _target(self, position: QPoint) -> BoardRow | None:
        return self.board_model.drop_target(self.indexAt(position).row())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if case_ids_from(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        position = event.position().toPoint()
        target = self._target(position) if case_ids_from(event.mimeData()) else None
        if target is None:
            self.board_model.set_drop_row(None)
            event.ignore()
            return
        self.board_model.set_drop_row(self.indexAt(position).row(), self._drop_brush())
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.board_model.set_drop_row(None)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        self.board_model.set_drop_row(None)
        case_ids = case_ids_from(event.mimeData())
        target = self._target(event.position().toPoint())
        if not case_ids or target is None or target.user_id is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.drop_cases(case_ids, target.user_id)

    def drop_cases(self, case_ids: list[uuid.UUID], user_id: uuid.UUID) -> None:
        """Cases dropped on a person: the reassignment starts from here (tests call it too)."""
        self.cases_dropped.emit(list(case_ids), user_id)

    def _drop_brush(self) -> QBrush:
        colour = self.palette().color(QPalette.ColorRole.Highlight)
        colour.setAlpha(70)
        return QBrush(colour)


def measure_column(measure: BoardMeasure) -> int:
    return next(n for n, c in enumerate(COLUMNS) if c.measure is measure)

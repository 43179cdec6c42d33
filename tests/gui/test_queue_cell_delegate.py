"""The queue's cell delegate (panes/queue_cell_delegate.py) paints what Qt's own delegate painted,
pixel for pixel (texts, colours, dots, bold, elision, the selection, "Loading…" rows), while
asking the model nothing per cell for the rows it has: that is what makes a repaint at full
width fit in a frame."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QStyledItemDelegate

from deskapp.domain.enums import CaseStatus, Channel, Mood, Priority
from deskapp.gui.panes.queue_cell_delegate import QueueCellDelegate
from deskapp.gui.panes.queue_model import PAGE, CaseQueueModel
from deskapp.gui.panes.queue_pane import QueueTable
from deskapp.services.queue import QueueRow

NOW = datetime.now(UTC)
MOODS = list(Mood)
PRIORITIES = list(Priority)


def _row(n: int) -> QueueRow:
    due = [timedelta(hours=-3), timedelta(minutes=40), timedelta(days=2), None][n % 4]
    subject = f"Subject {n} " + "that goes on and on past the column's edge " * (n % 3)
    return QueueRow(
        uuid.uuid4(), f"C-{1000 + n}", f"Customer {n}", subject, PRIORITIES[n % 4],
        CaseStatus.OPEN, Channel.EMAIL, MOODS[n % 4], None, NOW - timedelta(minutes=n), n % 3,
        NOW + due if due is not None else None, 1,
    )  # fmt: skip


class CountingModel(CaseQueueModel):
    def __init__(self) -> None:
        super().__init__()
        self.asked = 0

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        self.asked += 1
        return super().data(index, role)


def _table(qtbot: Any, ours: bool) -> tuple[QueueTable, CountingModel]:
    model = CountingModel()
    table = QueueTable()
    qtbot.addWidget(table)
    table.setModel(model)
    delegate = QueueCellDelegate(model, table) if ours else QStyledItemDelegate(table)
    table.setItemDelegate(delegate)
    table.resize(1400, 600)
    rows = [_row(n) for n in range(PAGE)]
    model.reset(PAGE + 50, rows, None)  # the last 50 rows are not fetched: placeholders
    table.show()
    qtbot.waitExposed(table)
    # Rows 2 and 3 selected; the keyboard's current cell elsewhere (its frame goes through Qt).
    selection = table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag
    table.setCurrentIndex(model.index(1, 0))
    selection.select(model.index(2, 0), flags.ClearAndSelect | flags.Rows)
    selection.select(model.index(3, 0), flags.Select | flags.Rows)
    return table, model


def _paint(table: QueueTable, top_row: int) -> QImage:
    table.scrollTo(table.model().index(top_row, 0), QueueTable.ScrollHint.PositionAtTop)
    return table.viewport().grab().toImage()


def test_cells_look_exactly_as_qts_own_delegate_painted_them(qtbot):
    qts, _ = _table(qtbot, ours=False)
    ours, _ = _table(qtbot, ours=True)
    for top in (0, PAGE - 10):  # fetched rows (with the selection), then into the placeholders
        expected, painted = _paint(qts, top), _paint(ours, top)
        assert painted.size() == expected.size()
        assert painted == expected, f"the cells differ from Qt's rendering from row {top}"


def test_painting_fetched_rows_asks_the_model_for_nothing(qtbot):
    table, model = _table(qtbot, ours=True)
    _paint(table, 10)
    model.asked = 0
    _paint(table, 10)
    cells = 20 * model.columnCount()  # at least twenty rows on screen
    assert model.asked < cells / 10, "the delegate reads the rendered rows, not seven roles"
    qts, qt_model = _table(qtbot, ours=False)
    _paint(qts, 10)
    qt_model.asked = 0
    _paint(qts, 10)
    assert qt_model.asked > 5 * cells  # what it saves: Qt's delegate asks every role per cell

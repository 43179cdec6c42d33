"""Regression test for PySide6 6.12.0 on CPython 3.11 (ENVIRONMENT.md): each time Qt handed
None to Python (a method returning void, an empty QVariant, QStandardItemModel.appendRow) one
reference to None was lost; a few thousand later the interpreter aborted with "Fatal Python
error: none_dealloc", often at exit after pytest had printed "N passed". pyproject.toml keeps
that release out; measured against 6.12.0, every test here but the view-painting one fails.

Each test does a few thousand of one such round trip and checks that None's reference count
did not fall by anything like that number. (From Python 3.12 None is immortal and its count is
a constant, so the assertions hold trivially there.)
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QLabel, QTableView

ROWS, COLUMNS = 60, 8
CALLS = 3_000


def references_to_none() -> int:
    gc.collect()
    return sys.getrefcount(None)


def assert_none_kept(before: int, calls: int) -> None:
    # Other allocations may move the count by a few hundred either way; the bug costs one
    # reference per call.
    lost = before - references_to_none()
    assert lost < calls // 2, f"None lost {lost} references over {calls} calls"


class CellsModel(QAbstractTableModel):
    """Like the case queue model: a tuple per row, None for every role it does not handle."""

    def __init__(self) -> None:
        super().__init__()
        self.rows = [tuple(f"r{r}c{c}" for c in range(COLUMNS)) for r in range(ROWS)]
        self.none_returned = 0

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else ROWS

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMNS

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        self.none_returned += 1
        return None


def test_a_view_painting_a_python_model_keeps_none_alive(qtbot):
    model = CellsModel()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(1400, 900)
    view.show()
    qtbot.waitExposed(view)
    before = references_to_none()
    for _ in range(10):
        view.viewport().update()
        QApplication.processEvents()
        view.grab()
    assert model.none_returned > CALLS, "the view did not call data() enough to tell"
    assert_none_kept(before, model.none_returned)


def test_asking_a_python_model_for_a_role_it_does_not_handle_keeps_none_alive(qtbot):
    model = CellsModel()
    index = model.index(0, 0)
    before = references_to_none()
    for _ in range(CALLS):  # what a delegate, a proxy model or a model tester does
        assert index.data(Qt.ItemDataRole.ToolTipRole) is None
    assert_none_kept(before, CALLS)


def test_calling_qt_methods_that_return_nothing_keeps_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = references_to_none()
    for n in range(CALLS):  # setText returns void: Python receives None each time
        assert label.setText(f"C-{n:06d}") is None
    assert_none_kept(before, CALLS)


def test_filling_a_standard_item_model_keeps_none_alive(qtbot):
    model = QStandardItemModel()
    before = references_to_none()
    for n in range(CALLS):
        model.appendRow(QStandardItem(f"row {n}"))
    assert model.rowCount() == CALLS
    assert_none_kept(before, CALLS)

"""The table both audit views use: whole rows selected, nothing edited, fixed row heights and
column widths (a long log scrolls without measuring every row), "What" taking the spare width."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from deskapp.gui.audit.rows_model import CASE, WHAT, WHEN, WHO, WHY, AuditRowsModel

# Wide enough for these samples in the table's font, so the widths follow the font size and the
# screen's scale; "What" takes the rest.
_SAMPLES = {WHEN: "Wed 30 Sep 2026 23:59", CASE: "C-1000000", WHO: "Alexandra Montgomery-Li",
            WHY: "Waiting for the customer's photos of"}  # fmt: skip
_PADDING = 18  # the cell's margins and the column divider


def audit_table(parent: QWidget, name: str, spoken: str, model: AuditRowsModel) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setAccessibleName(spoken)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    metrics = table.fontMetrics()
    for number, column in enumerate(model.columns):
        if column == WHAT:
            header.setSectionResizeMode(number, QHeaderView.ResizeMode.Stretch)
        else:  # fixed: measuring every row's text would cost a long log seconds
            header.resizeSection(number, metrics.horizontalAdvance(_SAMPLES[column]) + _PADDING)
    return table

"""The import previews' table: text from an imported file reads literally, in the cell and in
the tooltip that shows a long cell whole (Qt would render a tooltip that looks like HTML)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from deskapp.gui.report_table import TextRowsModel

HOSTILE = '<b>x</b><img src="http://example.invalid/x.png">\nsecond line'


class Rows(TextRowsModel):
    HEADERS = ("Line", "Title")


def test_a_cell_and_its_tooltip_show_the_files_text_literally(qapp):
    model = Rows()
    model.set_rows([("2", HOSTILE)], [True])
    cell = model.index(0, 1)
    assert cell.data(Qt.ItemDataRole.DisplayRole) == HOSTILE
    tooltip = cell.data(Qt.ItemDataRole.ToolTipRole)
    shown = QTextDocument()
    shown.setHtml(tooltip)  # how Qt draws a tooltip it takes for rich text
    assert shown.toPlainText() == HOSTILE
    assert shown.toHtml().count("<img") == 0
    assert cell.data(Qt.ItemDataRole.ForegroundRole) is not None, "a rejected row is marked"

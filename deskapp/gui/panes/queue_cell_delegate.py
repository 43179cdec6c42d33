"""QueueCellDelegate: paints a queue cell straight from the row rendered when it arrived.

Qt's own delegate asks the model seven roles per cell (seven calls into Python) and lays each
cell's text out twice (once to size it, once to draw it); a 1,400-pixel-wide queue repaints
about 500 cells, which took longer than a frame. This delegate makes one call per cell: it reads
the text, colour, icon and font from the model's rendered row (queue_cells.Rendered) and draws
the text from a QStaticText cached per text, width and weight, so a page scrolled back into
view draws glyphs already laid out and elided. What it draws is what Qt's delegate drew: the
selection, the dot icons, the colours, bold where it was bold, text elided on the right.

Rows not fetched yet are drawn the same way from the model's placeholder ("Loading…", which
also tells the model their page is wanted). Only the cell with the keyboard's focus goes
through Qt's delegate, for its focus frame.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QBrush, QFont, QFontMetrics, QIcon, QPainter, QPalette, QStaticText
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from deskapp.gui.panes.queue_cells import Rendered

Index = QModelIndex | QPersistentModelIndex
MARGIN = 3  # Qt's item text margin (the style's focus frame margin + 1): the same look
ICON = 12  # the queue's icon size (panes/queue_pane.py)
CACHE_LIMIT = 20_000  # laid-out texts kept: many screens' worth, a few MB at most
_Role = QPalette.ColorRole
_CENTRE = Qt.AlignmentFlag.AlignCenter
_ICON_NORMAL, _ICON_SELECTED = QIcon.Mode.Normal, QIcon.Mode.Selected  # as Qt's delegate
# The option's state as plain bits: a PySide flag enum's ``&`` costs microseconds, per cell.
_FOCUS = QStyle.StateFlag.State_HasFocus.value
_SELECTED = QStyle.StateFlag.State_Selected.value
_ENABLED = QStyle.StateFlag.State_Enabled.value
_ACTIVE = QStyle.StateFlag.State_Active.value
_GROUPS = {  # (enabled, active) -> the palette's colour group
    (True, True): QPalette.ColorGroup.Normal,
    (True, False): QPalette.ColorGroup.Inactive,
    (False, True): QPalette.ColorGroup.Disabled,
    (False, False): QPalette.ColorGroup.Disabled,
}


class RenderedRows(Protocol):
    def rendered(self, row: int) -> Rendered | None: ...

    def placeholder(self, index: Index) -> tuple[str, QBrush]: ...


class QueueCellDelegate(QStyledItemDelegate):
    def __init__(self, rows: RenderedRows, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rendered = rows.rendered
        self._placeholder = rows.placeholder
        self._texts: dict[tuple[str, int, bool], QStaticText] = {}
        self._metrics: dict[bool, tuple[QFont, QFontMetrics, int]] = {}
        self._font_key: str | None = None

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        state: int = option.state.value
        if state & _FOCUS:  # the one cell with the keyboard's focus frame: Qt draws it
            super().paint(painter, option, index)
            return
        column = index.column()
        rendered = self._rendered(index.row())
        if rendered is None:  # not fetched yet: "Loading…" in grey (and the page is asked for)
            text, brush = self._placeholder(index)
            colour: QBrush | None = brush
            icon, bold = None, False
        else:
            text, colour = rendered.texts[column], rendered.colours[column]
            icon, bold = rendered.icons[column], rendered.fonts[column] is not None
        rect: QRect = option.rect
        x: int
        y: int
        w: int
        h: int
        x, y, w, h = rect.getRect()  # type: ignore[misc]  # one call, not four
        palette: QPalette = option.palette
        group = _GROUPS[(bool(state & _ENABLED), bool(state & _ACTIVE))]
        selected = bool(state & _SELECTED)
        if selected:
            painter.fillRect(rect, palette.brush(group, _Role.Highlight))
        left, width = x + MARGIN, w - 2 * MARGIN
        if icon is not None:
            place = QRect(left, y + (h - ICON) // 2, ICON, ICON)
            icon.paint(painter, place, _CENTRE, _ICON_SELECTED if selected else _ICON_NORMAL)
            left += ICON + 2 * MARGIN
            width -= ICON + 2 * MARGIN
        if not text or width <= 0:
            return
        font, metrics, height = self._font(option.font, bold)
        key = (text, width, bold)
        static = self._texts.get(key)
        if static is None:
            static = self._static(text, width, metrics)
            if len(self._texts) >= CACHE_LIMIT:
                self._texts.clear()
            self._texts[key] = static
        if selected:
            painter.setPen(palette.color(group, _Role.HighlightedText))
        elif colour is not None:
            painter.setPen(colour.color())
        else:
            painter.setPen(palette.color(group, _Role.Text))
        painter.setFont(font)
        painter.drawStaticText(left, y + (h - height) // 2, static)

    def _font(self, base: QFont, bold: bool) -> tuple[QFont, QFontMetrics, int]:
        """The view's font (or its bold), with metrics: made once per font, not per cell."""
        key = base.key()
        if key != self._font_key:  # the view's font changed (zoom, system font): start over
            self._font_key = key
            self._metrics.clear()
            self._texts.clear()
        found = self._metrics.get(bold)
        if found is None:
            font = QFont(base)
            font.setBold(bold)
            metrics = QFontMetrics(font)
            found = self._metrics[bold] = (font, metrics, metrics.height())
        return found

    @staticmethod
    def _static(text: str, width: int, metrics: QFontMetrics) -> QStaticText:
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        static = QStaticText(elided)
        static.setTextFormat(Qt.TextFormat.PlainText)  # customer text is plain text
        return static

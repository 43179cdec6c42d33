"""Lists a rep scans fast: each row a short heading (when, which case, who, how) over one line
of the text, both elided to the width. Rows are one fixed height, so a list of twenty thousand
entries scrolls like a list of twenty.

The item's display text stays the whole one-line summary (screen readers, copy, tests); the
delegate paints the heading and the text from two roles set once when the row is made.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

HEAD_ROLE = Qt.ItemDataRole.UserRole + 1  # str: the heading line
BODY_ROLE = Qt.ItemDataRole.UserRole + 2  # str: the text line (already a one-line preview)
ACCENT_ROLE = Qt.ItemDataRole.UserRole + 3  # str: a colour for the left bar and the heading
PAD = 4
BAR = 3

Index = QModelIndex | QPersistentModelIndex


class TwoLineDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._colours: dict[str, QColor] = {}  # made once per colour, not per paint

    def _colour(self, name: str) -> QColor:
        colour = self._colours.get(name)
        if colour is None:
            colour = self._colours[name] = QColor(name)
        return colour

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = option.fontMetrics.lineSpacing()
        return QSize(200, 2 * line + 3 * PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # the background and focus only
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect: QRect = opt.rect
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        text_colour = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        accent = index.data(ACCENT_ROLE)
        painter.save()
        if accent:
            painter.fillRect(QRect(rect.left(), rect.top() + 2, BAR, rect.height() - 4),
                             self._colour(accent))  # fmt: skip
        left = rect.left() + BAR + 2 * PAD
        width = max(0, rect.right() - left - PAD)
        line = opt.fontMetrics.lineSpacing()
        head_font = QFont(opt.font)
        head_font.setBold(True)
        head_font.setPointSizeF(max(6.0, head_font.pointSizeF() * 0.92))
        painter.setFont(head_font)
        painter.setPen(text_colour if selected or not accent else self._colour(accent))
        head = painter.fontMetrics().elidedText(
            str(index.data(HEAD_ROLE) or ""), Qt.TextElideMode.ElideRight, width
        )
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(QRect(left, rect.top() + PAD, width, line), flags, head)
        painter.setFont(opt.font)
        painter.setPen(text_colour)
        body = painter.fontMetrics().elidedText(
            str(index.data(BODY_ROLE) or ""), Qt.TextElideMode.ElideRight, width
        )
        painter.drawText(QRect(left, rect.top() + 2 * PAD + line, width, line), flags, body)
        painter.restore()

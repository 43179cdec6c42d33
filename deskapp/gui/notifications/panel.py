"""The bell in the status bar and the list it opens.

The bell says how many notifications are unread (its accessible name says it too). The list
opens above it as a popup: newest first, Enter or a click opens the case (and marks it read),
Escape or a click elsewhere closes it; "Mark all read" and "Clear" empty the count or the list.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QModelIndex, QPoint, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from deskapp.gui.notifications.model import NotificationListModel

PANEL_SIZE = (460, 380)
EMPTY_TEXT = "Nothing new. Cases handed to you, questions on your notes and deadlines about to be missed show here."  # noqa: E501 - one sentence


def bell_icon(color: QColor, size: int = 32) -> QIcon:
    """A bell drawn in the palette's text colour: crisp at any scale, right in light and dark."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    s = size / 32
    body = QPainterPath()
    body.moveTo(16 * s, 4 * s)
    body.cubicTo(9 * s, 4 * s, 8 * s, 10 * s, 8 * s, 15 * s)
    body.lineTo(8 * s, 20 * s)
    body.lineTo(5 * s, 24 * s)
    body.lineTo(27 * s, 24 * s)
    body.lineTo(24 * s, 20 * s)
    body.lineTo(24 * s, 15 * s)
    body.cubicTo(24 * s, 10 * s, 23 * s, 4 * s, 16 * s, 4 * s)
    painter.drawPath(body)
    painter.drawEllipse(QRectF(13 * s, 25 * s, 6 * s, 5 * s))
    painter.end()
    return QIcon(pixmap)


class BellButton(QToolButton):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notificationBell")
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setIcon(bell_icon(self.palette().color(QPalette.ColorRole.WindowText)))
        self.show_count(0)

    def show_count(self, unread: int) -> None:
        self.setText(str(unread) if unread else "")
        self.setStyleSheet("QToolButton { font-weight: bold; }" if unread else "")
        said = f"{unread} unread" if unread else "nothing unread"
        self.setAccessibleName(f"Notifications, {said}")
        self.setToolTip(f"Notifications ({said})")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the scheme switched: redraw the bell
            self.setIcon(bell_icon(self.palette().color(QPalette.ColorRole.WindowText)))


class NotificationPanel(QFrame):
    case_requested = Signal(object)  # the case id of the notification chosen

    def __init__(self, model: NotificationListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("notificationPanel")
        self.setAccessibleName("Notifications")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.model = model
        self.title = QLabel("Notifications", self)
        self.title.setObjectName("notificationTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.list = QListView(self)
        self.list.setObjectName("notificationList")
        self.list.setAccessibleName("Notifications, newest first")
        self.list.setModel(model)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setWordWrap(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)  # each line cut at the edge
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setSpacing(2)
        self.list.setAlternatingRowColors(True)
        self.empty = QLabel(EMPTY_TEXT, self)
        self.empty.setObjectName("notificationEmpty")
        self.empty.setWordWrap(True)
        self.mark_all = QPushButton("Mark all &read", self)
        self.mark_all.setObjectName("notificationMarkAllRead")
        self.clear = QPushButton("C&lear", self)
        self.clear.setObjectName("notificationClear")
        self.clear.setToolTip("Remove every notification from the list")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.mark_all)
        buttons.addWidget(self.clear)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(buttons)
        self.resize(*PANEL_SIZE)
        self._opened = False
        self._connect_signals()
        self._show_state()

    def _connect_signals(self) -> None:
        self.list.activated.connect(self._open)  # Enter (and a click where the style says so)
        self.list.clicked.connect(self._open)
        self.mark_all.clicked.connect(self.model.mark_all_read)
        self.clear.clicked.connect(self.model.clear)
        self.model.rowsInserted.connect(self._show_state)
        self.model.modelReset.connect(self._show_state)

    def popup_over(self, anchor: QWidget) -> None:
        """Open above ``anchor`` (the bell, at the bottom of the window), its right edges lined
        up, kept on the anchor's screen."""
        self._opened = False
        corner = anchor.mapToGlobal(QPoint(anchor.width(), 0))
        x, y = corner.x() - self.width(), corner.y() - self.height()
        screen = anchor.screen().availableGeometry()
        x = max(screen.left(), min(x, screen.right() - self.width()))
        y = max(screen.top(), y)
        self.move(x, y)
        self.show()
        self.raise_()
        self.list.setFocus(Qt.FocusReason.PopupFocusReason)
        if self.model.rowCount() and not self.list.currentIndex().isValid():
            self.list.setCurrentIndex(self.model.index(0))

    @Slot(QModelIndex)
    def _open(self, index: QModelIndex) -> None:
        if self._opened or not index.isValid():
            return  # a click where the style also activates: one opening, not two
        self._opened = True
        self.model.mark_read(index.row())
        case_id: uuid.UUID = self.model.notification_at(index.row()).case_id
        self.hide()
        self.case_requested.emit(case_id)

    @Slot()
    def _show_state(self) -> None:
        has_rows = self.model.rowCount() > 0
        self.list.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        self.mark_all.setEnabled(has_rows)
        self.clear.setEnabled(has_rows)

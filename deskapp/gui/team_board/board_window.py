"""The team board's own window: beside the main window, or on a second screen, so the lead
sees the board and the queue it opens cases in at the same time. Closing it stops its reads."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QVBoxLayout, QWidget

from deskapp import APP_NAME
from deskapp.gui.team_board.board_view import TeamBoardView

INITIAL_SIZE = (1120, 560)
MIN_HEIGHT = 380


class TeamBoardWindow(QWidget):
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("teamBoardWindow")
        self.setAccessibleName("Team board window")
        self.setWindowTitle(f"Team board — {APP_NAME}")
        self.view = TeamBoardView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.action_close = QAction("&Close", self)
        self.action_close.setObjectName("actionCloseTeamBoard")
        self.action_close.setShortcuts(
            QKeySequence.keyBindings(QKeySequence.StandardKey.Close) or [QKeySequence("Ctrl+W")]
        )
        self.action_close.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action_close.triggered.connect(self.close)
        self.addAction(self.action_close)
        self._fitted = False
        self.resize(*INITIAL_SIZE)

    def set_team_name(self, name: str) -> None:
        self.setWindowTitle(f"{name} — Team board — {APP_NAME}")

    def fit_rows(self) -> None:
        """As tall as the team's rows need (within the screen), once the first board is in."""
        if self._fitted or not self.isVisible():
            return
        self._fitted = True
        screen = self.screen().availableGeometry().height() if self.screen() else 900
        height = self.height() + self.view.table_shortfall()
        self.resize(self.width(), max(MIN_HEIGHT, min(height, int(screen * 0.9))))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)
